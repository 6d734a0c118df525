"""Where the clauses and patterns of a tokenized Cypher query are, for the translation.

A clause starts at a clause keyword at the top level of its block (the whole
query, or the braces of an ``EXISTS { ... }`` subquery); a relationship pattern
is a ``[...]`` group (or a bare ``--``) between ``-``/``<-`` and ``-``/``->``;
a node pattern is the ``(...)`` group at either end.

Examples
--------
>>> from kg.graphs.cypher_tokens import tokenize
>>> tokens = tokenize("MATCH (a)-->(b) WHERE a.x STARTS WITH 'y' RETURN b")
>>> [(c.keyword, c.start, c.end) for c in clauses(tokens, 0, len(tokens))]
[('MATCH', 0, 9), ('WHERE', 9, 16), ('RETURN', 16, 18)]
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from kg.graphs.cypher_tokens import Token, closing

__all__ = ["Clause", "Relationship", "clauses", "is_value_end", "relationships", "subquery_blocks"]

CLAUSE_WORDS = frozenset({
    "MATCH", "OPTIONAL", "WHERE", "WITH", "RETURN", "UNWIND", "ORDER", "SKIP", "LIMIT", "UNION", "CREATE",
    "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "CALL", "FOREACH", "YIELD", "FINISH", "ON",
})
"""Words that begin a clause when they stand at the top level of a block."""

_EXPRESSION_WORDS = frozenset({
    "AND", "OR", "XOR", "NOT", "IN", "IS", "AS", "WHERE", "WITH", "RETURN", "WHEN", "THEN", "ELSE", "CASE", "BY",
    "DISTINCT", "UNWIND", "STARTS", "ENDS", "CONTAINS", "ORDER", "SKIP", "LIMIT", "MATCH", "OPTIONAL", "UNION",
})
"""Words after which a ``[`` opens a list, not an index."""


@dataclass(frozen=True)
class Clause:
    """One clause: its keyword (``OPTIONAL`` for OPTIONAL MATCH, ``ORDER`` for ORDER BY) and its token range."""

    keyword: str
    start: int
    end: int

    @property
    def body(self) -> int:
        """Where the clause's content begins, after its keyword words."""
        return self.start + (2 if self.keyword in ("OPTIONAL", "ORDER", "DETACH") else 1)


@dataclass(frozen=True)
class Relationship:
    """A relationship pattern: its tokens ``[start, end)`` (arrows included) and its ``[...]`` group, if any."""

    start: int
    end: int
    group: tuple[int, int] | None


def clauses(tokens: list[Token], start: int, end: int) -> list[Clause]:
    """The clauses of the block ``tokens[start:end]``, in order."""
    found: list[Clause] = []
    index = start
    begin = start
    keyword = ""
    while index < end:
        token = tokens[index]
        if token.kind == "op" and token.text in "([{":
            index = closing(tokens, index) + 1
            continue
        word = token.upper
        previous = tokens[index - 1].upper if index > start else ""
        if token.kind == "word" and word in CLAUSE_WORDS and not (word == "WITH" and previous in ("STARTS", "ENDS")) \
                and not (word == "MATCH" and previous == "OPTIONAL") and not (word == "DELETE" and previous == "DETACH"):
            if keyword or index > begin:
                found.append(Clause(keyword, begin, index))
            keyword, begin = word, index
        index += 1
    if keyword or end > begin:
        found.append(Clause(keyword, begin, end))
    return found


def subquery_blocks(tokens: list[Token], start: int, end: int) -> Iterator[tuple[int, int]]:
    """The ``{ ... }`` blocks of ``EXISTS``/``COUNT``/``COLLECT``/``CALL`` subqueries within ``tokens[start:end]``."""
    index = start
    while index < end:
        token = tokens[index]
        if token.kind == "op" and token.text == "{":
            stop = closing(tokens, index)
            if index > 0 and tokens[index - 1].upper in ("EXISTS", "COUNT", "COLLECT", "CALL"):
                yield index + 1, stop
            index += 1
            continue
        index += 1


def relationships(tokens: list[Token], start: int, end: int) -> Iterator[Relationship]:
    """The relationship patterns at the top level of ``tokens[start:end]``."""
    index = start
    while index < end:
        token = tokens[index]
        if token.kind == "op" and token.text in ("(", "{"):
            index = closing(tokens, index) + 1
            continue
        if token.kind == "op" and token.text in ("-", "<-") and _after_node(tokens, index, start):
            following = tokens[index + 1] if index + 1 < end else None
            if following is not None and following.text == "[":
                stop = closing(tokens, index + 1)
                if stop + 1 < end and tokens[stop + 1].text in ("-", "->"):
                    yield Relationship(index, stop + 2, (index + 1, stop))
                    index = stop + 2
                    continue
            elif following is not None and following.text in ("-", "->"):
                yield Relationship(index, index + 2, None)
                index += 2
                continue
        if token.kind == "op" and token.text == "[":
            index = closing(tokens, index) + 1
            continue
        index += 1


def _after_node(tokens: list[Token], index: int, start: int) -> bool:
    return index > start and tokens[index - 1].text == ")"


def is_value_end(token: Token) -> bool:
    """Can an expression end with ``token`` (so that a ``[`` after it indexes rather than opens a list)?"""
    if token.kind in ("string", "number", "param", "quoted"):
        return True
    if token.kind == "word":
        return token.upper not in _EXPRESSION_WORDS
    return token.text in (")", "]", "}")

"""Tokens and literals of the NetworkX Cypher subset: lexing, parameters, quoting, refused clauses.

:func:`lex` splits a query into :class:`Token` values, reading string, number and
``$parameter`` literals as Python values; :func:`literal` writes a value back as Cypher
text; :func:`refuse_clauses` names the first clause keyword outside the subset. Errors are
:class:`kg.errors.QueryError` built by :func:`parse_error` and :func:`unsupported`.

Examples
--------
>>> [tok.value for tok in lex("MATCH (n {k: 'COCO'}) RETURN $x", {"x": [1, "a"]})]
['MATCH', '(', 'n', '{', 'k', ':', 'COCO', '}', ')', 'RETURN', [1, 'a']]
>>> literal([1, 2.5, 'say "hi"', None, True])
'[1, 2.5, "say \\\\"hi\\\\"", null, true]'
>>> refuse_clauses(lex("MATCH (n) DELETE n", {}))
Traceback (most recent call last):
...
kg.errors.QueryError: DELETE is not supported on the NetworkX store; run it on Neo4j (--neo4j-uri) or rewrite it
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Any, NamedTuple

from kg.errors import QueryError

__all__ = ["PLAIN_NAME", "Token", "gc_value", "lex", "literal", "parse_error", "refuse_clauses", "unsupported"]

PLAIN_NAME = re.compile(r"[A-Za-z_]\w*")  # a label, type or key grand-cypher reads unquoted
_LEX = re.compile(
    r"""(?P<ws>\s+|//[^\n]*|/\*.*?\*/)
    | (?P<str>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
    | (?P<param>\$\w+)
    | (?P<num>\d+\.\d+(?:[eE][-+]?\d+)?|\d+[eE][-+]?\d+|\d+)
    | (?P<name>[^\W\d]\w*|`(?:[^`]|``)+`)
    | (?P<op><>|!=|<=|>=|=~|\.\.|->|<-|[-+*/%^=<>(){}\[\],.:|;])""",
    re.VERBOSE | re.DOTALL,
)
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)", re.DOTALL)
_ESCAPES = {"\\": "\\", "'": "'", '"': '"', "n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f"}
_REFUSED = {
    "optional": "OPTIONAL MATCH", "with": "WITH", "unwind": "UNWIND", "call": "CALL", "union": "UNION",
    "create": "CREATE", "merge": "MERGE", "set": "SET", "delete": "DELETE", "detach": "DETACH DELETE",
    "remove": "REMOVE", "load": "LOAD CSV", "foreach": "FOREACH", "shortestpath": "shortestPath",
    "allshortestpaths": "allShortestPaths", "exists": "EXISTS", "case": "CASE",
}


class Token(NamedTuple):
    """One token: its kind, its value (a Python value for literals) and where it is in the query."""

    kind: str  # "name", "qname" (`quoted`, never a keyword), "lit" or "op"
    value: Any
    start: int
    end: int


def lex(query: str, params: Mapping[str, object]) -> list[Token]:
    """The tokens of ``query``, its strings, numbers and ``$parameters`` read as values.

    Raises ``QueryError`` for a character outside Cypher, an unknown escape, a missing
    parameter or one of another type than string, number, boolean, null or a list of those.
    """
    tokens, pos = [], 0
    while pos < len(query):
        match = _LEX.match(query, pos)
        if match is None:
            raise parse_error(f"unexpected character {query[pos]!r}", query, pos)
        kind, text, start, pos = str(match.lastgroup), match.group(), match.start(), match.end()
        if kind == "str":
            tokens.append(Token("lit", _unescape(text[1:-1]), start, pos))
        elif kind == "param":
            tokens.append(Token("lit", _param(text[1:], params), start, pos))
        elif kind == "num":
            tokens.append(Token("lit", int(text) if text.isdigit() else float(text), start, pos))
        elif kind == "name" and text.startswith("`"):
            tokens.append(Token("qname", text[1:-1].replace("``", "`"), start, pos))
        elif kind != "ws":
            tokens.append(Token(kind, text, start, pos))
    return tokens


def _unescape(body: str) -> str:
    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        if len(code) > 1:
            return chr(int(code[1:], 16))
        if code not in _ESCAPES:
            raise QueryError(f"the query could not be parsed on the NetworkX store: unknown escape \\{code}")
        return _ESCAPES[code]

    return _ESCAPE.sub(one, body)


def _param(name: str, params: Mapping[str, object]) -> object:
    if name not in params:
        raise QueryError(f"missing parameter ${name}")
    value = params[name]
    for item in value if isinstance(value, (list, tuple)) else [value]:
        if not (item is None or isinstance(item, (str, int)) or (isinstance(item, float) and math.isfinite(item))):
            raise QueryError(
                f"parameter ${name}: a {type(item).__name__} cannot be used on the NetworkX store "
                "(strings, numbers, booleans, null and lists of those can)"
            )
    return list(value) if isinstance(value, (list, tuple)) else value


def literal(value: object) -> str:
    """``value`` (a string, number, boolean, null or a list of those) as a Cypher literal."""
    if isinstance(value, list):
        return "[" + ", ".join(literal(item) for item in value) + "]"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return repr(value)
    return json.dumps(value, ensure_ascii=False)


def parse_error(message: str, query: str, pos: int) -> QueryError:
    """The error for ``query`` failing to parse at offset ``pos``, with its line and column."""
    line, column = query.count("\n", 0, pos) + 1, pos - query.rfind("\n", 0, pos)
    return QueryError(f"the query could not be parsed on the NetworkX store: {message} (line {line}, column {column})")


def unsupported(what: str) -> QueryError:
    """The error for a construct outside the subset, ``what`` naming it."""
    return QueryError(f"{what} is not supported on the NetworkX store; run it on Neo4j (--neo4j-uri) or rewrite it")


def refuse_clauses(tokens: list[Token]) -> None:
    """Name the first clause keyword outside the subset; property keys, labels and map keys are not keywords."""
    for before, tok, after in zip([None, *tokens], tokens, [*tokens[1:], None]):
        word = str(tok.value).lower() if tok.kind == "name" else ""
        if word not in _REFUSED or (after is not None and after[:2] == ("op", ":")):
            continue
        if before is not None and before.kind == "op" and before.value in ".:|":
            continue
        if not (word == "with" and before is not None and str(before.value).lower() in ("starts", "ends")):
            raise unsupported(_REFUSED[word])


def gc_value(value: object) -> bool:
    """Whether grand-cypher reads ``literal(value)`` as ``value`` (strings, whole and finite numbers)."""
    return isinstance(value, str) or type(value) is int or (type(value) is float and math.isfinite(value))


"""Pattern semantics of Neo4j on the embedded engine: distinct relationships, trails, label tests.

Within one ``MATCH``, Neo4j never binds two relationship patterns to the same
relationship, and a variable-length pattern follows each relationship at most
once (a trail). The embedded engine allows both repetitions unless told, so:

* every variable-length pattern gets the engine's ``TRAIL`` keyword (and an
  upper bound as high as the paths can be long);
* two relationship patterns of one ``MATCH`` that could match the same
  relationship (their types overlap) get a predicate that tells them apart;
* ``n:Label`` in an expression (the engine has no label test there) becomes a
  test of ``label(n)``.

Examples
--------
>>> from kg.graphs.cypher_tokens import text, tokenize
>>> tokens = tokenize("MATCH (a)-->(m)<--(b) RETURN b")
>>> _ = distinct_relationships(tokens, 0, len(tokens), 30)
>>> text(tokens)
'MATCH (a)-[kg__r1]->(m)<-[kg__r2]-(b) WHERE kg__r1 <> kg__r2 RETURN b'
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.errors import QueryError
from kg.graphs.cypher_tokens import Token, closing
from kg.graphs.dialect_clauses import Clause, Relationship, clauses, relationships, subquery_blocks

__all__ = ["HIDDEN_PREFIX", "distinct_relationships", "label_tests", "path_lists", "refuse_label_conjunctions", "trails"]

HIDDEN_PREFIX = "kg__"
"""Names the translation adds start with this; result columns of that name are dropped."""


@dataclass
class _Rel:
    variable: str
    types: frozenset[str] | None
    variable_length: bool


def distinct_relationships(tokens: list[Token], start: int, end: int, max_depth: int) -> set[str]:
    """Rewrite every ``MATCH`` of ``tokens[start:end]`` (and of its subqueries) in place; return the
    variables of variable-length relationships (and a hidden name, if names were added)."""
    found: set[str] = set()
    _rewrite_block(tokens, start, end, [0], max_depth, found)
    return found


def _rewrite_block(tokens: list[Token], start: int, end: int, counter: list[int], max_depth: int,
                   found: set[str]) -> bool:
    added = False
    for begin, stop in reversed(list(subquery_blocks(tokens, start, end))):
        before = len(tokens)
        added |= _rewrite_block(tokens, begin, stop, counter, max_depth, found)
        end += len(tokens) - before
    parts = clauses(tokens, start, end)
    for position in reversed(range(len(parts))):
        clause = parts[position]
        if clause.keyword not in ("MATCH", "OPTIONAL"):
            continue
        following = parts[position + 1] if position + 1 < len(parts) else None
        where = following if following is not None and following.keyword == "WHERE" else None
        added |= _rewrite_match(tokens, clause.body, clause.end, where, counter, max_depth, found)
    return added


def _rewrite_match(tokens: list[Token], start: int, end: int, where: Clause | None, counter: list[int],
                   max_depth: int, found_paths: set[str]) -> bool:
    found = list(relationships(tokens, start, end))
    rels = [_read(tokens, rel) for rel in found]
    found_paths.update(r.variable for r in rels if r.variable_length and r.variable)
    pairs = _pairs(rels)
    named = {index for pair in pairs for index in pair if not rels[index].variable}
    for index in sorted(named):
        counter[0] += 1
        rels[index].variable = f"{HIDDEN_PREFIX}r{counter[0]}"
    conditions = [_condition(rels[a], rels[b]) for a, b in pairs]
    shift = 0
    for index in reversed(range(len(found))):
        rel = found[index]
        before = len(tokens)
        _rewrite(tokens, rel, rels[index].variable if index in named else "", max_depth)
        shift += len(tokens) - before
    if not conditions:
        return False
    predicate = " AND ".join(conditions)
    if where is not None:
        body = where.body + shift
        tokens.insert(body, Token("op", "(", " "))
        tokens.insert(where.end + shift + 1, Token("word", f") AND {predicate}", ""))
    else:
        tokens.insert(end + shift, Token("word", f"WHERE {predicate}", " "))
    return bool(named)


def _read(tokens: list[Token], rel: Relationship) -> _Rel:
    """What a relationship pattern says: its variable (``""`` if none), its types, whether it has a length."""
    if rel.group is None:
        return _Rel("", None, False)
    open_at, close_at = rel.group
    inner = tokens[open_at + 1: close_at]
    variable = inner[0].name if inner and inner[0].is_name() else ""
    star = any(t.kind == "op" and t.text == "*" for t in inner)
    return _Rel(variable, _types(inner), star)


def _rewrite(tokens: list[Token], rel: Relationship, name: str, max_depth: int) -> None:
    """Give the pattern the name ``name`` (when it had none and needs one) and trail semantics."""
    if rel.group is None:
        if name:
            tokens[rel.start + 1: rel.start + 1] = [Token("op", "["), Token("word", name), Token("op", "]")]
        return
    open_at, close_at = rel.group
    inner = tokens[open_at + 1: close_at]
    star = next((i for i, t in enumerate(inner) if t.kind == "op" and t.text == "*"), None)
    if star is not None:
        _trail(tokens, open_at + 1 + star, close_at, max_depth)
    if name:
        tokens.insert(open_at + 1, Token("word", name))


def _pairs(rels: list[_Rel]) -> list[tuple[int, int]]:
    """The pairs of relationship patterns that could match one relationship (their types overlap)."""
    found = []
    for i, first in enumerate(rels):
        for j in range(i + 1, len(rels)):
            second = rels[j]
            if first.types is not None and second.types is not None and not first.types & second.types:
                continue
            if first.variable_length and second.variable_length:
                raise QueryError("two variable-length relationships that may share a relationship in one MATCH "
                                 "are not supported on the embedded store; split them into two MATCH clauses")
            found.append((i, j))
    return found


def _condition(first: _Rel, second: _Rel) -> str:
    if first.variable_length or second.variable_length:
        path, one = (first, second) if first.variable_length else (second, first)
        return (f"NOT list_contains(list_transform(rels({_q(path.variable)}), {HIDDEN_PREFIX}x -> id({HIDDEN_PREFIX}x)), "
                f"id({_q(one.variable)}))")
    return f"{_q(first.variable)} <> {_q(second.variable)}"


def _types(inner: list[Token]) -> frozenset[str] | None:
    names: set[str] = set()
    index = 0
    while index < len(inner) and not (inner[index].kind == "op" and inner[index].text in ("*", "{")):
        token = inner[index]
        if token.kind == "op" and token.text in (":", "|") and index + 1 < len(inner):
            following = inner[index + 1]
            if following.is_name():
                names.add(following.name)
        if token.kind == "op" and token.text in ("&", "!", "%"):
            raise QueryError("relationship type expressions other than A|B are not supported on the embedded store")
        index += 1
    return frozenset(names) if names else None


def _trail(tokens: list[Token], star: int, close_at: int, max_depth: int) -> None:
    """``*``, ``*2``, ``*1..3``, ``*..3``, ``*2..`` -> the engine's ``* TRAIL low..high``."""
    rest = tokens[star + 1: close_at]
    if any(t.kind == "op" and t.text == "{" for t in rest):
        raise QueryError("property maps on variable-length relationships are not supported on the embedded "
                         "store; filter the path's relationships in WHERE instead")
    numbers = [t for t in rest if t.kind == "number"]
    ranged = any(t.kind == "op" and t.text == ".." for t in rest)
    low, high = "1", str(max_depth)
    if numbers and not ranged:
        low = high = numbers[0].text
    elif ranged:
        dots = next(i for i, t in enumerate(rest) if t.text == "..")
        low = rest[dots - 1].text if dots > 0 and rest[dots - 1].kind == "number" else "1"
        after = rest[dots + 1] if dots + 1 < len(rest) else None
        high = after.text if after is not None and after.kind == "number" else str(max_depth)
    if int(high) > max_depth:
        raise QueryError(f"variable-length patterns longer than {max_depth} are not followed on the embedded store")
    tail = [t for t in rest if not (t.kind == "number" or t.text == "..")]
    tokens[star + 1: close_at] = [Token("word", f"TRAIL {low}..{high}", " "), *tail]


def _q(name: str) -> str:
    return name if name.isidentifier() else "`" + name.replace("`", "``") + "`"


def trails(tokens: list[Token], max_depth: int) -> None:
    """Give every variable-length relationship outside a ``MATCH`` (pattern predicates) trail semantics."""
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.kind == "op" and token.text == "[" and index > 0 and tokens[index - 1].text in ("-", "<-"):
            stop = closing(tokens, index)
            inner = tokens[index + 1: stop]
            star = next((i for i, t in enumerate(inner) if t.kind == "op" and t.text == "*"), None)
            already = any(t.kind == "word" and t.text.startswith("TRAIL") for t in inner)
            if star is not None and not already and stop + 1 < len(tokens) and tokens[stop + 1].text in ("-", "->"):
                _trail(tokens, index + 1 + star, stop, max_depth)
        index += 1


def label_tests(tokens: list[Token], params: dict[str, object]) -> None:
    """``n:A`` -> ``label(n) IN ['A']`` where it is an expression (not in a node pattern or a map)."""
    index = 1
    counter = 0
    while index + 1 < len(tokens):
        token = tokens[index]
        if token.kind == "op" and token.text == ":" and tokens[index - 1].is_name() and tokens[index + 1].is_name() \
                and _in_expression(tokens, index):
            names = [tokens[index + 1].name]
            stop = index + 2
            conjunction = False
            while stop + 1 < len(tokens) and tokens[stop].kind == "op" and tokens[stop].text in (":", "|") \
                    and tokens[stop + 1].is_name():
                conjunction |= tokens[stop].text == ":"
                names.append(tokens[stop + 1].name)
                stop += 2
            counter += 1
            key = f"{HIDDEN_PREFIX}labels{counter}"
            params[key] = names
            variable = tokens[index - 1]
            test = f"ALL({HIDDEN_PREFIX}l IN ${key} WHERE label({variable.text}) = {HIDDEN_PREFIX}l)" if conjunction \
                else f"label({variable.text}) IN ${key}"
            tokens[index - 1: stop] = [Token("word", f"({test})", variable.space)]
            continue
        index += 1


def _in_expression(tokens: list[Token], colon: int) -> bool:
    """Is the ``:`` at ``colon`` a label test, rather than a node pattern's label or a map key's colon?"""
    depth = 0
    for index in range(colon - 1, -1, -1):
        token = tokens[index]
        if token.kind != "op":
            continue
        if token.text in (")", "]", "}"):
            depth += 1
        elif token.text in ("(", "[", "{"):
            if depth == 0:
                if token.text == "{":
                    return False
                if token.text == "(":
                    return not _is_node_pattern(tokens, index)
                return not (index > 0 and tokens[index - 1].kind == "op" and tokens[index - 1].text in ("-", "<-"))
            depth -= 1
    return True


def _is_node_pattern(tokens: list[Token], open_at: int) -> bool:
    stop = closing(tokens, open_at)
    before = tokens[open_at - 1] if open_at > 0 else None
    after = tokens[stop + 1] if stop + 1 < len(tokens) else None
    if before is not None and before.kind == "op" and before.text in ("-", "->"):
        return True
    if after is not None and after.kind == "op" and after.text in ("-", "<-"):
        return True
    if before is not None and before.kind == "word" and before.upper in ("MATCH", "MERGE", "CREATE"):
        return True
    return before is not None and before.text == "," and _in_pattern_clause(tokens, open_at)


def _in_pattern_clause(tokens: list[Token], index: int) -> bool:
    depth = 0
    for back in range(index - 1, -1, -1):
        token = tokens[back]
        if token.kind == "op" and token.text in (")", "]", "}"):
            depth += 1
        elif token.kind == "op" and token.text in ("(", "[", "{"):
            if depth == 0:
                return False
            depth -= 1
        elif depth == 0 and token.kind == "word" and token.upper in ("MATCH", "MERGE", "CREATE"):
            return True
        elif depth == 0 and token.kind == "word" and token.upper in ("WHERE", "RETURN", "WITH", "UNWIND"):
            return False
    return False


def refuse_label_conjunctions(tokens: list[Token]) -> None:
    """A node pattern with two labels (``(n:A:B)``) matches nothing here, where a node has one label;
    the engine would read it as either label, so it is refused."""
    for index in range(1, len(tokens) - 3):
        if tokens[index].text == ":" and tokens[index + 1].is_name() and tokens[index + 2].text == ":" \
                and tokens[index + 3].is_name() and tokens[index].kind == "op" and not _in_expression(tokens, index):
            raise QueryError("a node pattern with two labels (n:A:B) is not supported on the embedded store")


def path_lists(tokens: list[Token], names: set[str]) -> None:
    """A variable-length relationship's variable, outside its pattern, stands for the list of its
    relationships (as in Neo4j): ``e`` -> ``rels(e)``."""
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.kind == "op" and token.text == "[" and index > 0 and tokens[index - 1].text in ("-", "<-"):
            index = closing(tokens, index) + 1
            continue
        before = tokens[index - 1] if index > 0 else None
        after = tokens[index + 1] if index + 1 < len(tokens) else None
        if token.is_name() and token.name in names and not (before is not None and before.text in (".", ":")) \
                and not (after is not None and after.text in ("(", ".")) and not (before is not None and before.upper == "AS"):
            token.kind, token.text = "word", f"rels({token.text})"
        index += 1

"""Neo4j's Cypher, as people write it, translated for the embedded engine (LadybugDB).

The engine runs the query; this module only rewrites the places where the two
dialects differ and the difference can be translated exactly, and refuses,
naming the construct, the places where it cannot. What it rewrites:

* ``type(r)`` -> ``label(r)``, ``labels(n)`` -> ``[label(n)]``, ``relationships(p)`` -> ``rels(p)``,
  ``split`` -> ``string_split``, ``head``/``last``, ``substring`` and list indexes and
  slices (0-based in Neo4j, 1-based in the engine), ``round(x)`` (half up), list
  comprehensions without ``WHERE`` (``list_transform``), ``n:Label`` tests;
* pattern semantics (:mod:`kg.graphs.dialect_patterns`): distinct relationships
  within a ``MATCH``, trails for variable-length patterns;
* result columns: an unaliased ``RETURN`` item is named by its text, as Neo4j names it;
* literals: strings are read with Neo4j's escapes and written with the engine's;
  property names and map keys are quoted (``r.count``).

Examples
--------
>>> t = translate("MATCH (p:Paper)-[r]->(d) WHERE d:Dataset RETURN type(r), p.title, count(*)", {})
>>> t.query
'MATCH (p:Paper)-[r]->(d) WHERE (label(d) IN $kg__labels1) RETURN label(r) AS `type(r)`, p.`title` AS `p.title`, count(*) AS `count(*)`'
>>> t.params
{'kg__labels1': ['Dataset']}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from kg.errors import QueryError
from kg.graphs.cypher_tokens import Token, closing, decode_string, text, tokenize
from kg.graphs.dialect_clauses import clauses, is_value_end, subquery_blocks
from kg.graphs.dialect_patterns import (
    HIDDEN_PREFIX,
    distinct_relationships,
    label_tests,
    path_lists,
    refuse_label_conjunctions,
    trails,
)

__all__ = ["HIDDEN_PREFIX", "Translation", "translate"]

_REFUSED_CLAUSES: dict[str, tuple[str, frozenset[str] | None]] = {
    "CALL": ("CALL (procedures and subqueries)", None),
    "LOAD": ("LOAD CSV", frozenset({"CSV"})),
    "USE": ("USE", None),
    "SHOW": ("SHOW commands", None),
    "TERMINATE": ("TERMINATE TRANSACTIONS", frozenset({"TRANSACTION", "TRANSACTIONS"})),
    "FOREACH": ("FOREACH", frozenset({"("})),
    "FINISH": ("FINISH", None),
    "START": ("START DATABASE", frozenset({"DATABASE"})),
    "STOP": ("STOP DATABASE", frozenset({"DATABASE"})),
    "CREATE": ("CREATE of a schema object", frozenset({"INDEX", "CONSTRAINT", "DATABASE", "USER", "ROLE",
                                                       "ALIAS", "COMPOSITE", "FULLTEXT", "TEXT", "RANGE",
                                                       "POINT", "LOOKUP", "VECTOR", "OR"})),
    "DROP": ("DROP", None), "ALTER": ("ALTER", None), "GRANT": ("GRANT", None), "DENY": ("DENY", None),
    "REVOKE": ("REVOKE", None), "EXPLAIN": ("EXPLAIN", None), "PROFILE": ("PROFILE", None),
}
"""Words that start a clause the embedded store refuses, with the words that must follow them
(``None``: any) for the clause to be that one (``start`` alone may name a variable)."""
_REFUSED_FUNCTIONS = {
    "ID": "id() (internal ids differ between engines: use n.id)", "ELEMENTID": "elementId() (use n.id)",
    "KEYS": "keys()", "PROPERTIES": "properties()", "STARTNODE": "startNode()", "ENDNODE": "endNode()",
    "REDUCE": "reduce()", "EXISTS": "exists() as a function (use a pattern, or IS NOT NULL)",
    "SHORTESTPATH": "shortestPath()", "ALLSHORTESTPATHS": "allShortestPaths()", "DATE": "date()",
    "DATETIME": "datetime()", "LOCALDATETIME": "localdatetime()", "TIME": "time()", "LOCALTIME": "localtime()",
    "DURATION": "duration()", "TIMESTAMP": "timestamp()", "TOINTEGER": "toInteger()", "TOFLOAT": "toFloat()",
    "TOSTRING": "toString()", "TOBOOLEAN": "toBoolean()", "TOINTEGERORNULL": "toIntegerOrNull()",
    "TOFLOATORNULL": "toFloatOrNull()", "TOSTRINGORNULL": "toStringOrNull()", "TOBOOLEANORNULL": "toBooleanOrNull()",
    "RANDOMUUID": "randomUUID()", "RAND": "rand()", "PERCENTILECONT": "percentileCont()",
    "PERCENTILEDISC": "percentileDisc()", "STDEV": "stDev()", "STDEVP": "stDevP()", "COUNT {": "COUNT { }",
}
_RENAMED = {"TYPE": "label", "RELATIONSHIPS": "rels", "SPLIT": "string_split"}


@dataclass(frozen=True)
class Translation:
    """The query for the engine, its parameters, and whether it added hidden names (see :data:`HIDDEN_PREFIX`)."""

    query: str
    params: dict[str, object] = field(default_factory=dict)
    hidden: bool = False


def translate(query: str, params: Mapping[str, object] | None = None, *, max_depth: int = 30) -> Translation:
    """Translate a Neo4j Cypher query for the embedded engine.

    ``max_depth`` bounds open variable-length patterns (``*``): a trail cannot be
    longer than the number of relationships, so a store passes that count.

    Raises ``QueryError`` naming a construct that cannot be translated exactly.
    """
    tokens = tokenize(query)
    extra: dict[str, object] = {}
    _refuse(tokens)
    refuse_label_conjunctions(tokens)
    _name_columns(tokens)
    _strings(tokens)
    _quote_names(tokens)
    _functions(tokens)
    label_tests(tokens, extra)
    _lists(tokens)
    paths = distinct_relationships(tokens, 0, len(tokens), max_depth)
    trails(tokens, max_depth)
    path_lists(tokens, {name for name in paths if not name.startswith(HIDDEN_PREFIX)})
    hidden = any(token.is_name() and token.name.startswith(HIDDEN_PREFIX) and token.kind == "word" for token in tokens)
    return Translation(text(tokens), {**dict(params or {}), **extra}, hidden)


def _refuse(tokens: list[Token]) -> None:
    for index, token in enumerate(tokens):
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if token.kind == "word" and token.upper in _REFUSED_CLAUSES and _starts_clause(tokens, index):
            what, followers = _REFUSED_CLAUSES[token.upper]
            if following is not None and (followers is None or following.upper in followers or following.text in followers):
                raise QueryError(f"{what} is not supported on the embedded store; use a Neo4j store for it")
        if token.kind == "word" and following is not None and following.text in ("(", "{"):
            key = token.upper if following.text == "(" else f"{token.upper} {{"
            if key in _REFUSED_FUNCTIONS and not (index > 0 and tokens[index - 1].text == "."):
                raise QueryError(f"{_REFUSED_FUNCTIONS[key]} is not supported on the embedded store")
            if following.text == "(" and index > 1 and tokens[index - 1].text == "." and tokens[index - 2].is_name():
                raise QueryError(f"procedures and namespaced functions ({tokens[index - 2].text}."
                                 f"{token.text}) are not supported on the embedded store")
        if token.kind == "op" and token.text == "{" and following is not None and following.text in (".", "*") \
                and index > 0 and tokens[index - 1].is_name():
            raise QueryError("map projections (n {.name}) are not supported on the embedded store")
        if token.kind == "number" and token.text.lower().startswith("0x"):
            raise QueryError("hexadecimal numbers are not supported on the embedded store")
        if token.kind == "op" and token.text == ":" and following is not None and following.kind == "op" \
                and following.text in ("!", "%", "("):
            raise QueryError("label expressions other than :A and :A|B are not supported on the embedded store")


def _starts_clause(tokens: list[Token], index: int) -> bool:
    """Is the word at ``index`` outside brackets (or directly inside subquery braces), and not a
    property name, a map key or an alias?"""
    before = tokens[index - 1] if index > 0 else None
    if before is not None and (before.text in (".", ":", "$") or before.upper == "AS"):
        return False
    depth = 0
    for token in tokens[:index]:
        if token.kind == "op" and token.text in "([":
            depth += 1
        elif token.kind == "op" and token.text in ")]":
            depth -= 1
    return depth == 0


def _name_columns(tokens: list[Token]) -> None:
    """Alias each unaliased RETURN item with its own text, the column name Neo4j gives it."""
    for clause in reversed(clauses(tokens, 0, len(tokens))):
        if clause.keyword != "RETURN":
            continue
        start = clause.body + (1 if clause.body < clause.end and tokens[clause.body].upper == "DISTINCT" else 0)
        items = _split(tokens, start, clause.end)
        for begin, stop in reversed(items):
            item = tokens[begin:stop]
            if not item or (len(item) == 1 and item[0].text == "*"):
                continue
            if len(item) >= 3 and item[-2].upper == "AS" and _top_level(tokens, begin, stop - 2):
                continue
            name = "`" + text(item).replace("`", "``") + "`"
            tokens[stop:stop] = [Token("word", "AS", " "), Token("quoted", name, " ")]


def _top_level(tokens: list[Token], start: int, index: int) -> bool:
    depth = 0
    for token in tokens[start:index]:
        if token.kind == "op" and token.text in "([{":
            depth += 1
        elif token.kind == "op" and token.text in ")]}":
            depth -= 1
    return depth == 0


def _split(tokens: list[Token], start: int, end: int) -> list[tuple[int, int]]:
    """The comma-separated parts of ``tokens[start:end]`` at its top level."""
    parts = []
    begin = start
    index = start
    while index < end:
        token = tokens[index]
        if token.kind == "op" and token.text in "([{":
            index = closing(tokens, index) + 1
            continue
        if token.kind == "op" and token.text == ",":
            parts.append((begin, index))
            begin = index + 1
        index += 1
    parts.append((begin, end))
    return parts


def _functions(tokens: list[Token]) -> None:
    index = len(tokens) - 2
    while index >= 0:
        token, following = tokens[index], tokens[index + 1]
        if token.kind == "word" and following.text == "(" and not (index > 0 and tokens[index - 1].text == "."):
            _function(tokens, index, token.upper)
        index -= 1


def _function(tokens: list[Token], index: int, name: str) -> None:
    open_at = index + 1
    stop = closing(tokens, open_at)
    args = [tokens[a:b] for a, b in _split(tokens, open_at + 1, stop)]
    space = tokens[index].space
    if name in _RENAMED:
        tokens[index].text = _RENAMED[name]
    elif name == "LABELS":
        tokens[index:stop + 1] = [Token("op", "[", space), Token("word", "label"), *tokens[open_at:stop + 1],
                                  Token("op", "]")]
    elif name in ("HEAD", "LAST") and len(args) == 1:
        listed = text(args[0])
        at = "1" if name == "HEAD" else f"size({listed})"
        tokens[index:stop + 1] = [Token("word", f"(CASE WHEN size({listed}) = 0 THEN NULL ELSE "
                                                f"list_extract({listed}, {at}) END)", space)]
    elif name == "SUBSTRING" and len(args) in (2, 3):
        source, begin = text(args[0]), text(args[1])
        length = text(args[2]) if len(args) == 3 else f"size({source})"
        tokens[index:stop + 1] = [Token("word", f"substring({source}, ({begin}) + 1, {length})", space)]
    elif name == "ROUND" and (len(args) == 1 or (len(args) == 2 and text(args[1]) == "0")):
        tokens[index:stop + 1] = [Token("word", f"floor(({text(args[0])}) + 0.5)", space)]
    elif name == "ROUND" and len(args) > 2:
        raise QueryError("round() with a rounding mode is not supported on the embedded store")


def _lists(tokens: list[Token]) -> None:
    """List indexes and slices (0-based -> 1-based) and list comprehensions."""
    index = len(tokens) - 1
    while index >= 0:
        token = tokens[index]
        if token.kind == "op" and token.text == "[" and not (index > 0 and tokens[index - 1].text in ("-", "<-")):
            stop = closing(tokens, index)
            inner = tokens[index + 1: stop]
            if index > 0 and is_value_end(tokens[index - 1]):
                tokens[index + 1: stop] = _index(inner)
            elif len(inner) >= 3 and inner[0].is_name() and inner[1].upper == "IN":
                tokens[index: stop + 1] = _comprehension(inner, token.space)
            elif inner and inner[0].text == "(" and any(t.text == "|" for t in inner):
                raise QueryError("pattern comprehensions ([(a)-->(b) | b.name]) are not supported on the embedded "
                                 "store; use OPTIONAL MATCH and collect()")
        index -= 1


def _index(inner: list[Token]) -> list[Token]:
    dots = [i for i, t in enumerate(inner) if t.kind == "op" and t.text == ".." and _top_level(inner, 0, i)]
    if dots:
        low, high = inner[: dots[0]], inner[dots[0] + 1:]
        if all(len(part) <= 1 and all(t.kind == "number" and t.text.isdigit() for t in part) for part in (low, high)):
            first = int(low[0].text) + 1 if low else 1
            return [Token("word", f"{first}:{high[0].text}" if high else f"{first}:")]
        raise QueryError("list slices other than [a..b] with whole numbers are not supported on the embedded store")
    if len(inner) == 1 and inner[0].kind == "number" and inner[0].text.isdigit():
        return [Token("number", str(int(inner[0].text) + 1))]
    if len(inner) == 1 and inner[0].kind == "string":
        return inner
    if len(inner) == 2 and inner[0].text == "-" and inner[1].kind == "number":
        return inner
    expression = text(inner)
    return [Token("word", f"CASE WHEN ({expression}) >= 0 THEN ({expression}) + 1 ELSE ({expression}) END")]


def _comprehension(inner: list[Token], space: str) -> list[Token]:
    """``[x IN list | f(x)]`` -> ``list_transform(list, x -> f(x))``. A comprehension with ``WHERE`` is
    refused: the engine's ``list_filter`` answers wrongly on rows that a ``WHERE`` left (measured)."""
    variable = inner[0].text
    rest = inner[2:]
    where = next((i for i, t in enumerate(rest) if t.upper == "WHERE" and _top_level(rest, 0, i)), None)
    if where is not None:
        raise QueryError("list comprehensions with WHERE ([x IN list WHERE ...]) are not supported on the embedded "
                         "store; use UNWIND list AS x WITH ... WHERE ... collect(x)")
    bar = next((i for i, t in enumerate(rest) if t.text == "|" and _top_level(rest, 0, i)), None)
    source = f"({text(rest[:bar if bar is not None else len(rest)])})"
    if bar is None:
        return [Token("word", source, space)]
    return [Token("word", f"list_transform({source}, {variable} -> {text(rest[bar + 1:])})", space)]


def _quote_names(tokens: list[Token]) -> None:
    """Property names after ``.`` and map keys, backtick-quoted (the engine reserves words like ``count``)."""
    braces = {start - 1 for start, _ in subquery_blocks(tokens, 0, len(tokens))}
    for index, token in enumerate(tokens):
        if token.kind == "word" and index > 1 and tokens[index - 1].text == "." and tokens[index - 1].kind == "op" \
                and is_value_end(tokens[index - 2]) and not (index + 1 < len(tokens) and tokens[index + 1].text == "("):
            token.kind, token.text = "quoted", "`" + token.text + "`"
        if token.kind == "op" and token.text == "{" and index not in braces:
            stop = closing(tokens, index)
            for begin, _ in _split(tokens, index + 1, stop):
                key = tokens[begin] if begin < stop else None
                if key is not None and key.kind == "word" and begin + 1 < stop and tokens[begin + 1].text == ":":
                    key.kind, key.text = "quoted", "`" + key.text + "`"


def _strings(tokens: list[Token]) -> None:
    """String literals read as Neo4j reads them, written as the engine reads them: the same value
    (parameters would be simpler, but the engine cannot use one inside a list predicate)."""
    for token in tokens:
        if token.kind == "string":
            token.text = engine_string(decode_string(token.text))


def engine_string(value: str) -> str:
    """A string literal of the engine's dialect holding ``value``.

    >>> print(engine_string("it's"))
    'it\\'s'
    """
    out = []
    for char in value:
        if char in "\\'":
            out.append("\\" + char)
        elif ord(char) < 32 or 0xD800 <= ord(char) <= 0xDFFF:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "'" + "".join(out) + "'"

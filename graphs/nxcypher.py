r"""Cypher on the embedded NetworkX store, with Neo4j's rows or a clear refusal.

:func:`run_cypher` answers a read-only subset of Cypher on the graph of
:class:`graphs.nxstore.NetworkXStore` with the rows Neo4j gives for the same
graph: columns named as Neo4j names them, a node as ``{**properties, "id": id}``,
a relationship as ``{**properties, "type": TYPE}``. Anything outside the subset
raises :class:`kg.errors.QueryError` naming the construct; nothing is silently
answered differently.

==========  ==================================================================
supported   ``MATCH`` (several clauses, comma-separated patterns), ``WHERE``,
            ``RETURN [DISTINCT] ... [AS name]``, ``ORDER BY ... [ASC|DESC]``,
            ``SKIP``, ``LIMIT``; labels ``(n:A|B)``, types ``[:T|U]``, property
            maps ``{k: v}``, ``-[*n]->`` and ``-[*m..n]->`` up to 5 hops;
            ``= <> < > <= >=``, ``AND OR XOR NOT``, ``IN [...]``, ``STARTS WITH``,
            ``ENDS WITH``, ``CONTAINS``, ``IS [NOT] NULL`` (with null logic);
            ``toLower toUpper trim size coalesce type labels``; ``count collect
            sum avg min max`` with implicit grouping
translated  ``'single-quoted'`` -> ``"double-quoted"``; ``$name`` -> a literal
            (string, number, boolean, null or a flat list of those)
refused     ``OPTIONAL MATCH``, ``WITH``, ``UNWIND``, ``CALL``, ``UNION``, writes
            (``CREATE MERGE SET DELETE DETACH REMOVE LOAD CSV FOREACH``),
            ``count(*)``, ``count(DISTINCT ...)``, open ``*`` / ``*2..``, ``*0..``,
            ``shortestPath``, undirected ``--`` / ``-[r]-``, arithmetic, ``id()``
            (use ``n.id``), ``=~``, ``CASE``, ``EXISTS``, pattern predicates,
            named paths, map literals, ``RETURN *``, other functions
==========  ==================================================================

grand-cypher 1.2.0 only finds pattern matches here: each MATCH clause goes to it
as one-hop ``MATCH`` lines that return node ids. WHERE, RETURN, aggregation,
DISTINCT, ORDER BY, SKIP and LIMIT run in this module, because grand-cypher's
own answers differ from Neo4j's: a missing property passes ``<>`` and ``NOT``,
LIMIT applies before aggregating, DISTINCT fails with an alias, a variable loses
its label when it appears again without it, a comparison of two properties
prunes candidates against the second one's *name*, and two variables of one
pattern never bind the same node (Neo4j binds them when no relationship would
repeat). So variable-length steps are expanded into fixed hops, each way of
merging pattern nodes runs as a pattern of its own, and separate MATCH clauses
are joined here.

Examples
--------
>>> import networkx as nx
>>> g = nx.DiGraph()
>>> g.add_node("paper:1", label="Paper", title="YOLOE")
>>> g.add_node("dataset:coco", label="Dataset", name="COCO")
>>> g.add_edge("paper:1", "dataset:coco", type="EVALUATES_ON", count=2)
>>> run_cypher(g, "MATCH (p:Paper)-[r]->(d:Dataset {name: $name}) RETURN p.title, type(r) AS role", {"name": "COCO"})
[{'p.title': 'YOLOE', 'role': 'EVALUATES_ON'}]
>>> print(translate("MATCH (d {name: 'COCO'}) WHERE d.name <> $n RETURN d", {"n": 'say "hi"'}))
MATCH (d {name: "COCO"}) WHERE d.name <> "say \"hi\"" RETURN d
"""

from __future__ import annotations

import itertools
import json
import math
import re
import weakref
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import networkx as nx
from grandcypher import GrandCypher
from lark.exceptions import LarkError

from kg.errors import QueryError

__all__ = ["run_cypher", "translate"]

Expr = tuple[Any, ...]  # ("lit", v) ("var", n) ("prop", e, k) ("list", [e]) ("call", f, [e]) ("agg", f, e) ("bin", op, a, b) ...
Row = dict[str, object]

_MAX_HOPS = 5
_MAX_RUNS = 64
_HIDDEN = "_kg"  # prefix of the names given to anonymous and intermediate pattern nodes
_PLAIN_NAME = re.compile(r"[A-Za-z_]\w*")
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
_CONSTANTS = {"true": True, "false": False, "null": None}
_REFUSED = {
    "optional": "OPTIONAL MATCH", "with": "WITH", "unwind": "UNWIND", "call": "CALL", "union": "UNION",
    "create": "CREATE", "merge": "MERGE", "set": "SET", "delete": "DELETE", "detach": "DETACH DELETE",
    "remove": "REMOVE", "load": "LOAD CSV", "foreach": "FOREACH", "shortestpath": "shortestPath",
    "allshortestpaths": "allShortestPaths", "exists": "EXISTS", "case": "CASE",
}
_OPERATORS = {"=~": "a regular expression (=~)", **{op: f"arithmetic ({op})" for op in "+-*/%^"}}


def run_cypher(graph: nx.DiGraph, query: str, params: Mapping[str, object] | None = None) -> list[dict[str, object]]:
    """Answer ``query`` on ``graph`` (a :meth:`NetworkXStore.networkx` graph) as Neo4j would.

    Parameters
    ----------
    graph:
        Nodes with a ``label`` attribute, edges with a ``type`` attribute, as the store keeps them.
    query:
        Cypher in the subset of the module docstring; ``$name`` refers to ``params``.
    params:
        Query parameters: strings, numbers, booleans, ``None`` and lists of those.

    Returns one dict per row, from column name to plain data; in ORDER BY order
    when the query has one, else in no particular order.

    Raises
    ------
    QueryError
        The query uses a construct outside the subset (named in the message), does not
        parse, names a missing parameter or applies a function to the wrong type.
    """
    tokens = _lex(query, params or {})
    _refuse_clauses(tokens)
    plan = _Parser(tokens, query).query()
    view = _view(graph)
    rows: list[Row] = [{}]
    for clause in plan.clauses:
        shared = sorted(set().union(*rows[:1]) & clause.variables)
        found: dict[tuple[object, ...], list[Row]] = defaultdict(list)
        for row in _match(view, clause):
            found[tuple(_key(row[name]) for name in shared)].append(row)
        rows = [{**a, **b} for a in rows for b in found.get(tuple(_key(a[name]) for name in shared), [])]
    rows = [row for row in rows if all(_boolean(_eval(where, row)) is True for where in plan.where)]
    table = _project(plan, rows)[plan.skip or 0 :][: plan.limit]
    return [{item.name: _plain(value) for item, value in zip(plan.items, values)} for values in table]


def translate(query: str, params: Mapping[str, object] | None = None) -> str:
    """``query`` with its strings double-quoted and its ``$parameters`` written in as literals.

    Text inside string literals is never touched. Raises ``QueryError`` for a missing
    parameter or one of another type than string, number, boolean, null or a list of those.
    """
    out, pos = [], 0
    for tok in _lex(query, params or {}):
        if tok.kind == "lit" and query[tok.start] in "'\"$":
            out += [query[pos : tok.start], _literal(tok.value)]
            pos = tok.end
    return "".join(out) + query[pos:]


# -- lexing and literals ----------------------------------------------------------------


class _Tok(NamedTuple):
    kind: str  # "name", "qname" (`quoted`, never a keyword), "lit" or "op"
    value: Any
    start: int
    end: int


def _lex(query: str, params: Mapping[str, object]) -> list[_Tok]:
    tokens, pos = [], 0
    while pos < len(query):
        match = _LEX.match(query, pos)
        if match is None:
            raise _parse_error(f"unexpected character {query[pos]!r}", query, pos)
        kind, text, start, pos = str(match.lastgroup), match.group(), match.start(), match.end()
        if kind == "str":
            tokens.append(_Tok("lit", _unescape(text[1:-1]), start, pos))
        elif kind == "param":
            tokens.append(_Tok("lit", _param(text[1:], params), start, pos))
        elif kind == "num":
            tokens.append(_Tok("lit", int(text) if text.isdigit() else float(text), start, pos))
        elif kind == "name" and text.startswith("`"):
            tokens.append(_Tok("qname", text[1:-1].replace("``", "`"), start, pos))
        elif kind != "ws":
            tokens.append(_Tok(kind, text, start, pos))
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


def _literal(value: object) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_literal(item) for item in value) + "]"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return repr(value)
    return json.dumps(value, ensure_ascii=False)


def _parse_error(message: str, query: str, pos: int) -> QueryError:
    line, column = query.count("\n", 0, pos) + 1, pos - query.rfind("\n", 0, pos)
    return QueryError(f"the query could not be parsed on the NetworkX store: {message} (line {line}, column {column})")


def _unsupported(what: str) -> QueryError:
    return QueryError(f"{what} is not supported on the NetworkX store; run it on Neo4j (--neo4j-uri) or rewrite it")


def _refuse_clauses(tokens: list[_Tok]) -> None:
    """Name the first clause keyword outside the subset; property keys, labels and map keys are not keywords."""
    for before, tok, after in zip([None, *tokens], tokens, [*tokens[1:], None]):
        word = str(tok.value).lower() if tok.kind == "name" else ""
        if word not in _REFUSED or (after is not None and after[:2] == ("op", ":")):
            continue
        if before is not None and before.kind == "op" and before.value in ".:|":
            continue
        if not (word == "with" and before is not None and str(before.value).lower() in ("starts", "ends")):
            raise _unsupported(_REFUSED[word])


# -- parsing ----------------------------------------------------------------------------


@dataclass
class _NodeSpec:
    labels: frozenset[str] | None = None  # None: any label
    props: dict[str, object] = field(default_factory=dict)

    def constrain(self, labels: frozenset[str] | None, props: Mapping[str, object]) -> _NodeSpec:
        if labels is not None:
            self.labels = labels if self.labels is None else self.labels & labels
        for key, value in props.items():
            if key in self.props and _key(self.props[key]) != _key(value):
                self.labels = frozenset()  # two values for one property: matches nothing
            self.props[key] = value
        return self


@dataclass(frozen=True)
class _Step:
    left: str
    right: str
    forward: bool
    types: frozenset[str] | None
    props: Mapping[str, object]
    var: str | None
    hops: tuple[int, int] | None  # None: one relationship, bound as itself rather than a list


@dataclass
class _Clause:
    nodes: dict[str, _NodeSpec] = field(default_factory=dict)
    steps: list[_Step] = field(default_factory=list)

    @property
    def variables(self) -> set[str]:
        return {n for n in self.nodes if not n.startswith(_HIDDEN)} | {s.var for s in self.steps if s.var}


class _Item(NamedTuple):
    name: str
    expr: Expr


@dataclass
class _Plan:
    clauses: list[_Clause]
    where: list[Expr]
    items: list[_Item]
    distinct: bool
    order: list[tuple[Expr, bool]]
    skip: int | None = None
    limit: int | None = None


class _Parser:
    """A recursive-descent parser for the supported subset (see the module docstring)."""

    def __init__(self, tokens: list[_Tok], query: str):
        self.tokens, self.text, self.pos = tokens, query, 0
        self.kinds: dict[str, str] = {}  # variable -> "node" or "rel"
        self.hidden = (f"{_HIDDEN}{n}" for n in itertools.count())
        self.rel_vars: set[str] = set()

    def peek(self, ahead: int = 0) -> _Tok | None:
        return self.tokens[self.pos + ahead] if self.pos + ahead < len(self.tokens) else None

    def is_op(self, *ops: str, ahead: int = 0) -> bool:
        tok = self.peek(ahead)
        return tok is not None and tok.kind == "op" and tok.value in ops

    def is_word(self, *words: str, ahead: int = 0) -> bool:
        tok = self.peek(ahead)
        return tok is not None and tok.kind == "name" and tok.value.lower() in words

    def is_name(self) -> bool:
        tok = self.peek()
        return tok is not None and tok.kind in ("name", "qname")

    def next(self) -> _Tok:
        tok = self.peek()
        if tok is None:
            raise _parse_error("unexpected end of query", self.text, len(self.text))
        self.pos += 1
        return tok

    def keyword(self, *words: str) -> bool:
        found = self.is_word(*words)
        self.pos += found
        return found

    def expect(self, op: str) -> None:
        if not self.is_op(op):
            raise self.error(f"expected {op!r}")
        self.pos += 1

    def error(self, message: str) -> QueryError:
        tok = self.peek()
        found = "the end" if tok is None else repr(self.text[tok.start : tok.end])
        return _parse_error(f"{message}, found {found}", self.text, len(self.text) if tok is None else tok.start)

    def name(self) -> str:
        if not self.is_name():
            raise self.error("expected a name")
        return str(self.next().value)

    def listed(self, parse: Callable[[], Any], end: str | None = None) -> list[Any]:
        """``parse`` repeated with commas between, up to ``end`` (taken) or the first missing comma."""
        items = [] if end is not None and self.is_op(end) else [parse()]
        while self.is_op(","):
            self.pos += 1
            items.append(parse())
        if end is not None:
            self.expect(end)
        return items

    def query(self) -> _Plan:
        clauses, where = [], []
        while self.keyword("match"):
            clauses.append(_Clause())
            self.listed(lambda: self.path(clauses[-1]))
            if self.keyword("where"):
                where.append(self.expression())
        if not clauses or not self.keyword("return"):
            raise self.error("expected MATCH" if not clauses else "expected MATCH, WHERE or RETURN")
        distinct = self.keyword("distinct")
        if self.is_op("*"):
            raise _unsupported("RETURN *")
        items, order = self.listed(self.item), []
        if self.keyword("order"):
            if not self.keyword("by"):
                raise self.error("expected BY")
            order = self.listed(self.order_item)
        plan = _Plan(clauses, where, items, distinct, order, self.count("skip"), self.count("limit"))
        self.pos += self.is_op(";")
        if self.peek() is not None:
            raise self.error("unexpected text after the query")
        _check(plan, set(self.kinds))
        _push_equalities(plan, self.kinds)
        return plan

    def item(self) -> _Item:
        start = self.pos
        expr = self.expression()
        text = self.text[self.tokens[start].start : self.tokens[self.pos - 1].end]
        return _Item(self.name() if self.keyword("as") else text, expr)

    def order_item(self) -> tuple[Expr, bool]:
        expr, descending = self.expression(), self.is_word("desc", "descending")
        self.keyword("asc", "ascending", "desc", "descending")
        return expr, descending

    def count(self, word: str) -> int | None:
        if not self.keyword(word):
            return None
        tok = self.peek()
        if tok is None or tok.kind != "lit" or type(tok.value) is not int:
            raise self.error(f"{word.upper()} needs a whole number")
        self.pos += 1
        return int(tok.value)

    # -- patterns

    def path(self, clause: _Clause) -> None:
        if self.is_op("=", ahead=1):
            raise _unsupported("a named path (p = ...)")
        left = self.node(clause)
        while self.is_op("-", "<-"):
            clause.steps.append(self.step(left, clause))
            left = clause.steps[-1].right

    def variable(self, kind: str) -> str:
        name = self.name()
        if name.startswith(_HIDDEN):
            raise self.error(f"names starting with {_HIDDEN} are reserved")
        if self.kinds.setdefault(name, kind) != kind:
            raise QueryError(f"{name} is used both as a node and as a relationship")
        return name

    def node(self, clause: _Clause) -> str:
        self.expect("(")
        var = self.variable("node") if self.is_name() else next(self.hidden)
        labels = self.labels()
        props = self.properties() if self.is_op("{") else {}
        self.expect(")")
        clause.nodes.setdefault(var, _NodeSpec()).constrain(labels, props)
        return var

    def step(self, left: str, clause: _Clause) -> _Step:
        backward, var, types, props, hops = self.next().value == "<-", None, None, {}, None
        if self.is_op("["):
            self.pos += 1
            if self.is_name():
                if (var := self.variable("rel")) in self.rel_vars:
                    raise _unsupported(f"a relationship variable used twice ({var})")
                self.rel_vars.add(var)
            types = self.labels()
            hops = self.hops() if self.is_op("*") else None
            props = self.properties() if self.is_op("{") else {}
            self.expect("]")
        if not self.is_op("->", "-"):
            raise self.error("expected '->' or '-'")
        forward = self.next().value == "->"
        if forward == backward:
            what = "a relationship pattern with two arrows" if forward else "an undirected relationship pattern (--, -[r]-)"
            raise _unsupported(what)
        return _Step(left, self.node(clause), forward, types, props, var, hops)

    def labels(self) -> frozenset[str] | None:
        allowed: frozenset[str] | None = None
        while self.is_op(":"):
            self.pos += 1
            group = {self.name()}
            while self.is_op("|"):
                self.pos += 1 + self.is_op(":", ahead=1)
                group.add(self.name())
            allowed = frozenset(group) if allowed is None else allowed & group
        if allowed and not all(_PLAIN_NAME.fullmatch(name) for name in allowed):
            raise _unsupported(f"the label or type {sorted(allowed)} (only plain names)")
        return allowed

    def hops(self) -> tuple[int, int]:
        self.pos += 1
        low = high = int(self.next().value) if self.is_int() else None
        if self.is_op(".."):
            self.pos += 1
            if not self.is_int():
                raise _unsupported(f"an open-ended variable-length pattern (*{'' if low is None else low}..)")
            low, high = 1 if low is None else low, int(self.next().value)
        if low is None or high is None:
            raise _unsupported("an open-ended variable-length pattern (*)")
        if low == 0 or high > _MAX_HOPS:
            raise _unsupported(f"a variable-length pattern of {low}..{high} hops (1 to {_MAX_HOPS} are)")
        return low, high

    def is_int(self) -> bool:
        tok = self.peek()
        return tok is not None and tok.kind == "lit" and type(tok.value) is int

    def properties(self) -> dict[str, object]:
        self.expect("{")
        pairs: list[tuple[str, Expr]] = self.listed(self.pair, "}")
        if any(part[0] in ("var", "agg") for _, value in pairs for part in _walk(value)):
            raise _unsupported("a property map that refers to a variable")
        return {key: _eval(value, {}) for key, value in pairs}

    def pair(self) -> tuple[str, Expr]:
        key = self.name()
        self.expect(":")
        return key, self.expression()

    # -- expressions

    def expression(self, level: int = 0) -> Expr:
        if level == 3:
            return ("not", self.expression(3)) if self.keyword("not") else self.comparison()
        word = ("or", "xor", "and")[level]
        left = self.expression(level + 1)
        while self.keyword(word):
            left = (word, left, self.expression(level + 1))
        return left

    def comparison(self) -> Expr:
        left, tok = self.operand(), self.peek()
        if tok is not None and self.is_op("=", "<>", "!=", "<", ">", "<=", ">="):
            self.pos += 1
            return ("bin", "<>" if tok.value == "!=" else tok.value, left, self.operand())
        if self.keyword("is"):
            negated = self.keyword("not")
            if not self.keyword("null"):
                raise self.error("expected NULL")
            return ("not", ("null", left)) if negated else ("null", left)
        for words in (("in",), ("contains",), ("starts", "with"), ("ends", "with")):
            if all(self.is_word(word, ahead=i) for i, word in enumerate(words)):
                self.pos += len(words)
                return ("bin", words[0], left, self.operand())
        return left

    def operand(self) -> Expr:
        expr = self.atom()
        if self.is_op("->", "<-") or self.is_op("-") and self.is_op("-", "[", "->", ahead=1):
            raise _unsupported("a pattern in an expression (use another MATCH)")
        if self.is_op("[", ":"):
            raise _unsupported("list indexing (x[i])" if self.is_op("[") else "a label test in an expression (n:Label)")
        tok = self.peek()
        if tok is not None and tok.kind == "op" and tok.value in _OPERATORS:
            raise _unsupported(_OPERATORS[tok.value])
        return expr

    def atom(self) -> Expr:
        tok = self.next()
        if tok.kind == "lit":
            return ("lit", tok.value)
        if tok.kind == "op" and tok.value == "(":
            inner = self.expression()
            self.expect(")")
            return inner
        if tok.kind == "op" and tok.value == "[":
            return ("list", self.listed(self.expression, "]"))
        if tok.kind == "op" and tok.value == "-" and self.is_number():
            return ("lit", -self.next().value)
        if tok.kind == "op":
            self.pos -= 1
            if tok.value == "{" or tok.value in _OPERATORS:
                raise _unsupported("a map literal" if tok.value == "{" else _OPERATORS[tok.value])
            raise self.error("expected a value")
        if tok.kind == "name" and tok.value.lower() in _CONSTANTS:
            return ("lit", _CONSTANTS[tok.value.lower()])
        if self.is_op("("):
            return self.call(str(tok.value))
        expr: Expr = ("var", tok.value)
        while self.is_op("."):
            self.pos += 1
            expr = ("prop", expr, self.name())
        return expr

    def is_number(self) -> bool:
        tok = self.peek()
        return tok is not None and tok.kind == "lit" and type(tok.value) in (int, float)

    def call(self, function: str) -> Expr:
        name = function.lower()
        self.pos += 1
        if name in _AGGREGATES and (self.is_op("*") or self.is_word("distinct")):
            raise _unsupported(f"{function}(*)" if self.is_op("*") else f"{function}(DISTINCT ...)")
        if name == "id":
            raise _unsupported("id() (Neo4j's internal id; n.id is the node's own id)")
        if name not in _AGGREGATES and name not in _FUNCTIONS:
            raise _unsupported(f"the function {function}()")
        args = self.listed(self.expression, ")")
        if len(args) != 1 and not (name == "coalesce" and args):
            raise QueryError(f"{function}() takes {'at least ' if name == 'coalesce' else ''}one argument")
        return ("agg", name, args[0]) if name in _AGGREGATES else ("call", name, args)


def _walk(expr: Expr) -> Iterator[Expr]:
    yield expr
    for part in expr[1:]:
        for child in part if isinstance(part, list) else [part]:
            if isinstance(child, tuple):
                yield from _walk(child)


def _check(plan: _Plan, variables: set[str]) -> None:
    """Refuse misplaced aggregates and unknown variables, as Neo4j does."""
    names = [item.name for item in plan.items]
    if len(set(names)) < len(names):
        raise QueryError("two RETURN columns have the same name; give one of them an AS name")
    returned = [item.expr for item in plan.items]
    aggregating = any(expr[0] == "agg" for expr in returned)
    scope = set(names) | (set() if aggregating or plan.distinct else variables)
    checks = [(expr, variables) for expr in plan.where + returned] + [(e, scope) for e, _ in plan.order if e not in returned]
    for expr, allowed in checks:
        inner = list(_walk(expr[2] if expr[0] == "agg" and expr in returned else expr))
        if any(part[0] == "agg" for part in inner):
            raise _unsupported("an aggregate inside an expression, in WHERE or in ORDER BY but not in RETURN")
        unknown = sorted({part[1] for part in inner if part[0] == "var"} - allowed)
        if unknown:
            after = " (after DISTINCT or an aggregate, ORDER BY sees only the returned columns)"
            after = after if unknown[0] in variables else ""
            raise QueryError(f"unknown variable {unknown[0]}{after}")


def _push_equalities(plan: _Plan, kinds: dict[str, str]) -> None:
    """Give grand-cypher ``n.key = literal`` conjuncts as property maps, so it can prune by index.

    WHERE still runs on every row afterwards; this only narrows what is matched.
    """
    todo = list(plan.where)
    while todo:
        expr = todo.pop()
        if expr[0] == "and":
            todo += [expr[1], expr[2]]
        elif expr[:2] == ("bin", "=") and sorted([expr[2][0], expr[3][0]]) == ["lit", "prop"]:
            prop, lit = (expr[2], expr[3]) if expr[2][0] == "prop" else (expr[3], expr[2])
            if prop[1][0] == "var" and kinds.get(prop[1][1]) == "node" and _gc_value(lit[1]):
                for clause in plan.clauses:
                    if prop[1][1] in clause.nodes:
                        clause.nodes[prop[1][1]].constrain(None, {prop[2]: lit[1]})


def _gc_value(value: object) -> bool:
    return isinstance(value, str) or type(value) is int or (type(value) is float and math.isfinite(value))


# -- matching ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Node:
    id: str
    label: str = field(compare=False)
    props: Mapping[str, object] = field(compare=False, repr=False)


@dataclass(frozen=True)
class _Rel:
    source: str
    target: str
    type: str = field(compare=False)
    props: Mapping[str, object] = field(compare=False, repr=False)


class _Hop(NamedTuple):
    source: str
    target: str
    types: frozenset[str] | None
    props: Mapping[str, object]


class _View:
    """The graph as grand-cypher reads it (``__labels__`` sets, an ``id``), and its node values."""

    def __init__(self, graph: nx.DiGraph):
        self.graph = nx.DiGraph()
        self.graph.add_nodes_from(
            (key, {**attrs, "id": key, "__labels__": {attrs.get("label")}}) for key, attrs in graph.nodes(data=True)
        )
        self.graph.add_edges_from(
            (s, t, {**attrs, "__labels__": {attrs.get("type")}}) for s, t, attrs in graph.edges(data=True)
        )
        self.dag = nx.is_directed_acyclic_graph(graph)
        self.nodes: dict[str, _Node] = {}

    def node(self, key: str) -> _Node:
        if key not in self.nodes:
            attrs = self.graph.nodes[key]
            props = {k: v for k, v in attrs.items() if k not in ("label", "__labels__")}
            self.nodes[key] = _Node(key, attrs.get("label"), props)
        return self.nodes[key]

    def rel(self, source: str, target: str) -> _Rel:
        attrs = self.graph.edges[source, target]
        return _Rel(source, target, attrs.get("type"), {k: v for k, v in attrs.items() if k not in ("type", "__labels__")})


_VIEWS: dict[int, tuple[weakref.ref[nx.DiGraph], tuple[int, int], _View]] = {}


def _view(graph: nx.DiGraph) -> _View:
    """The query view of ``graph``, cached by the graph's identity and its node and edge counts."""
    size = (graph.number_of_nodes(), graph.number_of_edges())
    cached = _VIEWS.get(id(graph))
    if cached is not None and cached[0]() is graph and cached[1] == size:
        return cached[2]
    for key in [key for key, (ref, _, _) in _VIEWS.items() if ref() is None]:
        del _VIEWS[key]
    view = _View(graph)
    _VIEWS[id(graph)] = (weakref.ref(graph), size, view)
    return view


def _match(view: _View, clause: _Clause) -> list[Row]:
    """Every binding of the clause's variables, as Neo4j finds them (nodes may repeat, relationships not).

    grand-cypher never maps two pattern nodes to one graph node, so every way of merging
    pattern nodes that could match runs as a pattern of its own.
    """
    rows, runs = [], 0
    for hops, rels, specs in _expansions(clause):
        for blocks in _partitions(list(specs), specs, hops, view.dag):
            runs += 1
            if runs > _MAX_RUNS:
                raise _unsupported("a pattern this loose (give its nodes labels)")
            for ids in _find(view, blocks, specs, hops):
                nodes = {name: view.node(ids[i]) for i, block in enumerate(blocks) for name in block}
                edges = [view.rel(nodes[hop.source].id, nodes[hop.target].id) for hop in hops]
                if all(_fits(nodes[n], specs[n].labels, specs[n].props) for n in specs) and all(
                    _fits(edge, hop.types, hop.props) for edge, hop in zip(edges, hops)
                ):
                    row: Row = {name: node for name, node in nodes.items() if not name.startswith(_HIDDEN)}
                    row.update((var, [edges[i] for i in at] if isinstance(at, list) else edges[at]) for var, at in rels.items())
                    rows.append(row)
    return rows


def _expansions(clause: _Clause) -> Iterator[tuple[list[_Hop], dict[str, int | list[int]], dict[str, _NodeSpec]]]:
    """The clause as one-hop patterns, one per combination of variable lengths: hops, where each
    relationship variable's hops are, and the node constraints (intermediate nodes have none)."""
    for lengths in itertools.product(*(range(s.hops[0], s.hops[1] + 1) if s.hops else [1] for s in clause.steps)):
        hops: list[_Hop] = []
        rels: dict[str, int | list[int]] = {}
        specs = dict(clause.nodes)
        for step, length in zip(clause.steps, lengths):
            inner = [f"{_HIDDEN}m{len(specs) + k}" for k in range(length - 1)]
            specs.update((name, _NodeSpec()) for name in inner)
            chain = [step.left, *inner, step.right]
            if step.var:
                rels[step.var] = list(range(len(hops), len(hops) + length)) if step.hops else len(hops)
            for a, b in zip(chain, chain[1:]):
                hops.append(_Hop(a, b, step.types, step.props) if step.forward else _Hop(b, a, step.types, step.props))
        yield hops, rels, specs


def _partitions(names: list[str], specs: dict[str, _NodeSpec], hops: list[_Hop], dag: bool) -> list[list[list[str]]]:
    """The ways to merge pattern nodes into graph nodes that could match, built name by name.

    A merge is kept while the merged nodes' labels and properties agree, no two hops
    join the same pair of nodes (that would be one relationship twice) and, when the
    graph has no cycle, the merged pattern has none either.
    """
    if any(specs[name].labels == frozenset() for name in names):
        return []
    parts: list[list[list[str]]] = [[]]
    for name in names:
        grown = []
        for old in parts:
            grown.append([*old, [name]])
            grown += [[*old[:i], [*block, name], *old[i + 1 :]] for i, block in enumerate(old)
                      if _merged([*block, name], specs).labels != frozenset()]
        parts = [part for part in grown if _possible(part, hops, dag)]
    return parts


def _possible(part: list[list[str]], hops: list[_Hop], dag: bool) -> bool:
    index = {name: i for i, block in enumerate(part) for name in block}
    ends = [(index[h.source], index[h.target]) for h in hops if h.source in index and h.target in index]
    return len(set(ends)) == len(ends) and not (dag and not nx.is_directed_acyclic_graph(nx.DiGraph(ends)))


def _merged(block: list[str], specs: dict[str, _NodeSpec]) -> _NodeSpec:
    merged = _NodeSpec()
    for name in block:
        merged.constrain(specs[name].labels, specs[name].props)
    return merged


def _find(view: _View, blocks: list[list[str]], specs: dict[str, _NodeSpec], hops: list[_Hop]) -> list[list[str]]:
    """Node ids, one per block, of grand-cypher's matches of the merged pattern, all different."""
    index = {name: i for i, block in enumerate(blocks) for name in block}
    merged = [_merged(block, specs) for block in blocks]

    def node(i: int) -> str:
        labels = ":" + "|".join(sorted(merged[i].labels or ())) if merged[i].labels else ""
        props = ", ".join(f"{k}: {_literal(v)}" for k, v in merged[i].props.items() if _gc_value(v) and _PLAIN_NAME.fullmatch(k))
        return f"(_v{i}{labels}{' {' + props + '}' if props else ''})"

    pairs = [(index[h.source], index[h.target], ":" + "|".join(sorted(h.types)) if h.types else "") for h in hops]
    lines = [f"MATCH {node(s)}-[{types}]->{node(t)}" for s, t, types in pairs]
    lines += [f"MATCH {node(i)}" for i in range(len(blocks)) if all(i not in (s, t) for s, t, _ in pairs)]
    try:
        result = GrandCypher(view.graph).run(" ".join(lines) + " RETURN " + ", ".join(f"_v{i}" for i in range(len(blocks))))
    except LarkError as exc:
        raise QueryError(f"the query could not be parsed on the NetworkX store (grand-cypher: {_first_line(exc)})") from None
    except Exception as exc:  # grand-cypher's own failures reach the user as one line, not a traceback
        raise QueryError(f"grand-cypher failed on this query ({type(exc).__name__}: {_first_line(exc)})") from None
    columns = [result[f"_v{i}"] for i in range(len(blocks))]
    rows = [[str(column[k]["id"]) for column in columns] for k in range(len(columns[0]))]
    return [ids for ids in rows if len(set(ids)) == len(ids)]


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [""])[0][:200]


def _fits(value: _Node | _Rel, labels: frozenset[str] | None, props: Mapping[str, object]) -> bool:
    kind = value.label if isinstance(value, _Node) else value.type
    return (labels is None or kind in labels) and all(_equal(value.props.get(k), v) is True for k, v in props.items())


# -- values -----------------------------------------------------------------------------


def _key(value: object) -> object:
    """A hashable stand-in: equal for values Neo4j treats as equal (1 and 1.0, not 1 and true)."""
    if isinstance(value, list):
        return ("list", tuple(_key(item) for item in value))
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, (int, float)):
        return ("number", value)
    return (type(value).__name__, value)


def _order_key(value: object) -> tuple[int, Any]:
    """Neo4j's ORDER BY order across types: nodes, relationships, lists, strings, booleans, numbers, null."""
    if isinstance(value, list):
        return (3, tuple(_order_key(item) for item in value))
    ranks = [(_Node, 1), (_Rel, 2), (str, 5), (bool, 6), (int, 7), (float, 7)]
    rank = next((r for kind, r in ranks if isinstance(value, kind)), 9)
    return (rank, value.id if isinstance(value, _Node) else (value.source, value.target) if isinstance(value, _Rel) else value)


def _equal(a: object, b: object) -> bool | None:
    if a is None or b is None:
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return False
        results = [_equal(x, y) for x, y in zip(a, b)]
        return False if False in results else None if None in results else True
    return _key(a) == _key(b)


def _compare(a: object, b: object, test: Callable[[int], bool]) -> bool | None:
    kinds = {_key(a)[0], _key(b)[0]}  # type: ignore[index]
    if len(kinds) != 1 or not kinds <= {"str", "number", "bool"}:
        return None
    return test((a > b) - (a < b))  # type: ignore[operator]


def _in(value: object, items: object) -> bool | None:
    if items is None:
        return None
    if not isinstance(items, list):
        raise QueryError(f"IN needs a list, got {_kind(items)}")
    results = [_equal(value, item) for item in items]
    return True if True in results else None if None in results else False


def _text(test: Callable[[str, str], bool]) -> Callable[[object, object], bool | None]:
    return lambda a, b: test(a, b) if isinstance(a, str) and isinstance(b, str) else None


def _string(function: Callable[[str], str]) -> Callable[[object], object]:
    def apply(value: object) -> object:
        if value is not None and not isinstance(value, str):
            raise QueryError(f"expected a string, got {_kind(value)}")
        return None if value is None else function(value)

    return apply


def _of(kind: type[_Node] | type[_Rel], read: Callable[[Any], object]) -> Callable[[object], object]:
    def apply(value: object) -> object:
        if value is not None and not isinstance(value, kind):
            raise QueryError(f"expected a {'node' if kind is _Node else 'relationship'}, got {_kind(value)}")
        return None if value is None else read(value)

    return apply


def _size(value: object) -> object:
    if value is not None and not isinstance(value, (str, list)):
        raise QueryError(f"size() needs a string or a list, got {_kind(value)}")
    return None if value is None else len(value)


def _kind(value: object) -> str:
    names = {_Node: "a node", _Rel: "a relationship", list: "a list", str: "a string", bool: "a boolean"}
    return "null" if value is None else names.get(type(value), "a number")


_BINARY: dict[str, Callable[[object, object], object]] = {
    "=": _equal,
    "<>": lambda a, b: None if (e := _equal(a, b)) is None else not e,
    "<": lambda a, b: _compare(a, b, lambda c: c < 0),
    ">": lambda a, b: _compare(a, b, lambda c: c > 0),
    "<=": lambda a, b: _compare(a, b, lambda c: c <= 0),
    ">=": lambda a, b: _compare(a, b, lambda c: c >= 0),
    "in": _in,
    "contains": _text(lambda a, b: b in a),
    "starts": _text(str.startswith),
    "ends": _text(str.endswith),
}
_LOGIC: dict[str, Callable[[bool | None, bool | None], bool | None]] = {
    "and": lambda a, b: False if False in (a, b) else None if None in (a, b) else True,
    "or": lambda a, b: True if True in (a, b) else None if None in (a, b) else False,
    "xor": lambda a, b: None if None in (a, b) else a != b,
}
_FUNCTIONS: dict[str, Callable[..., object]] = {
    "tolower": _string(str.lower),
    "toupper": _string(str.upper),
    "trim": _string(str.strip),
    "size": _size,
    "coalesce": lambda *values: next((v for v in values if v is not None), None),
    "type": _of(_Rel, lambda rel: rel.type),
    "labels": _of(_Node, lambda node: [node.label]),
}


def _sum(values: list[object]) -> object:
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        raise QueryError("sum() and avg() need numbers")
    return sum(values)  # type: ignore[arg-type]


def _mean(values: list[object]) -> float:
    _sum(values)
    mean = 0.0
    for count, value in enumerate(values, 1):
        mean += (value - mean) / count  # type: ignore[operator]
    return mean  # a running mean, as Neo4j computes it


_AGGREGATES: dict[str, Callable[[list[object]], object]] = {
    "count": len,
    "collect": list,
    "sum": _sum,
    "avg": lambda values: _mean(values) if values else None,
    "min": lambda values: min(values, key=_order_key) if values else None,
    "max": lambda values: max(values, key=_order_key) if values else None,
}


def _boolean(value: object) -> bool | None:
    if value is not None and not isinstance(value, bool):
        raise QueryError(f"expected a boolean, got {_kind(value)}")
    return value


def _property(value: object, key: str) -> object:
    if value is not None and not isinstance(value, (_Node, _Rel)):
        raise QueryError(f"cannot read .{key} of {_kind(value)}")
    return None if value is None else value.props.get(key)


def _eval(expr: Expr, row: Row) -> object:
    kind = expr[0]
    if kind == "lit":
        return expr[1]
    if kind == "var":
        return row[expr[1]]
    if kind == "prop":
        return _property(_eval(expr[1], row), expr[2])
    if kind == "list":
        return [_eval(item, row) for item in expr[1]]
    if kind == "call":
        return _FUNCTIONS[expr[1]](*(_eval(arg, row) for arg in expr[2]))
    if kind == "bin":
        return _BINARY[expr[1]](_eval(expr[2], row), _eval(expr[3], row))
    if kind == "not":
        value = _boolean(_eval(expr[1], row))
        return None if value is None else not value
    if kind == "null":
        return _eval(expr[1], row) is None
    return _LOGIC[kind](_boolean(_eval(expr[1], row)), _boolean(_eval(expr[2], row)))


def _plain(value: object) -> object:
    if isinstance(value, _Node):
        return dict(value.props)
    if isinstance(value, _Rel):
        return {**value.props, "type": value.type}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


# -- projection -------------------------------------------------------------------------


def _project(plan: _Plan, rows: list[Row]) -> list[list[object]]:
    """RETURN, with implicit grouping, then DISTINCT and ORDER BY (SKIP and LIMIT are the caller's)."""
    if any(item.expr[0] == "agg" for item in plan.items):
        table = _aggregate(plan.items, rows)
        sources: list[Row] = [{} for _ in table]
    else:
        table, sources = [[_eval(item.expr, row) for item in plan.items] for row in rows], rows
    if plan.distinct:
        first: dict[tuple[object, ...], int] = {}
        for i, values in enumerate(table):
            first.setdefault(tuple(_key(v) for v in values), i)
        table, sources = [table[i] for i in first.values()], [sources[i] for i in first.values()]
    order = list(range(len(table)))
    names = [item.name for item in plan.items]
    for expr, descending in reversed(plan.order):
        column = next((i for i, item in enumerate(plan.items) if item.expr == expr), None)
        keys = [
            _order_key(table[k][column] if column is not None else _eval(expr, {**sources[k], **dict(zip(names, table[k]))}))
            for k in range(len(table))
        ]
        order.sort(key=keys.__getitem__, reverse=descending)
    return [table[k] for k in order]


def _aggregate(items: list[_Item], rows: list[Row]) -> list[list[object]]:
    keys = [item.expr for item in items if item.expr[0] != "agg"]
    groups: dict[tuple[object, ...], tuple[list[object], list[Row]]] = {}
    for row in rows:
        values = [_eval(expr, row) for expr in keys]
        groups.setdefault(tuple(_key(v) for v in values), (values, []))[1].append(row)
    if not groups and not keys:
        groups[()] = ([], [])
    table = []
    for values, members in groups.values():
        given = iter(values)
        table.append([
            _AGGREGATES[item.expr[1]]([v for v in (_eval(item.expr[2], row) for row in members) if v is not None])
            if item.expr[0] == "agg" else next(given)
            for item in items
        ])
    return table

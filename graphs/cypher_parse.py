"""The parser of the NetworkX Cypher subset: query text to a checked :class:`~kg.graphs.cypher_ast.Plan`.

:func:`parse` lexes the query (writing ``$parameters`` in as literals), refuses clauses
outside the subset, parses it by recursive descent and checks it as Neo4j would: unknown
variables, misplaced aggregates and duplicate column names are errors. Every construct
the subset leaves out raises :class:`kg.errors.QueryError` naming it.

Examples
--------
>>> plan = parse("MATCH (p:Paper)-[r:USES*1..2]->(d) WHERE d.name = $n RETURN p.title LIMIT 3", {"n": "COCO"})
>>> [(s.left, s.right, sorted(s.types or ()), s.hops) for s in plan.clauses[0].steps]
[('p', 'd', ['USES'], (1, 2))]
>>> plan.clauses[0].nodes["d"].props, plan.items[0].name, plan.limit
({'name': 'COCO'}, 'p.title', 3)
>>> parse("MATCH (n) RETURN n.x + 1", {})
Traceback (most recent call last):
...
kg.errors.QueryError: arithmetic (+) is not supported on the NetworkX store; run it on Neo4j (--neo4j-uri) or rewrite it
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from typing import Any

from kg.errors import QueryError
from kg.graphs.cypher_ast import HIDDEN, Clause, Expr, Item, NodeSpec, Plan, Step, walk
from kg.graphs.cypher_eval import AGGREGATES, FUNCTIONS, evaluate
from kg.graphs.cypher_lex import PLAIN_NAME, Token, gc_value, lex, parse_error, refuse_clauses, unsupported

__all__ = ["parse"]

_MAX_HOPS = 5
_CONSTANTS = {"true": True, "false": False, "null": None}
_OPERATORS = {"=~": "a regular expression (=~)", **{op: f"arithmetic ({op})" for op in "+-*/%^"}}


def parse(query: str, params: Mapping[str, object]) -> Plan:
    """The :class:`Plan` of ``query``, its ``$name`` parameters taken from ``params``.

    Raises ``QueryError`` when the query does not parse, uses a construct outside the
    subset (named in the message), names a missing parameter or an unknown variable.
    """
    tokens = lex(query, params)
    refuse_clauses(tokens)
    return _Parser(tokens, query).query()


class _Parser:
    """A recursive-descent parser for the supported subset (see :mod:`kg.graphs.nxcypher`)."""

    def __init__(self, tokens: list[Token], query: str):
        self.tokens, self.text, self.pos = tokens, query, 0
        self.kinds: dict[str, str] = {}  # variable -> "node" or "rel"
        self.hidden = (f"{HIDDEN}{n}" for n in itertools.count())
        self.rel_vars: set[str] = set()

    def peek(self, ahead: int = 0) -> Token | None:
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

    def next(self) -> Token:
        tok = self.peek()
        if tok is None:
            raise parse_error("unexpected end of query", self.text, len(self.text))
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
        return parse_error(f"{message}, found {found}", self.text, len(self.text) if tok is None else tok.start)

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

    def query(self) -> Plan:
        clauses, where = [], []
        while self.keyword("match"):
            clauses.append(Clause())
            self.listed(lambda: self.path(clauses[-1]))
            if self.keyword("where"):
                where.append(self.expression())
        if not clauses or not self.keyword("return"):
            raise self.error("expected MATCH" if not clauses else "expected MATCH, WHERE or RETURN")
        distinct = self.keyword("distinct")
        if self.is_op("*"):
            raise unsupported("RETURN *")
        items, order = self.listed(self.item), []
        if self.keyword("order"):
            if not self.keyword("by"):
                raise self.error("expected BY")
            order = self.listed(self.order_item)
        plan = Plan(clauses, where, items, distinct, order, self.count("skip"), self.count("limit"))
        self.pos += self.is_op(";")
        if self.peek() is not None:
            raise self.error("unexpected text after the query")
        _check(plan, set(self.kinds))
        _push_equalities(plan, self.kinds)
        return plan

    def item(self) -> Item:
        start = self.pos
        expr = self.expression()
        text = self.text[self.tokens[start].start : self.tokens[self.pos - 1].end]
        return Item(self.name() if self.keyword("as") else text, expr)

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

    def path(self, clause: Clause) -> None:
        if self.is_op("=", ahead=1):
            raise unsupported("a named path (p = ...)")
        left = self.node(clause)
        while self.is_op("-", "<-"):
            clause.steps.append(self.step(left, clause))
            left = clause.steps[-1].right

    def variable(self, kind: str) -> str:
        name = self.name()
        if name.startswith(HIDDEN):
            raise self.error(f"names starting with {HIDDEN} are reserved")
        if self.kinds.setdefault(name, kind) != kind:
            raise QueryError(f"{name} is used both as a node and as a relationship")
        return name

    def node(self, clause: Clause) -> str:
        self.expect("(")
        var = self.variable("node") if self.is_name() else next(self.hidden)
        labels = self.labels()
        props = self.properties() if self.is_op("{") else {}
        self.expect(")")
        clause.nodes.setdefault(var, NodeSpec()).constrain(labels, props)
        return var

    def step(self, left: str, clause: Clause) -> Step:
        backward, var, types, props, hops = self.next().value == "<-", None, None, {}, None
        if self.is_op("["):
            self.pos += 1
            if self.is_name():
                if (var := self.variable("rel")) in self.rel_vars:
                    raise unsupported(f"a relationship variable used twice ({var})")
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
            raise unsupported(what)
        return Step(left, self.node(clause), forward, types, props, var, hops)

    def labels(self) -> frozenset[str] | None:
        allowed: frozenset[str] | None = None
        while self.is_op(":"):
            self.pos += 1
            group = {self.name()}
            while self.is_op("|"):
                self.pos += 1 + self.is_op(":", ahead=1)
                group.add(self.name())
            allowed = frozenset(group) if allowed is None else allowed & group
        if allowed and not all(PLAIN_NAME.fullmatch(name) for name in allowed):
            raise unsupported(f"the label or type {sorted(allowed)} (only plain names)")
        return allowed

    def hops(self) -> tuple[int, int]:
        self.pos += 1
        low = high = int(self.next().value) if self.is_int() else None
        if self.is_op(".."):
            self.pos += 1
            if not self.is_int():
                raise unsupported(f"an open-ended variable-length pattern (*{'' if low is None else low}..)")
            low, high = 1 if low is None else low, int(self.next().value)
        if low is None or high is None:
            raise unsupported("an open-ended variable-length pattern (*)")
        if low == 0 or high > _MAX_HOPS:
            raise unsupported(f"a variable-length pattern of {low}..{high} hops (1 to {_MAX_HOPS} are)")
        return low, high

    def is_int(self) -> bool:
        tok = self.peek()
        return tok is not None and tok.kind == "lit" and type(tok.value) is int

    def properties(self) -> dict[str, object]:
        self.expect("{")
        pairs: list[tuple[str, Expr]] = self.listed(self.pair, "}")
        if any(part[0] in ("var", "agg") for _, value in pairs for part in walk(value)):
            raise unsupported("a property map that refers to a variable")
        return {key: evaluate(value, {}) for key, value in pairs}

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
            raise unsupported("a pattern in an expression (use another MATCH)")
        if self.is_op("[", ":"):
            raise unsupported("list indexing (x[i])" if self.is_op("[") else "a label test in an expression (n:Label)")
        tok = self.peek()
        if tok is not None and tok.kind == "op" and tok.value in _OPERATORS:
            raise unsupported(_OPERATORS[tok.value])
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
                raise unsupported("a map literal" if tok.value == "{" else _OPERATORS[tok.value])
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
        if name in AGGREGATES and (self.is_op("*") or self.is_word("distinct")):
            raise unsupported(f"{function}(*)" if self.is_op("*") else f"{function}(DISTINCT ...)")
        if name == "id":
            raise unsupported("id() (Neo4j's internal id; n.id is the node's own id)")
        if name not in AGGREGATES and name not in FUNCTIONS:
            raise unsupported(f"the function {function}()")
        args = self.listed(self.expression, ")")
        if len(args) != 1 and not (name == "coalesce" and args):
            raise QueryError(f"{function}() takes {'at least ' if name == 'coalesce' else ''}one argument")
        return ("agg", name, args[0]) if name in AGGREGATES else ("call", name, args)


def _check(plan: Plan, variables: set[str]) -> None:
    """Refuse misplaced aggregates and unknown variables, as Neo4j does."""
    names = [item.name for item in plan.items]
    if len(set(names)) < len(names):
        raise QueryError("two RETURN columns have the same name; give one of them an AS name")
    returned = [item.expr for item in plan.items]
    aggregating = any(expr[0] == "agg" for expr in returned)
    scope = set(names) | (set() if aggregating or plan.distinct else variables)
    checks = [(expr, variables) for expr in plan.where + returned] + [(e, scope) for e, _ in plan.order if e not in returned]
    for expr, allowed in checks:
        inner = list(walk(expr[2] if expr[0] == "agg" and expr in returned else expr))
        if any(part[0] == "agg" for part in inner):
            raise unsupported("an aggregate inside an expression, in WHERE or in ORDER BY but not in RETURN")
        unknown = sorted({part[1] for part in inner if part[0] == "var"} - allowed)
        if unknown:
            after = " (after DISTINCT or an aggregate, ORDER BY sees only the returned columns)"
            after = after if unknown[0] in variables else ""
            raise QueryError(f"unknown variable {unknown[0]}{after}")


def _push_equalities(plan: Plan, kinds: dict[str, str]) -> None:
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
            if prop[1][0] == "var" and kinds.get(prop[1][1]) == "node" and gc_value(lit[1]):
                for clause in plan.clauses:
                    if prop[1][1] in clause.nodes:
                        clause.nodes[prop[1][1]].constrain(None, {prop[2]: lit[1]})


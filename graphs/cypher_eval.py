"""Expressions and RETURN for the NetworkX Cypher subset, with Neo4j's null logic.

:func:`evaluate` computes a WHERE or RETURN expression on one row of bindings: comparisons
and string tests with a null operand are null, ``AND OR XOR NOT`` follow three-valued logic,
and the functions of :data:`FUNCTIONS` take null to null. :func:`answer` turns the rows
of the MATCH clauses into the query's result: WHERE, RETURN with implicit grouping by the
non-aggregate columns (:data:`AGGREGATES` skip nulls), DISTINCT, ORDER BY, SKIP and LIMIT.

Examples
--------
>>> evaluate(("or", ("bin", "=", ("lit", None), ("lit", 1)), ("lit", True)), {}) is True
True
>>> evaluate(("bin", "<", ("lit", 1), ("lit", "a")), {}) is None
True
>>> evaluate(("call", "tolower", [("var", "x")]), {"x": "COCO"})
'coco'
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kg.errors import QueryError
from kg.graphs.cypher_ast import Expr, Item, Plan
from kg.graphs.cypher_values import Node, Rel, Row, equal, order_key, plain, type_name, value_key

__all__ = ["AGGREGATES", "FUNCTIONS", "answer", "evaluate"]


def answer(plan: Plan, rows: list[Row]) -> list[dict[str, object]]:
    """The result of ``plan`` from ``rows``, the joined bindings of its MATCH clauses.

    Keeps the rows whose every WHERE condition is true, projects them with :func:`_project`,
    applies SKIP and LIMIT and returns one dict per row, from column name to plain data.
    Raises ``QueryError`` when an expression meets a value of the wrong type.
    """
    rows = [row for row in rows if all(_boolean(evaluate(where, row)) is True for where in plan.where)]
    table = _project(plan, rows)[plan.skip or 0 :][: plan.limit]
    return [{item.name: plain(value) for item, value in zip(plan.items, values)} for values in table]


def evaluate(expr: Expr, row: Row) -> object:
    """The value of ``expr`` on ``row``; raises ``QueryError`` for an operand of the wrong type."""
    kind = expr[0]
    if kind == "lit":
        return expr[1]
    if kind == "var":
        return row[expr[1]]
    if kind == "prop":
        return _property(evaluate(expr[1], row), expr[2])
    if kind == "list":
        return [evaluate(item, row) for item in expr[1]]
    if kind == "call":
        return FUNCTIONS[expr[1]](*(evaluate(arg, row) for arg in expr[2]))
    if kind == "bin":
        return _BINARY[expr[1]](evaluate(expr[2], row), evaluate(expr[3], row))
    if kind == "not":
        value = _boolean(evaluate(expr[1], row))
        return None if value is None else not value
    if kind == "null":
        return evaluate(expr[1], row) is None
    return _LOGIC[kind](_boolean(evaluate(expr[1], row)), _boolean(evaluate(expr[2], row)))


def _compare(a: object, b: object, test: Callable[[int], bool]) -> bool | None:
    kinds = {value_key(a)[0], value_key(b)[0]}  # type: ignore[index]
    if len(kinds) != 1 or not kinds <= {"str", "number", "bool"}:
        return None
    return test((a > b) - (a < b))  # type: ignore[operator]


def _in(value: object, items: object) -> bool | None:
    if items is None:
        return None
    if not isinstance(items, list):
        raise QueryError(f"IN needs a list, got {type_name(items)}")
    results = [equal(value, item) for item in items]
    return True if True in results else None if None in results else False


def _text(test: Callable[[str, str], bool]) -> Callable[[object, object], bool | None]:
    return lambda a, b: test(a, b) if isinstance(a, str) and isinstance(b, str) else None


def _string(function: Callable[[str], str]) -> Callable[[object], object]:
    def apply(value: object) -> object:
        if value is not None and not isinstance(value, str):
            raise QueryError(f"expected a string, got {type_name(value)}")
        return None if value is None else function(value)

    return apply


def _of(kind: type[Node] | type[Rel], read: Callable[[Any], object]) -> Callable[[object], object]:
    def apply(value: object) -> object:
        if value is not None and not isinstance(value, kind):
            raise QueryError(f"expected a {'node' if kind is Node else 'relationship'}, got {type_name(value)}")
        return None if value is None else read(value)

    return apply


def _size(value: object) -> object:
    if value is not None and not isinstance(value, (str, list)):
        raise QueryError(f"size() needs a string or a list, got {type_name(value)}")
    return None if value is None else len(value)


_BINARY: dict[str, Callable[[object, object], object]] = {
    "=": equal,
    "<>": lambda a, b: None if (e := equal(a, b)) is None else not e,
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
FUNCTIONS: dict[str, Callable[..., object]] = {
    "tolower": _string(str.lower),
    "toupper": _string(str.upper),
    "trim": _string(str.strip),
    "size": _size,
    "coalesce": lambda *values: next((v for v in values if v is not None), None),
    "type": _of(Rel, lambda rel: rel.type),
    "labels": _of(Node, lambda node: [node.label]),
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


AGGREGATES: dict[str, Callable[[list[object]], object]] = {
    "count": len,
    "collect": list,
    "sum": _sum,
    "avg": lambda values: _mean(values) if values else None,
    "min": lambda values: min(values, key=order_key) if values else None,
    "max": lambda values: max(values, key=order_key) if values else None,
}


def _boolean(value: object) -> bool | None:
    if value is not None and not isinstance(value, bool):
        raise QueryError(f"expected a boolean, got {type_name(value)}")
    return value


def _property(value: object, key: str) -> object:
    if value is not None and not isinstance(value, (Node, Rel)):
        raise QueryError(f"cannot read .{key} of {type_name(value)}")
    return None if value is None else value.props.get(key)


def _project(plan: Plan, rows: list[Row]) -> list[list[object]]:
    """RETURN, with implicit grouping, then DISTINCT and ORDER BY (SKIP and LIMIT are the caller's)."""
    if any(item.expr[0] == "agg" for item in plan.items):
        table = _aggregate(plan.items, rows)
        sources: list[Row] = [{} for _ in table]
    else:
        table, sources = [[evaluate(item.expr, row) for item in plan.items] for row in rows], rows
    if plan.distinct:
        first: dict[tuple[object, ...], int] = {}
        for i, values in enumerate(table):
            first.setdefault(tuple(value_key(v) for v in values), i)
        table, sources = [table[i] for i in first.values()], [sources[i] for i in first.values()]
    order = list(range(len(table)))
    names = [item.name for item in plan.items]
    for expr, descending in reversed(plan.order):
        column = next((i for i, item in enumerate(plan.items) if item.expr == expr), None)
        keys = [
            order_key(table[k][column] if column is not None else evaluate(expr, {**sources[k], **dict(zip(names, table[k]))}))
            for k in range(len(table))
        ]
        order.sort(key=keys.__getitem__, reverse=descending)
    return [table[k] for k in order]


def _aggregate(items: list[Item], rows: list[Row]) -> list[list[object]]:
    keys = [item.expr for item in items if item.expr[0] != "agg"]
    groups: dict[tuple[object, ...], tuple[list[object], list[Row]]] = {}
    for row in rows:
        values = [evaluate(expr, row) for expr in keys]
        groups.setdefault(tuple(value_key(v) for v in values), (values, []))[1].append(row)
    if not groups and not keys:
        groups[()] = ([], [])
    table = []
    for values, members in groups.values():
        given = iter(values)
        table.append([
            AGGREGATES[item.expr[1]]([v for v in (evaluate(item.expr[2], row) for row in members) if v is not None])
            if item.expr[0] == "agg" else next(given)
            for item in items
        ])
    return table

"""Neo4j's values for the NetworkX Cypher subset: nodes, relationships, equality and order.

A matched node is a :class:`Node` and a matched relationship a :class:`Rel`; a row binds
variable names to them, to lists of relationships (variable-length steps) or to plain
values. :func:`value_key` and :func:`equal` compare as Neo4j does (``1 = 1.0``, ``1 <> true``,
anything ``= null`` is null), :func:`order_key` sorts as ORDER BY does, and :func:`plain`
turns a value into the data Neo4j's driver returns.

Examples
--------
>>> value_key(1) == value_key(1.0), value_key(1) == value_key(True)
(True, False)
>>> equal([1, None], [1, 2]) is None
True
>>> sorted([None, 2, "a", True], key=order_key)
['a', True, 2, None]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Node", "Rel", "Row", "equal", "order_key", "plain", "type_name", "value_key"]

Row = dict[str, object]


@dataclass(frozen=True)
class Node:
    id: str
    label: str = field(compare=False)
    props: Mapping[str, object] = field(compare=False, repr=False)


@dataclass(frozen=True)
class Rel:
    source: str
    target: str
    type: str = field(compare=False)
    props: Mapping[str, object] = field(compare=False, repr=False)


def value_key(value: object) -> object:
    """A hashable stand-in: equal for values Neo4j treats as equal (1 and 1.0, not 1 and true)."""
    if isinstance(value, list):
        return ("list", tuple(value_key(item) for item in value))
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, (int, float)):
        return ("number", value)
    return (type(value).__name__, value)


def order_key(value: object) -> tuple[int, Any]:
    """Neo4j's ORDER BY order across types: nodes, relationships, lists, strings, booleans, numbers, null."""
    if isinstance(value, list):
        return (3, tuple(order_key(item) for item in value))
    ranks = [(Node, 1), (Rel, 2), (str, 5), (bool, 6), (int, 7), (float, 7)]
    rank = next((r for kind, r in ranks if isinstance(value, kind)), 9)
    return (rank, value.id if isinstance(value, Node) else (value.source, value.target) if isinstance(value, Rel) else value)


def equal(a: object, b: object) -> bool | None:
    """``a = b`` with Neo4j's null logic: null when either side is (or, in lists, decides)."""
    if a is None or b is None:
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return False
        results = [equal(x, y) for x, y in zip(a, b)]
        return False if False in results else None if None in results else True
    return value_key(a) == value_key(b)


def type_name(value: object) -> str:
    """How error messages name the type of ``value`` ("a node", "a string", "null", ...)."""
    names = {Node: "a node", Rel: "a relationship", list: "a list", str: "a string", bool: "a boolean"}
    return "null" if value is None else names.get(type(value), "a number")


def plain(value: object) -> object:
    """``value`` as Neo4j returns it: a node as its properties, a relationship with its ``type``."""
    if isinstance(value, Node):
        return dict(value.props)
    if isinstance(value, Rel):
        return {**value.props, "type": value.type}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value

"""The parsed query of the NetworkX Cypher subset: a :class:`Plan` of MATCH clauses and expressions.

A :class:`Plan` holds the MATCH clauses (each a :class:`Clause` of :class:`NodeSpec`
constraints by variable and :class:`Step` relationships between them), the WHERE
conditions, the RETURN :class:`Item` columns, DISTINCT, ORDER BY, SKIP and LIMIT.
Expressions are tuples tagged by their first element (see :data:`Expr`); anonymous and
intermediate pattern nodes get names starting with :data:`HIDDEN`.

Examples
--------
>>> spec = NodeSpec(frozenset({"Paper", "Dataset"}), {"name": "COCO"})
>>> spec.constrain(frozenset({"Dataset"}), {"year": 2014}).labels
frozenset({'Dataset'})
>>> spec.constrain(None, {"name": "VOC"}).labels  # two values for one property
frozenset()
>>> [part[0] for part in walk(("and", ("bin", "=", ("var", "n"), ("lit", 1)), ("null", ("var", "m"))))]
['and', 'bin', 'var', 'lit', 'null', 'var']
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from kg.graphs.cypher_values import value_key

__all__ = ["HIDDEN", "Clause", "Expr", "Item", "NodeSpec", "Plan", "Step", "walk"]

Expr = tuple[Any, ...]  # ("lit", v) ("var", n) ("prop", e, k) ("list", [e]) ("call", f, [e]) ("agg", f, e) ("bin", op, a, b) ...

HIDDEN = "_kg"  # prefix of the names given to anonymous and intermediate pattern nodes


@dataclass
class NodeSpec:
    """What a pattern node must be: one of ``labels`` (None: any) with the properties ``props``."""

    labels: frozenset[str] | None = None  # None: any label
    props: dict[str, object] = field(default_factory=dict)

    def constrain(self, labels: frozenset[str] | None, props: Mapping[str, object]) -> NodeSpec:
        """Narrow this spec to ``labels`` and ``props`` as well; returns the spec itself."""
        if labels is not None:
            self.labels = labels if self.labels is None else self.labels & labels
        for key, value in props.items():
            if key in self.props and value_key(self.props[key]) != value_key(value):
                self.labels = frozenset()  # two values for one property: matches nothing
            self.props[key] = value
        return self


@dataclass(frozen=True)
class Step:
    """A relationship pattern from node ``left`` to node ``right`` (against the arrow unless ``forward``)."""

    left: str
    right: str
    forward: bool
    types: frozenset[str] | None
    props: Mapping[str, object]
    var: str | None
    hops: tuple[int, int] | None  # None: one relationship, bound as itself rather than a list


@dataclass
class Clause:
    """One MATCH clause: its pattern nodes by variable, and the steps between them."""

    nodes: dict[str, NodeSpec] = field(default_factory=dict)
    steps: list[Step] = field(default_factory=list)

    @property
    def variables(self) -> set[str]:
        """The variables the clause binds (not the hidden ones)."""
        return {n for n in self.nodes if not n.startswith(HIDDEN)} | {s.var for s in self.steps if s.var}


class Item(NamedTuple):
    """A RETURN column: its name and its expression."""

    name: str
    expr: Expr


@dataclass
class Plan:
    """A whole query of the subset, as parsed."""

    clauses: list[Clause]
    where: list[Expr]
    items: list[Item]
    distinct: bool
    order: list[tuple[Expr, bool]]
    skip: int | None = None
    limit: int | None = None


def walk(expr: Expr) -> Iterator[Expr]:
    """``expr`` and every expression inside it, outermost first."""
    yield expr
    for part in expr[1:]:
        for child in part if isinstance(part, list) else [part]:
            if isinstance(child, tuple):
                yield from walk(child)

"""The Cypher the Neo4j store runs: constants built by pure functions, values only as parameters.

Labels and relationship types cannot be parameters in Cypher, so they enter a
query string only through :func:`quote_label` and :func:`quote_type`, which
accept nothing but the schema's own enum members and backtick-quote them.
Every value (ids, properties, lists of ids) travels as a parameter.

Examples
--------
>>> print(merge_nodes(Label.DATASET))
UNWIND $rows AS row
MERGE (n:`Dataset` {id: row.id})
SET n = row.props
>>> quote_label("Paper")  # doctest: +IGNORE_EXCEPTION_DETAIL
Traceback (most recent call last):
kg.errors.SchemaError: 'Paper' is not a Label
"""

from __future__ import annotations

from collections.abc import Iterable

from kg.errors import SchemaError
from kg.model import Label, RelType

__all__ = [
    "CONSTRAINTS",
    "count_nodes",
    "create_edges",
    "DELETE_ALL",
    "delete_nodes",
    "delete_outgoing",
    "find_by_key",
    "match_edges",
    "match_nodes",
    "merge_edges",
    "merge_node_ids",
    "merge_nodes",
    "quote_label",
    "quote_type",
    "set_node_properties",
]


def quote_label(label: Label) -> str:
    """The backtick-quoted label; anything but a :class:`Label` member is refused."""
    if not isinstance(label, Label):
        raise SchemaError(f"{label!r} is not a Label")
    return f"`{label.value}`"


def quote_type(kind: RelType) -> str:
    """The backtick-quoted relationship type; anything but a :class:`RelType` member is refused."""
    if not isinstance(kind, RelType):
        raise SchemaError(f"{kind!r} is not a RelType")
    return f"`{kind.value}`"


def _types(kinds: Iterable[RelType] | None) -> str:
    quoted = [quote_type(kind) for kind in (kinds or ())]
    return ":" + "|".join(quoted) if quoted else ""


CONSTRAINTS: tuple[str, ...] = tuple(
    f"CREATE CONSTRAINT kg_{label.value.lower()}_id IF NOT EXISTS "
    f"FOR (n:{quote_label(label)}) REQUIRE n.id IS UNIQUE"
    for label in Label
)
"""One uniqueness constraint (and so an index) on ``id`` per label; idempotent."""


def merge_nodes(label: Label) -> str:
    """Create or update nodes; ``row.props`` replaces all properties (it holds ``id`` too)."""
    return f"UNWIND $rows AS row\nMERGE (n:{quote_label(label)} {{id: row.id}})\nSET n = row.props"


def merge_node_ids(label: Label) -> str:
    """Create nodes that do not exist yet, touching nothing else (``$ids``)."""
    return f"UNWIND $ids AS id\nMERGE (n:{quote_label(label)} {{id: id}})"


def set_node_properties(label: Label) -> str:
    """Replace the properties of existing nodes (``row.props`` holds ``id`` too)."""
    return f"UNWIND $rows AS row\n{_by_id('n', label, 'row.id')}\nSET n = row.props"


def _by_id(variable: str, label: Label, value: str) -> str:
    """Match a node by id through its index. The hint matters: a plan made while a label
    was still empty would otherwise scan the label for every row (measured: 100 times slower)."""
    return f"MATCH ({variable}:{quote_label(label)} {{id: {value}}}) USING INDEX {variable}:{quote_label(label)}(id)"


def delete_outgoing(label: Label, kinds: Iterable[RelType]) -> str:
    """Delete the relationships of ``kinds`` that leave the nodes ``$ids``."""
    return f"UNWIND $ids AS id\n{_by_id('n', label, 'id')}\nMATCH (n)-[r{_types(kinds)}]->()\nDELETE r"


def merge_edges(kind: RelType, source: Label, target: Label, *, replace_other_types: bool = True) -> str:
    """Create or update one relationship per row (``$type`` must be ``kind``'s name).

    Both stores keep at most one relationship from a node to another: with
    ``replace_other_types``, writing ``USES`` where ``MENTIONS`` was leaves only ``USES``.
    """
    replace = "CALL (a, b) { MATCH (a)-[old]->(b) WHERE type(old) <> $type DELETE old }\n"
    return (
        "UNWIND $rows AS row\n"
        f"{_by_id('a', source, 'row.source')}\n"
        f"{_by_id('b', target, 'row.target')}\n"
        f"{replace if replace_other_types else ''}"
        f"MERGE (a)-[r:{quote_type(kind)}]->(b)\n"
        "SET r = row.props"
    )


def create_edges(kind: RelType, source: Label, target: Label) -> str:
    """Create one relationship per row, for sources whose outgoing relationships were just deleted.

    No existence check: MERGE would scan the target's relationships, which is
    slow for a concept used by tens of thousands of papers.
    """
    return (
        "UNWIND $rows AS row\n"
        f"{_by_id('a', source, 'row.source')}\n"
        f"{_by_id('b', target, 'row.target')}\n"
        f"CREATE (a)-[r:{quote_type(kind)}]->(b)\n"
        "SET r = row.props"
    )


def _projection(variable: str, fields: bool) -> str:
    if not fields:
        return f"properties({variable})"
    return f"[k IN $fields WHERE {variable}[k] IS NOT NULL | [k, {variable}[k]]]"


def match_nodes(label: Label, *, by_id: bool, fields: bool) -> str:
    """Nodes of ``label`` (those with an id in ``$ids`` if ``by_id``), with all or ``$fields`` properties."""
    where = "\nWHERE n.id IN $ids" if by_id else ""
    return f"MATCH (n:{quote_label(label)}){where}\nRETURN n.id AS id, {_projection('n', fields)} AS props"


def match_edges(
    kinds: Iterable[RelType] | None, *, anchor: Label | None, outgoing: bool, both: bool, fields: bool
) -> str:
    """Relationships of ``kinds``; anchored on ``$ids`` nodes of ``anchor`` (as source if ``outgoing``).

    With ``both``, the other end must be in ``$others``.
    """
    pattern = f"(a)-[r{_types(kinds)}]->(b)"
    if anchor is None:
        head = f"MATCH {pattern}"
    else:
        end = "a" if outgoing else "b"
        head = f"MATCH ({end}:{quote_label(anchor)})\nWHERE {end}.id IN $ids\nMATCH {pattern}"
    if both:
        head += f"\nWHERE {'b' if outgoing else 'a'}.id IN $others"
    return f"{head}\nRETURN a.id AS source, type(r) AS type, b.id AS target, {_projection('r', fields)} AS props"


def find_by_key(label: Label) -> str:
    """Concepts of ``label`` whose ``keys`` list holds ``$key``."""
    return f"MATCH (n:{quote_label(label)})\nWHERE $key IN n.keys\nRETURN n.id AS id, properties(n) AS props"


def delete_nodes(label: Label) -> str:
    """Delete the nodes ``$ids`` of ``label`` with all their relationships."""
    return f"UNWIND $ids AS id\nMATCH (n:{quote_label(label)} {{id: id}})\nDETACH DELETE n"


def count_nodes(label: Label) -> str:
    """The number of nodes of ``label``."""
    return f"MATCH (n:{quote_label(label)}) RETURN count(n) AS count"


DELETE_ALL: tuple[str, ...] = (
    "MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS",
    "MATCH (n) CALL (n) { DELETE n } IN TRANSACTIONS OF 10000 ROWS",
)
"""Remove every relationship, then every node, 10,000 per transaction (run them auto-committed):
a node with a million relationships never has to go in one transaction."""

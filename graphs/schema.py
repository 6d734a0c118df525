"""The tables of the embedded engine: one node table per label, one relationship table per type.

LadybugDB declares its tables before it stores anything. Every node table has
the same property columns and so has every relationship table, so that a
property one label lacks reads as ``null`` on it, as in Neo4j (``d.title`` on a
dataset). The columns the build writes are declared up front; a property no
column holds yet (an imported graph's own) gets a column on its first write,
typed by its value. Names are always backtick-quoted: ``count`` and ``starts``
are words of the engine's grammar.

Examples
--------
>>> column_type("LLaMA"), column_type(7), column_type(["a"]), column_type([])
('STRING', 'INT64', 'STRING[]', None)
>>> quote("count")
'`count`'
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from kg.errors import SchemaError
from kg.model import CONCEPT_LABELS, Label, Node, PropValue, RelType
from kg.normalize import name_key
from kg.paper import normalise_title

__all__ = [
    "EDGE_COLUMNS",
    "LOOKUP",
    "NODE_COLUMNS",
    "RELATIONSHIP_ENDS",
    "SCHEMA_VERSION",
    "column_type",
    "create_statements",
    "lookup_keys",
    "quote",
    "route",
]

LOOKUP = "_lookup"
"""The store's own column (in both stores): the normalised names a node is found by (:func:`lookup_keys`).
Properties starting with ``_`` belong to the store and are never read back as the graph's."""

SCHEMA_VERSION = 1
"""Stored in the database; a store of another version is refused, not misread."""

NODE_COLUMNS: Mapping[str, str] = {
    "title": "STRING",
    "title_key": "STRING",
    "abstract": "STRING",
    "year": "INT64",
    "authors": "STRING[]",
    "url": "STRING",
    "doi": "STRING",
    "arxiv_id": "STRING",
    "source": "STRING",
    "aliases": "STRING[]",
    "content_hash": "STRING",
    "stub": "BOOLEAN",
    "unresolved_citations": "STRING[]",
    "name": "STRING",
    "keys": "STRING[]",
    "origin": "STRING",
    "host": "STRING",
}
"""The node properties the build writes (``id`` is the primary key, declared apart)."""

EDGE_COLUMNS: Mapping[str, str] = {
    "evidence": "STRING",
    "sentences": "STRING[]",
    "confidence": "DOUBLE",
    "count": "INT64",
    "mentions": "STRING",
    "via": "STRING",
    "text": "STRING",
    "url": "STRING",
}
"""The relationship properties the build writes."""

RELATIONSHIP_ENDS: Mapping[RelType, tuple[tuple[Label, Label], ...]] = {
    **{kind: tuple((Label.PAPER, concept) for concept in CONCEPT_LABELS)
       for kind in (RelType.PROPOSES, RelType.EVALUATES_ON, RelType.USES, RelType.MENTIONS)},
    RelType.VARIANT_OF: tuple((a, b) for a in CONCEPT_LABELS for b in CONCEPT_LABELS),
    RelType.CITES: ((Label.PAPER, Label.PAPER),),
    RelType.HAS_CODE: ((Label.PAPER, Label.REPOSITORY),),
}
"""The labels each relationship type may join, source to target."""


def quote(name: str) -> str:
    """A name as the engine reads it: backtick-quoted, backticks doubled."""
    return "`" + name.replace("`", "``") + "`"


def column_type(value: PropValue) -> str | None:
    """The engine type of a property value (``None`` for a value that says nothing: null or [])."""
    if value is None or value == []:
        return None
    if isinstance(value, bool):
        return "BOOLEAN"
    if isinstance(value, int):
        return "INT64"
    if isinstance(value, float):
        return "DOUBLE"
    if isinstance(value, str):
        return "STRING"
    if isinstance(value, list):
        kinds = {column_type(item) for item in value}
        if len(kinds) != 1 or None in kinds or any(k and k.endswith("[]") for k in kinds):
            raise SchemaError(f"a list property must hold values of one type, not {value!r:.60}")
        inner = kinds.pop()
        if inner == "INT64" and any(isinstance(item, float) for item in value):
            inner = "DOUBLE"
        return f"{inner}[]"
    raise SchemaError(f"property value {value!r:.60} is not text, a number, a boolean or a list of them")


def create_statements(node_columns: Mapping[str, str], edge_columns: Mapping[str, str]) -> Iterator[str]:
    """The statements that declare every table with these columns."""
    node_props = "".join(f", {quote(name)} {kind}" for name, kind in node_columns.items())
    for label in Label:
        yield f"CREATE NODE TABLE {quote(label.value)}({quote('id')} STRING PRIMARY KEY{node_props})"
    edge_props = "".join(f", {quote(name)} {kind}" for name, kind in edge_columns.items())
    for kind, ends in RELATIONSHIP_ENDS.items():
        pairs = ", ".join(f"FROM {quote(a.value)} TO {quote(b.value)}" for a, b in ends)
        yield f"CREATE REL TABLE {quote(kind.value)}({pairs}{edge_props})"


def lookup_keys(node: Node) -> list[str]:
    """The normalised names a node is found by (see the module docstring)."""
    props = node.properties
    if node.label is Label.PAPER:
        title = normalise_title(str(props.get("title") or ""))
        return [title] if title else []
    names = [str(props.get("name") or "")]
    aliases = props.get("aliases")
    names += [str(a) for a in aliases] if isinstance(aliases, list) else []
    keys = props.get("keys")
    found = {name_key(n) for n in names} | ({str(k) for k in keys} if isinstance(keys, list) else set())
    return sorted(key for key in found if key)


def route(ids: Iterable[str]) -> dict[Label, list[str]]:
    """Where a store looks for each id: every id as a paper, and a concept id (``dataset:coco``,
    see :func:`kg.model.concept_id`) under its own label too."""
    wanted = sorted(set(ids))
    routes: dict[Label, list[str]] = {Label.PAPER: wanted} if wanted else {}
    prefixes = {f"{label.value.lower()}:": label for label in Label if label is not Label.PAPER}
    for node_id in wanted:
        label = prefixes.get(node_id[: node_id.find(":") + 1])
        if label is not None:
            routes.setdefault(label, []).append(node_id)
    return routes

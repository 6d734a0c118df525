"""Values as the embedded engine returns them, made the plain data the Neo4j store returns.

A node becomes its properties (``id`` included), a relationship its properties
and ``type``, a path ``{"nodes": [...], "relationships": [...]}``, as
:func:`kg.graphs.neo4jstore.plain` makes them. Properties the engine holds as
``null`` (a column the node does not use) are left out, as are the store's own
columns (``_lookup``), which start with an underscore. A ``sum`` of whole numbers
comes back from the engine as a decimal and becomes an ``int``.

Examples
--------
>>> plain({"_ID": {"offset": 0, "table": 0}, "_LABEL": "Dataset", "id": "dataset:coco", "name": "COCO", "year": None})
{'id': 'dataset:coco', 'name': 'COCO'}
>>> from decimal import Decimal
>>> plain([Decimal("3"), Decimal("1.5")])
[3, 1.5]
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

__all__ = ["plain", "properties"]


def properties(value: dict[str, Any]) -> dict[str, Any]:
    """The properties of an engine node or relationship (no internal fields, no nulls)."""
    return {key: plain(item) for key, item in value.items() if not key.startswith("_") and item is not None}


def plain(value: Any) -> Any:
    """An engine value as plain data (see the module docstring)."""
    if isinstance(value, dict):
        if "_NODES" in value and "_RELS" in value:
            return {"nodes": [plain(node) for node in value["_NODES"]],
                    "relationships": [plain(rel) for rel in value["_RELS"]]}
        if "_LABEL" in value and "_ID" in value:
            found = properties(value)
            if "_SRC" in value:
                found["type"] = value["_LABEL"]
            return found
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value

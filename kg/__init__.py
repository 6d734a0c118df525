"""kg: a knowledge graph of research papers and the datasets, models, methods, tasks and metrics they use.

The names most programs need are here, imported only when first used (so that
``import kg.model`` stays cheap)::

    import kg

    with kg.open_store("kg-graph.kg", create=True) as store:
        kg.build(["examples/papers-page/papers.txt"], store)
        hits = kg.queries.shared_concept(store, kg.Label.DATASET, "COCO")

The package is built in floors; a module imports only from its own floor and
those below (``tests/test_floors.py`` checks it):

* ground: :mod:`kg.model`, :mod:`kg.errors`, :mod:`kg.normalize`, :mod:`kg.paper`, :mod:`kg.files`;
* extractors (:mod:`kg.extractors`) and stores (:mod:`kg.graphs`), beside each other;
* application: :mod:`kg.corpus`, :mod:`kg.pipeline`, :mod:`kg.queries`, :mod:`kg.curation`,
  :mod:`kg.explorer`, :mod:`kg.quality`;
* the command line: :mod:`kg.cli`, :mod:`kg.clikit`, :mod:`kg.commands`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg import queries
    from kg.graphs import GraphStore, open_store
    from kg.model import Edge, Graph, Label, Node, RelType
    from kg.pipeline.build import BuildReport, build

__all__ = ["BuildReport", "Edge", "Graph", "GraphStore", "Label", "Node", "RelType", "build", "open_store", "queries"]

_LAZY = {
    "build": "kg.pipeline.build",
    "BuildReport": "kg.pipeline.build",
    "open_store": "kg.graphs",
    "GraphStore": "kg.graphs",
    "Edge": "kg.model",
    "Graph": "kg.model",
    "Label": "kg.model",
    "Node": "kg.model",
    "RelType": "kg.model",
}


def __getattr__(name: str) -> Any:
    if name == "queries":
        return importlib.import_module("kg.queries")
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")

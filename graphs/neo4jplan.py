"""How one write becomes Neo4j work: parameterised Cypher statements in batches, in order.

A write is planned as ``(phase, (query, params))`` items: concepts, paper ids,
stale edges of stored papers out, edges in, paper properties (see :func:`plan`);
:class:`kg.graphs.neo4jstore.Neo4jStore` runs them in one transaction when they
are small, else batch by batch.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from kg.graphs import neo4jcypher as cypher
from kg.graphs.schema import LOOKUP, lookup_keys, route
from kg.model import PAPER_CONCEPT_TYPES, PAPER_OWNED_TYPES, Graph, Label, Node, RelType

__all__ = ["BATCH_ROWS", "Work", "chunks", "plan", "removals", "row", "size"]

BATCH_ROWS = 10_000
"""Rows per statement (and per transaction, for a write too big for one)."""

Work = tuple[str, dict[str, Any]]
"""One statement and its parameters."""


def row(node: Node) -> dict[str, Any]:
    """The properties a node is written with: its own, its id, and the store's lookup keys."""
    return {"id": node.id, "props": {**node.properties, "id": node.id, LOOKUP: lookup_keys(node)}}


def size(params: Mapping[str, Any]) -> int:
    rows = params.get("rows", params.get("ids", ()))
    return len(rows) if isinstance(rows, list) else 0


def chunks(rows: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(rows), BATCH_ROWS):
        yield rows[start : start + BATCH_ROWS]


def plan(graph: Graph, labels: Mapping[str, Label], existing: set[str]) -> Iterator[tuple[str, Work]]:
    """The write as ``(phase, work)``, in order: concepts, paper ids, stale edges of stored
    papers out, edges in (phase ``create``, ``merge`` or ``replace``), paper properties."""
    by_label: dict[Label, list[Node]] = defaultdict(list)
    for node in {node.id: node for node in graph.nodes}.values():
        by_label[node.label].append(node)
    for label, nodes in by_label.items():
        if label is not Label.PAPER:
            rows = [row(n) for n in nodes]
            yield from (("concepts", (cypher.merge_nodes(label), {"rows": chunk})) for chunk in chunks(rows))
    papers = by_label.get(Label.PAPER, [])
    # A paper without a content hash (a stub for a cited paper) has no mark of completion for a
    # re-run to check, so it is written whole at once: were only its id written when a batched
    # write stops, the next build would take the bare node for a stored paper, not a stub.
    whole = [row(n) for n in papers if "content_hash" not in n.properties]
    yield from (("papers", (cypher.merge_nodes(Label.PAPER), {"rows": chunk})) for chunk in chunks(whole))
    marked = [node.id for node in papers if "content_hash" in node.properties]
    yield from (("papers", (cypher.merge_node_ids(Label.PAPER), {"ids": chunk})) for chunk in chunks(marked))
    paper_ids = [node.id for node in papers]
    stored_papers = [paper_id for paper_id in paper_ids if paper_id in existing]
    delete = cypher.delete_outgoing(Label.PAPER, PAPER_OWNED_TYPES)
    yield from (("stale", (delete, {"ids": chunk})) for chunk in chunks(stored_papers))
    yield from _edge_work(graph, labels, set(paper_ids))
    paper_rows = [row(n) for n in papers if "content_hash" in n.properties]
    query = cypher.set_node_properties(Label.PAPER)
    yield from (("properties", (query, {"rows": chunk})) for chunk in chunks(paper_rows))


def removals(ids: Iterable[str]) -> list[tuple[str, Work]]:
    return [
        ("remove", (cypher.delete_nodes(label), {"ids": chunk}))
        for label, wanted in route(ids).items()
        for chunk in chunks(wanted)
    ]


def _edge_work(graph: Graph, labels: Mapping[str, Label], cleared: set[str]) -> Iterator[tuple[str, Work]]:
    grouped: dict[tuple[str, RelType, Label, Label], list[dict[str, Any]]] = defaultdict(list)
    for edge in {(edge.source, edge.target): edge for edge in graph.edges}.values():
        if edge.source in cleared and edge.type in PAPER_OWNED_TYPES:
            mode = "create"
        elif edge.type in PAPER_CONCEPT_TYPES:
            mode = "replace"
        else:
            mode = "merge"
        group = (mode, edge.type, labels[edge.source], labels[edge.target])
        grouped[group].append({"source": edge.source, "target": edge.target, "props": dict(edge.properties)})
    for (mode, kind, source, target), rows in sorted(grouped.items(), key=lambda item: item[0][0]):
        query = _EDGE_QUERIES[mode](kind, source, target)
        yield from ((mode, (query, {"rows": chunk, "type": kind.value})) for chunk in chunks(rows))


_EDGE_QUERIES: dict[str, Callable[[RelType, Label, Label], str]] = {
    "create": cypher.create_edges,
    "merge": functools.partial(cypher.merge_edges, replace_other_types=False),
    "replace": cypher.merge_edges,
}
"""How edges are written: ``create`` for papers whose edges were just deleted (no
existence check), ``replace`` for a paper's concept edges written on their own
(another role may have to go first), ``merge`` where no other type can join the
pair (concept to family, paper to paper, paper to repository)."""

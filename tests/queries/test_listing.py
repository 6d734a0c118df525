"""Every paper with its concepts, and one paper with each concept's role and evidence."""

from __future__ import annotations

from kg import queries
from kg.graphs.embedded import EmbeddedStore


def test_roles_follow_the_text(page_store: EmbeddedStore) -> None:
    paper, links = queries.show_paper(page_store, "YOLOE: Real-Time Seeing Anything")
    roles = {(link.name, link.role) for link in links}
    assert {("YOLOE", "PROPOSES"), ("LVIS", "EVALUATES_ON"), ("COCO", "EVALUATES_ON"), ("AP", "EVALUATES_ON")} <= roles
    assert paper.properties["title"] == "YOLOE: Real-Time Seeing Anything"


def test_papers_lists_every_paper_with_canonical_concepts(page_store: EmbeddedStore) -> None:
    listed = queries.papers(page_store)
    assert len(listed) == 64
    yoloe = next(p for p in listed if p.title.startswith("YOLOE"))
    assert yoloe.datasets == ["COCO", "LVIS"]
    assert {"YOLOE", "YOLOv8-L", "YOLOE-v8-S"} <= set(yoloe.models)
    assert "AP" in yoloe.metrics

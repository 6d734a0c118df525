"""Names to nodes: concepts by any spelling or alias, papers by id or title, and suggestions."""

from __future__ import annotations

import pytest

from kg import queries
from kg.errors import NotFoundError
from kg.graphs.embedded import EmbeddedStore
from kg.model import Label


def test_unknown_names_suggest_the_closest(page_store: EmbeddedStore) -> None:
    with pytest.raises(NotFoundError) as caught:
        queries.shared_concept(page_store, Label.DATASET, "COCOO")
    assert str(caught.value).startswith("no dataset named 'COCOO'; did you mean: COCO")
    with pytest.raises(NotFoundError, match="no paper with id or title 'Nothing like this'"):
        queries.show_paper(page_store, "Nothing like this")


def test_any_spelling_or_alias_finds_the_concept(page_store: EmbeddedStore) -> None:
    for spelling in ("COCO", "MS-COCO", "ms coco", "MS COCO"):
        assert [n.id for n in queries.find_concepts(page_store, Label.DATASET, spelling)] == ["dataset:coco"]
    assert [n.id for n in queries.find_concepts(page_store, Label.METHOD, "SAEs")] == ["method:sparseautoencoder"]


def test_papers_by_id_title_or_part_of_a_title(page_store: EmbeddedStore) -> None:
    yoloe = queries.find_paper(page_store, "YOLOE: Real-Time Seeing Anything")
    assert queries.find_paper(page_store, yoloe.id) == yoloe
    assert queries.find_paper(page_store, "yoloe real time seeing anything").id == yoloe.id
    assert queries.find_paper(page_store, "Real-Time Seeing").id == yoloe.id


def test_a_part_shared_by_several_titles_asks_for_an_id(page_store: EmbeddedStore) -> None:
    titles = [str(p.properties["title"]) for p in page_store.nodes(Label.PAPER, fields=["title"])]
    sharing = [t for t in titles if "sparse autoencoders" in t.casefold()]
    assert len(sharing) > 1
    with pytest.raises(NotFoundError, match=f"'Sparse Autoencoders' matches {len(sharing)} papers; give an id"):
        queries.find_paper(page_store, "Sparse Autoencoders")

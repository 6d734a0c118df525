"""Citations: references in, CITES edges and stubs, in-text citations, code links."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

from kg.corpus.readers import read_corpus
from kg.graphs.embedded import EmbeddedStore
from kg.model import Label, RelType
from kg.paper import paper_id
from kg.pipeline.build import BuildReport, build
from kg.pipeline.extract import Extractor
from tests.conftest import CITESEER, FIXTURES, citeseer_rows

SCHOLARLY = FIXTURES / "scholarly"


def test_every_citeseer_reference_is_accounted_for(citeseer: tuple[EmbeddedStore, BuildReport]) -> None:
    store, report = citeseer
    rows = citeseer_rows()
    with_text = {str(r["id"]) for r in rows}
    listed = [(str(r["id"]), str(ref)) for r in rows for ref in r["references"]]  # type: ignore[attr-defined]
    assert len(listed) == report.citations.references == 4539
    self_citations = [pair for pair in listed if pair[0] == pair[1]]
    to_text = [pair for pair in listed if pair[1] in with_text]
    to_stubs = [pair for pair in listed if pair[1] not in with_text]
    assert (len(to_text), len(self_citations), len(to_stubs)) == (4397, 120, 142)
    assert report.citations.self_citations == 120
    cites = store.edges([RelType.CITES])
    assert len(cites) == report.citations.cites_from_references == 4397 - 120 + 142
    stubs = {n.id for n in store.nodes(Label.PAPER, fields=["stub"]) if n.properties.get("stub")}
    assert stubs == {target for _, target in to_stubs} and len(stubs) == report.citations.stubs_created == 72
    assert sum(1 for e in cites if e.target in stubs) == 142


def test_each_paper_cites_exactly_its_listed_references(citeseer: tuple[EmbeddedStore, BuildReport]) -> None:
    store, _ = citeseer
    outgoing: dict[str, set[str]] = defaultdict(set)
    for edge in store.edges([RelType.CITES]):
        outgoing[edge.source].add(edge.target)
        assert edge.properties == {"via": "references"}
    for row in citeseer_rows():
        listed = {str(ref) for ref in row["references"]} - {str(row["id"])}  # type: ignore[attr-defined]
        assert outgoing.get(str(row["id"]), set()) == listed


def test_rebuilding_adds_no_duplicate_edge(citeseer: tuple[EmbeddedStore, BuildReport], extractor: Extractor) -> None:
    store, _ = citeseer
    before = store.path.read_bytes()
    again = build([CITESEER], EmbeddedStore.open(store.path), extractor=extractor)
    assert again.papers_written == 0 and store.path.read_bytes() == before


def test_code_links_of_the_bundled_page_become_repositories(page_store: EmbeddedStore,
                                                            papers_matching) -> None:  # type: ignore[no-untyped-def]
    with_code = papers_matching(r"https?://(?:github\.com|gitlab\.com)/[\w.\-]+/[\w.\-]+")
    has_code = page_store.edges([RelType.HAS_CODE])
    titles = {n.id: n.properties["title"] for n in page_store.nodes(Label.PAPER, fields=["title"])}
    assert {titles[e.source] for e in has_code} == with_code
    assert len(with_code) >= 10
    yoloe = next(e for e in has_code if titles[e.source].startswith("YOLOE"))
    repo = page_store.nodes(ids=[yoloe.target])[0]
    assert (repo.id, repo.properties["url"]) == ("repository:github.com/thu-mig/yoloe", "https://github.com/THU-MIG/yoloe")
    assert "https://github.com/THU-MIG/yoloe" in str(yoloe.properties["evidence"])
    braced = next(e for e in has_code if titles[e.source].startswith("Large Language Models are In-Context"))
    assert braced.target == "repository:github.com/xiaojuantang/icsr"


AUTHOR_YEAR = (r"\([A-Z][A-Za-z'-]+ (?:et al\.?|& [A-Z][A-Za-z-]+|and [A-Z][A-Za-z-]+),? (?:19|20)\d{2}\)"
               r"|[A-Z][A-Za-z'-]+ (?:et al\.?|and [A-Z][A-Za-z-]+) \((?:19|20)\d{2}\)")


def test_unresolved_author_year_citations_are_kept(page_store: EmbeddedStore, page_papers) -> None:  # type: ignore[no-untyped-def]
    expected = {p.title: re.findall(AUTHOR_YEAR, p.text) for p in page_papers if re.search(AUTHOR_YEAR, p.text)}
    stored = {str(n.properties["title"]): n.properties["unresolved_citations"]
              for n in page_store.nodes(Label.PAPER) if "unresolved_citations" in n.properties}
    assert stored == expected
    assert sum(len(found) for found in expected.values()) == 5
    assert expected["Circuit Component Reuse Across Tasks in Transformer Language Models"][0] == "Wang et al. (2022)"


def test_author_year_and_identifier_citations_resolve(tmp_path: Path, extractor: Extractor,
                                                      page_papers) -> None:  # type: ignore[no-untyped-def]
    circuit = next(p for p in page_papers if p.title.startswith("Circuit Component"))
    corpus = tmp_path / "papers.jsonl"
    corpus.write_text("\n".join(json.dumps(row) for row in [
        {"id": "wang22", "title": "Interpretability in the Wild: a Circuit for Indirect Object Identification in "
         "GPT-2 small", "abstract": "", "year": 2022, "authors": ["Kevin Wang", "Alexandre Variengien"]},
        {"id": "circuits", "title": circuit.title, "abstract": circuit.abstract, "year": 2023},
        {"id": "refs", "title": "A note", "abstract": "We build on arXiv:1706.03762 and doi:10.1038/nature14539.",
         "year": 2024},
    ]) + "\n")
    store = EmbeddedStore.open(tmp_path / "g.kg", create=True)
    report = build([corpus], store, extractor=extractor)
    text_cites = {(e.source, e.target): e.properties for e in store.edges([RelType.CITES])}
    assert text_cites[("circuits", "wang22")]["text"] == "Wang et al. (2022)"
    assert "Indirect Object Identification (IOI) task" in str(text_cites[("circuits", "wang22")]["evidence"])
    assert {("refs", "arxiv:1706.03762"), ("refs", "doi:10.1038/nature14539")} <= set(text_cites)
    assert report.citations.cites_from_text == 3 and report.citations.stubs_created == 2


def test_scholarly_formats_read_references_and_ids() -> None:
    s2 = json.loads((SCHOLARLY / "s2.json").read_text())
    papers = read_corpus(SCHOLARLY / "s2.json")
    assert [p.aliases for p in papers] == [(f"s2:{r['paperId']}",) for r in s2]
    assert [[ref.id for ref in p.references] for p in papers] == [[f"s2:{x['paperId']}" for x in r["references"]] for r in s2]
    assert all(p.id == (f"doi:{r['externalIds']['DOI'].lower()}" if "DOI" in r["externalIds"]
                        else f"arxiv:{r['externalIds']['ArXiv']}") for p, r in zip(papers, s2))
    works = json.loads((SCHOLARLY / "openalex.json").read_text())["results"]
    papers = read_corpus(SCHOLARLY / "openalex.json")
    for paper, work in zip(papers, works):
        positions = sorted((pos, word) for word, places in work["abstract_inverted_index"].items() for pos in places)
        assert paper.abstract == " ".join(word for _, word in positions)
        assert [r.id for r in paper.references] == [w.replace("https://openalex.org/", "openalex:") for w in
                                                    work["referenced_works"]]
    bib = read_corpus(SCHOLARLY / "papers.bib")
    assert len(bib) == 5 and all(p.title and p.abstract and p.year for p in bib)
    assert bib[0].arxiv_id == "hep-ph/0408122" and bib[0].authors == ("M.A. Gomshi Nobary",)


def test_stubs_merge_when_the_real_paper_arrives(tmp_path: Path, extractor: Extractor) -> None:
    s2 = read_corpus(SCHOLARLY / "s2.json")
    first, second = s2[0], s2[1]
    citing = tmp_path / "citing.jsonl"
    citing.write_text(json.dumps({"id": "c1", "title": "Citing paper", "abstract": "", "references": [
        {"doi": second.doi, "title": second.title, "year": second.year},
        {"title": first.title, "year": first.year}]}) + "\n")
    store = EmbeddedStore.open(tmp_path / "g.kg", create=True)
    build([citing], store, extractor=extractor)
    stubs = sorted(n.id for n in store.nodes(Label.PAPER, fields=["stub"]) if n.properties.get("stub"))
    assert stubs == sorted([f"doi:{second.doi}", paper_id(title=first.title)])
    arrived = tmp_path / "arrived.jsonl"
    arrived.write_text("\n".join(json.dumps({"id": pid, "title": p.title, "abstract": p.abstract, "year": p.year,
                                             "doi": p.doi}) for pid, p in (("real-2", second), ("real-1", first))) + "\n")
    report = build([arrived], EmbeddedStore.open(store.path), extractor=extractor)
    merged = EmbeddedStore.open(store.path)
    assert report.citations.stubs_merged == 2
    assert [n.id for n in merged.nodes(Label.PAPER, fields=["stub"]) if n.properties.get("stub")] == []
    assert sorted(e.target for e in merged.edges([RelType.CITES], sources=["c1"])) == ["real-1", "real-2"]



"""Questions about citations on the CiteSeer corpus: references, citing papers, related papers, cited concepts."""

from __future__ import annotations

import json
from collections import Counter, defaultdict

from click.testing import CliRunner

from kg import queries as citation_queries
from kg.cli import main
from kg.graphs.embedded import EmbeddedStore
from kg.model import RelType
from kg.pipeline.build import BuildReport, build
from kg.pipeline.extract import Extractor
from tests.conftest import CITESEER, citeseer_rows


def test_citation_questions_match_the_listed_references(citeseer: tuple[EmbeddedStore, BuildReport]) -> None:
    store, _ = citeseer
    refs = {str(r["id"]): {str(x) for x in r["references"]} - {str(r["id"])} for r in citeseer_rows()}  # type: ignore[attr-defined]
    citers: dict[str, set[str]] = defaultdict(set)
    for paper, targets in refs.items():
        for target in targets:
            citers[target].add(paper)
    paper = max(citers, key=lambda p: (len(citers[p]), p))
    assert {h.id for h in citation_queries.cited_by(store, paper)} == citers[paper]
    assert {h.id for h in citation_queries.cites(store, paper)} == refs.get(paper, set())
    expected_cocitation = Counter(other for citer in citers[paper] for other in refs[citer] if other != paper)
    got = {r.id: r.cocitation for r in citation_queries.related(store, paper, "cocitation")}
    assert got == dict(expected_cocitation)
    source = max(refs, key=lambda p: (len(refs[p]), p))
    expected_coupling = Counter(other for target in refs[source] for other in citers[target] if other != source)
    got = {r.id: r.coupling for r in citation_queries.related(store, source, "coupling")}
    assert got == dict(expected_coupling)
    scores = [r.score for r in citation_queries.related(store, paper, "all")]
    assert scores == sorted(scores, reverse=True) and scores[0] <= 3


def test_cited_concepts_weigh_papers_by_their_citations(citeseer: tuple[EmbeddedStore, BuildReport]) -> None:
    store, _ = citeseer
    top = citation_queries.cited_concepts(store, top=3)
    citations = Counter(e.target for e in store.edges([RelType.CITES]))
    for concept in top:
        users = {e.source for e in store.edges(targets=[concept.id]) if e.type is not RelType.VARIANT_OF}
        assert concept.papers == len(users)
        assert concept.citations == sum(citations[u] for u in users)
        assert concept.weighted == concept.papers + concept.citations
    assert [c.weighted for c in top] == sorted((c.weighted for c in top), reverse=True)


def test_citation_commands(citeseer: tuple[EmbeddedStore, BuildReport]) -> None:
    store, _ = citeseer
    runner = CliRunner()
    cited = json.loads(runner.invoke(main, ["cited-by", "rao95bdi", "--json", "--store", str(store.path)]).stdout)
    assert {c["id"] for c in cited} == {h.id for h in citation_queries.cited_by(store, "rao95bdi")}
    related = json.loads(runner.invoke(main, ["related", "rao95bdi", "--by", "cocitation", "--json", "--limit", "3",
                                              "--store", str(store.path)]).stdout)
    assert [r["id"] for r in related] == [r.id for r in citation_queries.related(store, "rao95bdi", "cocitation", 3)]
    weighted = runner.invoke(main, ["concepts", "--cited", "--top", "2", "--store", str(store.path)])
    assert weighted.exit_code == 0 and weighted.stdout.splitlines()[0].split()[:5] == [
        "type", "name", "papers", "citations", "weighted"]


def test_citation_answers_are_the_same_on_neo4j(neo4j_store, citeseer: tuple[EmbeddedStore, BuildReport],  # type: ignore[no-untyped-def]
                                                 extractor: Extractor) -> None:
    store, _ = citeseer
    report = build([CITESEER], neo4j_store, extractor=extractor)
    assert report.citations.cites_from_references == 4419
    assert neo4j_store.read() == store.read()
    for paper in ("rao95bdi", "dinverno97formal", "norman00argument"):
        assert citation_queries.cites(neo4j_store, paper) == citation_queries.cites(store, paper)
        assert citation_queries.cited_by(neo4j_store, paper) == citation_queries.cited_by(store, paper)
        assert citation_queries.related(neo4j_store, paper, "all", 10) == citation_queries.related(store, paper, "all", 10)
    assert citation_queries.cited_concepts(neo4j_store, top=10) == citation_queries.cited_concepts(store, top=10)

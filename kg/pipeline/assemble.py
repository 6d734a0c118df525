"""Assemble papers and their resolved mentions into the graph model.

One edge per (paper, concept), typed by the strongest role of its mentions
(:mod:`kg.pipeline.roles`). Edge properties hold the evidence, as values both stores
keep as they are:

``evidence``     the sentence that gave the edge its role
``sentences``    every distinct sentence that names the concept, in text order
``confidence``   the highest confidence of the mentions
``count``        the number of mentions
``mentions``     a JSON array, one object per mention: ``text`` as written,
                 ``start``/``end`` character offsets into the paper's text
                 (title, a blank line, abstract; see ``PaperRecord.text``),
                 ``sentence`` (index into ``sentences``), ``rule`` and ``confidence``

The per-mention details travel as one JSON string rather than five parallel
lists: Neo4j writes one string property much faster than five arrays
(measured in ``benchmarks/bench_stores.py``).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping

from kg.model import Edge, Graph, Label, Node, RelType
from kg.paper import PaperRecord
from kg.pipeline.citations import CitationLinks
from kg.pipeline.extract import Mention
from kg.pipeline.resolve import Concept
from kg.pipeline.roles import role_of, strongest

__all__ = ["EXTRACTION_VERSION", "assemble", "concept_graph", "content_hash", "paper_node"]

EXTRACTION_VERSION = "2"
"""Changes whenever extraction changes, so stored papers are re-extracted."""


def content_hash(paper: PaperRecord) -> str:
    """A hash of everything a build reads from a record (and the extraction version)."""
    fields = (EXTRACTION_VERSION, paper.title, paper.abstract, paper.year, paper.authors, paper.url, paper.doi,
              paper.arxiv_id, paper.references, paper.aliases)
    return hashlib.sha1(repr(fields).encode("utf-8")).hexdigest()


def paper_node(paper: PaperRecord, extra: Mapping[str, object] | None = None) -> Node:
    """The ``Paper`` node of a record (plus ``extra`` properties); empty fields are left out."""
    props: dict[str, object] = {
        **(extra or {}),
        "title": paper.title,
        "abstract": paper.abstract,
        "year": paper.year,
        "authors": list(paper.authors),
        "url": paper.url,
        "doi": paper.doi,
        "arxiv_id": paper.arxiv_id,
        "source": paper.source,
        "aliases": list(paper.aliases),
        "content_hash": content_hash(paper),
    }
    clean = {k: v for k, v in props.items() if v is not None and v != [] and v != ""}
    return Node(Label.PAPER, paper.id, clean)  # type: ignore[arg-type]


def _edge(paper_id: str, concept_id: str, mentions: list[Mention]) -> Edge:
    roles = [role_of(m.sentence, m.start - m.sentence_start, m.label, proposed=m.proposed, length=m.end - m.start)
             for m in mentions]
    winner = strongest(roles)
    evidence = next(m.sentence for m, r in zip(mentions, roles) if r is winner)
    sentences = list(dict.fromkeys(m.sentence for m in mentions))
    details = [
        {"text": m.text, "start": m.start, "end": m.end, "sentence": sentences.index(m.sentence),
         "rule": m.rule, "confidence": m.confidence}
        for m in mentions
    ]
    return Edge(
        winner,
        paper_id,
        concept_id,
        {
            "evidence": evidence,
            "sentences": sentences,
            "confidence": max(m.confidence for m in mentions),
            "count": len(mentions),
            "mentions": json.dumps(details, ensure_ascii=False, separators=(",", ":")),
        },
    )


def assemble(
    linked: Iterable[tuple[PaperRecord, list[tuple[str, Mention]]]],
    concepts: dict[str, Concept],
    citations: CitationLinks | None = None,
) -> Graph:
    """Build the graph of ``linked`` papers, the concepts they (and their families) touch,
    and their citations and code links."""
    citations = citations or CitationLinks()
    nodes: list[Node] = list(citations.nodes)
    edges: list[Edge] = list(citations.edges)
    touched: set[str] = set()
    for paper, links in linked:
        nodes.append(paper_node(paper, citations.paper_properties.get(paper.id)))
        by_concept: dict[str, list[Mention]] = defaultdict(list)
        for concept_id, mention in links:
            by_concept[concept_id].append(mention)
        for concept_id, mentions in sorted(by_concept.items()):
            edges.append(_edge(paper.id, concept_id, mentions))
            touched.add(concept_id)
    concept_part = concept_graph(touched, concepts)
    return Graph.of([*nodes, *concept_part.nodes], [*edges, *concept_part.edges])


def concept_graph(ids: Iterable[str], concepts: Mapping[str, Concept]) -> Graph:
    """The concept nodes of ``ids`` and of their families, with ``VARIANT_OF`` edges, in id order."""
    nodes: list[Node] = []
    edges: list[Edge] = []
    for concept_id in sorted(_with_families(set(ids), concepts)):
        concept = concepts[concept_id]
        nodes.append(Node(concept.label, concept.id, concept.properties()))  # type: ignore[arg-type]
        if concept.family is not None:
            edges.append(Edge(RelType.VARIANT_OF, concept.id, concept.family, {}))
    return Graph.of(nodes, edges)


def _with_families(ids: set[str], concepts: Mapping[str, Concept]) -> set[str]:
    result = set()
    for concept_id in ids:
        current: str | None = concept_id
        while current is not None and current not in result:
            result.add(current)
            current = concepts[current].family
    return result

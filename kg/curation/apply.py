"""Curation on a stored graph: apply the rules of a curation file, or suggest likely duplicates.

:func:`apply_curation` moves every paper's edge to the concept the rules name
(a merge or a split), drops edges to concepts that must never be, renames
concepts, and prunes what is left unsupported, in one store write: the papers
concerned are written again with their corrected edges.

:func:`suggest_duplicates` lists pairs a person may want to merge: one name
the acronym of the other, and names a letter or two apart (noted when they
share a family). Versions and sizes (names with digits) and a name inside
another are not suggested. Nothing is changed.
"""

from __future__ import annotations

import difflib
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field

from kg.curation.rules import NEVER, Curation
from kg.graphs.store import GraphStore
from kg.model import (
    CONCEPT_LABELS,
    PAPER_CONCEPT_TYPES,
    PAPER_OWNED_TYPES,
    Edge,
    Graph,
    Label,
    Node,
    RelType,
    concept_id,
    int_prop,
    str_prop,
)
from kg.normalize import name_key
from kg.pipeline.prune import orphans

__all__ = ["CurationReport", "Suggestion", "apply_curation", "suggest_duplicates"]


@dataclass(frozen=True)
class CurationReport:
    """What applying the rules changed."""

    moved_edges: int = 0
    dropped_edges: int = 0
    renamed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Suggestion:
    """Two concepts that may be one, and why."""

    type: str
    first: str
    second: str
    reason: str
    score: float


def _combine(old: Edge, new: Edge) -> Edge:
    """Two edges from one paper to one concept: the stronger role, evidence merged."""
    strong, weak = sorted((old, new), key=lambda e: PAPER_CONCEPT_TYPES.index(e.type))
    sentences = list(dict.fromkeys([*_list(strong, "sentences"), *_list(weak, "sentences")]))
    mentions = json.loads(str_prop(strong.properties, "mentions", "[]")) + json.loads(
        str_prop(weak.properties, "mentions", "[]"))
    props = {**weak.properties, **strong.properties, "sentences": sentences,
             "count": int_prop(strong.properties, "count") + int_prop(weak.properties, "count"),
             "mentions": json.dumps(mentions, ensure_ascii=False, separators=(",", ":"))}
    return Edge(strong.type, strong.source, strong.target, props)


def _list(edge: Edge, name: str) -> list[str]:
    value = edge.properties.get(name)
    return [str(v) for v in value] if isinstance(value, list) else []


def _target(curation: Curation, concept: Node, edge: Edge, made: dict[str, Node]) -> str | None:
    """Where ``edge`` to ``concept`` goes; ``None`` to drop it."""
    sentences = " ".join(_list(edge, "sentences")) or str_prop(edge.properties, "evidence")
    names = [str_prop(concept.properties, "name"), *(str(a) for a in concept.properties.get("aliases") or [])]  # type: ignore[union-attr]
    for name in names:
        rule = curation.redirect(name, concept.label.span_label, sentences)
        if rule == NEVER:
            return None
        if rule is not None:
            kind, into = rule
            cid = concept_id(Label.from_span_label(kind), into)
            made.setdefault(cid, Node(Label.from_span_label(kind), cid, {
                "name": into, "keys": [name_key(into)], "origin": "curation"}))
            return cid
    return concept.id


def apply_curation(store: GraphStore, curation: Curation) -> CurationReport:
    """Apply ``curation`` to the stored graph (idempotent: applying it twice changes nothing more)."""
    concepts = {n.id: n for label in CONCEPT_LABELS for n in store.nodes(label)}
    made: dict[str, Node] = {}
    moved: dict[str, dict[str, Edge]] = defaultdict(dict)
    touched: set[str] = set()
    dropped = moved_count = 0
    for edge in store.edges(PAPER_CONCEPT_TYPES):
        target = _target(curation, concepts[edge.target], edge, made)
        if target != edge.target:
            touched.add(edge.source)
            dropped += target is None
            moved_count += target is not None
        if target is not None:
            new = Edge(edge.type, edge.source, target, edge.properties)
            old = moved[edge.source].get(target)
            moved[edge.source][target] = _combine(old, new) if old else new
    nodes = [n for n in store.nodes(Label.PAPER, ids=touched)]
    others = [e for e in store.edges([t for t in PAPER_OWNED_TYPES if t not in PAPER_CONCEPT_TYPES], sources=touched)]
    edges = [e for paper in touched for e in moved[paper].values()] + others
    renamed = _renames(curation, concepts)
    made_nodes = [made[cid] for cid in made if cid not in concepts]
    arriving: dict[str, set[str]] = defaultdict(set)
    for edge in edges:
        arriving[edge.target].add(edge.source)
    candidates = {e.target for e in store.edges(PAPER_CONCEPT_TYPES, sources=touched, fields=[])}
    removed = orphans(store, candidates - set(arriving), touched, arriving)
    if touched or renamed or made_nodes:
        store.write(Graph.of([*nodes, *made_nodes, *renamed], edges), remove=removed)
    return CurationReport(moved_count, dropped, sorted(n.id for n in renamed), removed)


def _renames(curation: Curation, concepts: dict[str, Node]) -> list[Node]:
    renamed = []
    for node in concepts.values():
        name = str_prop(node.properties, "name")
        to = curation.display_name(name_key(name), node.label.span_label)
        if to and to != name:
            aliases = sorted({*(str(a) for a in node.properties.get("aliases") or []), name})  # type: ignore[union-attr]
            renamed.append(Node(node.label, node.id, {**node.properties, "name": to, "aliases": aliases}))
    return renamed


_WORD = re.compile(r"[^\s\-]+")


def _initials(name: str) -> str:
    return "".join(word[0] for word in _WORD.findall(name)).lower()


def _distinct_kinds(a: str, b: str) -> bool:
    """Pairs that are related but not the same thing: versions or sizes (digits), and a name
    inside another (a broader concept: "representation learning" in "graph representation learning")."""
    return bool(re.search(r"\d", a + b)) or a in b or b in a


def suggest_duplicates(store: GraphStore, cutoff: float = 0.88) -> list[Suggestion]:
    """Pairs of concepts of one type that may name one thing, best first (nothing is changed)."""
    found: list[Suggestion] = []
    parents = {e.source: e.target for e in store.edges([RelType.VARIANT_OF], fields=[])}
    for label in CONCEPT_LABELS:
        nodes = sorted(store.nodes(label, fields=["name"]), key=lambda n: n.id)
        names = {n.id: str_prop(n.properties, "name") for n in nodes}
        keys = {n.id: n.id.split(":", 1)[1] for n in nodes}
        by_initials: dict[str, list[str]] = defaultdict(list)
        for node in nodes:
            if len(names[node.id].split()) >= 2:
                by_initials[_initials(names[node.id])].append(node.id)
        for node in nodes:
            for long_id in by_initials.get(keys[node.id], []):
                if long_id != node.id and parents.get(node.id) != long_id and parents.get(long_id) != node.id:
                    found.append(Suggestion(label.value, names[node.id], names[long_id], "acronym", 1.0))
        for i, first in enumerate(nodes):
            for second in nodes[i + 1:]:
                a, b = keys[first.id], keys[second.id]
                if _distinct_kinds(a, b):
                    continue
                score = difflib.SequenceMatcher(None, a, b).ratio()
                if score >= cutoff:
                    same_family = parents.get(first.id) is not None and parents.get(first.id) == parents.get(second.id)
                    reason = "spelling, same family" if same_family else "spelling"
                    found.append(Suggestion(label.value, names[first.id], names[second.id], reason, round(score, 3)))
    return sorted(found, key=lambda s: (-s.score, s.type, s.first.casefold(), s.second.casefold()))

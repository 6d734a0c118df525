"""What the named questions answer: plain frozen dataclasses (``dataclasses.asdict`` gives the JSON the CLI prints)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from kg.model import Node, str_prop

__all__ = ["Burst", "CitationHit", "CitedConcept", "ConceptCount", "ConceptLink", "ConceptMap", "ConceptTrend", "PaperConcepts", "PaperHit",
           "MapLink", "MapNode", "RelatedPaper", "Relatedness", "Stats", "Trends", "display_title"]


@dataclass(frozen=True)
class PaperConcepts:
    """A paper and the canonical names of its concepts, by type."""

    id: str
    title: str
    year: int | None
    datasets: list[str]
    models: list[str]
    methods: list[str]
    tasks: list[str]
    metrics: list[str]
    code: list[str]


@dataclass(frozen=True)
class PaperHit:
    """A paper linked to an asked-for concept (or one of its variants), with the evidence.

    ``concept`` is the paper's strongest link among them; ``matched`` names all of them.
    """

    id: str
    title: str
    concept: str
    concept_id: str
    role: str
    evidence: str
    confidence: float
    mentions: int
    matched: list[str]


@dataclass(frozen=True)
class RelatedPaper:
    """Another paper and what it shares with the asked-for paper; ``score`` sums the shared concepts' rarity."""

    id: str
    title: str
    score: float
    shared: list[str]
    shared_ids: list[str] = field(repr=False)


@dataclass(frozen=True)
class ConceptLink:
    """One concept of a paper, with its role and evidence."""

    id: str
    name: str
    type: str
    role: str
    evidence: str
    confidence: float
    mentions: int


@dataclass(frozen=True)
class ConceptCount:
    """A concept and how many papers use it directly and through its variants."""

    id: str
    name: str
    type: str
    papers: int
    papers_with_variants: int
    family: str | None


@dataclass(frozen=True)
class Stats:
    """Counts of nodes by label and edges by type."""

    nodes: dict[str, int]
    edges: dict[str, int]
    papers_without_concepts: int
    stub_papers: int


@dataclass(frozen=True)
class CitationHit:
    """A paper at the other end of a citation; ``via`` is ``references`` or ``text``."""

    id: str
    title: str
    stub: bool
    via: str
    evidence: str


@dataclass(frozen=True)
class Relatedness:
    """Another paper and how it relates: co-citing papers, shared references, concept score."""

    id: str
    title: str
    score: float
    cocitation: int
    coupling: int
    concepts: float
    shared_concepts: list[str]


@dataclass(frozen=True)
class CitedConcept:
    """A concept with the papers using it, the citations those papers receive, and the weighted use."""

    id: str
    name: str
    type: str
    papers: int
    citations: int
    weighted: int


@dataclass(frozen=True)
class Burst:
    """Years ``start`` to ``end`` (inclusive) in which a concept was used in bursts, and how strongly."""

    start: int
    end: int
    strength: float


@dataclass(frozen=True)
class ConceptTrend:
    """A concept over time: first year seen, papers per year in the window (and their sum), papers
    without a year, bursts, and rise (percentage points of the year's papers gained per year)."""

    id: str
    name: str
    type: str
    first_seen: int | None
    papers: int
    undated: int
    by_year: dict[int, int]
    bursts: list[Burst]
    rise: float


@dataclass(frozen=True)
class Trends:
    """Concepts over the years ``since`` to ``until``: all papers per year, papers without a year, the concepts."""

    since: int | None
    until: int | None
    papers_by_year: dict[int, int]
    undated_papers: int
    concepts: list[ConceptTrend]


@dataclass(frozen=True)
class MapNode:
    """A concept on the co-occurrence map: its papers, its total link weight, its community (0 is the largest)."""

    id: str
    name: str
    type: str
    papers: int
    links: int
    community: int


@dataclass(frozen=True)
class MapLink:
    """Two concepts (``source`` < ``target``), the papers using both, and their association strength."""

    source: str
    target: str
    papers: int
    strength: float


@dataclass(frozen=True)
class ConceptMap:
    """The co-occurrence map: concepts (most used first), links, and how many communities."""

    nodes: list[MapNode]
    links: list[MapLink]
    communities: int


def display_title(node: Node | Mapping[str, object] | None) -> str:
    """A paper's title, or its abstract's first words when it has none (``""`` for nothing); from a
    node or from a row with ``title`` and ``abstract``."""
    if node is None:
        return ""
    props = node.properties if isinstance(node, Node) else node
    title = str_prop(props, "title")  # type: ignore[arg-type]
    if title or props.get("abstract") is None:
        return title
    words = str_prop(props, "abstract").split()  # type: ignore[arg-type]
    return " ".join(words[:12]) + (" …" if len(words) > 12 else "")

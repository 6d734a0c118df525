"""What the HTML page shows, read from any store through the :class:`~kg.graphs.store.GraphStore` primitives.

:func:`page_data` chooses the nodes (every node, or the part a
:class:`PageFilter` keeps), reads their names and the evidence of their edges,
and places them (:mod:`kg.explorer.layout`). A graph larger than ``max_nodes`` is
cut to the most used concepts and the papers linked to most of them, and
:attr:`PageData.note` says so in words the page shows.

Examples
--------
>>> PageFilter(types=(Label.DATASET,), min_papers=2).describe()
'Dataset concepts with at least 2 papers, and their papers'
>>> PageFilter(top=20).describe()
'the top 20 concepts by papers, and their papers'
>>> PageFilter().active
False
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from kg.errors import NotFoundError
from kg.explorer.layout import layout
from kg.explorer.mapview import MapView, map_view
from kg.graphs.store import GraphStore
from kg.model import CONCEPT_LABELS, PAPER_CONCEPT_TYPES, Edge, Label, Node, RelType, int_prop, str_prop
from kg.queries import find_paper, shared_with_paper

__all__ = ["DEFAULT_MAX_NODES", "PageData", "PageEdge", "PageFilter", "PageNode", "page_data"]

DEFAULT_MAX_NODES = 5_000
"""The most nodes a page holds unless asked for more (drawn in about a second in Chromium)."""

_NAME_FIELDS = ("name", "title", "url")
_EDGE_FIELDS = ("evidence", "count")
_OTHER_LABELS = tuple(label for label in Label if label is not Label.PAPER and label not in CONCEPT_LABELS)
_OTHER_TYPES = tuple(t for t in RelType if t not in PAPER_CONCEPT_TYPES and t is not RelType.VARIANT_OF)


@dataclass(frozen=True)
class PageFilter:
    """Which part of the graph to draw. The defaults draw all of it (up to ``max_nodes``).

    ``types`` are the concept labels to keep (all when empty); ``min_papers``
    drops concepts used by fewer papers; ``top`` keeps the N concepts with most
    papers; ``paper`` (an id or title) keeps that paper's concepts and the other
    papers sharing them. Papers are kept when linked to a kept concept.
    """

    types: tuple[Label, ...] = ()
    min_papers: int = 0
    top: int | None = None
    paper: str | None = None
    max_nodes: int = DEFAULT_MAX_NODES

    @property
    def active(self) -> bool:
        """Whether anything but the size cap is asked for."""
        return bool(self.types or self.min_papers or self.top or self.paper)

    def concepts_words(self) -> str:
        """The kept concepts in words: ``"Dataset concepts with at least 2 papers"``."""
        kinds = " and ".join(label.value for label in self.types)
        words = f"{kinds} concepts" if kinds else "concepts"
        if self.min_papers:
            words += f" with at least {self.min_papers:,} papers"
        return f"the top {self.top:,} {words} by papers" if self.top else words

    def describe(self, paper_title: str = "") -> str:
        """The whole filter in words, for the page's note."""
        if self.paper:
            return f"the {self.concepts_words()} of paper {paper_title or self.paper!r}, and the papers sharing them"
        return f"{self.concepts_words()}, and their papers"


@dataclass(frozen=True)
class PageNode:
    """A node as the page draws it: ``papers`` is the number of papers using a concept (in the whole graph)."""

    id: str
    type: str
    name: str
    papers: int
    x: float
    y: float
    year: int | None = None
    community: int = -1


@dataclass(frozen=True)
class PageEdge:
    """An edge as the page draws it, with the sentence that gave it (paper to concept edges)."""

    source: str
    target: str
    role: str
    evidence: str
    count: int


@dataclass(frozen=True)
class PageData:
    """The nodes and edges to draw, how many nodes the store holds, and the note shown when not all are drawn."""

    nodes: list[PageNode]
    edges: list[PageEdge]
    total_nodes: int
    note: str = ""
    types: list[str] = field(default_factory=list)
    map: MapView = field(default_factory=MapView)


@dataclass
class _Selection:
    """Concepts (most used first), papers and the paper-concept links between them, before reading details."""

    concepts: list[Node]
    papers: set[str]
    links: list[Edge]
    counts: dict[str, int]
    whole: bool
    everything: list[Edge] = field(default_factory=list)
    centre: str | None = None
    parts: list[str] = field(default_factory=list)


def page_data(store: GraphStore, page_filter: PageFilter | None = None) -> PageData:
    """Collect, filter, cut and place what the page shows.

    Raises ``NotFoundError`` when a filter leaves no concept, or names no paper.
    """
    wanted = page_filter or PageFilter()
    total = sum(store.count(label) for label in Label)
    selection = _select(store, wanted)
    _cut(store, selection, wanted.max_nodes, bool(wanted.paper))
    concepts = {node.id: node for node in selection.concepts}
    papers = _papers(store, selection)
    edges = _edges(store, selection, concepts, papers)
    others = _others(store, selection, edges, concepts, papers)
    linked: dict[str, list[str]] = {pid: [] for pid in sorted(papers)}
    for edge in edges:
        if edge.source in papers and edge.target not in papers:
            linked[edge.source].append(edge.target)
    variants = [(e.source, e.target) for e in edges if e.type is RelType.VARIANT_OF]
    pos = layout([*concepts, *sorted(others)], linked, variants)
    view = map_view(store, list(concepts), linked)
    chosen = [*selection.concepts, *(others[o] for o in sorted(others)), *(papers[p] for p in sorted(papers))]
    nodes = [_page_node(node, selection.counts, pos, view.community) for node in chosen]
    note = "" if len(nodes) == total else f"showing {len(nodes):,} of {total:,} nodes: " + "; ".join(selection.parts)
    page_edges = [PageEdge(e.source, e.target, e.type.value, str_prop(e.properties, "evidence"),
                           int_prop(e.properties, "count", 1)) for e in edges]
    order = [label.value for label in Label]
    types = sorted({node.type for node in nodes}, key=lambda t: (order.index(t) if t in order else len(order), t))
    return PageData(nodes, page_edges, total, note, types, view)


def _select(store: GraphStore, wanted: PageFilter) -> _Selection:
    """The concepts and papers the filter keeps, before the size cap."""
    centre: Node | None = None
    everything: list[Edge] = []
    if wanted.paper:
        centre = find_paper(store, wanted.paper)
        own = {e.target for e in store.edges(PAPER_CONCEPT_TYPES, sources=[centre.id], fields=[])}
        links = store.edges(PAPER_CONCEPT_TYPES, targets=own, fields=[]) if own else []
    elif wanted.active:
        links = store.edges(PAPER_CONCEPT_TYPES, fields=[])
    else:
        everything = store.edges(fields=_EDGE_FIELDS)
        links = [e for e in everything if e.type in PAPER_CONCEPT_TYPES]
    users: dict[str, set[str]] = defaultdict(set)
    for edge in links:
        users[edge.target].add(edge.source)
    counts = {concept: len(who) for concept, who in users.items()}
    nodes = [n for label in (wanted.types or CONCEPT_LABELS) for n in store.nodes(label, fields=["name"])
             if (centre is None or n.id in users) and counts.get(n.id, 0) >= wanted.min_papers]
    nodes.sort(key=lambda n: (-counts.get(n.id, 0), _name(n).casefold(), n.id))
    nodes = nodes[:wanted.top] if wanted.top else nodes
    if wanted.active and not nodes:
        about = f"paper {centre.id} ({centre.properties.get('title', '')}) has" if centre else "there are"
        raise NotFoundError(f"nothing to draw: {about} no {wanted.concepts_words()}")
    if not wanted.active:
        papers = {n.id for n in store.nodes(Label.PAPER, fields=[])}
        return _Selection(nodes, papers, links, counts, whole=True, everything=everything)
    kept = {n.id for n in nodes}
    links = [e for e in links if e.target in kept]
    papers = {e.source for e in links} | ({centre.id} if centre else set())
    title = str(centre.properties.get("title", "")) if centre else ""
    return _Selection(nodes, papers, links, counts, whole=False, centre=centre.id if centre else None,
                      parts=[wanted.describe(title)])


def _name(node: Node) -> str:
    for key in _NAME_FIELDS:
        value = node.properties.get(key)
        if value:
            return str(value)
    return node.id


def _cut(store: GraphStore, selection: _Selection, budget: int, around_paper: bool) -> None:
    """Cut to ``budget`` nodes: the most used concepts, then the papers linked to most of them.

    As many concepts as fit with all their papers are kept, but at least a tenth
    of the budget; the papers are then ranked by how many kept concepts they
    link to (around a paper: by what they share with it, that paper first). The
    nodes papers bring along (their code repositories) count against the budget.
    """
    attached = _attached(store, None if selection.whole else selection.papers)
    extra = (sum(store.count(label) for label in _OTHER_LABELS) if selection.whole
             else len(set().union(*attached.values())))
    if len(selection.concepts) + len(selection.papers) + extra <= budget:
        return
    users: dict[str, set[str]] = defaultdict(set)
    for edge in selection.links:
        users[edge.target].add(edge.source)
    keep = max(_fitting(selection.concepts, users, attached, budget),
               min(len(selection.concepts), max(budget // 10, 1)))
    kept = {node.id for node in selection.concepts[:keep]}
    linked: dict[str, int] = defaultdict(int)
    for edge in selection.links:
        if edge.target in kept:
            linked[edge.source] += 1
    order = _paper_order(store, linked, selection.centre)
    chosen = _fill(order, attached, budget - keep)
    how = "sharing most with it" if around_paper else "linked to most of them"
    papers = (f"all their papers ({len(chosen):,})" if len(chosen) == len(order)
              else f"{len(chosen):,} of their {_count(len(order), 'paper')}, those {how}")
    top = "the top concept" if keep == 1 else f"the top {keep:,} concepts"
    selection.parts.append(f"cut to --max-nodes {budget:,}: {top} by papers and {papers}")
    selection.concepts = selection.concepts[:keep]
    selection.papers = chosen
    selection.links = [e for e in selection.links if e.target in kept and e.source in chosen]
    selection.whole = False


def _attached(store: GraphStore, papers: set[str] | None) -> dict[str, set[str]]:
    """The nodes that are neither papers nor concepts (code repositories) each paper links to."""
    edges = store.edges(_OTHER_TYPES, sources=papers, fields=[]) if _OTHER_TYPES else []
    labels = {n.id: n.label for n in store.nodes(ids={e.target for e in edges}, fields=[])}
    attached: dict[str, set[str]] = defaultdict(set)
    for edge in edges:
        if labels.get(edge.target) in _OTHER_LABELS:
            attached[edge.source].add(edge.target)
    return attached


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def _fitting(concepts: Sequence[Node], users: dict[str, set[str]], attached: dict[str, set[str]], budget: int) -> int:
    """How many of the first ``concepts`` fit in ``budget`` together with all their papers (and what those bring)."""
    papers: set[str] = set()
    brought: set[str] = set()
    for i, node in enumerate(concepts):
        new = users.get(node.id, set()) - papers
        papers |= new
        for paper in new:
            brought |= attached.get(paper, set())
        if i + 1 + len(papers) + len(brought) > budget:
            return i
    return len(concepts)


def _fill(order: Sequence[str], attached: dict[str, set[str]], room: int) -> set[str]:
    """The first papers of ``order`` that fit in ``room`` nodes with what they bring along."""
    chosen: set[str] = set()
    brought: set[str] = set()
    for paper in order:
        new = attached.get(paper, set()) - brought
        if len(chosen) + 1 + len(brought) + len(new) <= room:
            chosen.add(paper)
            brought |= new
        if len(chosen) + len(brought) >= room:
            break
    return chosen


def _paper_order(store: GraphStore, linked: dict[str, int], centre: str | None) -> list[str]:
    """Papers by how many kept concepts they link to; around a paper, by what they share with it (it first)."""
    if centre is None:
        return sorted(linked, key=lambda p: (-linked[p], p))
    rank = {r.id: i for i, r in enumerate(shared_with_paper(store, centre))}
    others = sorted((p for p in linked if p != centre), key=lambda p: (rank.get(p, len(rank)), -linked[p], p))
    return [centre, *others]


def _papers(store: GraphStore, selection: _Selection) -> dict[str, Node]:
    ids = None if selection.whole else selection.papers
    return {n.id: n for n in store.nodes(Label.PAPER, ids=ids, fields=["title", "year"])}


def _edges(store: GraphStore, selection: _Selection, concepts: dict[str, Node],
           papers: dict[str, Node]) -> list[Edge]:
    """Paper-to-concept edges with their evidence, variant links between kept concepts, and the other edge types."""
    fields = list(_EDGE_FIELDS)
    if selection.whole:
        return list(selection.everything)
    found = [e for e in store.edges(PAPER_CONCEPT_TYPES, sources=papers, fields=fields) if e.target in concepts]
    found += [e for e in store.edges([RelType.VARIANT_OF], sources=concepts, fields=[]) if e.target in concepts]
    if _OTHER_TYPES:
        found += [e for e in store.edges(_OTHER_TYPES, sources=papers, fields=fields) if e.target not in concepts]
    return found


def _others(store: GraphStore, selection: _Selection, edges: list[Edge], concepts: dict[str, Node],
            papers: dict[str, Node]) -> dict[str, Node]:
    """Nodes that are neither papers nor concepts (code repositories): all of them, or those kept papers link to.

    Drops edges to nodes that are not drawn (other papers, outside a filter).
    """
    if selection.whole:
        found = {n.id: n for label in _OTHER_LABELS for n in store.nodes(label, fields=list(_NAME_FIELDS))}
    else:
        ends = {e.target for e in edges if e.target not in concepts and e.target not in papers}
        found = {n.id: n for n in store.nodes(ids=ends, fields=list(_NAME_FIELDS))
                 if n.label is not Label.PAPER and n.label not in CONCEPT_LABELS}
    drawn = concepts.keys() | papers.keys() | found.keys()
    edges[:] = [e for e in edges if e.source in drawn and e.target in drawn]
    return found


def _page_node(node: Node, counts: dict[str, int], pos: dict[str, tuple[float, float]],
               community: dict[str, int]) -> PageNode:
    x, y = pos[node.id]
    year = node.properties.get("year") if node.label is Label.PAPER else None
    return PageNode(node.id, node.label.value, _name(node), counts.get(node.id, 0), round(x, 1), round(y, 1),
                    year if isinstance(year, int) else None, community.get(node.id, -1))

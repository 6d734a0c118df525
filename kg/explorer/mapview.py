"""The page's second view: the co-occurrence map of its concepts, placed in Python, and every node's community.

The map is :func:`kg.queries.cooccurrence_map` of the whole store (every concept
with a paper), so a page's communities are the ones ``kg map`` prints. The view
draws the page's :data:`MAP_NODES` most used concepts, placed by a force layout
of their association strengths; a paper takes the community most of its
concepts are in (the lowest number on a tie).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from kg.errors import NotFoundError
from kg.explorer.layout import SPACING, packed_layout
from kg.graphs.store import GraphStore
from kg.queries.cooccurrence import cooccurrence_map

__all__ = ["MAP_NODES", "MapView", "map_view"]

MAP_NODES = 500
"""The most concepts the map view draws (the page's most used)."""


@dataclass(frozen=True)
class MapView:
    """Communities of concepts and papers, and the map view's positions and links."""

    community: dict[str, int] = field(default_factory=dict)
    positions: dict[str, tuple[float, float]] = field(default_factory=dict)
    links: list[tuple[str, str, int, float]] = field(default_factory=list)


def map_view(store: GraphStore, concepts: Sequence[str], papers: Mapping[str, Sequence[str]]) -> MapView:
    """The map view of ``concepts`` (page ids, most used first) and the communities of ``papers`` (id -> concepts)."""
    try:
        found = cooccurrence_map(store, min_papers=1)
    except NotFoundError:
        return MapView()
    community = {node.id: node.community for node in found.nodes}
    for paper, linked in papers.items():
        votes = Counter(community[c] for c in linked if c in community)
        if votes:
            community[paper] = min(votes, key=lambda c: (-votes[c], c))
    drawn = [c for c in concepts if c in community][:MAP_NODES]
    index = {concept: i for i, concept in enumerate(drawn)}
    links = [(link.source, link.target, link.papers, link.strength) for link in found.links
             if link.source in index and link.target in index]
    papers_of = {node.id: node.papers for node in found.nodes}
    weights = [(index[a], index[b], math.log1p(strength) * n) for a, b, n, strength in links]
    raw = packed_layout(len(drawn), weights, [1 + math.sqrt(papers_of[c]) for c in drawn], 2 * SPACING, 7)
    positions = {c: (round(float(raw[i, 0]), 1), round(float(raw[i, 1]), 1)) for c, i in index.items()}
    return MapView(community, positions, links)

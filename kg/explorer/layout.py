"""Node positions for the HTML page, computed in Python so the browser draws at once.

A force layout of every node costs O(n^2) per step, too slow and too big at
20,000 nodes. The page's graph is bipartite-like (papers link to concepts), so
positions are found in three cheap steps:

1. **Anchors**: the most used concepts (up to :data:`ANCHORS`) are placed by a
   Fruchterman-Reingold force layout (vectorised with numpy) of their co-usage
   graph: two concepts attract in proportion to the papers they share (cosine
   weight), a variant attracts its family, and a concept with more papers
   pushes harder, to leave room for them.
2. **Other concepts** go near the weighted centre of the placed concepts they
   share papers with (else of their family); concepts sharing nothing sit on a
   ring outside.
3. **Papers** go around the centre of their concepts: papers with the same set
   of concepts form one sunflower spiral there, so no two papers coincide and a
   paper does not cover its concept. Papers without concepts sit on the ring.

Graphs of up to :data:`FULL_LIMIT` nodes skip this: every node and edge goes
into the force layout. Either way each connected component is laid out on its
own and the components are packed side by side, largest in the middle, so a
few stray components do not shrink the rest to a dot. Everything is seeded:
the same graph always gets the same positions.

Examples
--------
>>> pos = layout(["model:a", "model:b"], {"p1": ["model:a", "model:b"], "p2": ["model:a"]}, [])
>>> sorted(pos)
['model:a', 'model:b', 'p1', 'p2']
>>> layout([], {}, [])
{}
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

__all__ = ["ANCHORS", "FULL_LIMIT", "SPACING", "force_layout", "layout", "packed_layout"]

FULL_LIMIT = 600
"""Graphs with at most this many nodes get a force layout of all their nodes and edges."""
ANCHORS = 400
"""Concepts placed by the force layout in larger graphs; the rest are placed relative to them."""
SPACING = 22.0
"""Distance between neighbouring papers, in vis-network units (pixels at zoom 1)."""

_GOLDEN = math.pi * (3 - math.sqrt(5))
_MAX_PAIRS_PER_PAPER = 40
Array = npt.NDArray[np.float64]
WeightedEdges = Sequence[tuple[int, int, float]]
Positions = dict[str, tuple[float, float]]


def force_layout(n: int, edges: WeightedEdges, *, mass: Sequence[float] | None = None,
                 iterations: int = 150, seed: int = 7) -> Array:
    """Fruchterman-Reingold positions (an ``n x 2`` array within the unit disc) of a weighted graph.

    ``edges`` are ``(i, j, weight)``; ``mass`` scales how hard a node pushes
    others away. Repulsion acts between all pairs (dense: keep ``n`` to a few
    hundred), attraction along edges, and a weak pull to the centre.
    """
    if n < 2:
        return np.zeros((n, 2))
    rng = np.random.default_rng(seed)
    pos = rng.uniform(-1.0, 1.0, (n, 2)).astype(np.float32)
    src = np.array([e[0] for e in edges], dtype=np.intp)
    dst = np.array([e[1] for e in edges], dtype=np.intp)
    weight = np.array([e[2] for e in edges], dtype=np.float32)
    push = np.ones(n) if mass is None else np.asarray(mass, dtype=np.float64) / np.mean(mass)
    k = 1.0 / math.sqrt(n)
    pairs = (np.outer(push, push) * (k * k)).astype(np.float32)
    for step in range(iterations):
        # Repulsion: sum over j of pairs_ij (p_i - p_j) / |p_i - p_j|^2, in float32 and in place.
        dx = np.subtract.outer(pos[:, 0], pos[:, 0])
        dy = np.subtract.outer(pos[:, 1], pos[:, 1])
        inv = dx * dx
        inv += dy * dy
        np.maximum(inv, 1e-9, out=inv)
        np.divide(pairs, inv, out=inv)
        disp = np.stack([np.einsum("ij,ij->i", dx, inv), np.einsum("ij,ij->i", dy, inv)], axis=1)
        if len(src):
            delta = pos[src] - pos[dst]
            pull = delta * (np.hypot(delta[:, 0], delta[:, 1]) * weight / k)[:, None]
            np.add.at(disp, src, -pull)
            np.add.at(disp, dst, pull)
        disp -= pos * 0.1
        length = np.maximum(np.hypot(disp[:, 0], disp[:, 1]), 1e-9)
        pos += disp * (np.minimum(length, 0.1 * (1 - step / iterations)) / length)[:, None]
    out = pos.astype(np.float64)
    out -= out.mean(axis=0)
    return out / max(float(np.hypot(out[:, 0], out[:, 1]).max()), 1e-9)


def layout(concepts: Sequence[str], papers: Mapping[str, Sequence[str]],
           variants: Sequence[tuple[str, str]], *, seed: int = 7) -> Positions:
    """Positions of ``concepts`` (ids, most used first) and ``papers`` (id -> its concept ids).

    ``variants`` are ``(variant, family)`` pairs between concepts. Every concept
    a paper lists must be in ``concepts``. See the module docstring for the method.
    """
    if len(concepts) + len(papers) <= FULL_LIMIT:
        ids = [*concepts, *papers]
        index = {node: i for i, node in enumerate(ids)}
        edges = [(index[p], index[c], 1.0) for p, linked in papers.items() for c in linked]
        edges += [(index[a], index[b], 1.0) for a, b in variants if a in index and b in index]
        degree = [1.0] * len(ids)
        for a, b, _ in edges:
            degree[a] += 1
            degree[b] += 1
        raw = packed_layout(len(ids), edges, degree, 1.1 * SPACING, seed)
        return {node: (float(raw[i, 0]), float(raw[i, 1])) for i, node in enumerate(ids)}
    users: dict[str, list[str]] = defaultdict(list)
    for paper, linked in papers.items():
        for concept in linked:
            users[concept].append(paper)
    pos = _anchors(concepts[:ANCHORS], papers, users, variants, seed)
    _place_concepts(concepts[ANCHORS:], pos, papers, users, variants)
    _place_papers(papers, pos, users)
    return pos


def _components(n: int, edges: WeightedEdges) -> list[list[int]]:
    """Connected components (lists of node indices), largest first."""
    parent = list(range(n))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j, _ in edges:
        parent[root(i)] = root(j)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        groups[root(i)].append(i)
    return sorted(groups.values(), key=lambda g: (-len(g), g[0]))


def packed_layout(n: int, edges: WeightedEdges, mass: Sequence[float], unit: float, seed: int) -> Array:
    """Each connected component by :func:`force_layout`, radius ``unit * sqrt(mass)``, then packed around the
    largest; single nodes go on rings outside."""
    pos = np.zeros((n, 2))
    groups = _components(n, edges)
    where = {node: (g, i) for g, members in enumerate(groups) for i, node in enumerate(members)}
    inner: list[list[tuple[int, int, float]]] = [[] for _ in groups]
    for a, b, w in edges:
        inner[where[a][0]].append((where[a][1], where[b][1], w))
    radii = [unit * math.sqrt(sum(mass[i] for i in members)) for members in groups]
    packed = [g for g, members in enumerate(groups) if len(members) > 1 or g == 0]
    centres = dict(zip(packed, _pack([radii[g] for g in packed])))
    for g, members in enumerate(groups):
        if g in centres:
            local = force_layout(len(members), inner[g], mass=[mass[i] for i in members], seed=seed)
            pos[members] = local * radii[g] + centres[g]
    single = [groups[g][0] for g in range(len(groups)) if g not in centres]
    if single:
        outer = max(float(np.hypot(pos[:, 0], pos[:, 1]).max()), 0.0) + 2 * SPACING
        pos[single] = _rings(len(single), outer, 2 * max(radii[g] for g in range(len(groups)) if g not in centres))
    return pos


def _pack(radii: Sequence[float]) -> list[tuple[float, float]]:
    """Centres for discs of ``radii`` (largest first), each the first free spot on a spiral around the first,
    each search starting a golden angle on from where the last disc went."""
    centres = np.zeros((len(radii), 2))
    sizes = np.asarray(radii, dtype=np.float64)
    start = 0.0
    for k in range(1, len(radii)):
        turn = 0.0
        while True:
            distance = (sizes[0] + sizes[k] + SPACING) * (1 + turn / (2 * math.pi) * 0.15)
            spot = np.array([distance * math.cos(start + turn), distance * math.sin(start + turn)])
            gaps = np.hypot(*(centres[:k] - spot).T) - sizes[:k] - sizes[k]
            if gaps.min() >= SPACING:
                centres[k] = spot
                start += turn + 2.4
                break
            turn += max(min(sizes[k] / distance, 0.5), 0.02)
    return [(float(x), float(y)) for x, y in centres]


def _anchors(anchors: Sequence[str], papers: Mapping[str, Sequence[str]], users: Mapping[str, list[str]],
             variants: Sequence[tuple[str, str]], seed: int) -> Positions:
    index = {c: i for i, c in enumerate(anchors)}
    shared: dict[tuple[int, int], int] = defaultdict(int)
    for linked in papers.values():
        mine = sorted(index[c] for c in linked if c in index)[:_MAX_PAIRS_PER_PAPER]
        for a in range(len(mine)):
            for b in range(a + 1, len(mine)):
                shared[mine[a], mine[b]] += 1
    edges = [(i, j, n / math.sqrt(len(users[anchors[i]]) * len(users[anchors[j]]))) for (i, j), n in shared.items()]
    edges += [(index[a], index[b], 1.0) for a, b in variants if a in index and b in index]
    mass = [1.0 + len(users.get(c, ())) for c in anchors]
    raw = packed_layout(len(anchors), edges, mass, 0.8 * SPACING, seed)
    return {c: (float(raw[i, 0]), float(raw[i, 1])) for i, c in enumerate(anchors)}


def _place_concepts(rest: Sequence[str], pos: Positions, papers: Mapping[str, Sequence[str]],
                    users: Mapping[str, list[str]], variants: Sequence[tuple[str, str]]) -> None:
    """Put each concept near the weighted centre of placed concepts it shares papers with or is a variant of."""
    family: dict[str, list[str]] = defaultdict(list)
    for variant, parent in variants:
        family[variant].append(parent)
        family[parent].append(variant)
    lonely = []
    for rank, concept in enumerate(rest):
        weights: dict[str, float] = defaultdict(float)
        for paper in users.get(concept, ()):
            for other in papers[paper]:
                if other in pos:
                    weights[other] += 1.0
        for other in family.get(concept, ()):
            if other in pos:
                weights[other] += 1.0
        if not weights:
            lonely.append(concept)
            continue
        total = sum(weights.values())
        x = sum(pos[o][0] * w for o, w in weights.items()) / total
        y = sum(pos[o][1] * w for o, w in weights.items()) / total
        angle, radius = rank * _GOLDEN, SPACING * (2 + (rank % 7))
        pos[concept] = (x + radius * math.cos(angle), y + radius * math.sin(angle))
    _ring(lonely, pos)


def _place_papers(papers: Mapping[str, Sequence[str]], pos: Positions, users: Mapping[str, list[str]]) -> None:
    """Sunflower spirals of papers around the centre of their concepts, one spiral per set of concepts."""
    groups: dict[tuple[str, ...], list[str]] = defaultdict(list)
    lonely = []
    for paper in sorted(papers):
        linked = tuple(sorted(papers[paper]))
        if linked:
            groups[linked].append(paper)
        else:
            lonely.append(paper)
    for linked, members in groups.items():
        cx = sum(pos[c][0] for c in linked) / len(linked)
        cy = sum(pos[c][1] for c in linked) / len(linked)
        start = 1.5 + math.sqrt(len(users[linked[0]])) * 0.15 if len(linked) == 1 else 0.5
        for i, paper in enumerate(members):
            radius = SPACING * math.sqrt(i + start * start)
            angle = (i + len(linked)) * _GOLDEN
            pos[paper] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle))
    _ring(lonely, pos)


def _ring(nodes: Sequence[str], pos: Positions) -> None:
    """Place ``nodes`` in rings around everything placed so far."""
    if nodes:
        radius = max((math.hypot(x, y) for x, y in pos.values()), default=0.0) + 3 * SPACING
        for node, (x, y) in zip(nodes, _rings(len(nodes), radius, SPACING)):
            pos[node] = (float(x), float(y))


def _rings(n: int, radius: float, gap: float) -> Array:
    """``n`` points on concentric rings from ``radius`` outwards, ``gap`` apart along and between rings."""
    points = np.zeros((n, 2))
    done = 0
    while done < n:
        count = min(max(int(2 * math.pi * radius / gap), 1), n - done)
        angles = np.arange(count) * (2 * math.pi / count)
        points[done:done + count] = np.stack([radius * np.cos(angles), radius * np.sin(angles)], axis=1)
        done += count
        radius += gap
    return points

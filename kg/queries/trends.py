"""Concepts over time: the year each was first seen, its papers per year, its bursts, and how fast it rises.

The engine counts (one Cypher text on both stores): papers per concept and
year, papers per year, and the papers that carry no year, which are counted
apart and never placed in a year. Python then works on those small tables:

* :func:`bursts`: Kleinberg's two-state burst detection for documents that
  arrive in batches (Kleinberg 2002, "Bursty and Hierarchical Structure in
  Streams", section 4), the method CiteSpace uses: in year ``t`` a concept is
  used by ``r_t`` of the ``d_t`` papers; the base state emits at the overall
  rate ``p0 = sum(r) / sum(d)``, the burst state at ``s * p0``; entering the
  burst state costs ``gamma * ln(n)`` for ``n`` years; the cheapest state
  sequence (Viterbi) marks the bursts, and a burst's strength is what the burst
  state saves over the base state in its years.
* :func:`trends`: every concept's first-seen year, papers per year, bursts in
  the window, and its rise: the least-squares slope of its share of the year's
  papers over the window, in percentage points per year.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence

from kg.errors import KGError, NotFoundError
from kg.graphs.store import GraphStore
from kg.model import Label
from kg.normalize import name_key
from kg.queries.results import Burst, ConceptTrend, Trends
from kg.queries.texts import CONCEPTS, ROLES, concept_labels

__all__ = ["bursts", "rise", "trends"]

_WRITTEN = "(p.stub IS NULL OR p.stub = false)"
_TOTALS = f"MATCH (p:Paper) WHERE p.year IS NOT NULL AND {_WRITTEN} RETURN p.year AS year, count(p) AS papers"
_UNDATED = f"MATCH (p:Paper) WHERE p.year IS NULL AND {_WRITTEN} RETURN count(p) AS papers"
_NAMED = f"MATCH (c:{CONCEPTS}) WHERE $key IN c._lookup RETURN c.id AS id ORDER BY id"


def _by_year(label: Label | None) -> str:
    return (f"MATCH (p:Paper)-[:{ROLES}]->(c:{concept_labels(label)}) WHERE {_WRITTEN} "
            "RETURN c.id AS id, c.name AS name, labels(c)[0] AS type, p.year AS year, count(DISTINCT p) AS papers")


def _cost(rate: float, used: int, papers: int) -> float:
    """``-ln`` of the chance that ``used`` of ``papers`` use the concept at ``rate`` (binomial term left out:
    it is the same in both states)."""
    cost = 0.0
    if used:
        cost -= used * math.log(rate)
    if papers - used:
        cost -= (papers - used) * math.log1p(-rate)
    return cost


def bursts(used: Sequence[int], papers: Sequence[int], s: float = 2.0, gamma: float = 1.0) -> list[tuple[int, int, float]]:
    """The bursts of a concept used by ``used[t]`` of the ``papers[t]`` papers of batch ``t``.

    Returns ``(first batch, last batch, strength)`` for each run of the burst state, in order.
    Batches with no papers carry no evidence and must be left out by the caller.

    Raises ``ValueError`` when the sequences differ in length or a count is impossible.

    >>> bursts([1, 1, 8, 9, 1], [20, 20, 20, 20, 20])
    [(2, 3, 5.16...)]
    >>> bursts([2, 2, 2], [20, 20, 20])
    []
    """
    if len(used) != len(papers) or any(not 0 <= r <= d for r, d in zip(used, papers)):
        raise ValueError("need 0 <= used[t] <= papers[t] for every batch, as many of each")
    if not used or not sum(used):
        return []
    base = sum(used) / sum(papers)
    rates = (base, min(s * base, 0.9999))
    if rates[1] <= base:
        return []
    enter = gamma * math.log(len(used))
    costs = [[_cost(rate, r, d) for rate in rates] for r, d in zip(used, papers)]
    best, paths = list(costs[0][0:1]) + [costs[0][1] + enter], [[0], [1]]
    for step in costs[1:]:
        stay_low = min(best[0], best[1])
        go_high = min(best[0] + enter, best[1])
        low_from = 0 if best[0] <= best[1] else 1
        high_from = 1 if best[1] <= best[0] + enter else 0
        paths = [paths[low_from] + [0], paths[high_from] + [1]]
        best = [stay_low + step[0], go_high + step[1]]
    path = paths[0] if best[0] <= best[1] else paths[1]
    found: list[tuple[int, int, float]] = []
    for t, state in enumerate(path):
        if state and (not found or found[-1][1] != t - 1 or not path[t - 1]):
            found.append((t, t, 0.0))
        if state:
            start, _, strength = found[-1]
            found[-1] = (start, t, strength + costs[t][0] - costs[t][1])
    return found


def rise(shares: Mapping[int, float]) -> float:
    """The least-squares slope of ``shares`` (year to a fraction of the year's papers), in percentage points
    per year; 0 with fewer than two years.

    >>> rise({2019: 0.01, 2020: 0.03, 2021: 0.05})
    2.0
    """
    if len(shares) < 2:
        return 0.0
    years = sorted(shares)
    mean_x = sum(years) / len(years)
    mean_y = sum(shares.values()) / len(years)
    spread = sum((x - mean_x) ** 2 for x in years)
    slope = sum((x - mean_x) * (shares[x] - mean_y) for x in years) / spread
    return round(100 * slope, 6)


def trends(store: GraphStore, label: Label | None = None, *, since: int | None = None, until: int | None = None,
           top: int | None = None, names: Sequence[str] = ()) -> Trends:
    """Every concept (of type ``label``) used by a paper with a year in ``since..until``, fastest rising first.

    ``names`` keeps only the concepts those names name (any type). The window defaults to the years
    the papers carry. Each concept's first-seen year is over all years, its bursts and rise over the window.

    Raises ``KGError`` for a window that ends before it starts, ``NotFoundError`` for a name that names nothing.
    """
    if since is not None and until is not None and until < since:
        raise KGError(f"--until {until} is before --since {since}")
    totals = {int(r["year"]): int(r["papers"]) for r in store.cypher(_TOTALS)}  # type: ignore[call-overload]
    undated = int(store.cypher(_UNDATED)[0]["papers"])  # type: ignore[call-overload]
    wanted = _named(store, names) if names else None
    first = min(totals) if since is None and totals else since
    last = max(totals) if until is None and totals else until
    window = [y for y in sorted(totals) if (first is None or y >= first) and (last is None or y <= last)]
    counts: dict[str, dict[int, int]] = defaultdict(dict)
    undated_by: dict[str, int] = defaultdict(int)
    about: dict[str, tuple[str, str]] = {}
    for row in store.cypher(_by_year(label)):
        concept = str(row["id"])
        if wanted is not None and concept not in wanted:
            continue
        about[concept] = (str(row["name"]), str(row["type"]))
        if row["year"] is None:
            undated_by[concept] += int(row["papers"])  # type: ignore[call-overload]
        else:
            counts[concept][int(row["year"])] = int(row["papers"])  # type: ignore[call-overload]
    found = [_trend(concept, about[concept], counts[concept], undated_by[concept], totals, window)
             for concept in about]
    found = [t for t in found if t.papers or (wanted is not None)]
    found.sort(key=lambda t: (-t.rise, -t.papers, t.name.casefold(), t.id))
    return Trends(first, last, {y: totals[y] for y in window}, undated, found[:top] if top else found)


def _trend(concept: str, about: tuple[str, str], years: dict[int, int], undated: int, totals: dict[int, int],
           window: list[int]) -> ConceptTrend:
    used = [years.get(y, 0) for y in window]
    found = bursts(used, [totals[y] for y in window])
    return ConceptTrend(
        id=concept, name=about[0], type=about[1], first_seen=min(years) if years else None,
        papers=sum(used), undated=undated, by_year={y: years[y] for y in window if y in years},
        bursts=[Burst(window[a], window[b], round(strength, 4)) for a, b, strength in found],
        rise=rise({y: years.get(y, 0) / totals[y] for y in window}),
    )


def _named(store: GraphStore, names: Sequence[str]) -> set[str]:
    ids: set[str] = set()
    for name in names:
        found = {str(r["id"]) for r in store.cypher(_NAMED, {"key": name_key(name)})} if name_key(name) else set()
        if not found:
            raise NotFoundError(f"no concept named {name!r}")
        ids |= found
    return ids

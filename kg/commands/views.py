"""Views of the whole corpus: concepts over the years (trends) and the co-occurrence map."""

from __future__ import annotations

from pathlib import Path

import click

from kg.clikit import CONCEPT_TYPES, Column, StoreChoice, emit, output_options, store_options

__all__ = ["map_", "trends"]


def _years(by_year: dict[int, int]) -> str:
    return " ".join(f"{year}:{n}" for year, n in sorted(by_year.items()))


def _bursts(trend: object) -> str:
    return ", ".join(f"{b.start}-{b.end} ({b.strength:.1f})" for b in trend.bursts)  # type: ignore[attr-defined]


_TREND_COLUMNS = [
    Column("type", lambda t: t.type), Column("name", lambda t: t.name, 36), Column("first", lambda t: t.first_seen),
    Column("papers", lambda t: t.papers), Column("undated", lambda t: t.undated),
    Column("rise", lambda t: f"{t.rise:+.2f}"), Column("bursts", _bursts, 40), Column("by year", lambda t: _years(t.by_year)),
]


@click.command()
@click.option("--since", type=int, help="First year of the window (default: the earliest year a paper carries).")
@click.option("--until", type=int, help="Last year of the window (default: the latest).")
@click.option("--type", "label", type=click.Choice(list(CONCEPT_TYPES)), help="Only this concept type.")
@click.option("--top", type=click.IntRange(min=1), default=20, show_default=True, help="Show the N fastest rising.")
@click.option("--concept", "names", multiple=True, help="Only this concept (any name or alias). Repeatable.")
@click.option("--plot", type=click.Path(dir_okay=False, path_type=Path),
              help="Also draw papers per year of the concepts shown, bursts shaded, to this SVG (or PNG) file.")
@store_options
@output_options()
def trends(since: int | None, until: int | None, label: str | None, top: int, names: tuple[str, ...],
           plot: Path | None, store: StoreChoice, output: str) -> None:
    """Concepts over the years: first seen, papers per year, bursts, and the fastest rising in a window.

    RISE is the slope of a concept's share of each year's papers, in percentage points per year;
    BURSTS are Kleinberg's two-state bursts (strength in brackets). Papers without a year are
    counted apart, never placed in a year.

    \b
    Examples:
      kg trends --since 2018 --until 2022 --type model --top 10
      kg trends --concept BERT --concept GPT-3 --plot bert.svg
    """
    from kg import queries

    with store.open() as graph:
        found = queries.trends(graph, CONCEPT_TYPES[label] if label else None, since=since, until=until,
                               top=None if names else top, names=names)
    if plot is not None:
        from kg.explorer.plot import plot_trends

        plot_trends(found, plot)
    dated = sum(found.papers_by_year.values())
    emit(output, found.concepts, _TREND_COLUMNS, document=found, footer=(
        f"{dated} papers with a year in {found.since}-{found.until}; {found.undated_papers} papers without a year, "
        "counted apart" + (f"; plot -> {plot}" if plot else "")))


@click.command("map")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the map for Gephi: a .gexf or .graphml file.")
@click.option("--type", "label", type=click.Choice(list(CONCEPT_TYPES)), help="Only this concept type.")
@click.option("--min-papers", type=click.IntRange(min=1), default=2, show_default=True,
              help="Keep concepts used by at least N papers.")
@click.option("--min-links", type=click.IntRange(min=1), default=1, show_default=True,
              help="Link two concepts when at least N papers use both.")
@click.option("--resolution", type=click.FloatRange(min=0, min_open=True), default=1.0, show_default=True,
              help="Louvain resolution: above 1 gives more, smaller communities.")
@store_options
@output_options()
def map_(out: Path | None, label: str | None, min_papers: int, min_links: int, resolution: float, store: StoreChoice,
         output: str) -> None:
    """The co-occurrence map: concepts linked by the papers that use both, in communities.

    Links are weighted by association strength (as VOSviewer normalises them: 1 is what
    chance gives); communities are Louvain's, with a fixed seed. Prints the concepts by
    community; --out writes the map for Gephi.

    \b
    Examples:
      kg map --out map.gexf
      kg map --type method --min-papers 5 --out methods.graphml
    """
    from kg import queries

    with store.open() as graph:
        found = queries.cooccurrence_map(graph, CONCEPT_TYPES[label] if label else None, min_papers=min_papers,
                                         min_links=min_links, resolution=resolution)
    if out is not None:
        from kg.explorer.mapfile import write_map

        write_map(found, out)
    rows = sorted(found.nodes, key=lambda n: (n.community, -n.papers, n.name.casefold(), n.id))
    emit(output, rows, [Column("community", lambda n: n.community), Column("type", lambda n: n.type),
                        Column("name", lambda n: n.name, 50), Column("papers", lambda n: n.papers),
                        Column("links", lambda n: n.links)], document=found,
         footer=f"{len(found.nodes)} concepts, {len(found.links)} links, {found.communities} communities"
                + (f" -> {out}" if out else ""))

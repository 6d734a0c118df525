"""A chart of concepts over the years: papers per year for each concept and its bursts (``kg trends --plot``).

Drawn with matplotlib (no display needed). The file format follows the
extension (``.svg``, ``.png``, ``.pdf``). In an SVG the text stays text,
matplotlib escapes it, and math parsing is off, so a name with ``$`` or ``<``
is drawn as written. Below the lines, one strip per concept marks its bursts, as
CiteSpace draws them. Each concept's line has the id ``concept-<i>`` and each
burst bar ``burst-<i>-<j>`` (i-th concept, j-th burst).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import KGError
from kg.queries.results import ConceptTrend, Trends

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["MAX_LINES", "plot_trends"]

MAX_LINES = 10
"""At most this many concepts are drawn (the first of the answer); more lines cannot be told apart."""


def plot_trends(trends: Trends, path: str | Path) -> None:
    """Draw papers per year of the first :data:`MAX_LINES` concepts of ``trends``, bursts shaded, to ``path``.

    Raises ``KGError`` when there is no year or no concept to draw, or the file cannot be written.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    years = sorted(trends.papers_by_year)
    shown = trends.concepts[:MAX_LINES]
    if not years or not shown:
        raise KGError("nothing to plot: no paper with a year, or no concept in the window")
    style: dict[str, Any] = {"svg.fonttype": "none", "svg.hashsalt": "kg", "text.parse_math": False, "text.usetex": False}
    with plt.rc_context(style):  # type: ignore[arg-type]  # the keys are rc names; the stubs list them as literals
        figure, (lines, strips) = plt.subplots(2, 1, figsize=(9, 4 + 0.25 * len(shown)), sharex=True,
                                               height_ratios=[4, 0.6 + 0.3 * len(shown)], layout="constrained")
        try:
            _draw(lines, trends, years, shown)
            _draw_bursts(strips, years, shown)
            figure.savefig(Path(path), metadata={"Date": None} if str(path).lower().endswith(".svg") else None)
        except OSError as exc:
            raise KGError(f"cannot write the plot to {path}: {exc.strerror or exc}") from None
        finally:
            plt.close(figure)


def _draw(ax: Axes, trends: Trends, years: list[int], shown: list[ConceptTrend]) -> None:
    for i, trend in enumerate(shown):
        counts = [trend.by_year.get(year, 0) for year in years]
        ax.plot(years, counts, marker="o", label=f"{trend.name} ({trend.type.lower()})", gid=f"concept-{i}")
    ax.set_ylabel("papers")
    ax.set_ylim(bottom=0)
    ax.set_title(f"Papers per year, {years[0]}-{years[-1]}; "
                 f"{trends.undated_papers} papers without a year not shown")
    ax.legend(loc="upper left", fontsize="small", frameon=False)


def _draw_bursts(ax: Axes, years: list[int], shown: list[ConceptTrend]) -> None:
    """One strip per concept, as CiteSpace draws them: the window in grey, each burst in the concept's colour."""
    colours = [f"C{i}" for i in range(len(shown))]
    for i, trend in enumerate(shown):
        row = len(shown) - 1 - i
        ax.broken_barh([(years[0] - 0.5, years[-1] - years[0] + 1)], (row - 0.3, 0.6), color="0.92")
        for j, burst in enumerate(trend.bursts):
            ax.broken_barh([(burst.start - 0.5, burst.end - burst.start + 1)], (row - 0.3, 0.6), color=colours[i],
                           alpha=0.8, gid=f"burst-{i}-{j}")
    ax.set_yticks(range(len(shown)), [t.name for t in reversed(shown)], fontsize="small")
    ax.set_ylim(-0.6, len(shown) - 0.4)
    ax.set_xticks(years, [str(y) for y in years], rotation=45 if len(years) > 12 else 0)
    ax.set_xlabel("year (bars: bursts)")
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)

"""Editing a stored graph: remove papers, apply curation rules, suggest duplicates."""

from __future__ import annotations

import os
from pathlib import Path

import click

from kg.clikit import DEFAULT_CURATION, Column, StoreChoice, emit, output_options, store_options

__all__ = ["curate", "remove"]


@click.command()
@click.argument("refs", nargs=-1, required=True)
@store_options
@output_options(csv_rows=False)
def remove(refs: tuple[str, ...], store: StoreChoice, output: str) -> None:
    """Retract papers (ids or titles) and what only they supported; papers still cited stay as stubs.

    \b
    Example:
      kg remove paper:55e26cc527691e31
    """
    from kg.curation.remove import remove_papers

    with store.open() as graph:
        report = remove_papers(graph, refs)
    emit(output, [], document=report, footer=(
        f"{len(report.removed)} papers removed, {len(report.kept_as_stubs)} kept as stubs (still cited), "
        f"{len(report.pruned)} concepts, stubs and repositories pruned"))


@click.group()
def curate() -> None:
    """Apply a curation file to the stored graph, or list likely duplicate concepts.

    The file (default kg-curation.toml) holds merge, split, never and rename rules;
    kg build applies it too. See the README for its format.
    """


@curate.command("apply")
@click.option("--file", "path", type=click.Path(dir_okay=False, path_type=Path),
              help="Curation file (default: kg-curation.toml, or env KG_CURATION).")
@store_options
@output_options(csv_rows=False)
def curate_apply(path: Path | None, store: StoreChoice, output: str) -> None:
    """Apply the curation rules to the stored graph (running it again changes nothing).

    \b
    Example:
      kg curate apply --file kg-curation.toml
    """
    from kg.curation.apply import apply_curation
    from kg.curation.rules import Curation

    chosen = path or Path(os.environ.get("KG_CURATION", DEFAULT_CURATION))
    if not chosen.exists():
        raise click.ClickException(f"no curation file at {chosen}")
    with store.open() as graph:
        report = apply_curation(graph, Curation.load(chosen))
    emit(output, [], document=report, footer=(
        f"{report.moved_edges} edges moved, {report.dropped_edges} dropped, {len(report.renamed)} concepts "
        f"renamed, {len(report.removed)} concepts removed"))


@curate.command("suggest")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True, help="Show at most N pairs.")
@store_options
@output_options()
def curate_suggest(limit: int, store: StoreChoice, output: str) -> None:
    """Pairs of concepts that may be one (same acronym, close spelling); nothing is changed.

    \b
    Example:
      kg curate suggest --limit 20
    """
    from kg.curation.apply import suggest_duplicates

    with store.open() as graph:
        found = suggest_duplicates(graph)[:limit]
    emit(output, found, [Column("type", lambda s: s.type), Column("first", lambda s: s.first, 40),
                         Column("second", lambda s: s.second, 40), Column("why", lambda s: s.reason),
                         Column("score", lambda s: f"{s.score:.2f}")])

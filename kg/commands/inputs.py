"""Checking corpus files before a build: every record read, papers counted, duplicate ids named by line."""

from __future__ import annotations

from pathlib import Path

import click

from kg.clikit import Column, emit, output_options
from kg.corpus.readers import FORMATS

__all__ = ["check"]


@click.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), help="Corpus format (default: by extension).")
@output_options()
def check(inputs: tuple[Path, ...], fmt: str | None, output: str) -> None:
    """Read corpus files as kg build would, write nothing: count the papers, list duplicate ids
    with the line of each and of the id's first occurrence, and stop at the first bad record.

    \b
    Example:
      kg check papers.jsonl.xz more.csv
    """
    from kg.corpus.readers import scan_corpus

    report = scan_corpus(inputs, fmt)
    columns = [Column("id", lambda d: d.id, 40), Column("duplicate at", lambda d: d.source),
               Column("first at", lambda d: d.first)]
    emit(output, report.duplicates if report.duplicates else [], columns if report.duplicates else [],
         document=report, footer=(
             f"{report.papers:,} papers in {report.files} files, {report.distinct:,} distinct, "
             f"{len(report.duplicates):,} duplicate ids; {report.bytes_read:,} bytes read in {report.seconds:.1f}s"))

"""The ``kg`` command: build a knowledge graph of papers and concepts, and ask it questions.

Each command parses its options, calls one library function and prints the
result with :func:`kg.clikit.emit`: a table for people, ``--json`` or ``--csv``
for programs. Library errors become a one-line message and exit code 1. The
library is imported inside each command, so ``kg --help`` does not load spaCy,
NetworkX or the Neo4j driver.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import click

from kg.clikit import (
    CONCEPT_TYPES,
    DEFAULT_CURATION,
    Column,
    StoreChoice,
    emit,
    extractor_option,
    output_options,
    parse_params,
    spacy_model_option,
    store_options,
)
from kg.commands import ask, edit, exchange, inputs, quality, views
from kg.corpus.readers import FORMATS
from kg.errors import KGError, one_line


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        logging.getLogger("neo4j").addHandler(logging.NullHandler())
        try:
            return super().invoke(ctx)
        except KGError as exc:
            raise click.ClickException(one_line(str(exc))) from None
        except ValueError as exc:
            if "null byte" not in str(exc):
                raise
            raise click.ClickException("a file name holds a NUL byte; no such file can exist") from None


@click.group(cls=_Group)
@click.version_option(package_name="kg-papers", prog_name="kg")
def main() -> None:
    """Build a knowledge graph of papers and the datasets, models, methods, tasks and
    metrics they use, from abstracts; then ask which papers share what.

    \b
    Example:
      kg build examples/papers-page/papers.txt
      kg shared --dataset COCO
    """




@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), help="Corpus format (default: by extension).")
@spacy_model_option
@click.option("--curation", "curation_path", type=click.Path(dir_okay=False, path_type=Path), envvar="KG_CURATION",
              help="Curation file to apply (default: kg-curation.toml when it exists; env KG_CURATION).")
@click.option("--year", type=click.IntRange(1000, 2999),
              help="Year of the papers whose input carries none (a listing page dated only \"Mar 20\").")
@extractor_option
@click.option("--workers", type=click.IntRange(min=1), help="Processes extracting batches (default: the cores).")
@click.option("--dask-scheduler", metavar="ADDRESS", help="Extract on a Dask cluster: its scheduler, tcp://HOST:8786.")
@click.option("--progress/--quiet", "show", default=None,
              help="Progress bars on stderr (default: when stderr is a terminal); --quiet: none.")
@store_options
@output_options(csv_rows=False)
def build(inputs: tuple[Path, ...], fmt: str | None, spacy_model: str | None, extractor: str,
          curation_path: Path | None, year: int | None, workers: int | None, dask_scheduler: str | None,
          show: bool | None, store: StoreChoice, output: str) -> None:
    """Extract concepts from corpus files and add them to the store, streaming: memory holds a batch.

    INPUTS are listing pages (.txt), JSON Lines (.jsonl), JSON arrays (.json), CSV
    (.csv) with title and abstract fields, BibTeX, or saved Semantic Scholar /
    OpenAlex responses, each possibly compressed (.gz, .xz, .bz2, .zst).

    \b
    Examples:
      kg build examples/papers-page/papers.txt --year 2025 --store kg-graph.kg
      kg build corpus.jsonl.xz --workers 4 --quiet
      kg build corpus.jsonl.xz --dask-scheduler tcp://scheduler:8786
    """
    from kg.commands.progress import StageBars
    from kg.pipeline.build import build as build_graph
    from kg.pipeline.extract import Extractor
    from kg.pipeline.workers import default_workers

    if curation_path is None and Path(DEFAULT_CURATION).exists():
        curation_path = Path(DEFAULT_CURATION)
    with store.open(create=True) as graph, StageBars(show) as progress:
        report = build_graph(inputs, graph, fmt=fmt, extractor=Extractor(spacy_model=spacy_model, extractor=extractor),
                             progress=progress, curation=curation_path, workers=workers or default_workers(),
                             scheduler=dask_scheduler, year=year)
    emit(output, [], document=report, footer=(
        f"{report.papers_written} papers written, {report.papers_unchanged} unchanged, "
        f"{report.duplicates_skipped} duplicates skipped; {report.concepts_written} concepts, "
        f"{report.edges_written} edges, {report.mentions} mentions in {report.seconds:.1f}s -> {store.location}"))


@main.command()
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="HTML file to write.")
@click.option("--type", "types", multiple=True, type=click.Choice(list(CONCEPT_TYPES), case_sensitive=False),
              help="Keep only concepts of this type, and their papers. Repeatable.")
@click.option("--min-papers", type=click.IntRange(min=0), default=0, help="Keep only concepts used by N papers or more.")
@click.option("--top", type=click.IntRange(min=1), help="Keep the N concepts with most papers, and their papers.")
@click.option("--paper", help="Draw one paper's neighbourhood (id or title): its concepts and the papers sharing them.")
@click.option("--max-nodes", type=click.IntRange(min=1), default=5_000, show_default=True,
              help="Cut a larger graph to this many nodes, most used concepts first; the page says how.")
@store_options
def render(out: Path, types: tuple[str, ...], min_papers: int, top: int | None, paper: str | None, max_nodes: int,
           store: StoreChoice) -> None:
    """Write the graph as one self-contained, offline, interactive HTML page.

    \b
    Examples:
      kg render --out graph.html
      kg render --out datasets.html --type dataset --min-papers 2
      kg render --out yoloe.html --paper "YOLOE: Real-Time Seeing Anything"
    """
    from kg.explorer.html import PageFilter, render_html

    labels = tuple(dict.fromkeys(CONCEPT_TYPES[t.lower()] for t in types))
    with store.open() as graph:
        summary = render_html(graph, out, PageFilter(labels, min_papers, top, paper, max_nodes))
    click.echo(f"{summary} -> {out}")


def _params(_: click.Context, __: click.Parameter, values: tuple[str, ...]) -> dict[str, object]:
    return parse_params(values)


@main.command()
@click.argument("cypher")
@click.option("--param", "params", multiple=True, callback=_params, metavar="NAME=VALUE",
              help="A query parameter ($NAME); VALUE is read as JSON when it parses, else as text. Repeatable.")
@click.option("--write", is_flag=True, help="Allow the query to write (Neo4j only); queries run read-only otherwise.")
@store_options
@output_options()
def query(cypher: str, params: dict[str, object], write: bool, store: StoreChoice, output: str) -> None:
    """Run a Cypher query on the store (Neo4j, or a documented subset on the NetworkX file).

    \b
    Examples:
      kg query 'MATCH (p:Paper)-[:EVALUATES_ON]->(d:Dataset {name: $name}) RETURN p.title' --param name=COCO
      kg query 'MATCH (d:Dataset)<--(p:Paper) RETURN d.name AS dataset, count(p) AS papers ORDER BY papers DESC LIMIT 5'
    """
    with store.open(isolated=True) as graph:
        rows = graph.cypher(cypher, params, write=write)
    emit(output, rows, [_result_column(name) for name in (rows[0] if rows else [])], footer=f"({len(rows)} rows)")


def _result_column(name: str) -> Column:
    """A column of query results: text as it is, any other value as JSON."""

    def cell(row: dict[str, object]) -> object:
        value = row[name]
        return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)

    return Column(name, cell, 80)


for _module in (ask, edit, exchange, inputs, quality, views):
    for _name in _module.__all__:
        main.add_command(getattr(_module, _name))


if __name__ == "__main__":  # pragma: no cover
    main(prog_name="kg")

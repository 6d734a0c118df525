"""The ``kg`` command: build a knowledge graph of papers and concepts, and ask it questions.

Each command parses its options, calls one library function and prints the
result: a table for people, JSON with ``--json``. Library errors become a
one-line message and exit code 1.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from graphs.nxstore import NetworkXStore
from graphs.store import GraphStore
from kg import queries
from kg.errors import KGError
from kg.model import Label
from kg.readers import FORMATS

F = TypeVar("F", bound=Callable[..., Any])
DEFAULT_STORE = "kg-graph.json"
_CONCEPT_OPTIONS = {
    "dataset": Label.DATASET,
    "model": Label.MODEL,
    "method": Label.METHOD,
    "task": Label.TASK,
    "metric": Label.METRIC,
}


def store_options(command: F) -> F:
    """The options that choose the store: ``--store PATH`` (env ``KG_STORE``)."""
    return click.option(
        "--store",
        "store_path",
        envvar="KG_STORE",
        default=DEFAULT_STORE,
        show_default=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help="Graph file of the embedded NetworkX store (env KG_STORE).",
    )(command)


def json_option(command: F) -> F:
    """``--json``: machine-readable output."""
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")(command)


@contextmanager
def _open_store(store_path: Path, *, create: bool = False) -> Iterator[GraphStore]:
    store = NetworkXStore.open(store_path, create=create)
    try:
        yield store
    finally:
        store.close()


def _emit_json(value: Any) -> None:
    click.echo(json.dumps(_plain(value), ensure_ascii=False, indent=2))


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value) if f.repr}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def _table(rows: Sequence[Sequence[object]], headers: Sequence[str], widths: Sequence[int] = ()) -> None:
    cells = [[_cut(str(cell), widths[i] if i < len(widths) else 0) for i, cell in enumerate(row)] for row in rows]
    sizes = [max([len(h), *(len(row[i]) for row in cells)]) for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(sizes[i]) for i, h in enumerate(headers)).rstrip()
    click.echo(line)
    click.echo("  ".join("-" * size for size in sizes))
    for row in cells:
        click.echo("  ".join(cell.ljust(sizes[i]) for i, cell in enumerate(row)).rstrip())


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if not width or len(text) <= width else text[: width - 1] + "…"


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KGError as exc:
            raise click.ClickException(str(exc)) from None


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
@click.option("--spacy-model", help="Installed trained spaCy pipeline to run the extractors on (default: blank English).")
@store_options
@json_option
def build(inputs: tuple[Path, ...], fmt: str | None, spacy_model: str | None, store_path: Path, as_json: bool) -> None:
    """Extract concepts from corpus files and add them to the store.

    INPUTS are listing pages (.txt), JSON Lines (.jsonl), JSON arrays (.json)
    or CSV (.csv) with title and abstract fields.

    \b
    Example:
      kg build examples/papers-page/papers.txt --store kg-graph.json
    """
    from kg.extract import Extractor
    from kg.pipeline import build_papers, read_inputs

    papers, duplicates = read_inputs(inputs, fmt)
    with _open_store(store_path, create=True) as store, click.progressbar(
        length=len(papers), label="extracting", file=sys.stderr
    ) as bar:
        report = build_papers(
            papers, store, files=len(inputs), duplicates=duplicates,
            extractor=Extractor(spacy_model=spacy_model), progress=bar.update,
        )
    if as_json:
        _emit_json(report)
        return
    click.echo(
        f"{report.papers_written} papers written, {report.papers_unchanged} unchanged, "
        f"{report.duplicates_skipped} duplicates skipped; {report.concepts_written} concepts, "
        f"{report.edges_written} edges, {report.mentions} mentions in {report.seconds:.1f}s -> {store_path}"
    )


@main.command()
@store_options
@json_option
def papers(store_path: Path, as_json: bool) -> None:
    """List every paper with its datasets, models, methods, tasks and metrics.

    \b
    Example:
      kg papers --json
    """
    with _open_store(store_path) as store:
        result = queries.papers(store)
    if as_json:
        _emit_json(result)
        return
    rows = [(p.id, p.title, ", ".join(p.datasets), ", ".join(p.models), ", ".join(p.methods)) for p in result]
    _table(rows, ["id", "title", "datasets", "models", "methods"], [24, 50, 30, 30, 40])


@main.command()
@click.option("--dataset", help="Papers that use this dataset (any alias).")
@click.option("--model", help="Papers that use this model or one of its variants.")
@click.option("--method", help="Papers that use this method.")
@click.option("--task", help="Papers that address this task.")
@click.option("--metric", help="Papers that report this metric.")
@click.option("--paper", help="Papers that share the most with this paper (id or title).")
@click.option("--limit", type=click.IntRange(min=1), help="Show at most this many papers.")
@store_options
@json_option
def shared(store_path: Path, as_json: bool, paper: str | None, limit: int | None, **concept: str | None) -> None:
    """Papers that share a concept, or that share the most with a paper.

    \b
    Examples:
      kg shared --dataset "MS COCO"
      kg shared --method SAEs --json
      kg shared --paper "Medusa" --limit 5
    """
    chosen = {name: value for name, value in concept.items() if value} | ({"paper": paper} if paper else {})
    if len(chosen) != 1:
        raise click.UsageError("give exactly one of --dataset, --model, --method, --task, --metric, --paper")
    (kind, name), = chosen.items()
    with _open_store(store_path) as store:
        if kind == "paper":
            related = queries.shared_with_paper(store, name, limit)
            if as_json:
                _emit_json(related)
            else:
                _table([(r.id, f"{r.score:.2f}", r.title, ", ".join(r.shared)) for r in related],
                       ["id", "score", "title", "shared"], [24, 0, 60, 70])
            return
        hits = queries.shared_concept(store, _CONCEPT_OPTIONS[kind], name)[:limit]
    if as_json:
        _emit_json(hits)
        return
    _table([(h.id, h.role, h.concept, h.title, h.evidence) for h in hits],
           ["id", "role", "as", "title", "evidence"], [24, 0, 24, 50, 90])


@main.command()
@click.argument("ref")
@store_options
@json_option
def show(ref: str, store_path: Path, as_json: bool) -> None:
    """Show one paper (by id or title) with each concept, its role and evidence.

    \b
    Example:
      kg show "YOLOE: Real-Time Seeing Anything"
    """
    with _open_store(store_path) as store:
        paper, links = queries.show_paper(store, ref)
    props = dict(paper.properties)
    if as_json:
        _emit_json({"id": paper.id, **props, "concepts": links})
        return
    click.echo(f"{paper.id}\n{props.get('title', '')}\n")
    _table([(c.type, c.name, c.role, c.evidence) for c in links], ["type", "concept", "role", "evidence"], [0, 40, 0, 100])


@main.command()
@click.option("--type", "label", type=click.Choice([k for k in _CONCEPT_OPTIONS]), help="Only this concept type.")
@click.option("--top", type=click.IntRange(min=1), help="Only the N most used.")
@store_options
@json_option
def concepts(label: str | None, top: int | None, store_path: Path, as_json: bool) -> None:
    """Concepts ranked by the number of papers that use them.

    \b
    Example:
      kg concepts --type dataset --top 10
    """
    with _open_store(store_path) as store:
        result = queries.concepts(store, _CONCEPT_OPTIONS[label] if label else None, top)
    if as_json:
        _emit_json(result)
        return
    _table([(c.type, c.name, c.papers, c.papers_with_variants, c.id) for c in result],
           ["type", "name", "papers", "with variants", "id"], [0, 50])


@main.command()
@store_options
@json_option
def stats(store_path: Path, as_json: bool) -> None:
    """Counts of papers, concepts and relationships in the store.

    \b
    Example:
      kg stats --json
    """
    with _open_store(store_path) as store:
        result = queries.stats(store)
    if as_json:
        _emit_json(result)
        return
    _table([(label, n) for label, n in result.nodes.items()], ["nodes", "count"])
    click.echo()
    _table([(kind, n) for kind, n in result.edges.items()], ["relationships", "count"])
    click.echo(f"\npapers without concepts: {result.papers_without_concepts}")


@main.command()
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="HTML file to write.")
@store_options
def render(out: Path, store_path: Path) -> None:
    """Write the concept graph as one self-contained interactive HTML page.

    \b
    Example:
      kg render --out graph.html
    """
    from graphs.html import render_html

    with _open_store(store_path) as store:
        summary = render_html(store, out)
    click.echo(f"{summary} -> {out}")


if __name__ == "__main__":  # pragma: no cover
    main(prog_name=os.path.basename(__file__))

"""The ``kg`` command: build a knowledge graph of papers and concepts, and ask it questions.

Each command parses its options, calls one library function and prints the
result: a table for people, JSON with ``--json``. Library errors become a
one-line message and exit code 1.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from kg.graphs import GraphStore, open_store
from kg.graphs.exchange import EXPORT_FORMATS, IMPORT_FORMATS, export_graph, read_export
from kg.queries import citations as citation_queries, questions as queries
from kg.errors import KGError
from kg.model import Label
from kg.corpus.readers import FORMATS

F = TypeVar("F", bound=Callable[..., Any])
DEFAULT_STORE = "kg-graph.json"
DEFAULT_CURATION = "kg-curation.toml"
_CONCEPT_OPTIONS = {
    "dataset": Label.DATASET,
    "model": Label.MODEL,
    "method": Label.METHOD,
    "task": Label.TASK,
    "metric": Label.METRIC,
}


@dataclasses.dataclass(frozen=True)
class StoreChoice:
    """Where the graph is: the NetworkX file, or a Neo4j server when a URI is given."""

    path: Path
    neo4j_uri: str | None
    neo4j_database: str | None

    @contextmanager
    def open(self, *, create: bool = False) -> Iterator[GraphStore]:
        store = open_store(self.path, neo4j_uri=self.neo4j_uri, neo4j_database=self.neo4j_database, create=create)
        try:
            yield store
        finally:
            store.close()

    @property
    def location(self) -> str:
        return self.neo4j_uri or str(self.path)


def store_options(command: F) -> F:
    """The options that choose the store, gathered into one ``store`` argument."""

    @functools.wraps(command)
    def wrapper(*args: Any, store_path: Path, neo4j_uri: str | None, neo4j_database: str | None, **kwargs: Any) -> Any:
        return command(*args, store=StoreChoice(store_path, neo4j_uri, neo4j_database), **kwargs)

    for option in reversed(_STORE_OPTIONS):
        wrapper = option(wrapper)
    return wrapper  # type: ignore[return-value]


_STORE_OPTIONS = (
    click.option("--store", "store_path", envvar="KG_STORE", default=DEFAULT_STORE, show_default=True,
                 type=click.Path(dir_okay=False, path_type=Path),
                 help="Graph file of the embedded NetworkX store (env KG_STORE)."),
    click.option("--neo4j-uri", envvar="NEO4J_URI",
                 help="Use the Neo4j server at this URI instead of the file (env NEO4J_URI; user and password "
                      "from NEO4J_USERNAME and NEO4J_PASSWORD)."),
    click.option("--neo4j-database", envvar="NEO4J_DATABASE", help="Neo4j database (env NEO4J_DATABASE)."),
)


def json_option(command: F) -> F:
    """``--json``: machine-readable output."""
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")(command)


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
        logging.getLogger("neo4j").addHandler(logging.NullHandler())
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


def extractor_option(command: F) -> F:
    """``--extractor rules|model|both``: what finds the mentions."""
    from kg.extractors import DEFAULT_EXTRACTOR, EXTRACTORS

    return click.option(
        "--extractor", type=click.Choice(EXTRACTORS), default=DEFAULT_EXTRACTOR, show_default=True,
        help="Rule components, the trained recogniser, or both voting.",
    )(command)


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), help="Corpus format (default: by extension).")
@click.option("--spacy-model", help="Installed trained spaCy pipeline to run the extractors on (default: blank English).")
@click.option("--curation", "curation_path", type=click.Path(dir_okay=False, path_type=Path), envvar="KG_CURATION",
              help="Curation file to apply (default: kg-curation.toml when it exists; env KG_CURATION).")
@extractor_option
@store_options
@json_option
def build(inputs: tuple[Path, ...], fmt: str | None, spacy_model: str | None, extractor: str,
          curation_path: Path | None, store: StoreChoice, as_json: bool) -> None:
    """Extract concepts from corpus files and add them to the store.

    INPUTS are listing pages (.txt), JSON Lines (.jsonl), JSON arrays (.json)
    or CSV (.csv) with title and abstract fields.

    \b
    Example:
      kg build examples/papers-page/papers.txt --store kg-graph.json
    """
    from kg.curation.apply import apply_curation
    from kg.curation.rules import Curation
    from kg.pipeline.extract import Extractor
    from kg.pipeline.build import build_papers, read_inputs

    if curation_path is None and Path(DEFAULT_CURATION).exists():
        curation_path = Path(DEFAULT_CURATION)
    rules = Curation.load(curation_path) if curation_path else None
    papers, duplicates = read_inputs(inputs, fmt)
    with store.open(create=True) as graph, click.progressbar(
        length=len(papers), label="extracting", file=sys.stderr
    ) as bar:
        report = build_papers(
            papers, graph, files=len(inputs), duplicates=duplicates,
            extractor=Extractor(spacy_model=spacy_model, extractor=extractor), progress=bar.update, curation=rules,
        )
        if rules:
            apply_curation(graph, rules)
    if as_json:
        _emit_json(report)
        return
    click.echo(
        f"{report.papers_written} papers written, {report.papers_unchanged} unchanged, "
        f"{report.duplicates_skipped} duplicates skipped; {report.concepts_written} concepts, "
        f"{report.edges_written} edges, {report.mentions} mentions in {report.seconds:.1f}s -> {store.location}"
    )


@main.command()
@store_options
@json_option
def papers(store: StoreChoice, as_json: bool) -> None:
    """List every paper with its datasets, models, methods, tasks and metrics.

    \b
    Example:
      kg papers --json
    """
    with store.open() as graph:
        result = queries.papers(graph)
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
def shared(store: StoreChoice, as_json: bool, paper: str | None, limit: int | None, **concept: str | None) -> None:
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
    with store.open() as graph:
        if kind == "paper":
            related = queries.shared_with_paper(graph, name, limit)
            if as_json:
                _emit_json(related)
            else:
                _table([(r.id, f"{r.score:.2f}", r.title, ", ".join(r.shared)) for r in related],
                       ["id", "score", "title", "shared"], [24, 0, 60, 70])
            return
        hits = queries.shared_concept(graph, _CONCEPT_OPTIONS[kind], name)[:limit]
    if as_json:
        _emit_json(hits)
        return
    _table([(h.id, h.role, h.concept, h.title, h.evidence) for h in hits],
           ["id", "role", "as", "title", "evidence"], [24, 0, 24, 50, 90])


@main.command()
@click.argument("ref")
@store_options
@json_option
def show(ref: str, store: StoreChoice, as_json: bool) -> None:
    """Show one paper (by id or title) with each concept, its role and evidence.

    \b
    Example:
      kg show "YOLOE: Real-Time Seeing Anything"
    """
    with store.open() as graph:
        paper, links = queries.show_paper(graph, ref)
    props = dict(paper.properties)
    if as_json:
        _emit_json({"id": paper.id, **props, "concepts": links})
        return
    click.echo(f"{paper.id}\n{props.get('title', '')}\n")
    _table([(c.type, c.name, c.role, c.evidence) for c in links], ["type", "concept", "role", "evidence"], [0, 40, 0, 100])


@main.command()
@click.option("--type", "label", type=click.Choice([k for k in _CONCEPT_OPTIONS]), help="Only this concept type.")
@click.option("--top", type=click.IntRange(min=1), help="Only the N most used.")
@click.option("--cited", is_flag=True, help="Rank by citation-weighted use: each paper counts 1 + its citations.")
@store_options
@json_option
def concepts(label: str | None, top: int | None, cited: bool, store: StoreChoice, as_json: bool) -> None:
    """Concepts ranked by the number of papers that use them.

    \b
    Examples:
      kg concepts --type dataset --top 10
      kg concepts --cited --top 20
    """
    wanted = _CONCEPT_OPTIONS[label] if label else None
    with store.open() as graph:
        if cited:
            weighted = citation_queries.cited_concepts(graph, wanted, top)
        else:
            result = queries.concepts(graph, wanted, top)
    if cited:
        if as_json:
            _emit_json(weighted)
            return
        _table([(c.type, c.name, c.papers, c.citations, c.weighted, c.id) for c in weighted],
               ["type", "name", "papers", "citations", "weighted", "id"], [0, 50])
        return
    if as_json:
        _emit_json(result)
        return
    _table([(c.type, c.name, c.papers, c.papers_with_variants, c.id) for c in result],
           ["type", "name", "papers", "with variants", "id"], [0, 50])


def _citation_table(hits: list[citation_queries.CitationHit], as_json: bool) -> None:
    if as_json:
        _emit_json(hits)
        return
    _table([(h.id, "stub" if h.stub else "", h.via, h.title, h.evidence) for h in hits],
           ["id", "", "via", "title", "evidence"], [30, 0, 0, 60, 80])


@main.command()
@click.argument("ref")
@store_options
@json_option
def cites(ref: str, store: StoreChoice, as_json: bool) -> None:
    """The papers a paper (id or title) cites; papers outside the corpus show as stubs.

    \b
    Example:
      kg cites rao95bdi
    """
    with store.open() as graph:
        hits = citation_queries.cites(graph, ref)
    _citation_table(hits, as_json)


@main.command("cited-by")
@click.argument("ref")
@store_options
@json_option
def cited_by(ref: str, store: StoreChoice, as_json: bool) -> None:
    """The papers that cite a paper (id or title).

    \b
    Example:
      kg cited-by rao95bdi
    """
    with store.open() as graph:
        hits = citation_queries.cited_by(graph, ref)
    _citation_table(hits, as_json)


@main.command()
@click.argument("ref")
@click.option("--by", type=click.Choice(citation_queries.RELATED_BY), default="all", show_default=True,
              help="cocitation: cited together; coupling: shared references; concepts: shared concepts; all: the three.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="Show at most N papers.")
@store_options
@json_option
def related(ref: str, by: str, limit: int, store: StoreChoice, as_json: bool) -> None:
    """Papers related to a paper by citations and concepts, with scores.

    \b
    Example:
      kg related rao95bdi --by cocitation
    """
    with store.open() as graph:
        found = citation_queries.related(graph, ref, by, limit)
    if as_json:
        _emit_json(found)
        return
    _table([(r.id, f"{r.score:g}", r.cocitation, r.coupling, f"{r.concepts:g}", r.title) for r in found],
           ["id", "score", "co-cited", "coupled", "concepts", "title"], [30, 0, 0, 0, 0, 70])


@main.command()
@store_options
@json_option
def stats(store: StoreChoice, as_json: bool) -> None:
    """Counts of papers, concepts and relationships in the store.

    \b
    Example:
      kg stats --json
    """
    with store.open() as graph:
        result = queries.stats(graph)
    if as_json:
        _emit_json(result)
        return
    _table([(label, n) for label, n in result.nodes.items()], ["nodes", "count"])
    click.echo()
    _table([(kind, n) for kind, n in result.edges.items()], ["relationships", "count"])
    click.echo(f"\npapers without concepts: {result.papers_without_concepts}")


@main.command()
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="HTML file to write.")
@click.option("--type", "types", multiple=True, type=click.Choice(list(_CONCEPT_OPTIONS), case_sensitive=False),
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

    labels = tuple(dict.fromkeys(_CONCEPT_OPTIONS[t.lower()] for t in types))
    with store.open() as graph:
        summary = render_html(graph, out, PageFilter(labels, min_papers, top, paper, max_nodes))
    click.echo(f"{summary} -> {out}")


@main.command()
@click.option("--to-neo4j-uri", "target_uri", envvar="NEO4J_URI", required=True,
              help="Neo4j server to copy into (env NEO4J_URI; user and password from NEO4J_USERNAME, NEO4J_PASSWORD).")
@click.option("--to-neo4j-database", "target_database", envvar="NEO4J_DATABASE", help="Neo4j database (env NEO4J_DATABASE).")
@click.option("--store", "store_path", envvar="KG_STORE", default=DEFAULT_STORE, show_default=True,
              type=click.Path(dir_okay=False, path_type=Path), help="NetworkX store file to copy from (env KG_STORE).")
def push(target_uri: str, target_database: str | None, store_path: Path) -> None:
    """Copy an existing NetworkX store into a Neo4j database (an upsert: run it again, nothing doubles).

    \b
    Example:
      NEO4J_PASSWORD=secret kg push --to-neo4j-uri bolt://localhost:7687
    """
    with StoreChoice(store_path, None, None).open() as source, \
            StoreChoice(store_path, target_uri, target_database).open() as target:
        graph = source.read()
        target.write(graph)
    click.echo(f"{len(graph.nodes)} nodes and {len(graph.edges)} relationships copied to {target.location}")


@main.command()
@click.option("--format", "fmt", type=click.Choice(sorted(EXPORT_FORMATS)), required=True,
              help="graphml/gexf for Gephi, csv for neo4j-admin import, cypher for cypher-shell, json for NetworkX.")
@click.option("--out", required=True, type=click.Path(path_type=Path), help="File to write (a directory for csv).")
@store_options
def export(fmt: str, out: Path, store: StoreChoice) -> None:
    """Export the whole graph for other tools.

    \b
    Examples:
      kg export --format graphml --out graph.graphml
      kg export --format csv --out neo4j-import/    # then: sh neo4j-import/import.sh
    """
    with store.open() as graph:
        summary = export_graph(graph.read(), fmt, out)
    click.echo(f"{summary} -> {out}")


@main.command()
@click.argument("refs", nargs=-1, required=True)
@store_options
@json_option
def remove(refs: tuple[str, ...], store: StoreChoice, as_json: bool) -> None:
    """Retract papers (ids or titles) and what only they supported; papers still cited stay as stubs.

    \b
    Example:
      kg remove paper:55e26cc527691e31
    """
    from kg.pipeline.prune import remove_papers

    with store.open() as graph:
        report = remove_papers(graph, refs)
    if as_json:
        _emit_json(report)
        return
    click.echo(f"{len(report.removed)} papers removed, {len(report.kept_as_stubs)} kept as stubs (still cited), "
               f"{len(report.pruned)} concepts, stubs and repositories pruned")


@main.group()
def curate() -> None:
    """Apply a curation file to the stored graph, or list likely duplicate concepts.

    The file (default kg-curation.toml) holds merge, split, never and rename rules;
    kg build applies it too. See the README for its format.
    """


def _curation_file(path: Path | None) -> Path:
    chosen = path or Path(os.environ.get("KG_CURATION", DEFAULT_CURATION))
    if not chosen.exists():
        raise click.ClickException(f"no curation file at {chosen}")
    return chosen


@curate.command("apply")
@click.option("--file", "path", type=click.Path(dir_okay=False, path_type=Path),
              help="Curation file (default: kg-curation.toml, or env KG_CURATION).")
@store_options
@json_option
def curate_apply(path: Path | None, store: StoreChoice, as_json: bool) -> None:
    """Apply the curation rules to the stored graph (running it again changes nothing).

    \b
    Example:
      kg curate apply --file kg-curation.toml
    """
    from kg.curation.apply import apply_curation
    from kg.curation.rules import Curation

    rules = Curation.load(_curation_file(path))
    with store.open() as graph:
        report = apply_curation(graph, rules)
    if as_json:
        _emit_json(report)
        return
    click.echo(f"{report.moved_edges} edges moved, {report.dropped_edges} dropped, {len(report.renamed)} concepts "
               f"renamed, {len(report.removed)} concepts removed")


@curate.command("suggest")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True, help="Show at most N pairs.")
@store_options
@json_option
def curate_suggest(limit: int, store: StoreChoice, as_json: bool) -> None:
    """Pairs of concepts that may be one (same acronym, close spelling); nothing is changed.

    \b
    Example:
      kg curate suggest --limit 20
    """
    from kg.curation.apply import suggest_duplicates

    with store.open() as graph:
        found = suggest_duplicates(graph)[:limit]
    if as_json:
        _emit_json(found)
        return
    _table([(s.type, s.first, s.second, s.reason, f"{s.score:.2f}") for s in found],
           ["type", "first", "second", "why", "score"], [0, 40, 40, 0, 0])


@main.command("import")
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(sorted(IMPORT_FORMATS)), required=True, help="Format of SOURCE.")
@store_options
def import_(source: Path, fmt: str, store: StoreChoice) -> None:
    """Load a graph exported by `kg export` (json, graphml, gexf or csv) into the store (an upsert).

    \b
    Example:
      kg import graph.graphml --format graphml --store copy.json
    """
    graph = read_export(source, fmt)
    with store.open(create=True) as target:
        target.write(graph)
    click.echo(f"{len(graph.nodes)} nodes and {len(graph.edges)} relationships -> {store.location}")


def _param(_: click.Context, __: click.Parameter, values: tuple[str, ...]) -> dict[str, object]:
    params: dict[str, object] = {}
    for item in values:
        name, sep, raw = item.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{item!r} is not NAME=VALUE")
        try:
            params[name.strip()] = json.loads(raw)
        except json.JSONDecodeError:
            params[name.strip()] = raw
    return params


@main.command()
@click.argument("cypher")
@click.option("--param", "params", multiple=True, callback=_param, metavar="NAME=VALUE",
              help="A query parameter ($NAME); VALUE is read as JSON when it parses, else as text. Repeatable.")
@click.option("--write", is_flag=True, help="Allow the query to write (Neo4j only); queries run read-only otherwise.")
@store_options
@json_option
def query(cypher: str, params: dict[str, object], write: bool, store: StoreChoice, as_json: bool) -> None:
    """Run a Cypher query on the store (Neo4j, or a documented subset on the NetworkX file).

    \b
    Examples:
      kg query 'MATCH (p:Paper)-[:EVALUATES_ON]->(d:Dataset {name: $name}) RETURN p.title' --param name=COCO
      kg query 'MATCH (d:Dataset)<--(p:Paper) RETURN d.name AS dataset, count(p) AS papers ORDER BY papers DESC LIMIT 5'
    """
    with store.open() as graph:
        rows = graph.cypher(cypher, params, write=write)
    if as_json:
        _emit_json(rows)
        return
    columns = list(rows[0]) if rows else []
    cells = [[value if isinstance(value, str) else json.dumps(value, ensure_ascii=False) for value in row.values()]
             for row in rows]
    _table(cells, columns, [80] * len(columns))
    click.echo(f"({len(rows)} rows)")


@main.command("eval")
@click.option("--gold", "gold", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Gold-annotated file.")
@click.option("--format", "fmt", required=True, type=click.Choice(["scierc", "scinlp", "gsap", "tdmsci", "jsonl"]),
              help="Format of the gold file (jsonl: text, character-offset spans and our labels).")
@click.option("--only", multiple=True, metavar="CATEGORY", help="Score only this category (repeatable).")
@click.option("--abstracts-only", is_flag=True, help="Score only the paragraphs marked as abstracts (GSAP-NER).")
@click.option("--spacy-model", help="Installed trained spaCy pipeline to evaluate the extractors on.")
@extractor_option
@json_option
def eval_(gold: Path, fmt: str, only: tuple[str, ...], abstracts_only: bool, spacy_model: str | None, extractor: str,
          as_json: bool) -> None:
    """Score the extractors against gold annotations: P/R/F1 per category, exact and
    overlapping spans, and paper-level concepts.

    \b
    Examples:
      kg eval --gold ../shared/data/scierc/dev.jsonl --format scierc --extractor model
      kg eval --gold ../shared/data/gsap-ner/dev.jsonl --format gsap --only MODEL --only DATASET --json
    """
    from kg.extractors import make_pipeline
    from kg.quality.evaluate import evaluate_file

    report = evaluate_file(gold, fmt, make_pipeline(spacy_model, extractor=extractor), only=only,
                           abstracts_only=abstracts_only)
    if as_json:
        _emit_json({"gold": str(gold), "format": fmt, "extractor": extractor, "abstracts_only": abstracts_only,
                    "documents": report.documents,
                    "papers": report.papers, "seconds": round(report.seconds, 3), "categories": report.rows()})
        return
    rows = [[row["category"], row["gold"], *(f"{row[kind][m]:.3f}" for kind in ("exact", "partial", "paper")  # type: ignore[index]
                                             for m in ("precision", "recall", "f1"))] for row in report.rows()]
    _table(rows, ["category", "gold", "exact P", "R", "F1", "partial P", "R", "F1", "paper P", "R", "F1"])
    click.echo(f"{report.documents} documents, {report.papers} papers, extractor {extractor}: "
               f"{report.documents / max(report.seconds, 1e-9):,.0f} documents/s")


@main.command()
@click.option("--shared", type=click.Path(exists=True, file_okay=False, path_type=Path), default=Path("../shared/data"),
              show_default=True, help="Folder of the gold corpora (scierc/, gsap-ner/, tdmsci/, scirex/).")
@click.option("--config", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=Path("training/config.cfg"), show_default=True, help="spaCy training config.")
@click.option("--workdir", type=click.Path(file_okay=False, path_type=Path), default=Path("training/output"),
              show_default=True, help="Where the converted corpora and the checkpoints go.")
@click.option("--ship/--no-ship", default=False, help="Copy the trained pipeline into the package (extractors/data/ner).")
@click.option("--max-steps", type=click.IntRange(min=1), help="Stop after this many steps (default: the config's).")
@click.option("--corpus", "corpora", multiple=True, metavar="NAME",
              help="Train on this corpus (repeatable; default: scierc and scirex-abstracts; also scirex, gsap, "
                   "gsap-abstracts, tdmsci).")
def train(shared: Path, config: Path, workdir: Path, ship: bool, max_steps: int | None, corpora: tuple[str, ...]) -> None:
    """Train the statistical recogniser with spaCy on the train splits of the gold corpora.

    \b
    Example:
      kg train --shared ../shared/data --ship
    """
    from kg.quality.train import reproduce

    overrides = {"training.max_steps": max_steps} if max_steps else {}
    best, summary = reproduce(shared, config, workdir, ship=ship, overrides=overrides, corpora=corpora)
    click.echo(f"trained on {sum(summary.train_docs.values())} documents "
               f"({', '.join(f'{k} {v}' for k, v in summary.train_docs.items())}) -> {best}")

if __name__ == "__main__":  # pragma: no cover
    main(prog_name=os.path.basename(__file__))

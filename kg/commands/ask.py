"""The questions: papers, shared, show, concepts, cites, cited-by, related, stats."""

from __future__ import annotations

import click

from kg.clikit import CONCEPT_TYPES, Column, StoreChoice, emit, output_options, store_options
from kg.queries.citations import RELATED_BY

__all__ = ["cited_by", "cites", "concepts", "papers", "related", "shared", "show", "stats"]


@click.command()
@store_options
@output_options()
def papers(store: StoreChoice, output: str) -> None:
    """List every paper with its datasets, models, methods, tasks and metrics.

    \b
    Example:
      kg papers --json
    """
    from kg import queries

    with store.open() as graph:
        found = queries.papers(graph)
    emit(output, found, [Column("id", lambda p: p.id, 24), Column("title", lambda p: p.title, 50),
                         Column("datasets", lambda p: p.datasets, 30), Column("models", lambda p: p.models, 30),
                         Column("methods", lambda p: p.methods, 40)])


@click.command()
@click.option("--dataset", help="Papers that use this dataset (any alias).")
@click.option("--model", help="Papers that use this model or one of its variants.")
@click.option("--method", help="Papers that use this method.")
@click.option("--task", help="Papers that address this task.")
@click.option("--metric", help="Papers that report this metric.")
@click.option("--paper", help="Papers that share the most with this paper (id or title).")
@click.option("--limit", type=click.IntRange(min=1), help="Show at most this many papers.")
@store_options
@output_options()
def shared(store: StoreChoice, output: str, paper: str | None, limit: int | None, **concept: str | None) -> None:
    """Papers that share a concept, or that share the most with a paper.

    \b
    Examples:
      kg shared --dataset "MS COCO"
      kg shared --method SAEs --json
      kg shared --paper "Medusa" --limit 5
    """
    from kg import queries

    chosen = {name: value for name, value in concept.items() if value} | ({"paper": paper} if paper else {})
    if len(chosen) != 1:
        raise click.UsageError("give exactly one of --dataset, --model, --method, --task, --metric, --paper")
    (kind, name), = chosen.items()
    with store.open() as graph:
        if kind == "paper":
            return emit(output, queries.shared_with_paper(graph, name, limit), [
                Column("id", lambda r: r.id, 24), Column("score", lambda r: f"{r.score:.2f}"),
                Column("title", lambda r: r.title, 60), Column("shared", lambda r: r.shared, 70)])
        hits = queries.shared_concept(graph, CONCEPT_TYPES[kind], name)[:limit]
    emit(output, hits, [Column("id", lambda h: h.id, 24), Column("role", lambda h: h.role),
                        Column("as", lambda h: h.concept, 24), Column("title", lambda h: h.title, 50),
                        Column("evidence", lambda h: h.evidence, 90)])


@click.command()
@click.argument("ref")
@store_options
@output_options()
def show(ref: str, store: StoreChoice, output: str) -> None:
    """Show one paper (by id or title) with each concept, its role and evidence.

    \b
    Example:
      kg show "YOLOE: Real-Time Seeing Anything"
    """
    from kg import queries

    with store.open() as graph:
        paper, links = queries.show_paper(graph, ref)
    if output == "table":
        click.echo(f"{paper.id}\n{paper.properties.get('title', '')}\n")
    emit(output, links, [Column("type", lambda c: c.type), Column("concept", lambda c: c.name, 40),
                         Column("role", lambda c: c.role), Column("evidence", lambda c: c.evidence, 100)],
         document={"id": paper.id, **paper.properties, "concepts": links})


@click.command()
@click.option("--type", "label", type=click.Choice(list(CONCEPT_TYPES)), help="Only this concept type.")
@click.option("--top", type=click.IntRange(min=1), help="Only the N most used.")
@click.option("--cited", is_flag=True, help="Rank by citation-weighted use: each paper counts 1 + its citations.")
@store_options
@output_options()
def concepts(label: str | None, top: int | None, cited: bool, store: StoreChoice, output: str) -> None:
    """Concepts ranked by the number of papers that use them.

    \b
    Examples:
      kg concepts --type dataset --top 10
      kg concepts --cited --top 20
    """
    from kg import queries

    wanted = CONCEPT_TYPES[label] if label else None
    with store.open() as graph:
        if cited:
            return emit(output, queries.cited_concepts(graph, wanted, top), [
                Column("type", lambda c: c.type), Column("name", lambda c: c.name, 50),
                Column("papers", lambda c: c.papers), Column("citations", lambda c: c.citations),
                Column("weighted", lambda c: c.weighted), Column("id", lambda c: c.id)])
        found = queries.concepts(graph, wanted, top)
    emit(output, found, [Column("type", lambda c: c.type), Column("name", lambda c: c.name, 50),
                         Column("papers", lambda c: c.papers), Column("with variants", lambda c: c.papers_with_variants),
                         Column("id", lambda c: c.id)])


_CITATION_COLUMNS = [Column("id", lambda h: h.id, 30), Column("", lambda h: "stub" if h.stub else ""),
                     Column("via", lambda h: h.via), Column("title", lambda h: h.title, 60),
                     Column("evidence", lambda h: h.evidence, 80)]


@click.command()
@click.argument("ref")
@store_options
@output_options()
def cites(ref: str, store: StoreChoice, output: str) -> None:
    """The papers a paper (id or title) cites; papers outside the corpus show as stubs.

    \b
    Example:
      kg cites rao95bdi
    """
    from kg import queries

    with store.open() as graph:
        emit(output, queries.cites(graph, ref), _CITATION_COLUMNS)


@click.command("cited-by")
@click.argument("ref")
@store_options
@output_options()
def cited_by(ref: str, store: StoreChoice, output: str) -> None:
    """The papers that cite a paper (id or title).

    \b
    Example:
      kg cited-by rao95bdi
    """
    from kg import queries

    with store.open() as graph:
        emit(output, queries.cited_by(graph, ref), _CITATION_COLUMNS)


@click.command()
@click.argument("ref")
@click.option("--by", type=click.Choice(RELATED_BY), default="all", show_default=True,
              help="cocitation: cited together; coupling: shared references; concepts: shared concepts; all: the three.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="Show at most N papers.")
@store_options
@output_options()
def related(ref: str, by: str, limit: int, store: StoreChoice, output: str) -> None:
    """Papers related to a paper by citations and concepts, with scores.

    \b
    Example:
      kg related rao95bdi --by cocitation
    """
    from kg import queries

    with store.open() as graph:
        found = queries.related(graph, ref, by, limit)
    emit(output, found, [Column("id", lambda r: r.id, 30), Column("score", lambda r: f"{r.score:g}"),
                         Column("co-cited", lambda r: r.cocitation), Column("coupled", lambda r: r.coupling),
                         Column("concepts", lambda r: f"{r.concepts:g}"), Column("title", lambda r: r.title, 70)])


@click.command()
@store_options
@output_options()
def stats(store: StoreChoice, output: str) -> None:
    """Counts of papers, concepts and relationships in the store.

    \b
    Example:
      kg stats --json
    """
    from kg import queries

    with store.open() as graph:
        found = queries.stats(graph)
    if output != "table":
        rows = [("node", k, n) for k, n in found.nodes.items()] + [("relationship", k, n) for k, n in found.edges.items()]
        return emit(output, rows, [Column("kind", lambda r: r[0]), Column("name", lambda r: r[1]),
                                   Column("count", lambda r: r[2])], document=found)
    emit(output, list(found.nodes.items()), [Column("nodes", lambda r: r[0]), Column("count", lambda r: r[1])])
    click.echo()
    emit(output, list(found.edges.items()), [Column("relationships", lambda r: r[0]), Column("count", lambda r: r[1])],
         footer=f"\npapers without concepts: {found.papers_without_concepts}")

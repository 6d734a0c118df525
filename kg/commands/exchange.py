"""Moving a graph between stores and tools: push to Neo4j, export, import."""

from __future__ import annotations

from pathlib import Path

import click

from kg.clikit import StoreChoice, store_options
from kg.graphs.exchange import EXPORT_FORMATS, IMPORT_FORMATS

__all__ = ["export", "import_", "push"]


@click.command()
@click.option("--to-neo4j-uri", "target_uri", envvar="NEO4J_URI", required=True,
              help="Neo4j server to copy into (env NEO4J_URI; user and password from NEO4J_USERNAME, NEO4J_PASSWORD).")
@click.option("--to-neo4j-database", "target_database", envvar="NEO4J_DATABASE", help="Neo4j database (env NEO4J_DATABASE).")
@click.option("--store", "store_path", envvar="KG_STORE", default="kg-graph.kg", show_default=True,
              type=click.Path(dir_okay=False, path_type=Path), help="NetworkX store file to copy from (env KG_STORE).")
def push(target_uri: str, target_database: str | None, store_path: Path) -> None:
    """Copy an existing NetworkX store into a Neo4j database (an upsert: run it again, nothing doubles).

    \b
    Example:
      NEO4J_PASSWORD=secret kg push --to-neo4j-uri bolt://localhost:7687
    """
    target = StoreChoice(store_path, target_uri, target_database)
    with StoreChoice(store_path).open() as source, target.open() as neo4j:
        graph = source.read()
        neo4j.write(graph)
    click.echo(f"{len(graph.nodes)} nodes and {len(graph.edges)} relationships copied to {target.location}")


@click.command()
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
    from kg.graphs.exchange import export_graph

    with store.open() as graph:
        summary = export_graph(graph.read(), fmt, out)
    click.echo(f"{summary} -> {out}")


@click.command("import")
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(sorted(IMPORT_FORMATS)), required=True, help="Format of SOURCE.")
@store_options
def import_(source: Path, fmt: str, store: StoreChoice) -> None:
    """Load a graph exported by `kg export` (json, graphml, gexf or csv) into the store (an upsert).

    \b
    Example:
      kg import graph.graphml --format graphml --store copy.json
    """
    from kg.graphs.exchange import read_export

    graph = read_export(source, fmt)
    with store.open(create=True) as target:
        target.write(graph)
    click.echo(f"{len(graph.nodes)} nodes and {len(graph.edges)} relationships -> {store.location}")

"""The co-occurrence map as GEXF and GraphML: networkx writes it, Gephi's formats read back to the same map."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from kg.errors import InputError
from kg.explorer.mapfile import read_map, write_map
from kg.graphs.embedded import EmbeddedStore
from kg.queries.cooccurrence import cooccurrence_map


@pytest.mark.parametrize("name", ["map.gexf", "map.graphml"])
def test_write_then_read_is_the_same_map(years_store: EmbeddedStore, tmp_path: Path, name: str) -> None:
    found = cooccurrence_map(years_store)
    write_map(found, tmp_path / name)
    assert read_map(tmp_path / name) == found
    graph = (nx.read_gexf if name.endswith("gexf") else nx.read_graphml)(tmp_path / name)
    assert graph.nodes["model:bert"]["label"] == "BERT" and graph.number_of_edges() == len(found.links)


def test_other_extensions_and_other_files_are_refused(years_store: EmbeddedStore, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="use .gexf or .graphml"):
        write_map(cooccurrence_map(years_store), tmp_path / "map.txt")
    nx.write_graphml(nx.path_graph(3), tmp_path / "other.graphml")
    with pytest.raises(InputError, match="not a concept map"):
        read_map(tmp_path / "other.graphml")

"""Neo4j interchange files: CSV for ``neo4j-admin database import``, and a ``cypher-shell`` script.

CSV: one file per node label (``nodes_Paper.csv`` ...) and per relationship
type (``relationships_CITES.csv`` ...), with typed headers (``id:ID``,
``:LABEL``, ``year:long``, ``authors:string[]``, ``:START_ID``, ``:END_ID``,
``:TYPE``). Array items are separated by U+001F (the unit separator), which
never occurs in text, so sentences keep their semicolons. ``import.sh`` in
the same directory holds the exact ``neo4j-admin`` command.

Cypher: constraints, then batches of ``:param rows => [...]`` followed by
``UNWIND $rows AS row MERGE ...``: every value travels as a parameter,
written as a Cypher literal with escaped strings and backtick-quoted keys.

Examples
--------
>>> cypher_literal({"title": 'A "quoted" title', "tags": ["x", 1, 2.5, True, None]})
'{`title`: "A \\\\"quoted\\\\" title", `tags`: ["x", 1, 2.5, true, null]}'
"""

from __future__ import annotations

import csv
import io
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from kg.errors import InputError, SchemaError, StoreError
from kg.files import atomic_write
from kg.graphs import neo4jcypher
from kg.model import Edge, Graph, Label, Node, RelType

__all__ = ["ARRAY_DELIMITER", "cypher_literal", "read_csv", "write_csv", "write_cypher"]

ARRAY_DELIMITER = "\u001f"
_CSV_BATCH = 1_000


def _type_of(values: Iterable[Any]) -> str:
    kinds = {type(v) for v in values if v is not None}
    items = {type(i) for v in values if isinstance(v, list) for i in v}
    if kinds == {bool}:
        return "boolean"
    if kinds <= {int} and kinds:
        return "long"
    if kinds <= {int, float} and kinds:
        return "double"
    if kinds == {list}:
        return "long[]" if items == {int} else "double[]" if items and items <= {int, float} else "string[]"
    return "string"


def _cell(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind.endswith("[]"):
        return ARRAY_DELIMITER.join(_cell(item, kind[:-2]) for item in value)
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "double":
        return repr(float(value))
    return str(value)


def _table(header: list[str], kinds: list[str], rows: Iterable[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(value, kind) for value, kind in zip(row, kinds)])
    return out.getvalue().encode("utf-8")


def _columns(items: list[dict[str, Any]]) -> tuple[list[str], list[str]]:
    keys = sorted({key for item in items for key in item})
    return keys, [_type_of(item.get(key) for item in items) for key in keys]


def write_csv(graph: Graph, out: Path) -> None:
    """Write ``graph`` as a directory of ``neo4j-admin database import`` files (and ``import.sh``).

    ``out`` is made if its parent exists; an existing directory gets its files replaced. Raises
    ``StoreError`` when ``out`` is a file or its parent directory is missing.
    """
    if out.exists() and not out.is_dir():
        raise StoreError(f"cannot write the CSV export to {out}: it is a file, and a csv export is a directory")
    if not out.parent.is_dir():
        raise StoreError(f"cannot write {out}: the directory {out.parent} does not exist")
    try:
        out.mkdir(exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot write {out}: {exc.strerror}") from None
    nodes: dict[Label, list[Node]] = defaultdict(list)
    for node in graph.nodes:
        nodes[node.label].append(node)
    edges: dict[RelType, list[Edge]] = defaultdict(list)
    for edge in graph.edges:
        edges[edge.type].append(edge)
    args = []
    for label, group in sorted(nodes.items()):
        keys, kinds = _columns([dict(n.properties) for n in group])
        header = ["id:ID", ":LABEL", *(f"{k}:{t}" for k, t in zip(keys, kinds))]
        rows = ([n.id, label.value, *(n.properties.get(k) for k in keys)] for n in group)
        atomic_write(out / f"nodes_{label.value}.csv", _table(header, ["string", "string", *kinds], rows))
        args.append(f"--nodes=nodes_{label.value}.csv")
    for kind, typed in sorted(edges.items()):
        keys, kinds = _columns([dict(e.properties) for e in typed])
        header = [":START_ID", ":END_ID", ":TYPE", *(f"{k}:{t}" for k, t in zip(keys, kinds))]
        rows = ([e.source, e.target, kind.value, *(e.properties.get(k) for k in keys)] for e in typed)
        atomic_write(out / f"relationships_{kind.value}.csv", _table(header, ["string"] * 3 + kinds, rows))
        args.append(f"--relationships=relationships_{kind.value}.csv")
    # The database name goes before the file options: --nodes/--relationships take several
    # files each, so a name at the end would be read as one more file.
    command = ('neo4j-admin database import full "${1:-neo4j}" --overwrite-destination --array-delimiter=U+001F '
               "--multiline-fields=true " + " ".join(args))
    atomic_write(out / "import.sh", f'#!/bin/sh\n# Run from this directory with the database stopped.\ncd "$(dirname "$0")"\n{command}\n'.encode())


def _parse(raw: str, kind: str) -> Any:
    if kind.endswith("[]"):
        return [_parse(item, kind[:-2]) for item in raw.split(ARRAY_DELIMITER)] if raw else None
    if raw == "":
        return None
    if kind == "boolean":
        return raw == "true"
    if kind in ("long", "int"):
        return int(raw)
    if kind in ("double", "float"):
        return float(raw)
    return raw


def _records(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line, row)`` of an export CSV file; raises ``InputError`` naming the file and line of a bad row."""
    reader: Any = None
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle, strict=True)
            header = next(reader, None)
            if header is None:
                raise InputError("empty CSV file", path=path)
            fields = [(name.partition(":")[0] or name, name.partition(":")[2] or "string") for name in header]
            for row in reader:
                if len(row) != len(fields):
                    raise InputError(f"{len(row)} cells for {len(fields)} columns", path=path, line=reader.line_num)
                values = {}
                for (name, kind), value in zip(fields, row):
                    try:
                        values[name] = _parse(value, kind)
                    except ValueError:
                        raise InputError(f"column {name!r}: {value[:40]!r} is not a {kind}", path=path,
                                         line=reader.line_num) from None
                yield reader.line_num, values
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 (byte 0x{exc.object[exc.start]:02x})", path=path) from None
    except csv.Error as exc:
        raise InputError(f"malformed CSV: {exc}", path=path, line=reader.line_num if reader else None) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=path) from None


def read_csv(directory: Path) -> Graph:
    """Read a directory written by :func:`write_csv` back into the graph model."""
    if not directory.is_dir():
        raise InputError("not a directory of CSV files", path=directory)
    nodes, edges = [], []
    for path in sorted(directory.glob("nodes_*.csv")):
        for line, row in _records(path):
            props = {k: v for k, v in row.items() if k not in ("id", ":LABEL") and v is not None}
            try:
                nodes.append(Node(Label(row[":LABEL"]), row["id"], props))
            except (KeyError, ValueError, SchemaError) as exc:
                raise InputError(f"not a kg node row ({exc})", path=path, line=line) from None
    for path in sorted(directory.glob("relationships_*.csv")):
        for line, row in _records(path):
            props = {k: v for k, v in row.items() if not k.startswith(":") and v is not None}
            try:
                edges.append(Edge(RelType(row[":TYPE"]), row[":START_ID"], row[":END_ID"], props))
            except (KeyError, ValueError, SchemaError) as exc:
                raise InputError(f"not a kg relationship row ({exc})", path=path, line=line) from None
    return Graph.of(nodes, edges)


def cypher_literal(value: Any) -> str:
    """``value`` as a Cypher literal: strings escaped, map keys backtick-quoted."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value} has no Cypher literal")
        return repr(value)
    if isinstance(value, str):
        escaped = "".join(_ESCAPES.get(ch, ch if ch >= " " else f"\\u{ord(ch):04x}") for ch in value)
        return f'"{escaped}"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(cypher_literal(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"`{str(k).replace('`', '``')}`: {cypher_literal(v)}" for k, v in value.items()) + "}"
    raise ValueError(f"no Cypher literal for {type(value).__name__}")


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def write_cypher(graph: Graph, out: Path) -> None:
    """Write a ``cypher-shell -f`` script that loads ``graph`` (an idempotent upsert)."""
    labels = {node.id: node.label for node in graph.nodes}
    lines = ["// kg graph: cypher-shell -f this-file (values travel only as :param)", *(c + ";" for c in neo4jcypher.CONSTRAINTS)]
    by_label: dict[Label, list[Node]] = defaultdict(list)
    for node in graph.nodes:
        by_label[node.label].append(node)
    for label, group in sorted(by_label.items()):
        rows = [{"id": n.id, "props": {**n.properties, "id": n.id}} for n in group]
        lines.extend(_batches(rows, neo4jcypher.merge_nodes(label)))
    by_type: dict[tuple[RelType, Label, Label], list[dict[str, Any]]] = defaultdict(list)
    for edge in graph.edges:
        key = (edge.type, labels.get(edge.source, Label.PAPER), labels.get(edge.target, Label.PAPER))
        by_type[key].append({"source": edge.source, "target": edge.target, "props": dict(edge.properties)})
    for (kind, source, target), rows in sorted(by_type.items()):
        statement = neo4jcypher.merge_edges(kind, source, target, replace_other_types=False)
        lines.extend(_batches(rows, statement))
    atomic_write(out, ("\n".join(lines) + "\n").encode("utf-8"))


def _batches(rows: list[dict[str, Any]], statement: str) -> Iterator[str]:
    for start in range(0, len(rows), _CSV_BATCH):
        yield f":param rows => {cypher_literal(rows[start:start + _CSV_BATCH])};"
        yield statement.replace("\n", " ") + ";"

"""What every ``kg`` command shares: choosing and opening the store, and printing rows.

* :func:`store_options` adds ``--store``, ``--neo4j-uri`` and ``--neo4j-database`` and
  hands the command one :class:`StoreChoice`; ``with store.open() as graph:`` opens it.
* :func:`output_options` adds ``--json`` (and ``--csv`` for tabular answers) and hands
  the command an ``output`` format; :func:`emit` prints rows in it: a table for
  people, JSON or CSV for programs.

This module imports only click and the ground floor, so ``kg --help`` stays fast;
the stores are imported when one is opened.
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import json
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

import click
from click.core import ParameterSource

from kg.errors import one_line
from kg.extractors import DEFAULT_EXTRACTOR, EXTRACTORS
from kg.model import CONCEPT_LABELS

if TYPE_CHECKING:
    from kg.graphs.store import GraphStore

__all__ = [
    "CONCEPT_TYPES",
    "DEFAULT_CURATION",
    "Column",
    "StoreChoice",
    "emit",
    "extractor_option",
    "output_options",
    "parse_params",
    "plain",
    "spacy_model_option",
    "store_options",
    "table",
]

F = TypeVar("F", bound=Callable[..., Any])
DEFAULT_STORE = "kg-graph.kg"
DEFAULT_CURATION = "kg-curation.toml"
CONCEPT_TYPES = {label.value.lower(): label for label in CONCEPT_LABELS}
"""The concept types as options and choices name them (``dataset`` ...)."""

extractor_option = click.option("--extractor", type=click.Choice(EXTRACTORS), default=DEFAULT_EXTRACTOR,
                                show_default=True, help="Rule components, the trained recogniser, or both voting.")
spacy_model_option = click.option("--spacy-model", help="Installed trained spaCy pipeline to run the extractors on.")


@dataclasses.dataclass(frozen=True)
class StoreChoice:
    """Where the graph is: the NetworkX file, or a Neo4j server when a URI is given."""

    path: Path
    neo4j_uri: str | None = None
    neo4j_database: str | None = None

    @contextmanager
    def open(self, *, create: bool = False, isolated: bool = False) -> Iterator[GraphStore]:
        """The opened store, closed when the block ends (``isolated``: see :func:`kg.graphs.open_store`)."""
        from kg.graphs import open_store

        store = open_store(self.path, neo4j_uri=self.neo4j_uri, neo4j_database=self.neo4j_database, create=create,
                           isolated=isolated)
        try:
            yield store
        finally:
            store.close()

    @property
    def location(self) -> str:
        """The store's place for messages: the file, or the URI (without any user or password in it)."""
        if self.neo4j_uri:
            from kg.graphs.neo4jguard import redact_uri

            return redact_uri(self.neo4j_uri)
        return str(self.path)


_STORE_OPTIONS = (
    click.option("--store", "store_path", envvar="KG_STORE", default=DEFAULT_STORE, show_default=True,
                 type=click.Path(dir_okay=False, path_type=Path),
                 help="Graph file of the embedded NetworkX store (env KG_STORE)."),
    click.option("--neo4j-uri", envvar="NEO4J_URI",
                 help="Use the Neo4j server at this URI instead of the file (env NEO4J_URI; user and password "
                      "from NEO4J_USERNAME and NEO4J_PASSWORD)."),
    click.option("--neo4j-database", envvar="NEO4J_DATABASE", help="Neo4j database (env NEO4J_DATABASE)."),
)


def store_options(command: F) -> F:
    """The options that choose the store, gathered into one ``store`` argument.

    A flag given on the command line wins over the environment: ``--store FILE`` with
    ``NEO4J_URI`` set uses the file. Giving both ``--store`` and ``--neo4j-uri`` is an error.
    """

    @functools.wraps(command)
    def wrapper(*args: Any, store_path: Path, neo4j_uri: str | None, neo4j_database: str | None, **kwargs: Any) -> Any:
        context = click.get_current_context()
        store_given = context.get_parameter_source("store_path") is ParameterSource.COMMANDLINE
        uri_source = context.get_parameter_source("neo4j_uri")
        if store_given and uri_source is ParameterSource.COMMANDLINE and neo4j_uri:
            raise click.UsageError("give --store or --neo4j-uri, not both")
        if store_given and uri_source is not ParameterSource.COMMANDLINE:
            neo4j_uri = neo4j_database = None  # the explicit file wins over NEO4J_URI in the environment
        return command(*args, store=StoreChoice(store_path, neo4j_uri, neo4j_database), **kwargs)

    for option in reversed(_STORE_OPTIONS):
        wrapper = option(wrapper)
    return wrapper  # type: ignore[return-value]


def output_options(*, csv_rows: bool = True) -> Callable[[F], F]:
    """``--json`` (and ``--csv`` when the answer is rows), gathered into one ``output`` argument:
    ``"table"``, ``"json"`` or ``"csv"``."""

    def decorate(command: F) -> F:
        @functools.wraps(command)
        def wrapper(*args: Any, as_json: bool, as_csv: bool = False, **kwargs: Any) -> Any:
            if as_json and as_csv:
                raise click.UsageError("give --json or --csv, not both")
            return command(*args, output="json" if as_json else "csv" if as_csv else "table", **kwargs)

        wrapped: Any = wrapper
        if csv_rows:
            wrapped = click.option("--csv", "as_csv", is_flag=True, help="Print CSV rows instead of a table.")(wrapped)
        return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")(wrapped)  # type: ignore[no-any-return]

    return decorate


class Column(NamedTuple):
    """One column of an answer: its header, how to get its value from a row, its width in a table (0: any)."""

    header: str
    value: Callable[[Any], object]
    width: int = 0


def emit(output: str, rows: Sequence[Any], columns: Sequence[Column] = (), *, document: Any = None,
         footer: str | None = None) -> None:
    """Print ``rows`` as ``output`` says: a table of ``columns`` (then ``footer``), CSV of the same
    columns, or JSON of ``document`` (default: the rows themselves)."""
    if output == "json":
        click.echo(json.dumps(plain(rows if document is None else document), ensure_ascii=False, indent=2))
    elif output == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow([column.header for column in columns])
        writer.writerows([_csv_cell(column.value(row)) for column in columns] for row in rows)
    else:
        if columns:
            table([[column.value(row) for column in columns] for row in rows], [c.header for c in columns],
                  [c.width for c in columns])
        if footer is not None:
            click.echo(footer)


def _csv_cell(value: object) -> object:
    if isinstance(value, (list, tuple)):
        return "; ".join(str(item) for item in value)
    return value if isinstance(value, (str, int, float)) or value is None else json.dumps(plain(value))


def plain(value: Any) -> Any:
    """``value`` as JSON-ready data: dataclasses become objects (fields with ``repr=False`` left out)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value) if f.repr}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    return value


def table(rows: Sequence[Sequence[object]], headers: Sequence[str], widths: Sequence[int] = ()) -> None:
    """Print aligned columns under a rule; a cell longer than its width is cut with "…"."""
    cells = [[_cut(_text(cell), widths[i] if i < len(widths) else 0) for i, cell in enumerate(row)] for row in rows]
    sizes = [max([len(h), *(len(row[i]) for row in cells)]) for i, h in enumerate(headers)]
    click.echo("  ".join(h.ljust(sizes[i]) for i, h in enumerate(headers)).rstrip())
    click.echo("  ".join("-" * size for size in sizes))
    for row in cells:
        click.echo("  ".join(cell.ljust(sizes[i]) for i, cell in enumerate(row)).rstrip())


def _text(cell: object) -> str:
    if isinstance(cell, (list, tuple)):
        return ", ".join(str(item) for item in cell)
    return str(cell)


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if not width or len(text) <= width else text[: width - 1] + "…"


MAX_PARAM_DEPTH = 32
"""The deepest nesting of lists and maps a ``--param`` value may have."""
_INT64 = (-(2**63), 2**63 - 1)


def parse_params(values: Sequence[str]) -> dict[str, object]:
    """Query parameters from ``NAME=VALUE`` items: VALUE as JSON when it parses, else as text.

    Raises ``click.BadParameter`` (a one-line usage error) for an item without ``=`` or a name, a
    whole number outside the 64-bit range Cypher takes, or nesting deeper than :data:`MAX_PARAM_DEPTH`.

    >>> parse_params(["name=COCO", "n=3", "ids=[1, 2]", "text=not json"])
    {'name': 'COCO', 'n': 3, 'ids': [1, 2], 'text': 'not json'}
    >>> parse_params(["n=" + "9" * 20])
    Traceback (most recent call last):
    ...
    click.exceptions.BadParameter: n: 99999999999999999999 is outside the 64-bit whole numbers Cypher takes
    """
    params: dict[str, object] = {}
    for item in values:
        name, sep, raw = item.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{one_line(item[:60])!r} is not NAME=VALUE")
        name = name.strip()
        if not re.fullmatch(r"\w+", name):
            raise click.BadParameter(f"{one_line(name[:60])!r} is not a parameter name (letters, digits and _)")
        try:
            value: object = json.loads(raw)
        except json.JSONDecodeError:
            value = raw
        except RecursionError:
            raise click.BadParameter(f"{name}: nested deeper than {MAX_PARAM_DEPTH} levels") from None
        except ValueError:
            raise click.BadParameter(f"{name}: a whole number of more than 4,300 digits") from None
        _check_param(name, value, 1)
        params[name] = value
    return params


def _check_param(name: str, value: object, depth: int) -> None:
    if isinstance(value, int) and not isinstance(value, bool) and not _INT64[0] <= value <= _INT64[1]:
        shown = str(value) if abs(value) < 10**40 else "a whole number"
        raise click.BadParameter(f"{name}: {shown} is outside the 64-bit whole numbers Cypher takes")
    if isinstance(value, (list, dict)):
        if depth > MAX_PARAM_DEPTH:
            raise click.BadParameter(f"{name}: nested deeper than {MAX_PARAM_DEPTH} levels")
        for item in value.values() if isinstance(value, dict) else value:
            _check_param(name, item, depth + 1)

"""The graph model every part of ``kg`` speaks: typed nodes and typed edges.

Extractors produce it, the pipeline assembles it, and every store writes and
reads exactly this model, so no spaCy ``Doc`` or database driver object leaks
between layers. Property values are restricted to what both NetworkX JSON and
Neo4j can hold: strings, numbers, booleans, ``None`` and flat lists of those.

Examples
--------
>>> paper = Node(Label.PAPER, "p1", {"title": "A paper"})
>>> coco = Node(Label.DATASET, concept_id(Label.DATASET, "COCO"), {"name": "COCO"})
>>> coco.id
'dataset:coco'
>>> Edge(RelType.EVALUATES_ON, paper.id, coco.id, {"count": 1}).key
('EVALUATES_ON', 'p1', 'dataset:coco')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Union

from kg.errors import SchemaError
from kg.normalize import name_key

__all__ = [
    "CONCEPT_LABELS",
    "PAPER_CONCEPT_TYPES",
    "PAPER_OWNED_TYPES",
    "Edge",
    "Graph",
    "Label",
    "Node",
    "PropValue",
    "Properties",
    "RelType",
    "concept_id",
    "float_prop",
    "int_prop",
    "str_prop",
]

Scalar = Union[str, int, float, bool, None]
PropValue = Union[Scalar, list[str], list[int], list[float]]
Properties = Mapping[str, PropValue]


class Label(StrEnum):
    """Node labels. Concept labels match the extractor span labels (``DATASET`` ...)."""

    PAPER = "Paper"
    DATASET = "Dataset"
    MODEL = "Model"
    METHOD = "Method"
    TASK = "Task"
    METRIC = "Metric"
    REPOSITORY = "Repository"

    @classmethod
    def from_span_label(cls, span_label: str) -> Label:
        """Map an extractor span label (``"DATASET"``) to a node label (``Label.DATASET``)."""
        try:
            label = cls[span_label.upper()]
        except KeyError:
            raise SchemaError(f"unknown concept type {span_label!r}") from None
        if label not in CONCEPT_LABELS:
            raise SchemaError(f"{span_label!r} is not a concept type")
        return label

    @property
    def span_label(self) -> str:
        """The extractor span label of this node label, e.g. ``"DATASET"``."""
        return self.name


CONCEPT_LABELS: tuple[Label, ...] = (Label.DATASET, Label.MODEL, Label.METHOD, Label.TASK, Label.METRIC)
"""The labels of the concepts the extractors find (a ``Repository`` is a code link, not a concept)."""


class RelType(StrEnum):
    """Relationship types.

    From a paper to a concept, the type is the role the text gives the concept:
    ``PROPOSES`` (the paper's own named contribution), ``EVALUATES_ON`` (a dataset
    or metric the paper reports results on), ``USES`` (a concept the paper applies
    or builds on) and ``MENTIONS`` (named without a stated role). Between concepts,
    ``VARIANT_OF`` links a variant to its family (``GPT-2 Small`` -> ``GPT-2``).
    Between papers, ``CITES`` goes from the citing paper to the cited one; from a
    paper to a ``Repository``, ``HAS_CODE`` names its code.
    """

    PROPOSES = "PROPOSES"
    EVALUATES_ON = "EVALUATES_ON"
    USES = "USES"
    MENTIONS = "MENTIONS"
    VARIANT_OF = "VARIANT_OF"
    CITES = "CITES"
    HAS_CODE = "HAS_CODE"


PAPER_CONCEPT_TYPES: tuple[RelType, ...] = (
    RelType.PROPOSES,
    RelType.EVALUATES_ON,
    RelType.USES,
    RelType.MENTIONS,
)
"""The roles a paper gives a concept, strongest first: an edge keeps the strongest role of its mentions."""

PAPER_OWNED_TYPES: tuple[RelType, ...] = (*PAPER_CONCEPT_TYPES, RelType.CITES, RelType.HAS_CODE)
"""The relationships a paper states itself: writing the paper again replaces them all."""


def concept_id(label: Label, name: str) -> str:
    """Return the deterministic id of a concept: its type and normalised name.

    >>> concept_id(Label.MODEL, "LLaMA-2")
    'model:llama2'
    """
    key = name_key(name)
    if not key:
        raise SchemaError(f"concept name {name!r} is empty after normalisation")
    return f"{label.value.lower()}:{key}"


def str_prop(properties: Properties, name: str, default: str = "") -> str:
    """A property as text (``default`` when missing or ``None``)."""
    value = properties.get(name)
    return default if value is None else str(value)


def int_prop(properties: Properties, name: str, default: int = 0) -> int:
    """A numeric property as ``int`` (``default`` when missing or not a number)."""
    value = properties.get(name)
    return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else default


def float_prop(properties: Properties, name: str, default: float = 0.0) -> float:
    """A numeric property as ``float`` (``default`` when missing or not a number)."""
    value = properties.get(name)
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else default


def _frozen(properties: Properties) -> Mapping[str, PropValue]:
    """An immutable copy; ``None`` and empty lists are dropped (no store tells them from missing)."""
    return MappingProxyType({key: value for key, value in properties.items() if value is not None and value != []})


@dataclass(frozen=True)
class Node:
    """A node: a label, an id unique within the graph, and flat properties."""

    label: Label
    id: str
    properties: Properties = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.label, Label):
            raise SchemaError(f"node {self.id!r}: label {self.label!r} is not a Label")
        if not self.id:
            raise SchemaError(f"{self.label} node with an empty id")
        if self.label is not Label.PAPER and not self.id.startswith(f"{self.label.value.lower()}:"):
            raise SchemaError(f"{self.label} node id {self.id!r} must start with {self.label.value.lower()!r}:")
        object.__setattr__(self, "properties", _frozen(self.properties))


@dataclass(frozen=True)
class Edge:
    """A directed, typed edge between two node ids, with flat properties."""

    type: RelType
    source: str
    target: str
    properties: Properties = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.type, RelType):
            raise SchemaError(f"edge {self.source!r}->{self.target!r}: type {self.type!r}")
        object.__setattr__(self, "properties", _frozen(self.properties))

    @property
    def key(self) -> tuple[str, str, str]:
        """The identity of the edge: ``(type, source, target)``."""
        return (self.type.value, self.source, self.target)


@dataclass(frozen=True)
class Graph:
    """An immutable bag of nodes and edges; ids are unique, edges may repeat keys."""

    nodes: tuple[Node, ...] = ()
    edges: tuple[Edge, ...] = ()

    @classmethod
    def of(cls, nodes: Iterable[Node] = (), edges: Iterable[Edge] = ()) -> Graph:
        """Build a graph from any iterables of nodes and edges."""
        return cls(tuple(nodes), tuple(edges))

    def by_label(self, label: Label) -> tuple[Node, ...]:
        """The nodes that carry ``label``."""
        return tuple(node for node in self.nodes if node.label is label)

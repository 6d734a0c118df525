"""Pieces of the named questions' Cypher: label and relationship-type alternations from the schema.

Labels and types cannot be parameters, so they enter the query texts only from
the model's enums, here; every value travels as a parameter.

>>> ROLES
'PROPOSES|EVALUATES_ON|USES|MENTIONS'
>>> concept_labels(None)
'Dataset|Model|Method|Task|Metric'
"""

from __future__ import annotations

from kg.model import CONCEPT_LABELS, PAPER_CONCEPT_TYPES, Label

__all__ = ["CONCEPTS", "ROLES", "concept_labels", "display"]

ROLES = "|".join(kind.value for kind in PAPER_CONCEPT_TYPES)
"""The paper-to-concept relationship types, strongest role first."""

CONCEPTS = "|".join(label.value for label in CONCEPT_LABELS)
"""Every concept label."""


def concept_labels(label: Label | None) -> str:
    """``label`` as a pattern label, or every concept label for ``None``."""
    if label is None:
        return CONCEPTS
    if label not in CONCEPT_LABELS:
        raise ValueError(f"{label!r} is not a concept label")
    return label.value


def display(variable: str) -> str:
    """The Cypher for a paper's title, and its abstract when it has no title (for :func:`results.display_title`)."""
    return (f"{variable}.title AS title, CASE WHEN {variable}.title IS NULL OR {variable}.title = '' "
            f"THEN {variable}.abstract END AS abstract")

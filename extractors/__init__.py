"""spaCy components that find datasets, models, methods, tasks and metrics in abstracts.

Each rule is a registered factory writing plain spans to its own
``doc.spans`` group; ``kg_mentions`` merges them into ``doc.spans["kg"]``
(labels ``DATASET``, ``MODEL``, ``METHOD``, ``TASK``, ``METRIC``).
:func:`kg.extractors.pipeline.make_pipeline` assembles them on ``spacy.blank("en")``
or on an installed trained pipeline.

This module holds only the names of the choices, so that reading them does not
import spaCy; the components are in the submodules:

* :mod:`~kg.extractors.gazetteer`: names and aliases of the vocabulary (:mod:`~kg.extractors.vocabulary`);
* :mod:`~kg.extractors.abbreviations`: acronym definitions;
* :mod:`~kg.extractors.shapes`: model-shaped names (GPT-2, Llama2, YOLOv8-L);
* :mod:`~kg.extractors.context`: names from their context ("we propose X", "the X benchmark");
* :mod:`~kg.extractors.statistical`: the trained recogniser;
* :mod:`~kg.extractors.mentions`: one non-overlapping set of mentions.
"""

from __future__ import annotations

__all__ = ["COMPONENTS", "DEFAULT_EXTRACTOR", "EXTRACTORS"]

COMPONENTS = ("kg_gazetteer", "kg_abbreviations", "kg_shapes", "kg_context", "kg_mentions")
"""The rule components, in pipeline order."""

EXTRACTORS = ("rules", "model", "both")
"""What finds the mentions: the rule components, the trained recogniser, or both voting."""

DEFAULT_EXTRACTOR = "rules"
"""The extractor ``kg build`` and ``kg eval`` use unless told otherwise."""

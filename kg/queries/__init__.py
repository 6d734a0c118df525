"""The named questions, one module per family, all over the store interface of :mod:`kg.graphs.store`.

* :mod:`~kg.queries.lookup`: names to nodes (:func:`find_concepts`, :func:`find_paper`);
* :mod:`~kg.queries.shared`: who uses a concept (:func:`shared_concept`), what shares most with a paper
  (:func:`shared_with_paper`);
* :mod:`~kg.queries.listing`: every paper with its concepts (:func:`papers`), one paper in full
  (:func:`show_paper`);
* :mod:`~kg.queries.ranking`: concepts ranked by papers (:func:`concepts`);
* :mod:`~kg.queries.citations`: :func:`cites`, :func:`cited_by`, :func:`related`, :func:`cited_concepts`;
* :mod:`~kg.queries.counts`: :func:`stats`;
* :mod:`~kg.queries.cooccurrence`: the co-occurrence map (:func:`cooccurrence_map`);
* :mod:`~kg.queries.trends`: concepts over the years (:func:`trends`);
* :mod:`~kg.queries.results`: the dataclasses they answer with.
"""

from __future__ import annotations

from kg.queries.citations import RELATED_BY, cited_by, cited_concepts, cites, related
from kg.queries.cooccurrence import cooccurrence_map
from kg.queries.counts import stats
from kg.queries.listing import papers, show_paper
from kg.queries.lookup import find_concepts, find_paper
from kg.queries.ranking import concepts
from kg.queries.shared import shared_concept, shared_with_paper
from kg.queries.trends import trends

__all__ = [
    "RELATED_BY",
    "cited_by",
    "cited_concepts",
    "cites",
    "concepts",
    "cooccurrence_map",
    "find_concepts",
    "find_paper",
    "papers",
    "related",
    "shared_concept",
    "shared_with_paper",
    "show_paper",
    "stats",
    "trends",
]

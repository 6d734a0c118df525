"""Names to nodes: a concept by any alias or spelling, a paper by id or title.

Concept names resolve through the normalised keys the concepts carry (``MS-COCO``,
``SAEs``, ``LLaMA-2``). What matches nothing raises
:class:`~kg.errors.NotFoundError` with the closest names."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from kg.errors import NotFoundError
from kg.graphs.store import GraphStore
from kg.model import CONCEPT_LABELS, Label, Node
from kg.normalize import name_key
from kg.paper import normalise_title

__all__ = ["find_concepts", "find_paper"]


def _suggest(store: GraphStore, name: str, labels: Iterable[Label]) -> list[str]:
    names = {str(node.properties.get("name")) for label in labels for node in store.nodes(label, fields=["name"])}
    by_key = {name_key(n): n for n in names}
    close = difflib.get_close_matches(name_key(name), list(by_key), n=5, cutoff=0.6)
    return [by_key[key] for key in close]


def find_concepts(store: GraphStore, label: Label, name: str) -> list[Node]:
    """The concepts of type ``label`` that ``name`` (any alias or spelling) names.

    When no concept of that type has the name, concepts of another type with
    it answer instead (``--method transformer`` finds the model "transformer"):
    the types are the extractor's call, the name is the user's.

    Raises ``NotFoundError`` with the closest names when nothing matches.
    """
    key = name_key(name)
    if not key:
        raise NotFoundError(f"no {label.value.lower()} named {name!r}")
    for wanted in (label, None):
        found = store.concepts_with_key(key, wanted)
        if found:
            return found
    suggestions = _suggest(store, name, CONCEPT_LABELS)
    raise NotFoundError(f"no {label.value.lower()} named {name!r}", suggestions=suggestions)


def find_paper(store: GraphStore, ref: str) -> Node:
    """The paper with id ``ref``, else the one whose title is or contains ``ref``.

    Raises ``NotFoundError`` (with close titles) for no match or an ambiguous one.
    """
    exact = store.nodes(Label.PAPER, ids=[ref])
    if exact:
        return exact[0]
    wanted = normalise_title(ref)
    titles = store.nodes(Label.PAPER, fields=["title"])
    same = [p for p in titles if normalise_title(str(p.properties.get("title", ""))) == wanted]
    within = same or [p for p in titles if wanted and wanted in normalise_title(str(p.properties.get("title", "")))]
    if len(within) == 1:
        return store.nodes(Label.PAPER, ids=[within[0].id])[0]
    if len(within) > 1:
        options = [f"{p.id} ({p.properties.get('title')})" for p in within[:5]]
        raise NotFoundError(f"{ref!r} matches {len(within)} papers; give an id", suggestions=options)
    by_title = {str(p.properties.get("title")): p.id for p in titles}
    close = difflib.get_close_matches(ref, list(by_title), n=5, cutoff=0.5)
    raise NotFoundError(f"no paper with id or title {ref!r}", suggestions=close)

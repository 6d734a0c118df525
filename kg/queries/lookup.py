"""Names to nodes: a concept by any name, alias, key or curated name, a paper by id or title.

Both stores keep, in the store's own ``_lookup`` property, the normalised forms a
node is found by (a concept's name, aliases and keys; a paper's title), so the
engine finds a name however it is spelt: case, spacing, hyphens and plurals do
not matter (``MS-COCO``, ``ms coco``, ``SAEs``, ``LLaMA-2``). What matches nothing
raises :class:`~kg.errors.NotFoundError` with the closest names.
"""

from __future__ import annotations

import difflib

from kg.errors import NotFoundError
from kg.graphs.store import GraphStore
from kg.model import Label, Node
from kg.normalize import name_key
from kg.paper import normalise_title
from kg.queries.texts import CONCEPTS, concept_labels

__all__ = ["find_concepts", "find_paper"]

_NAMES = f"MATCH (c:{CONCEPTS}) RETURN DISTINCT c.name AS name"
_PAPER_BY_ID = "MATCH (p:Paper {id: $ref}) RETURN p.id AS id"
_PAPER_BY_TITLE = "MATCH (p:Paper) WHERE $title IN p._lookup RETURN p.id AS id, p.title AS title ORDER BY id"
_PAPER_BY_PART = ("MATCH (p:Paper) UNWIND p._lookup AS k WITH p, k WHERE k CONTAINS $title "
                  "RETURN DISTINCT p.id AS id, p.title AS title ORDER BY id")
_PAPER_BY_WORD = ("MATCH (p:Paper) UNWIND p._lookup AS k UNWIND $words AS w WITH p, k, w WHERE k CONTAINS w "
                  "RETURN DISTINCT p.title AS title LIMIT 5000")


def _concepts_named(label: Label | None) -> str:
    return f"MATCH (c:{concept_labels(label)}) WHERE $key IN c._lookup RETURN c.id AS id ORDER BY id"


def find_concepts(store: GraphStore, label: Label, name: str) -> list[Node]:
    """The concepts of type ``label`` that ``name`` names.

    When no concept of that type has the name, concepts of another type with
    it answer instead (``--method transformer`` finds the model "transformer"):
    the types are the extractor's call, the name is the user's.

    Raises ``NotFoundError`` with the closest names when nothing matches.
    """
    key = name_key(name)
    if not key:
        raise NotFoundError(f"no {label.value.lower()} named {name!r}")
    for wanted in (label, None):
        ids = [str(row["id"]) for row in store.cypher(_concepts_named(wanted), {"key": key})]
        if ids:
            return store.nodes(ids=ids)
    names = [str(row["name"]) for row in store.cypher(_NAMES) if row["name"] is not None]
    by_key = {name_key(n): n for n in sorted(names)}
    close = difflib.get_close_matches(key, list(by_key), n=5, cutoff=0.6)
    raise NotFoundError(f"no {label.value.lower()} named {name!r}", suggestions=[by_key[k] for k in close])


def find_paper(store: GraphStore, ref: str) -> Node:
    """The paper with id ``ref``, else the one whose title is or contains ``ref``.

    Raises ``NotFoundError`` (with close titles) for no match or an ambiguous one.
    """
    if store.cypher(_PAPER_BY_ID, {"ref": ref}):
        return store.nodes(Label.PAPER, ids=[ref])[0]
    wanted = normalise_title(ref)
    within = store.cypher(_PAPER_BY_TITLE, {"title": wanted}) if wanted else []
    if not within and wanted:
        within = store.cypher(_PAPER_BY_PART, {"title": wanted})
    if len(within) == 1:
        return store.nodes(Label.PAPER, ids=[str(within[0]["id"])])[0]
    if len(within) > 1:
        options = [f"{row['id']} ({row['title']})" for row in within[:5]]
        raise NotFoundError(f"{ref!r} matches {len(within)} papers; give an id", suggestions=options)
    words = [w for w in wanted.split() if len(w) > 3] or wanted.split()
    titles = sorted({str(row["title"]) for row in store.cypher(_PAPER_BY_WORD, {"words": words}) if row["title"]})
    close = difflib.get_close_matches(ref, titles, n=5, cutoff=0.5)
    raise NotFoundError(f"no paper with id or title {ref!r}", suggestions=close)

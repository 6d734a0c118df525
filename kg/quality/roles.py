"""How well the role of a mention is read: a hand-checked set of mentions, their roles, a confusion matrix.

A role file has one mention per line, by reference into the train split of a shared gold
corpus (no text is copied): ``{"corpus": "scierc"|"gsap"|"scirex", "document": id,
"start": ..., "end": ..., "label": "DATASET", "role": "USES"}`` with character offsets into
the document text as :mod:`kg.quality.gold` reads it. Each role was judged by hand from the
mention's sentence, with the definitions of :mod:`kg.pipeline.roles`.

The predicted role is what a build gives the mention: the extraction pipeline runs on the
document (for the paper's own proposals), and :func:`kg.pipeline.roles.role_of` reads the
sentence.

Examples
--------
>>> matrix = confusion(["USES", "USES", "MENTIONS"], ["USES", "MENTIONS", "MENTIONS"])
>>> matrix["USES"]["MENTIONS"], accuracy(matrix)
(1, 0.6667)
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language

from kg.errors import InputError
from kg.extractors.text import TEXT_KEY
from kg.model import PAPER_CONCEPT_TYPES
from kg.pipeline.roles import role_of
from kg.pipeline.sentences import sentence_bounds
from kg.quality.gold import GoldDocument, gsap_document, scierc_document, scirex_documents

__all__ = ["ROLES", "RoleCase", "accuracy", "confusion", "predict_roles", "read_roles"]

ROLES = tuple(role.value for role in PAPER_CONCEPT_TYPES)
"""The four roles, strongest first."""


@dataclass(frozen=True)
class RoleCase:
    """One hand-checked mention: its document text, offsets, our label and the role it has."""

    document: str
    text: str
    start: int
    end: int
    label: str
    role: str


def _documents(shared: Path, corpus: str) -> Iterable[GoldDocument]:
    if corpus == "scierc":
        path = shared / "scierc" / "train.jsonl"
        reader = scierc_document
    elif corpus == "gsap":
        path, reader = shared / "gsap-ner" / "train.jsonl", gsap_document
    elif corpus == "scirex":
        path = shared / "scirex" / "train.jsonl"
    else:
        raise InputError(f"unknown corpus {corpus!r} in the role file")
    if not path.exists():
        raise InputError("gold corpus not found (is the shared data folder there?)", path=path)
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            if corpus == "scirex":
                yield from scirex_documents(row)
            else:
                yield reader(row)


def read_roles(path: str | Path, shared: str | Path) -> list[RoleCase]:
    """The mentions of the role file ``path``, with their texts from the corpora in ``shared``.

    Raises
    ------
    InputError
        The file or a corpus cannot be read, or a line names a document or role that does not exist.
    """
    try:
        rows = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read the role file: {exc}", path=path) from None
    texts: dict[tuple[str, str], str] = {}
    for corpus in sorted({str(row["corpus"]) for row in rows}):
        wanted = {str(row["document"]) for row in rows if row["corpus"] == corpus}
        for doc in _documents(Path(shared), corpus):
            if doc.id in wanted:
                texts[(corpus, doc.id)] = doc.text
    cases = []
    for number, row in enumerate(rows, start=1):
        text = texts.get((str(row["corpus"]), str(row["document"])))
        if text is None or row["role"] not in ROLES:
            raise InputError(f"no document {row['document']!r} in {row['corpus']}, or unknown role", path=path,
                             line=number)
        cases.append(RoleCase(str(row["document"]), text, int(row["start"]), int(row["end"]), str(row["label"]),
                              str(row["role"])))
    return cases


def predict_roles(nlp: Language, cases: Sequence[RoleCase]) -> list[str]:
    """The role a build gives each case: the paper's proposals from ``nlp``, the rest from the sentence."""
    texts = sorted({case.text for case in cases})
    proposed: dict[str, list[tuple[int, int]]] = {}
    docs = []
    for text in texts:
        doc = nlp.make_doc(text)
        doc.user_data[TEXT_KEY] = text
        docs.append(doc)
    for text, doc in zip(texts, nlp.pipe(docs)):
        proposed[text] = [(s.start_char, s.end_char) for s in doc.spans.get("kg_proposed", [])]
    roles = []
    for case in cases:
        start, end = next(((s, e) for s, e in sentence_bounds(case.text) if s <= case.start < e),
                          (0, len(case.text)))
        is_proposed = any(s < case.end and case.start < e for s, e in proposed[case.text])
        role = role_of(case.text[start:end], case.start - start, case.label, proposed=is_proposed,
                       length=case.end - case.start)
        roles.append(role.value)
    return roles


def confusion(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, dict[str, int]]:
    """Counts of (gold role, predicted role): ``matrix[gold][predicted]``."""
    matrix = {role: dict.fromkeys(ROLES, 0) for role in ROLES}
    for truth, guess in zip(gold, predicted):
        matrix[truth][guess] += 1
    return matrix


def accuracy(matrix: Mapping[str, Mapping[str, int]]) -> float:
    """The share of cases on the diagonal, rounded to 4 places."""
    total = sum(sum(row.values()) for row in matrix.values())
    right = sum(matrix[role][role] for role in matrix)
    return round(right / total, 4) if total else 0.0

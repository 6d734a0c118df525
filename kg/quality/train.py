"""Training data for the statistical recogniser, and the ``spacy train`` run that makes it.

:func:`build_corpora` turns the train splits of the shared gold corpora into
spaCy ``DocBin`` files, with our five labels:

========  ===========================================  ==========================================
corpus    gold label                                   trained as
========  ===========================================  ==========================================
SciERC    Method / Task / Metric / Material            METHOD (MODEL when the vocabulary calls the
                                                       name a model) / TASK / METRIC / DATASET
SciREX    Method / Task / Metric / Material            as SciERC
GSAP-NER  MLModel, ModelArchitecture / Dataset,        MODEL / DATASET / METHOD / TASK
          Datasource / Method / Task
TDMSci    TASK / DATASET / METRIC                      TASK / DATASET / METRIC
========  ===========================================  ==========================================

The shipped recogniser uses :data:`DEFAULT_CORPORA` (SciERC and the SciREX
abstracts); the others are there to train variants (``kg train --corpus``).
Other gold labels (SciERC ``OtherScientificTerm`` and ``Generic``, GSAP-NER's
generic mentions, references and URLs) are trained as no entity. GSAP-NER
contributes its non-overlapping ``flat_base`` view; SciERC's few nested spans
keep the longest. SciNLP (CC BY-NC) is never used for training. About one
document in ten of each corpus (by a hash of its paper id) is held out as the
validation set ``spacy train`` picks its best model on, so the dev splits stay
unseen and are only used for reporting.

Texts are tokenised by the rules' tokenizer (``spacy.blank("en")`` with
:func:`kg.extractors.split_names`), the one the recogniser runs with.
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin
from spacy.util import filter_spans

from kg.errors import InputError
from kg.extractors.pipeline import split_names
from kg.extractors.vocabulary import Vocabulary, default_vocabulary
from kg.quality.gold import GoldDocument, GoldSpan, gsap_document, scierc_document, scirex_documents, tdmsci_document  # noqa: F401 (GoldSpan: doctest)

__all__ = [
    "CORPORA",
    "DEFAULT_CORPORA",
    "DEFAULT_REPEAT",
    "TRAIN_LABELS",
    "CorpusSummary",
    "build_corpora",
    "reproduce",
    "training_doc",
    "train",
]

_SCIERC = {"Method": "METHOD", "Task": "TASK", "Metric": "METRIC", "Material": "DATASET"}
TRAIN_LABELS: Mapping[str, Mapping[str, str]] = {
    "scierc": _SCIERC,
    "scirex": _SCIERC,
    "scirex-abstracts": _SCIERC,
    "gsap-abstracts": {"MLModel": "MODEL", "ModelArchitecture": "MODEL", "Dataset": "DATASET", "Datasource": "DATASET",
                       "Method": "METHOD", "Task": "TASK"},
    "gsap": {"MLModel": "MODEL", "ModelArchitecture": "MODEL", "Dataset": "DATASET", "Datasource": "DATASET",
             "Method": "METHOD", "Task": "TASK"},
    "tdmsci": {"TASK": "TASK", "DATASET": "DATASET", "METRIC": "METRIC"},
}
"""Per corpus: gold label -> the label the recogniser learns (others are no entity)."""

_VALIDATION_SHARE = 10
"""One paper in this many goes to the validation set."""


@dataclass(frozen=True)
class CorpusSummary:
    """What :func:`build_corpora` wrote: documents and mentions per file, corpus and label."""

    train_docs: dict[str, int]
    valid_docs: dict[str, int]
    mentions: dict[str, int]


def training_doc(nlp: Language, gold: GoldDocument, labels: Mapping[str, str],
                 vocabulary: Vocabulary | None = None) -> Doc:
    """The gold document as a spaCy ``Doc`` with ``doc.ents`` in our labels.

    Spans whose gold label is not in ``labels`` are left out; a ``METHOD`` span
    the vocabulary knows as a model becomes ``MODEL``; a span that does not fall
    on token boundaries is widened to them; of overlapping spans the longest stays.

    >>> nlp = spacy.blank("en")
    >>> gold = GoldDocument("d", "We train BERT with dropout .", (GoldSpan(9, 13, "Method"), GoldSpan(19, 26, "Method")), "d")
    >>> doc = training_doc(nlp, gold, TRAIN_LABELS["scierc"], default_vocabulary())
    >>> [(e.text, e.label_) for e in doc.ents]
    [('BERT', 'MODEL'), ('dropout', 'METHOD')]
    """
    doc = nlp.make_doc(gold.text)
    spans = []
    for item in gold.spans:
        label = labels.get(item.label)
        if label is None:
            continue
        if label == "METHOD" and vocabulary is not None and vocabulary.lookup(gold.text[item.start:item.end], "MODEL"):
            label = "MODEL"
        span = doc.char_span(item.start, item.end, label=label, alignment_mode="expand")
        if span is not None and len(span):
            spans.append(span)
    doc.set_ents(filter_spans(spans), default="outside")
    return doc


def _is_validation(group: str) -> bool:
    return int(hashlib.sha1(group.encode()).hexdigest(), 16) % _VALIDATION_SHARE == 0


def _read_lines(path: Path) -> Iterator[dict[str, Any]]:
    if not path.exists():
        raise InputError("training corpus not found (is the shared data folder there?)", path=path)
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


def _corpus(shared: Path, name: str, scirex_share: float, seed: int) -> Iterator[GoldDocument]:
    if name == "scierc":
        yield from (scierc_document(row) for row in _read_lines(shared / "scierc" / "train.jsonl"))
    elif name in ("gsap", "gsap-abstracts"):
        for row in _read_lines(shared / "gsap-ner" / "train.jsonl"):
            doc = gsap_document({**row, "entities": row["flat_base"]})
            if name == "gsap" or doc.abstract:
                yield doc
    elif name == "tdmsci":
        seen: set[str] = set()
        for row in _read_lines(shared / "tdmsci" / "train.jsonl"):
            doc = tdmsci_document(row)
            if doc.text not in seen:
                seen.add(doc.text)
                yield doc
    elif name == "scirex":
        rng = random.Random(seed)
        for row in _read_lines(shared / "scirex" / "train.jsonl"):
            yield from (doc for doc in scirex_documents(row, max_words=150) if rng.random() < scirex_share)
    elif name == "scirex-abstracts":
        for row in _read_lines(shared / "scirex" / "train.jsonl"):
            yield from (doc for doc in scirex_documents(row) if doc.abstract)


CORPORA = ("scierc", "scirex-abstracts", "scirex", "gsap", "gsap-abstracts", "tdmsci")
"""Every corpus :func:`build_corpora` can convert (``scirex-abstracts``: the title-and-abstract passage
of each SciREX paper; ``scirex``: a sample of all its passages; ``gsap-abstracts``: GSAP-NER's abstract
paragraphs; ``gsap``: all its paragraphs)."""

DEFAULT_CORPORA = ("scierc", "scirex-abstracts")
"""The corpora of the shipped recogniser: abstracts annotated with SciERC's conventions."""

DEFAULT_REPEAT: Mapping[str, int] = {}
"""Corpora whose training documents are written more than once (none by default)."""


def build_corpora(shared: str | Path, out: str | Path, *, scirex_share: float = 0.15, seed: int = 0,
                  corpora: Iterable[str] = DEFAULT_CORPORA, repeat: Mapping[str, int] = DEFAULT_REPEAT) -> CorpusSummary:
    """Write ``train.spacy`` and ``valid.spacy`` into ``out`` from the corpora in ``shared``.

    Parameters
    ----------
    shared:
        The shared data folder (with ``scierc/``, ``gsap-ner/``, ``tdmsci/``, ``scirex/``).
    out:
        Folder for the two ``DocBin`` files (created if missing).
    scirex_share:
        Share of the passages of SciREX's full texts to keep (SciREX is 1.7 million words).
    seed:
        Seed of the SciREX sample.
    corpora, repeat:
        Which corpora to use, and how many times to write the training documents of some.

    Raises
    ------
    InputError
        A corpus is unknown, or its file is missing or unreadable.
    """
    corpora = tuple(corpora)
    unknown = [name for name in corpora if name not in CORPORA]
    if unknown:
        raise InputError(f"unknown training corpus {unknown[0]!r}; choose from {', '.join(CORPORA)}")
    shared, out = Path(shared), Path(out)
    out.mkdir(parents=True, exist_ok=True)
    nlp = spacy.blank("en")
    split_names(nlp)
    vocabulary = default_vocabulary()
    bins = {"train": DocBin(), "valid": DocBin()}
    counts: dict[str, Counter[str]] = {"train": Counter(), "valid": Counter(), "mentions": Counter()}
    for name in corpora:
        for gold in _corpus(shared, name, scirex_share, seed):
            doc = training_doc(nlp, gold, TRAIN_LABELS[name], vocabulary)
            part = "valid" if _is_validation(gold.group) else "train"
            for _ in range(repeat.get(name, 1) if part == "train" else 1):
                bins[part].add(doc)
            counts[part][name] += 1
            counts["mentions"].update(f"{name} {ent.label_}" for ent in doc.ents)
    for part, docbin in bins.items():
        docbin.to_disk(out / f"{part}.spacy")
    return CorpusSummary(dict(counts["train"]), dict(counts["valid"]), dict(sorted(counts["mentions"].items())))


def train(config: str | Path, corpus: str | Path, output: str | Path, *, ship_to: str | Path | None = None,
          overrides: Mapping[str, Any] | None = None) -> Path:
    """Run ``spacy train`` with ``config`` on the ``DocBin`` files in ``corpus``.

    The best model (by the validation set) is written to ``output/model-best``;
    with ``ship_to`` it is also copied there, its config naming no training-data paths.

    Raises
    ------
    InputError
        The config or the corpus files are missing.
    """
    from spacy.cli.train import train as spacy_train

    config, corpus, output = Path(config), Path(corpus), Path(output)
    for path in (config, corpus / "train.spacy", corpus / "valid.spacy"):
        if not path.exists():
            raise InputError("not found", path=path)
    settings = {"paths.train": str(corpus / "train.spacy"), "paths.dev": str(corpus / "valid.spacy"),
                **(overrides or {})}
    spacy_train(config, output, overrides=settings, use_gpu=-1)
    best = output / "model-best"
    if ship_to is not None:
        target = Path(ship_to)
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(best, target)
        _forget_paths(target / "config.cfg")
    return best


def _forget_paths(config_path: Path) -> None:
    """Clear the training-data paths of a shipped pipeline's config: they name the trainer's disk."""
    from spacy.util import load_config

    config = load_config(config_path, interpolate=False)
    config["paths"].update({"train": None, "dev": None})
    config.to_disk(config_path)


def reproduce(shared: str | Path, config: str | Path, workdir: str | Path, *, ship: bool = False,
              overrides: Mapping[str, Any] | None = None,
              corpora: Iterable[str] = ()) -> tuple[Path, CorpusSummary]:
    """Convert the corpora into ``workdir/corpus``, train into ``workdir/model``; with ``ship``,
    copy the best model into the package (where :func:`kg.extractors.statistical.default_model_path` finds it).
    ``overrides`` are spaCy config settings (``{"training.max_steps": 10}``); ``corpora`` as for
    :func:`build_corpora` (empty: :data:`DEFAULT_CORPORA`).

    Raises
    ------
    InputError
        A corpus file or the config is missing.
    """
    from kg.extractors.statistical import default_model_path

    workdir = Path(workdir)
    summary = build_corpora(shared, workdir / "corpus", corpora=tuple(corpora) or DEFAULT_CORPORA)
    best = train(config, workdir / "corpus", workdir / "model", ship_to=default_model_path() if ship else None,
                 overrides=overrides)
    return best, summary

"""Run the spaCy components over papers and keep plain data: mentions with their evidence.

Examples
--------
>>> from kg.paper import PaperRecord
>>> paper = PaperRecord.create(title="A study", abstract="We fine-tune GPT-2 on MS COCO.")
>>> [(m.text, m.label, m.sentence) for m in next(Extractor().extract([paper])).mentions]
[('GPT-2', 'MODEL', 'We fine-tune GPT-2 on MS COCO.'), ('MS COCO', 'DATASET', 'We fine-tune GPT-2 on MS COCO.')]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from kg.extractors import DEFAULT_EXTRACTOR
from kg.extractors.mentions import RULE_CONFIDENCE
from kg.extractors.pipeline import make_pipeline
from kg.extractors.text import TEXT_KEY, doc_text
from kg.extractors.vocabulary import SPAN_LABELS
from kg.paper import PaperRecord
from kg.pipeline.sentences import sentence_bounds, sentence_index

__all__ = ["DefinedAcronym", "Extractor", "Mention", "PaperExtraction", "paper_sentences"]


@dataclass(frozen=True)
class Mention:
    """One span of a paper's text naming a concept, with the sentence that shows it.

    ``start`` and ``end`` are character offsets into :attr:`PaperRecord.text`
    (title, blank line, abstract). ``canonical`` is the vocabulary name or, for
    an acronym, its long form, when the extractor knows it.
    """

    text: str
    label: str
    start: int
    end: int
    sentence: str
    sentence_start: int
    rule: str
    confidence: float
    canonical: str = ""
    proposed: bool = False


@dataclass(frozen=True)
class DefinedAcronym:
    """An acronym defined in a paper: ``long (short)``; ``label`` may be unknown (``""``)."""

    short: str
    long: str
    label: str


@dataclass(frozen=True)
class PaperExtraction:
    """What the extractors found in one paper."""

    paper: PaperRecord
    mentions: tuple[Mention, ...]
    acronyms: tuple[DefinedAcronym, ...]
    sentences: tuple[tuple[int, int], ...]

    def sentence_at(self, offset: int) -> tuple[str, int]:
        """The sentence of the paper's text that holds character ``offset``, and its start."""
        starts = [start for start, _ in self.sentences]
        start, end = self.sentences[sentence_index(starts, offset)]
        return self.paper.text[start:end], start


def paper_sentences(paper: PaperRecord) -> tuple[tuple[int, int], ...]:
    """Sentence bounds of a paper's text: the title is one sentence, the abstract is split."""
    if not paper.title:
        return tuple(sentence_bounds(paper.abstract)) or ((0, 0),)
    title_end = len(paper.title)
    if not paper.abstract:
        return ((0, title_end),)
    offset = title_end + 2
    return ((0, title_end), *((offset + s, offset + e) for s, e in sentence_bounds(paper.abstract)))


class Extractor:
    """Turns papers into :class:`PaperExtraction` objects with a spaCy pipeline.

    The pipeline is built on first use (``make_pipeline(spacy_model, extractor=extractor)``)
    unless one is given; ``extractor`` is ``"rules"``, ``"model"`` or ``"both"``.
    """

    def __init__(
        self, nlp: Language | None = None, *, spacy_model: str | None = None, extractor: str = DEFAULT_EXTRACTOR
    ):
        self._nlp = nlp
        self._built = False
        self._spacy_model = spacy_model
        self._extractor = extractor

    @property
    def settings(self) -> tuple[str | None, str] | None:
        """``(spacy_model, extractor)``, from which a worker process builds the same pipeline;
        ``None`` for an extractor given a ready pipeline."""
        given = self._nlp is not None and not self._built
        return None if given else (self._spacy_model, self._extractor)

    @property
    def nlp(self) -> Language:
        """The spaCy pipeline (built when first needed)."""
        if self._nlp is None:
            self._nlp = make_pipeline(self._spacy_model, extractor=self._extractor)
            self._built = True
        return self._nlp

    def extract(
        self, papers: Iterable[PaperRecord], *, n_process: int = 1, batch_size: int = 256
    ) -> Iterator[PaperExtraction]:
        """Yield one extraction per paper, in input order."""
        nlp = self.nlp
        if n_process == 1:
            pairs: Iterable[tuple[Doc | str, PaperRecord]] = ((_make_doc(nlp, p.text), p) for p in papers)
        else:
            pairs = ((paper.text, paper) for paper in papers)
        for doc, paper in nlp.pipe(pairs, as_tuples=True, n_process=n_process, batch_size=batch_size):
            yield _from_doc(doc, paper)


def _make_doc(nlp: Language, text: str) -> Doc:
    """Tokenise ``text`` and keep the string, so no component has to rebuild it from the tokens."""
    doc = nlp.make_doc(text)
    doc.user_data[TEXT_KEY] = text
    return doc


def _from_doc(doc: Doc, paper: PaperRecord) -> PaperExtraction:
    bounds = paper_sentences(paper)
    starts = [start for start, _ in bounds]
    text = doc_text(doc)
    proposed = [(span.start_char, span.end_char) for span in doc.spans.get("kg_proposed", [])]
    mentions = []
    for span in doc.spans.get("kg", []):
        if span.label_ not in SPAN_LABELS:
            continue
        s_start, s_end = bounds[sentence_index(starts, span.start_char)]
        mentions.append(
            Mention(
                text=span.text,
                label=span.label_,
                start=span.start_char,
                end=span.end_char,
                sentence=text[s_start:s_end],
                sentence_start=s_start,
                rule=span.id_,
                confidence=RULE_CONFIDENCE.get(span.id_, 0.5),
                canonical=span.kb_id_,
                proposed=any(s < span.end_char and span.start_char < e for s, e in proposed),
            )
        )
    acronyms = tuple(
        DefinedAcronym(short.text, long.text, short.label_ if short.label_ in SPAN_LABELS else "")
        for short, long in zip(doc.spans.get("kg_abbrevs", []), doc.spans.get("kg_abbrev_long", []))
    )
    return PaperExtraction(paper, tuple(mentions), acronyms, bounds)

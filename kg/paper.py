"""A paper as read from a corpus file, and its stable id.

Examples
--------
>>> PaperRecord.create(title="Attention Is All You Need", abstract="...").id
'paper:37f63852cdfb0690'
>>> PaperRecord.create(title="T", abstract="", url="https://arxiv.org/abs/1706.03762v7").id
'arxiv:1706.03762'
>>> PaperRecord.create(title="T", abstract="", doi="https://doi.org/10.1145/3292500.3330701").id
'doi:10.1145/3292500.3330701'
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

__all__ = ["PaperRecord", "normalise_title", "paper_id"]

_ARXIV = re.compile(
    r"(?:arxiv\.org/(?:abs|pdf)/|arxiv:\s*)?(?P<id>\d{4}\.\d{4,5})(?:v\d+)?(?:\.pdf)?$",
    re.IGNORECASE,
)
_DOI = re.compile(r"(?:doi\.org/|doi:\s*)?(?P<doi>10\.\d{4,9}/\S+)$", re.IGNORECASE)
_NON_WORD = re.compile(r"[\W_]+")


def normalise_title(title: str) -> str:
    """Fold a title to lowercase words separated by single spaces.

    >>> normalise_title("  BERT: Pre-training of Deep   Bidirectional Transformers! ")
    'bert pre training of deep bidirectional transformers'
    """
    return _NON_WORD.sub(" ", title.casefold()).strip()


def _arxiv_id(value: str | None) -> str | None:
    match = _ARXIV.search(value.strip()) if value else None
    return match.group("id") if match else None


def _doi(value: str | None) -> str | None:
    match = _DOI.search(value.strip()) if value else None
    return match.group("doi").lower().rstrip(".") if match else None


def paper_id(
    *,
    title: str,
    given: str | None = None,
    doi: str | None = None,
    arxiv_id: str | None = None,
    url: str | None = None,
) -> str:
    """Return a paper's stable id: the given id, else its DOI, else its arXiv id, else a title hash.

    The DOI and arXiv id may come from their own fields or from the URL.
    """
    if given and given.strip():
        return given.strip()
    found_doi = _doi(doi) or _doi(url)
    if found_doi:
        return f"doi:{found_doi}"
    found_arxiv = _arxiv_id(arxiv_id) or _arxiv_id(url)
    if found_arxiv:
        return f"arxiv:{found_arxiv}"
    digest = hashlib.sha1(normalise_title(title).encode("utf-8")).hexdigest()
    return f"paper:{digest[:16]}"


@dataclass(frozen=True)
class PaperRecord:
    """One paper from a corpus file; ``source`` says where it was read (``file:line``)."""

    id: str
    title: str
    abstract: str
    year: int | None = None
    authors: tuple[str, ...] = ()
    url: str | None = None
    doi: str | None = None
    arxiv_id: str | None = None
    source: str | None = None

    @classmethod
    def create(
        cls,
        *,
        title: str,
        abstract: str,
        id: str | None = None,
        year: int | None = None,
        authors: tuple[str, ...] = (),
        url: str | None = None,
        doi: str | None = None,
        arxiv_id: str | None = None,
        source: str | None = None,
    ) -> PaperRecord:
        """Build a record, deriving its id with :func:`paper_id`."""
        title = " ".join(title.split())
        return cls(
            id=paper_id(title=title, given=id, doi=doi, arxiv_id=arxiv_id, url=url),
            title=title,
            abstract=abstract.strip(),
            year=year,
            authors=authors,
            url=url,
            doi=_doi(doi) or _doi(url),
            arxiv_id=_arxiv_id(arxiv_id) or _arxiv_id(url),
            source=source,
        )

    @property
    def text(self) -> str:
        """The text the extractors read: title, a blank line, then the abstract."""
        return f"{self.title}\n\n{self.abstract}" if self.abstract else self.title

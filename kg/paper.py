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

__all__ = ["PaperRecord", "Reference", "arxiv_id_of", "clean_text", "doi_of", "normalise_title", "paper_id"]

_ARXIV = re.compile(
    r"(?:arxiv\.org/(?:abs|pdf)/|arxiv:\s*)?(?P<id>\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})"
    r"(?:v\d+)?(?:\.pdf)?$",
    re.IGNORECASE,
)
_DOI = re.compile(r"(?:doi\.org/|doi:\s*)?(?P<doi>10\.\d{4,9}/\S+)$", re.IGNORECASE)
_NON_WORD = re.compile(r"[\W_]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_NOT_CHARACTER = re.compile(r"[\ud800-\udfff\ufffe\uffff]")
_UNCLEAN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_text(value: str) -> str:
    """``value`` as text every store and export can carry: control characters other than tab and line
    breaks become spaces, lone surrogates (JSON ``"\\ud800"``) and the non-characters U+FFFE and U+FFFF
    become U+FFFD, the replacement character.

    >>> clean_text("a\\x00b\\ud800c\\uffff")
    'a b\ufffdc\ufffd'
    """
    if _UNCLEAN.search(value) is None:
        return value
    return _NOT_CHARACTER.sub("\ufffd", _CONTROL.sub(" ", value))


def _clean(value: str | None) -> str | None:
    return None if value is None else clean_text(value)


def normalise_title(title: str) -> str:
    """Fold a title to lowercase words separated by single spaces.

    >>> normalise_title("  BERT: Pre-training of Deep   Bidirectional Transformers! ")
    'bert pre training of deep bidirectional transformers'
    """
    return _NON_WORD.sub(" ", title.casefold()).strip()


def arxiv_id_of(value: str | None) -> str | None:
    """The arXiv id in ``value`` (an id, ``arXiv:...`` or an arxiv.org URL), without its version."""
    return _arxiv_id(value)


def doi_of(value: str | None) -> str | None:
    """The DOI in ``value`` (a DOI, ``doi:...`` or a doi.org URL), lower-cased."""
    return _doi(value)


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
class Reference:
    """A paper that another paper cites, as the citing record describes it.

    ``id`` is an id in the same corpus (a key, or a source id like ``s2:...``);
    any of the fields may be missing. :attr:`target_id` is the id a stub for it gets.
    """

    id: str | None = None
    doi: str | None = None
    arxiv_id: str | None = None
    title: str | None = None
    year: int | None = None

    def __post_init__(self) -> None:
        for name in ("id", "doi", "arxiv_id", "title"):
            object.__setattr__(self, name, _clean(getattr(self, name)))

    @property
    def target_id(self) -> str | None:
        """The id the cited paper gets when it is not in the corpus (``None`` if nothing identifies it)."""
        if not (self.id or self.doi or self.arxiv_id or (self.title and self.title.strip())):
            return None
        return paper_id(title=self.title or "", given=self.id, doi=self.doi, arxiv_id=self.arxiv_id)


@dataclass(frozen=True)
class PaperRecord:
    """One paper from a corpus file; ``source`` says where it was read (``file:line``).

    ``aliases`` are other ids the paper is known by (``s2:<paperId>``,
    ``openalex:W...``) so that references by those ids find it.
    """

    id: str
    title: str
    abstract: str
    year: int | None = None
    authors: tuple[str, ...] = ()
    url: str | None = None
    doi: str | None = None
    arxiv_id: str | None = None
    source: str | None = None
    references: tuple[Reference, ...] = ()
    aliases: tuple[str, ...] = ()

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
        references: tuple[Reference, ...] = (),
        aliases: tuple[str, ...] = (),
    ) -> PaperRecord:
        """Build a record, deriving its id with :func:`paper_id`.

        Every text field, the id, url and aliases too, goes through :func:`clean_text`:
        control characters other than tab, newline and carriage return (e.g. a JSON
        ``"\\u0000"``) become spaces, since they are not text, XML exports (GraphML,
        GEXF) cannot hold them, and U+001F separates array items in the CSV export;
        lone surrogates become U+FFFD. The title's whitespace is folded to single spaces.

        >>> PaperRecord.create(title="A\\x00 title\\x1f", abstract="One\\x1ftwo.").abstract
        'One two.'
        >>> PaperRecord.create(title="T", abstract="", id="a\\x01b", url="https://x.org/\\x7f\\x0b").id
        'a b'
        """
        title = " ".join(clean_text(title).split())
        abstract = clean_text(abstract)
        authors = tuple(clean_text(author) for author in authors)
        id, url, doi, arxiv_id = _clean(id), _clean(url), _clean(doi), _clean(arxiv_id)
        aliases = tuple(clean_text(alias) for alias in aliases)
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
            references=references,
            aliases=aliases,
        )

    @property
    def text(self) -> str:
        """The text the extractors read: title, a blank line, then the abstract (either may be empty)."""
        if not self.title:
            return self.abstract
        return f"{self.title}\n\n{self.abstract}" if self.abstract else self.title

    @property
    def display_title(self) -> str:
        """The title, or the abstract's first words when a record has none."""
        if self.title:
            return self.title
        words = self.abstract.split()
        return " ".join(words[:12]) + (" …" if len(words) > 12 else "")

"""Citations and code links: references and in-text citations become ``CITES`` edges,
code URLs become ``Repository`` nodes with ``HAS_CODE`` edges.

A reference resolves to a paper of the corpus (stored or in this build) by id,
alias, DOI, arXiv id, or normalised title and year. A reference to a paper the
corpus does not have becomes a *stub* ``Paper`` node (``stub: true``) so that
citation counts stay true; when the real paper arrives later with a matching
key, the stub is removed and its citations move to the real paper.

From the text: ``arXiv:2303.08774``, ``doi:10...`` and DOI links cite those
papers; an author-year citation ("Wang et al. (2022)", "(Smith and Jones,
2019)") cites the corpus paper whose first author and year match, when exactly
one does, and is otherwise kept on the citing paper as ``unresolved_citations``.

A paper citing itself (a listed self-reference or its own id in its text) adds
no edge: self-loops carry no information between papers and would count a
paper as co-cited with itself; they are counted in the report instead.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from kg.model import Edge, Label, Node, PropValue, RelType
from kg.paper import PaperRecord, Reference, arxiv_id_of, doi_of, normalise_title
from kg.pipeline.extract import paper_sentences

__all__ = ["CitationLinker", "CitationLinks", "CitationReport", "link_citations", "paper_keys", "repository_of"]

_REPO = re.compile(
    r"(?:https?://)?(?:www\.)?(github\.com|gitlab\.com|bitbucket\.org|codeberg\.org|huggingface\.co)"
    r"/((?:datasets/|spaces/)?[A-Za-z0-9_.\-]+)/([A-Za-z0-9_.\-]+)"
)
_ARXIV = re.compile(r"(?:arXiv:\s?|arxiv\.org/(?:abs|pdf)/)(\d{4}\.\d{4,5})(?:v\d+)?", re.IGNORECASE)
_DOI = re.compile(r"(?:\bdoi:\s*|https?://(?:dx\.)?doi\.org/)(10\.\d{4,9}/[^\s\"<>{}]+)", re.IGNORECASE)
_NAME = r"[A-Z][A-Za-z'\-]+"
_AUTHOR_YEAR = re.compile(
    rf"\(({_NAME})(?:\s+et\s+al\.?|\s+(?:and|&)\s+{_NAME})?,?\s+((?:19|20)\d{{2}})[a-z]?\)"
    rf"|\b({_NAME})(?:\s+et\s+al\.?|\s+(?:and|&)\s+{_NAME})\s+\(((?:19|20)\d{{2}})[a-z]?\)"
)


@dataclass
class CitationReport:
    """How every reference and in-text citation of a build was accounted for."""

    references: int = 0
    cites_from_references: int = 0
    self_citations: int = 0
    duplicate_references: int = 0
    unidentifiable_references: int = 0
    stubs_created: int = 0
    stubs_merged: int = 0
    cites_from_text: int = 0
    unresolved_text_citations: int = 0
    repositories: int = 0


@dataclass
class CitationLinks:
    """What citation linking adds to a build's graph."""

    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    paper_properties: dict[str, dict[str, object]] = field(default_factory=dict)
    remove: list[str] = field(default_factory=list)
    report: CitationReport = field(default_factory=CitationReport)


def paper_keys(
    paper_id: str, *, doi: object = None, arxiv_id: object = None, title: object = None,
    year: object = None, aliases: Iterable[object] = (),
) -> list[str]:
    """The keys a paper can be found by: its ids, DOI, arXiv id, normalised title with year.

    >>> paper_keys("p1", doi="10.1000/X", title="A Test!", year=2020, aliases=["s2:abc"])
    ['id:p1', 'id:s2:abc', 'doi:10.1000/x', 'title:a test|2020']
    """
    keys = [f"id:{paper_id}", *(f"id:{alias}" for alias in aliases if alias)]
    if isinstance(doi, str) and doi_of(doi):
        keys.append(f"doi:{doi_of(doi)}")
    if isinstance(arxiv_id, str) and arxiv_id_of(arxiv_id):
        keys.append(f"arxiv:{arxiv_id_of(arxiv_id)}")
    if isinstance(title, str) and normalise_title(title) and isinstance(year, int):
        keys.append(f"title:{normalise_title(title)}|{year}")
    return keys


def _reference_keys(reference: Reference) -> list[str]:
    keys = paper_keys(reference.id or "", doi=reference.doi, arxiv_id=reference.arxiv_id,
                      title=reference.title, year=reference.year)
    return keys if reference.id else keys[1:]


def _surname(author: str) -> str:
    if "," in author:
        return author.split(",", 1)[0].strip().lower()
    parts = author.split()
    if len(parts) > 1 and (parts[-1].isupper() and len(parts[-1]) <= 3 or parts[-1].endswith(".")):
        return parts[0].lower()
    return parts[-1].lower() if parts else ""


def repository_of(url: str) -> Node | None:
    """The ``Repository`` node a code URL names (host, owner and name; ``.git`` and paths dropped).

    >>> repository_of("https://github.com/THU-MIG/yoloe.").properties["url"]
    'https://github.com/THU-MIG/yoloe'
    """
    match = _REPO.search(url)
    if match is None:
        return None
    host, owner, name = match.group(1).lower(), match.group(2), match.group(3).rstrip(".")
    name = name[:-4] if name.lower().endswith(".git") else name
    if not name:
        return None
    ident = f"repository:{host}/{owner}/{name}".lower()
    return Node(Label.REPOSITORY, ident, {"name": f"{owner}/{name}", "url": f"https://{host}/{owner}/{name}",
                                          "host": host})


class _Index:
    """Keys to paper ids; real papers win over stubs."""

    def __init__(self) -> None:
        self.ids: dict[str, str] = {}
        self.stubs: set[str] = set()
        self.by_author_year: dict[tuple[str, int], set[str]] = defaultdict(set)

    def add(self, paper_id: str, keys: Iterable[str], *, stub: bool) -> None:
        if stub:
            self.stubs.add(paper_id)
        for key in keys:
            current = self.ids.get(key)
            if current is None or (current in self.stubs and not stub):
                self.ids[key] = paper_id

    def find(self, keys: Iterable[str]) -> str | None:
        found = [self.ids[key] for key in keys if key in self.ids]
        real = [paper_id for paper_id in found if paper_id not in self.stubs]
        chosen = real or found
        return chosen[0] if chosen else None


class CitationLinker:
    """Citation linking in batches, with the same result as linking all papers at once.

    First every paper of the build is indexed (:meth:`add`, batch by batch), then the
    stored papers (:meth:`add_stored`); :meth:`merge_stubs` moves the stored stubs a new
    paper replaces; then :meth:`link` links one batch at a time. What is kept between
    batches is small: the keys of each paper, never the papers.
    """

    def __init__(self) -> None:
        self.report = CitationReport()
        self._index = _Index()
        self._build: set[str] = set()
        self._stub_keys: dict[str, list[str]] = {}
        self._repositories: set[str] = set()

    @property
    def papers(self) -> set[str]:
        """The ids of this build's papers indexed so far."""
        return self._build

    def add(self, papers: Iterable[PaperRecord]) -> None:
        """Index papers of this build (before any stored paper)."""
        for paper in papers:
            keys = paper_keys(paper.id, doi=paper.doi, arxiv_id=paper.arxiv_id, title=paper.title,
                              year=paper.year, aliases=paper.aliases)
            self._index.add(paper.id, keys, stub=False)
            self._build.add(paper.id)
            if paper.authors and paper.year:
                self._index.by_author_year[(_surname(paper.authors[0]), paper.year)].add(paper.id)

    def add_stored(self, stored: Iterable[Node]) -> None:
        """Index the papers already in the store (with the fields :func:`link_citations` names)."""
        for node in stored:
            props = node.properties
            keys = paper_keys(node.id, doi=props.get("doi"), arxiv_id=props.get("arxiv_id"),
                              title=props.get("title"), year=props.get("year"),
                              aliases=props.get("aliases") or [])  # type: ignore[arg-type]
            stub = bool(props.get("stub"))
            self._index.add(node.id, keys, stub=stub)
            if stub:
                self._stub_keys[node.id] = keys
            authors = props.get("authors")
            if isinstance(authors, list) and authors and isinstance(props.get("year"), int):
                self._index.by_author_year[(_surname(str(authors[0])), int(props["year"]))].add(  # type: ignore[arg-type]
                    node.id)

    def merge_stubs(self, cites_to: Callable[[list[str]], list[Edge]]) -> CitationLinks:
        """The stored stubs that papers of this build replace (``remove``), and their citations moved."""
        links = CitationLinks(report=self.report)
        _merge_stubs(self._build, self._index, self._stub_keys, cites_to, links)
        return links

    def link(self, batch: Iterable[PaperRecord]) -> CitationLinks:
        """The citations, stubs, repositories and code links of one batch of this build's papers."""
        links = CitationLinks(report=self.report)
        seen: set[tuple[str, str]] = set()
        repositories: dict[str, Node] = {}
        for paper in batch:
            _link_references(paper, self._index, seen, links)
            _link_text(paper, self._index, seen, repositories, links)
        new = [node for node_id, node in repositories.items() if node_id not in self._repositories]
        self._repositories.update(node.id for node in new)
        links.nodes.extend(new)
        self.report.repositories += len(new)
        return links


def link_citations(
    batch: list[PaperRecord], stored: list[Node], cites_to: Callable[[list[str]], list[Edge]]
) -> CitationLinks:
    """Resolve the references, in-text citations and code links of ``batch``.

    ``stored`` are the papers already in the store (with ``title``, ``year``,
    ``doi``, ``arxiv_id``, ``aliases``, ``authors``, ``stub``); ``cites_to``
    returns the stored ``CITES`` edges into some papers (to move them off a
    stub that a real paper replaces).
    """
    linker = CitationLinker()
    linker.add(batch)
    linker.add_stored(stored)
    links = linker.merge_stubs(cites_to)
    linked = linker.link(batch)
    links.nodes.extend(linked.nodes)
    links.edges.extend(linked.edges)
    links.paper_properties.update(linked.paper_properties)
    return links


def _merge_stubs(build: set[str], index: _Index, stub_keys: dict[str, list[str]],
                 cites_to: Callable[[list[str]], list[Edge]], links: CitationLinks) -> None:
    merged: dict[str, str] = {}
    for stub_id, keys in stub_keys.items():
        real = index.find(keys)
        if real is not None and real != stub_id and real in build:
            merged[stub_id] = real
    if not merged:
        return
    for edge in cites_to(sorted(merged)):
        target = merged[edge.target]
        if edge.source != target and edge.source not in build:
            links.edges.append(Edge(RelType.CITES, edge.source, target, edge.properties))
    links.remove.extend(sorted(merged))
    links.report.stubs_merged = len(merged)


def _cite(paper: PaperRecord, target: str, props: dict[str, PropValue], seen: set[tuple[str, str]],
          links: CitationLinks) -> bool:
    if target == paper.id:
        links.report.self_citations += 1
        return False
    if (paper.id, target) in seen:
        links.report.duplicate_references += 1
        return False
    seen.add((paper.id, target))
    links.edges.append(Edge(RelType.CITES, paper.id, target, props))
    return True


def _target(reference: Reference, index: _Index, links: CitationLinks) -> str | None:
    keys = _reference_keys(reference)
    found = index.find(keys)
    if found is not None:
        return found
    stub_id = reference.target_id
    if stub_id is None:
        return None
    props = {"stub": True, "title": reference.title, "year": reference.year, "doi": reference.doi,
             "arxiv_id": reference.arxiv_id}
    links.nodes.append(Node(Label.PAPER, stub_id, props))
    index.add(stub_id, [f"id:{stub_id}", *keys], stub=True)
    links.report.stubs_created += 1
    return stub_id


def _link_references(paper: PaperRecord, index: _Index, seen: set[tuple[str, str]], links: CitationLinks) -> None:
    for reference in paper.references:
        links.report.references += 1
        target = _target(reference, index, links)
        if target is None:
            links.report.unidentifiable_references += 1
        elif _cite(paper, target, {"via": "references"}, seen, links):
            links.report.cites_from_references += 1


def _link_text(paper: PaperRecord, index: _Index, seen: set[tuple[str, str]],
               repositories: dict[str, Node], links: CitationLinks) -> None:
    text = paper.text
    unresolved: list[str] = []
    for start, end in paper_sentences(paper):
        sentence = text[start:end]
        for match in _REPO.finditer(sentence):
            repo = repository_of(match.group(0))
            if repo is not None:
                repositories.setdefault(repo.id, repo)
                links.edges.append(Edge(RelType.HAS_CODE, paper.id, repo.id,
                                        {"evidence": sentence, "url": match.group(0).rstrip(".")}))
        for reference, raw in _identified(sentence):
            target = _target(reference, index, links)
            if target is not None and _cite(paper, target, {"via": "text", "evidence": sentence, "text": raw},
                                            seen, links):
                links.report.cites_from_text += 1
        unresolved.extend(_author_year(paper, sentence, index, seen, links))
    if unresolved:
        links.paper_properties.setdefault(paper.id, {})["unresolved_citations"] = unresolved
        links.report.unresolved_text_citations += len(unresolved)


def _identified(sentence: str) -> list[tuple[Reference, str]]:
    found = [(Reference(arxiv_id=m.group(1)), m.group(0)) for m in _ARXIV.finditer(sentence)]
    found.extend((Reference(doi=doi_of(m.group(1).rstrip(".,;)"))), m.group(0)) for m in _DOI.finditer(sentence))
    return found


def _author_year(paper: PaperRecord, sentence: str, index: _Index, seen: set[tuple[str, str]],
                 links: CitationLinks) -> list[str]:
    unresolved = []
    for match in _AUTHOR_YEAR.finditer(sentence):
        name = (match.group(1) or match.group(3) or "").lower()
        year = int(match.group(2) or match.group(4))
        candidates = index.by_author_year.get((name, year), set()) - {paper.id}
        if len(candidates) == 1:
            target = next(iter(candidates))
            if _cite(paper, target, {"via": "text", "evidence": sentence, "text": match.group(0)}, seen, links):
                links.report.cites_from_text += 1
        else:
            unresolved.append(match.group(0))
    return unresolved

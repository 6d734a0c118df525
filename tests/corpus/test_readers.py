"""Corpus readers: the listing page, JSON Lines, JSON, CSV, ids, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.corpus.limits import DEFAULT_LIMITS
from kg.corpus.readers import FORMATS, read_corpus
from kg.errors import InputError
from kg.paper import PaperRecord, paper_id

CHROME = {"new", "Get trending papers in your email inbox!", "Subscribe", "byAK and the research community", "Mar 20"}


def test_page_gives_all_64_papers_and_no_chrome(page_papers: list[PaperRecord], page_path: Path) -> None:
    lines = [line for line in page_path.read_text().splitlines() if line.strip()]
    titles = [line for line in lines if line not in CHROME and len(line.split()) < 25]
    assert len(page_papers) == 64
    assert [p.title for p in page_papers] == titles
    assert not CHROME & {p.title for p in page_papers}
    assert page_papers[0].title == "YOLOE: Real-Time Seeing Anything"
    assert page_papers[0].abstract.startswith("Object detection and segmentation are widely employed")
    assert all(len(p.abstract.split()) > 25 for p in page_papers)


def test_page_ids_are_stable_title_hashes(page_papers: list[PaperRecord], page_path: Path) -> None:
    again = read_corpus(page_path)
    assert [p.id for p in page_papers] == [p.id for p in again]
    assert len({p.id for p in page_papers}) == 64
    assert page_papers[0].id == paper_id(title="yoloe  real-time seeing ANYTHING")
    assert page_papers[0].source == f"{page_path}:11"


def test_ids_prefer_given_then_doi_then_arxiv() -> None:
    assert paper_id(title="T", given=" P-1 ", doi="10.1/x") == "P-1"
    assert paper_id(title="T", doi="https://doi.org/10.18653/V1/N19-1423") == "doi:10.18653/v1/n19-1423"
    assert paper_id(title="T", url="https://arxiv.org/abs/2303.08774v6") == "arxiv:2303.08774"
    assert paper_id(title="T", arxiv_id="arXiv:1706.03762") == "arxiv:1706.03762"
    assert paper_id(title="Same Title!") == paper_id(title="same   title")


def test_jsonl_reads_all_fields(tmp_path: Path) -> None:
    path = tmp_path / "papers.jsonl"
    rows = [
        {"id": "a1", "title": "One", "abstract": "We use COCO.", "year": 2023, "authors": ["Ada L", "Bo M"],
         "url": "https://example.org/a1"},
        {"title": "Two", "abstract": None, "year": "2021", "authors": "C D; E F"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n")
    first, second = read_corpus(path)
    assert (first.id, first.year, first.authors, first.url) == ("a1", 2023, ("Ada L", "Bo M"), "https://example.org/a1")
    assert (second.abstract, second.year, second.authors) == ("", 2021, ("C D", "E F"))
    assert second.source == f"{path}:2"


def test_csv_and_json_read_the_same_records(tmp_path: Path) -> None:
    csv_path = tmp_path / "papers.csv"
    csv_path.write_text('id,title,abstract,year,authors,url\nx,"A, quoted title","Text ""with"" quotes",2020,A;B,\n')
    json_path = tmp_path / "papers.json"
    json_path.write_text(json.dumps([{"id": "x", "title": "A, quoted title", "abstract": 'Text "with" quotes',
                                      "year": 2020, "authors": ["A", "B"]}]))
    from_csv, from_json = read_corpus(csv_path)[0], read_corpus(json_path)[0]
    assert (from_csv.id, from_csv.title, from_csv.abstract, from_csv.year, from_csv.authors) == (
        from_json.id, from_json.title, from_json.abstract, from_json.year, from_json.authors)


def test_csv_needs_only_title_and_abstract(tmp_path: Path) -> None:
    path = tmp_path / "min.csv"
    path.write_text("Title,Abstract\nOnly a title,And an abstract.\n")
    (paper,) = read_corpus(path)
    assert (paper.title, paper.abstract, paper.year, paper.authors) == ("Only a title", "And an abstract.", None, ())


def test_format_option_overrides_extension(tmp_path: Path, page_path: Path) -> None:
    copy = tmp_path / "listing.data"
    copy.write_bytes(page_path.read_bytes())
    assert len(read_corpus(copy, "page")) == 64


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.jsonl", b"", "empty.jsonl: the file is empty"),
        ("blank.txt", b"\n\n  \n", "blank.txt: the file is empty"),
        ("binary.jsonl", b'{"title": "a", "abstract": "b"}\n\x00\x01\x02', "binary.jsonl:2: binary data"),
        ("latin1.csv", "title,abstract\nCaf\u00e9,x\n".encode("latin-1"), "latin1.csv:2: not valid UTF-8"),
        ("notitle.csv", b"name,abstract\nx,y\n", "notitle.csv:1: CSV header has no 'title' column"),
        ("bad.jsonl", b'{"title": "a", "abstract": "b"}\n{"title": oops}\n', "bad.jsonl:2: not JSON"),
        ("list.jsonl", b'["title", "abstract"]\n', "list.jsonl:1: expected a JSON object, got list"),
        ("untitled.jsonl", b'{"abstract": "b"}\n', "untitled.jsonl:1: record has no 'title'"),
        ("noabstract.jsonl", b'{"title": "a"}\n', "noabstract.jsonl:1: record has no 'abstract' field"),
        ("year.jsonl", b'{"title": "a", "abstract": "", "year": "soon"}\n', "year.jsonl:1: field 'year' is not a year"),
        ("chrome.txt", b"new\n\nSubscribe\n\nMar 20\n", "chrome.txt: no papers found"),
        ("x.pdf", b"%PDF-1.4", "cannot tell the format from the extension '.pdf'"),
    ],
)
def test_bad_input_names_file_and_line(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        read_corpus(path)
    assert message in str(caught.value)
    assert str(caught.value).startswith(str(tmp_path))


def test_ten_megabyte_line_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "huge.jsonl"
    long_line = '{"title": "' + "x" * 10_000_000 + '"}'
    path.write_text('{"title": "ok", "abstract": "fine"}\n' + long_line + "\n")
    with pytest.raises(InputError) as caught:
        read_corpus(path)
    assert str(caught.value) == (f"{path}:2: line is longer than {DEFAULT_LIMITS.max_line_chars:,} characters "
                                 "(the limit max_line_chars, env KG_MAX_LINE_CHARS)")


def test_unknown_format_lists_the_known_ones(page_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_corpus(page_path, "xml")
    assert str(caught.value) == f"unknown format 'xml'; known formats: {', '.join(FORMATS)}"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="nope.jsonl: no such file"):
        read_corpus(tmp_path / "nope.jsonl")

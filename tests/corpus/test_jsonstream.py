"""JSON documents read item by item: records across block boundaries, exact lines and columns, bounded memory."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kg.corpus import source
from kg.corpus.jsonstream import document_items
from kg.corpus.readers import read_corpus, scan_corpus
from kg.corpus.source import Source
from kg.errors import InputError

SCHOLARLY = Path(__file__).resolve().parents[1] / "fixtures" / "scholarly"


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks of 7 bytes, so every record, string, escape and number crosses a block boundary."""
    monkeypatch.setattr(source, "BLOCK_BYTES", 7)


def test_records_across_block_boundaries_read_whole(tmp_path: Path, small_blocks: None) -> None:
    rows = [{"id": f"p{n}", "title": 'A "quoted" title \\ with \u00e9 and \U0001f600', "abstract": "x" * n,
             "year": 2000 + n} for n in range(40)]
    for indent in (None, 2):
        path = tmp_path / f"papers-{indent}.json"
        path.write_text(json.dumps(rows, ensure_ascii=indent is None, indent=indent), encoding="utf-8")
        papers = read_corpus(path)
        assert [(p.id, p.title, p.abstract, p.year) for p in papers] == [
            (r["id"], r["title"], r["abstract"], r["year"]) for r in rows]


def test_numbers_at_a_block_end_are_not_cut(tmp_path: Path, small_blocks: None) -> None:
    path = tmp_path / "n.json"
    path.write_text('[1234567890123, 42,\n 7]', encoding="utf-8")
    assert [(item.line, item.value) for item in document_items(Source(path))] == [(1, 1234567890123), (1, 42), (2, 7)]


def test_item_lines_and_error_columns_are_exact(tmp_path: Path, small_blocks: None) -> None:
    path = tmp_path / "pretty.json"
    path.write_text('[\n  {"id": "a", "title": "A", "abstract": ""},\n  {"id": "b", "title": "B", "abstract": ""},\n'
                    '  {"id": "c", "title": "C", "abstract": "", "year": "soon"}\n]\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_corpus(path)
    assert str(caught.value) == f"{path}:4: item 2: field 'year' is not a year: 'soon'"
    path.write_text('[\n  {"id": "a", "title": "A", "abstract": ""},\n  {"id": "b" "title": 1}\n]', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_corpus(path)
    assert str(caught.value) == f"{path}:3: not JSON: Expecting ',' delimiter at column 14"  # after "b"


def test_a_response_page_streams_its_results(tmp_path: Path) -> None:
    works = json.loads((SCHOLARLY / "openalex.json").read_text(encoding="utf-8"))
    path = tmp_path / "page.json"
    path.write_text(json.dumps({"meta": {"count": 1, "note": "x" * 3000}, **works, "group_by": []}), encoding="utf-8")
    assert [p.id for p in read_corpus(path)] == [p.id for p in read_corpus(SCHOLARLY / "openalex.json")]


def test_json_lines_of_scholarly_records_read_as_a_sequence(tmp_path: Path) -> None:
    records = json.loads((SCHOLARLY / "s2.json").read_text(encoding="utf-8"))
    path = tmp_path / "s2.jsonl"
    path.write_text("".join(json.dumps(r, indent=1) + "\n" for r in records), encoding="utf-8")  # pretty, one after another
    assert [p.id for p in read_corpus(path, "s2")] == [p.id for p in read_corpus(SCHOLARLY / "s2.json")]


def test_a_100_mb_one_line_response_reads_in_bounded_memory(tmp_path: Path) -> None:
    """The defaults accept a saved API response of 100 MB on one line; reading it holds one record at a time."""
    record = json.loads((SCHOLARLY / "s2.json").read_text(encoding="utf-8"))[0]
    one = json.dumps(record, separators=(",", ":"))
    count = 100_000_000 // len(one) + 1
    path = tmp_path / "response.json"
    with open(path, "w", encoding="utf-8") as out:
        out.write('{"total":%d,"data":[' % count)
        for n in range(count):
            out.write(("," if n else "") + one.replace(record["paperId"], f"{record['paperId']}{n}", 1))
        out.write("]}")
    assert path.stat().st_size > 100_000_000
    code = ("import re; from kg.corpus.readers import scan_corpus; "  # VmHWM: this process's peak, not the parent's
            f"r = scan_corpus([{str(path)!r}], 's2'); status = open('/proc/self/status').read(); "
            "print(r.papers, int(re.search(r'VmHWM:\\s+(\\d+)', status).group(1)) // 1024)")
    papers, peak_mb = map(int, subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                              check=True).stdout.split())
    assert papers == count
    assert peak_mb < 150, f"peak {peak_mb} MB for a {path.stat().st_size // 1_000_000} MB file"


def test_scan_counts_duplicates_across_files_and_the_total_limit_spans_them(tmp_path: Path) -> None:
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_text('{"id": "x", "title": "X", "abstract": ""}\n{"id": "y", "title": "Y", "abstract": ""}\n')
    second.write_text('\n{"id": "y", "title": "Y again", "abstract": ""}\n')
    report = scan_corpus([first, second])
    assert (report.papers, report.distinct) == (3, 2)
    assert [(d.id, d.source, d.first) for d in report.duplicates] == [("y", f"{second}:2", f"{first}:2")]
    from kg.corpus.limits import Limits

    with pytest.raises(InputError) as caught:
        scan_corpus([first, second], limits=Limits(max_total_bytes=first.stat().st_size + 10))
    assert str(caught.value) == (f"{second}: the inputs together hold more than {first.stat().st_size + 10:,} bytes "
                                 "(the limit max_total_bytes, env KG_MAX_TOTAL_BYTES)")

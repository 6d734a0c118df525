"""Reading a corpus file's bytes: every compression by content, encodings named, limits that fail fast."""

from __future__ import annotations

import bz2
import gzip
import lzma
from pathlib import Path

import pytest
from backports import zstd

from kg.corpus import source
from kg.corpus.limits import Limits
from kg.corpus.readers import iter_corpus, read_corpus
from kg.corpus.source import BLOCK_BYTES, Source
from kg.errors import InputError

CITESEER = Path(__file__).resolve().parents[1] / "fixtures" / "citeseer" / "papers.jsonl.gz"
COMPRESS = {"gzip": gzip.compress, "xz": lzma.compress, "bzip2": bz2.compress, "zstd": zstd.compress}


@pytest.mark.parametrize("kind", sorted(COMPRESS))
def test_every_compression_reads_the_same_papers_whatever_the_name(tmp_path: Path, kind: str) -> None:
    text = gzip.decompress(CITESEER.read_bytes())
    path = tmp_path / "citeseer.jsonl"  # no compression suffix: the content decides
    path.write_bytes(COMPRESS[kind](text[: len(text) // 2]) + COMPRESS[kind](text[len(text) // 2 :]))  # two members
    papers = read_corpus(path)
    assert [p.id for p in papers] == [p.id for p in read_corpus(CITESEER)]
    assert len(papers) == 3186


def test_lines_across_small_blocks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(source, "BLOCK_BYTES", 3)
    path = tmp_path / "t.txt"
    path.write_bytes("\ufeffcaf\u00e9\r\n\n\u00e9t\u00e9".encode())
    assert list(Source(path).lines()) == [(1, "caf\u00e9"), (2, ""), (3, "\u00e9t\u00e9")]
    assert "".join(Source(path).blocks()) == "caf\u00e9\r\n\n\u00e9t\u00e9"


def test_not_utf8_is_named_with_its_line_in_blocks_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(source, "BLOCK_BYTES", 4)
    path = tmp_path / "bad.json"
    path.write_bytes(b'[\n\n{"t": "caf\xe9"}]')
    with pytest.raises(InputError) as caught:
        read_corpus(path)
    assert str(caught.value) == f"{path}:3: not valid UTF-8 (byte 0xe9); re-save the file as UTF-8"


def test_a_bomb_stops_at_the_limit_without_reading_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "bomb.jsonl.xz"
    path.write_bytes(lzma.compress(b"\n" * (200 << 20)))  # 200 MB of blank lines in about 30 KB
    decompressed = []
    read = lzma.LZMAFile.read

    def counted(self: lzma.LZMAFile, size: int = -1) -> bytes:
        block = read(self, size)
        decompressed.append(len(block))
        return block

    monkeypatch.setattr(lzma.LZMAFile, "read", counted)  # watches the real decompression
    with pytest.raises(InputError) as caught:
        list(iter_corpus(path, limits=Limits(max_input_bytes=10 << 20)))
    assert sum(decompressed) <= (10 << 20) + BLOCK_BYTES  # stopped within one block of the limit
    assert str(caught.value) == (f"{path}: this input holds more than 10,485,760 bytes once decompressed (the limit "
                                 "max_input_bytes, env KG_MAX_INPUT_BYTES)")


def test_an_endless_line_fails_at_the_line_limit(tmp_path: Path) -> None:
    path = tmp_path / "one-line.jsonl.gz"
    path.write_bytes(gzip.compress(b"x" * (100 << 20)))
    with pytest.raises(InputError, match=r"one-line.jsonl.gz:1: line is longer than 1,000,000 characters"):
        read_corpus(path)


def test_limits_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_MAX_LINE_CHARS", "1_000")
    monkeypatch.setenv("KG_MAX_DEPTH", "8")
    assert (Limits.from_env().max_line_chars, Limits.from_env().max_depth) == (1000, 8)
    with pytest.raises(InputError, match="limit max_depth must be a positive whole number, not 0"):
        Limits(max_depth=0)

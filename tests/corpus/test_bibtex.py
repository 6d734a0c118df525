"""BibTeX entries cut by balanced braces: nothing silently dropped or cut, macros and parentheses kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.corpus.readers import read_corpus
from kg.errors import InputError


def test_string_macros_parenthesised_entries_and_comments(tmp_path: Path) -> None:
    path = tmp_path / "refs.bib"
    path.write_text('Comments between entries are ignored, even with {braces}.\n'
                    '@string{acl = "Proceedings of ACL"}\n'
                    '@inproceedings(k1, title = "A (parenthesised) {Title}", booktitle = acl, year = 2020)\n'
                    '@dataset{k2,\n  title = {Nested {Braces} Stay},\n  year = {2021}\n}\n'
                    '@comment{not a paper}\n')
    papers = read_corpus(path)
    assert [(p.id, p.title, p.year, p.source) for p in papers] == [
        ("k1", "A (parenthesised) Title", 2020, f"{path}:3"), ("k2", "Nested Braces Stay", 2021, f"{path}:4")]


@pytest.mark.parametrize(("text", "message"), [
    ("@misc{a, title = {One}\n@misc{b, title = {Two}}\n",
     ":1: entry 'a': unbalanced braces: the entry is not closed before the next one starts on line 2"),
    ("@misc{a, title = {One}}}\n", ":1: entry 'a': text after the end of the entry: '}' (unbalanced braces?)"),
    ("@misc(a, title = {One)\n", ":1: entry 'a': unbalanced braces: the entry is not closed by the end of the file"),
    ("@misc(a, title = {One}})\n", ":1: entry 'a': a '}' closes nothing (unbalanced braces)"),
    ("@misc{a, title = {One} year = 2020}\n", ":1: entry 'a' is not valid BibTeX"),
])
def test_unbalanced_entries_are_named(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.bib"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_corpus(path)
    assert str(caught.value) == f"{path}{message}"

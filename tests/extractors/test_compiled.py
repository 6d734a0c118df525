"""The compiled gazetteer cache: built once, read back the same, keyed by what it depends on."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import spacy

from kg.extractors.compiled import CACHE_ENV, Compiled, cache_dir, cache_key, load_compiled, save_compiled
from kg.extractors.gazetteer import compile_vocabulary
from kg.extractors.pipeline import make_pipeline
from kg.extractors.vocabulary import Entry, Vocabulary

TEXT = "We fine-tune Llama-2 with sparse autoencoders (SAEs) on MS-COCO, COCO-Stuff and GLUE; glue code."
SMALL = Vocabulary([Entry("COCO", "DATASET", ("MS COCO",)), Entry("GLUE", "DATASET", cased=True)])


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def _found(nlp: spacy.language.Language) -> list[tuple[str, str, str]]:
    doc = nlp(TEXT)
    return [(s.text, s.label_, s.kb_id_) for s in doc.spans["kg_vocab"]]


def test_a_second_pipeline_loads_the_compiled_vocabulary_and_finds_the_same(cache: Path) -> None:
    first = make_pipeline(vocabulary=SMALL)
    assert len(list(cache.glob("gazetteer-*.json"))) == 1
    second = make_pipeline(vocabulary=SMALL)
    assert _found(first) == _found(second) == [("MS-COCO", "DATASET", "COCO"), ("GLUE", "DATASET", "GLUE")]


def test_the_compiled_form_round_trips_through_json(cache: Path) -> None:
    compiled = compile_vocabulary(make_pipeline(vocabulary=SMALL), SMALL)
    assert Compiled.from_json(compiled.to_json()) == compiled
    save_compiled("k", compiled)
    assert load_compiled("k") == compiled


def test_the_key_changes_with_the_vocabulary_and_the_tokenizer(cache: Path) -> None:
    nlp = make_pipeline(vocabulary=SMALL)
    other = Vocabulary([Entry("COCO", "DATASET", ("MS COCO", "Common Objects"))])
    assert cache_key(nlp, SMALL) == cache_key(make_pipeline(vocabulary=SMALL), SMALL)
    assert cache_key(nlp, SMALL) != cache_key(nlp, other)
    assert cache_key(nlp, SMALL) != cache_key(spacy.blank("en"), SMALL)


def test_a_damaged_cache_file_is_compiled_again(cache: Path) -> None:
    make_pipeline(vocabulary=SMALL)
    (path,) = cache.glob("gazetteer-*.json")
    path.write_text("{not json", encoding="utf-8")
    assert _found(make_pipeline(vocabulary=SMALL))[0] == ("MS-COCO", "DATASET", "COCO")
    assert load_compiled(path.stem.removeprefix("gazetteer-")) is not None


def test_an_unwritable_cache_directory_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv(CACHE_ENV, str(blocker / "cache"))
    assert _found(make_pipeline(vocabulary=SMALL))[0] == ("MS-COCO", "DATASET", "COCO")


def test_the_cache_directory_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_dir() == tmp_path / "kg"


def test_the_shipped_pipeline_loads_in_half_a_second_from_the_cache(cache: Path) -> None:
    script = ("import time, spacy; from kg.extractors.pipeline import make_pipeline; t = time.perf_counter(); "
              "make_pipeline(); print(time.perf_counter() - t)")
    env_run = [sys.executable, "-c", script]
    subprocess.run(env_run, check=True, capture_output=True)  # compiles and saves
    seconds = sorted(float(subprocess.run(env_run, check=True, capture_output=True, text=True).stdout)
                     for _ in range(3))
    assert seconds[1] <= 1.0, seconds  # measured 0.3-0.6 s on a busy 2-core machine; the margin is for noise

"""Normalisation: one key per real thing; variants split from their family."""

from __future__ import annotations

import pytest

from kg.normalize import name_key, singular_phrase, split_variant


@pytest.mark.parametrize(
    "group",
    [
        ["GPT-2", "GPT2", "gpt 2", "GPT\u20112"],
        ["Llama-2", "Llama2", "Llama 2", "LLaMA-2", "LLAMA 2"],
        ["MS COCO", "MS-COCO", "ms coco"],
        ["sparse autoencoders", "Sparse Autoencoder", "sparse-autoencoders"],
        ["SAEs", "SAE"],
        ["Large Language Models", "large language model"],
        ["the LVIS", "LVIS"],
    ],
)
def test_spellings_of_one_thing_share_a_key(group: list[str]) -> None:
    assert len({name_key(name) for name in group}) == 1


@pytest.mark.parametrize(
    ("one", "other"),
    [("Llama 2", "Llama 3"), ("RefCOCO", "COCO"), ("GPT-3.5", "GPT-35"), ("GPT-4", "GPT-4o"), ("T5", "T-50"),
     ("CIFAR-10", "CIFAR-100"), ("analysis", "analysi")],
)
def test_different_things_keep_different_keys(one: str, other: str) -> None:
    assert name_key(one) != name_key(other)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("GPT-2 Small", ("GPT-2", "size")),
        ("YOLOv8-L", ("YOLOv8", "size")),
        ("LLaMA3-8B", ("LLaMA3", "size")),
        ("Llama 3.1 8B", ("Llama 3.1", "size")),
        ("Qwen2.5-7B-Instruct", ("Qwen2.5-7B", "size")),
        ("GPT-3.5-turbo", ("GPT-3.5", "size")),
        ("YOLOE-v8", ("YOLOE", "version")),
        ("Medusa-2", ("Medusa", "version")),
        ("BERT", None),
        ("T5", None),
    ],
)
def test_split_variant(name: str, expected: tuple[str, str] | None) -> None:
    assert split_variant(name) == expected


def test_singular_phrase_keeps_case() -> None:
    assert singular_phrase("Sparse Autoencoders") == "Sparse Autoencoder"
    assert singular_phrase("LLMs") == "LLM"
    assert singular_phrase("Cityscapes dataset") == "Cityscapes dataset"

"""Acronym definitions and the type each long form gets (sentences of the bundled page and of SciERC)."""

from __future__ import annotations

from kg.extractors.abbreviations import find_definitions


def definitions(text: str) -> list[tuple[str, str, str | None]]:
    return [(d.short, d.long, d.label) for d in find_definitions(text)]


def test_named_long_forms_are_typed_by_their_head_or_the_noun_after_them() -> None:
    assert definitions("For text prompts, we propose Re-parameterizable Region-Text Alignment (RepRTA) strategy.") == [
        ("RepRTA", "Re-parameterizable Region-Text Alignment", "METHOD")]
    # The head word ("Embeddings") decides before the noun after the definition ("model").
    assert definitions("To overcome this, we propose the Decoupled Attention and Representation Embeddings (DARE) "
                       "model, where two distinct embedding") == [
        ("DARE", "Decoupled Attention and Representation Embeddings", "METHOD")]
    assert definitions("Recently, the pursuit of intelligent machines has produced Language Models (LMs) capable of "
                       "solving many language tasks") == [("LMs", "Language Models", "MODEL")]


def test_a_lower_case_long_form_before_a_head_noun_is_a_kind_not_a_name() -> None:
    # SciERC N03-1018 and I05-2021: "a generative probabilistic optical character recognition (OCR) model".
    assert definitions("We introduce a generative probabilistic optical character recognition (OCR) model that "
                       "describes an end-to-end process.") == [("OCR", "optical character recognition", "TASK")]
    assert definitions("designing and evaluating dedicated word sense disambiguation (WSD) models") == [
        ("WSD", "word sense disambiguation", None)]

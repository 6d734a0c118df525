"""The role of a mention read from its sentence: sentences of the bundled page, with the role each should get."""

from __future__ import annotations

import pytest

from kg.model import RelType
from kg.pipeline.roles import role_of, strongest

CASES = [
    # A metric improved in passing is not a result the paper reports on it.
    ("It employs decoupled semantic and activation branches to bring improved visual embedding and accuracy "
     "with minimal complexity.", "accuracy", "METRIC", RelType.MENTIONS),
    # A model the paper studies is one it uses.
    ("We qualitatively study the role of every head in GPT-2 Small, and estimate that at least 90% of the heads "
     "are polysemantic, i.e.", "GPT-2 Small", "MODEL", RelType.USES),
    ("To tackle this issue, we propose DOEI, Dual Optimization of Embedding Information, a novel approach.",
     "DOEI", "METHOD", RelType.PROPOSES),
    ("For visual prompts, we present Semantic-Activated Visual Prompt Encoder (SAVPE).", "SAVPE", "MODEL",
     RelType.PROPOSES),
    ("Our experiments on seed models ranging from 590 million to 2 billion parameters demonstrate that BAM surpasses "
     "baselines in both perplexity and downstream task performance.", "perplexity", "METRIC", RelType.EVALUATES_ON),
]


@pytest.mark.parametrize(("sentence", "name", "label", "role"), CASES)
def test_role_of_page_sentences(sentence: str, name: str, label: str, role: RelType) -> None:
    offset = sentence.index(name)
    assert role_of(sentence, offset, label, proposed=False, length=len(name)) is role


def test_a_proposal_found_by_the_extractor_wins() -> None:
    assert role_of("We use X.", 7, "MODEL", proposed=True) is RelType.PROPOSES


def test_strongest_role() -> None:
    assert strongest([RelType.MENTIONS, RelType.USES, RelType.EVALUATES_ON]) is RelType.EVALUATES_ON
    assert strongest([]) is RelType.MENTIONS

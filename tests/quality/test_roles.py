"""Role measurement: a role file read against a gold corpus, the predicted roles, the confusion matrix."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from spacy.language import Language

from kg.errors import InputError
from kg.quality.roles import ROLES, accuracy, confusion, predict_roles, read_roles

GOLD = Path(__file__).resolve().parents[1] / "fixtures" / "gold"

# Hand-judged roles of four SciERC gold mentions of the fixture abstracts.
CASES = [
    {"document": "ICCV_2003_158_abs", "start": 109, "end": 123, "label": "DATASET", "role": "USES"},
    {"document": "ICCV_2003_158_abs", "start": 741, "end": 768, "label": "DATASET", "role": "EVALUATES_ON"},
    {"document": "ICCV_2003_158_abs", "start": 267, "end": 284, "label": "METHOD", "role": "MENTIONS"},
    {"document": "C04-1096", "start": 564, "end": 584, "label": "METHOD", "role": "PROPOSES"},
]


@pytest.fixture()
def shared(tmp_path: Path) -> Path:
    (tmp_path / "scierc").mkdir()
    shutil.copy(GOLD / "scierc.jsonl", tmp_path / "scierc" / "train.jsonl")
    return tmp_path


def write_roles(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps({"corpus": "scierc", **row}) + "\n" for row in rows), encoding="utf-8")
    return path


def test_roles_read_from_the_gold_text(shared: Path, tmp_path: Path) -> None:
    cases = read_roles(write_roles(tmp_path / "roles.jsonl", CASES), shared)
    assert [c.text[c.start:c.end] for c in cases] == ["image sequence", "videos of hand-held objects",
                                                     "multi-view stereo", "generation algorithm"]


def test_predicted_roles_and_their_confusion_matrix(shared: Path, tmp_path: Path, nlp: Language) -> None:
    cases = read_roles(write_roles(tmp_path / "roles.jsonl", CASES), shared)
    predicted = predict_roles(nlp, cases)
    # "... and built a generation algorithm based on the results": the paper's own, read as used.
    assert predicted == ["USES", "EVALUATES_ON", "MENTIONS", "USES"]
    matrix = confusion([c.role for c in cases], predicted)
    assert matrix["PROPOSES"] == {"PROPOSES": 0, "EVALUATES_ON": 0, "USES": 1, "MENTIONS": 0}
    assert accuracy(matrix) == 0.75 and list(matrix) == list(ROLES)


def test_unknown_document_or_role_is_an_input_error(shared: Path, tmp_path: Path) -> None:
    with pytest.raises(InputError):
        read_roles(write_roles(tmp_path / "a.jsonl", [{**CASES[0], "document": "nowhere"}]), shared)
    with pytest.raises(InputError):
        read_roles(write_roles(tmp_path / "b.jsonl", [{**CASES[0], "role": "LIKES"}]), shared)

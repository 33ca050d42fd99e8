"""Checked records enter the bundled dataset through ``curation/additions/*.jsonl`` (issue #11):
a good record is built with its option and its 'checked:' note; a bad one stops the build with
file, line and field. Runs the real build into a temporary folder."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from pathlib import Path

import pytest

TOOLS = Path(__file__).resolve().parent.parent / "sessions_data" / "tools"
RESEARCH = next(
    (d / "shared" / "research" for d in TOOLS.parents if (d / "shared" / "research" / "actors.json").exists()),
    None,
)
pytestmark = pytest.mark.skipif(RESEARCH is None, reason="the research dossier shared/research is not present")

RECORD = {
    "id": "zz-1",
    "session": "ahc-3",
    "meeting": None,
    "date": "2022-09-01",
    "actor": "Brazil",
    "actor_kind": "state",
    "on_behalf_of": None,
    "provision": "40",
    "paragraph": None,
    "draft_article": None,
    "question": "Grounds to refuse mutual legal assistance",
    "question_key": "art40-refusal-grounds",
    "option": "human-rights-refusal-grounds",
    "stance": "support",
    "proposal": "refusal grounds for requests aimed at persecution",
    "summary": "A test record, not a real position.",
    "source_url": "https://example.org/report",
    "source_title": "Test report",
    "source_kind": "news",
    "confidence": "medium",
    "note": "Test: read the report's paragraph on Brazil.",
}


@pytest.fixture(scope="module")
def build_module():
    sys.path.insert(0, str(TOOLS))
    try:
        spec = importlib.util.spec_from_file_location("build_dataset_under_test", TOOLS / "build_dataset.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.path.remove(str(TOOLS))


def build_with(build_module, tmp_path: Path, lines: list[str]):
    curation = tmp_path / "curation"
    shutil.copytree(TOOLS / "curation", curation)
    (curation / "additions" / "zz-test.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    build_module.build(RESEARCH, out, curation)
    return [json.loads(line) for line in (out / "positions.jsonl").read_text(encoding="utf-8").splitlines()]


def test_a_checked_record_is_built_with_its_option_and_note(build_module, tmp_path):
    positions = build_with(build_module, tmp_path, [json.dumps(RECORD)])
    added = next(p for p in positions if p["id"] == "zz-1")
    assert (added["actor"], added["option"], added["session"], added["provision"]) == (
        "brazil",
        "human-rights-refusal-grounds",
        "ahc-3",
        "40",
    )
    assert (
        "added by research pass zz-test.jsonl; checked: Test: read the report's paragraph on Brazil." in added["note"]
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"note": ""}, "zz-test.jsonl:2: field note: required"),
        ({"stance": "yes"}, "zz-test.jsonl:2: field stance: 'yes' is not one of"),
        ({"option": "no-such-option"}, "zz-test.jsonl:2: field option: 'no-such-option' is not an option"),
        ({"provision": "whole"}, "zz-test.jsonl:2: field provision: 'whole', but question"),
        ({"date": "1 Sep 2022"}, "zz-test.jsonl:2: field date: '1 Sep 2022' is not YYYY-MM-DD"),
        ({"id": "es-1"}, "record ids used twice (dossier and additions): ['es-1']"),
        ({"colour": "red"}, "zz-test.jsonl:2: field colour: unknown field"),
    ],
)
def test_a_bad_record_stops_the_build_naming_file_line_and_field(build_module, tmp_path, change, message):
    good = dict(RECORD, id="zz-2")
    with pytest.raises(build_module.BuildError) as err:
        build_with(build_module, tmp_path, [json.dumps(good), json.dumps(dict(RECORD, **change))])
    assert message in str(err.value)

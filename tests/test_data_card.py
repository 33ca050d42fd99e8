"""The data card's counts follow each position's question (issue #11: the card counted 41 positions on
Article 6 where its questions held 61) and its research tables list every lead with records that exist."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import sys
from collections import Counter
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "sessions_data"
TOOLS = DATA / "tools"


def _load(name: str):
    sys.path.insert(0, str(TOOLS))
    try:
        spec = importlib.util.spec_from_file_location(f"{name}_under_test", TOOLS / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(TOOLS))


make_card = _load("make_card")


def provision_table(card: str) -> dict[str, int]:
    section = card.split("### Positions per provision: all provisions with positions", 1)[1].split("\n### ", 1)[0]
    rows = re.findall(r"^\| ([^|]+) \| (?:article|topic|chapter) \| [^|]* \| (\d+) \|$", section, re.M)
    return {key.strip(): int(n) for key, n in rows}


def by_question_provision(data_dir: Path) -> Counter:
    provision_of = {q["key"]: q["provision"] for q in json.loads((data_dir / "questions.json").read_text())}
    lines = (data_dir / "positions.jsonl").read_text(encoding="utf-8").splitlines()
    return Counter(provision_of[json.loads(line)["question"]] for line in lines)


def test_card_counts_each_position_under_its_questions_provision():
    card = (DATA / "README.md").read_text(encoding="utf-8")
    assert provision_table(card) == dict(by_question_provision(DATA))


def test_card_follows_the_question_not_the_positions_own_provision_field(tmp_path):
    """A broken copy: the positions keep provision '6' but their question moves to 'whole'."""
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy, ignore=shutil.ignore_patterns("tools"))
    questions = json.loads((copy / "questions.json").read_text())
    moved = next(q for q in questions if q["key"] == "art6-2-rights-list")
    moved["provision"] = "whole"
    (copy / "questions.json").write_text(json.dumps(questions), encoding="utf-8")
    n = sum(1 for line in (copy / "positions.jsonl").read_text().splitlines() if '"art6-2-rights-list"' in line)
    before, after = provision_table(make_card.render_card(DATA)), provision_table(make_card.render_card(copy))
    assert n > 0
    assert after["6"] == before["6"] - n and after["whole"] == before["whole"] + n


def test_every_lead_of_issue_11_is_listed_with_records_that_exist():
    log = json.loads((TOOLS / "curation" / "research_log.json").read_text())
    drop = json.loads((TOOLS / "curation" / "corrections.json").read_text())["drop"]
    positions = [json.loads(line) for line in (DATA / "positions.jsonl").read_text(encoding="utf-8").splitlines()]
    kept = {p["id"] for p in positions}
    folded = set(re.findall(r"duplicate dropped: (\S+) ", " ".join(p["note"] or "" for p in positions)))
    assert {lead["lead"] for lead in log["leads"]} == {str(n) for n in range(1, 14)}
    for lead in log["leads"]:
        assert lead["url"] and lead["outcome"], lead
        for rec_id in lead["records"]:
            assert rec_id in kept | folded | set(drop), f"lead {lead['lead']}: {rec_id} is not in the data"
    card = (DATA / "README.md").read_text(encoding="utf-8")
    for lead in log["leads"]:
        assert lead["url"] in card


def test_every_additions_file_is_described_in_the_research_log():
    log = json.loads((TOOLS / "curation" / "research_log.json").read_text())
    files = {p.name for p in (TOOLS / "curation" / "additions").glob("*.jsonl")}
    assert files == {p["file"] for p in log["passes"]}

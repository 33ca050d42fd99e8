"""Validation of the bundled dataset in ``sessions_data/`` (issue #3).

Reads the generated JSON files directly (stdlib + pytest only), so it checks exactly what the app
ships: required fields, controlled values, dates inside their session, no dangling ids, no
duplicates, options that belong to their question, a data card that matches the data, and a
deterministic build.
"""

from __future__ import annotations

import filecmp
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from explorer import vocabulary
from explorer.names import normalize_name as norm

DATA = Path(__file__).resolve().parent.parent / "sessions_data"
TOOLS = DATA / "tools"
RESEARCH = next(
    (d / "shared" / "research" for d in DATA.parents if (d / "shared" / "research" / "actors.json").exists()),
    DATA.parent.parent / "shared" / "research",
)

STANCES, SOURCE_KINDS = set(vocabulary.STANCES), set(vocabulary.SOURCE_KINDS)
CONFIDENCES, ACTOR_KINDS = set(vocabulary.CONFIDENCES), set(vocabulary.ACTOR_KINDS)
SUBKINDS = {"ngo", "private-sector", "academia", "igo", "un-body"}
REGIONS = {"African", "Asia-Pacific", "Eastern European", "GRULAC", "WEOG"}
POSITION_COLUMNS = {
    "actor",
    "actor_kind",
    "provision",
    "question",
    "option",
    "stance",
    "date",
    "session",
    "summary",
    "source_url",
    "source_title",
    "source_kind",
    "confidence",
    "id",
    "meeting",
    "paragraph",
    "proposal",
    "on_behalf_of",
    "note",
}


def read(name):
    return json.loads((DATA / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def data():
    positions = [
        json.loads(line) for line in (DATA / "positions.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    return {
        "dataset": read("dataset.json"),
        "sessions": read("sessions.json"),
        "provisions": read("provisions.json"),
        "actors": read("actors.json"),
        "questions": read("questions.json"),
        "positions": positions,
    }


def test_dataset_metadata(data):
    ds = data["dataset"]
    assert set(ds) == {"name", "title", "version", "date", "description", "citation", "license"}
    assert re.fullmatch(r"\d+\.\d+\.\d+", ds["version"]) and re.fullmatch(r"\d{4}-\d\d-\d\d", ds["date"])


def test_positions_have_required_fields(data):
    ids = [p["id"] for p in data["positions"]]
    assert len(ids) == len(set(ids)), "position ids must be unique"
    for p in data["positions"]:
        assert set(p) <= POSITION_COLUMNS, f"{p['id']}: unknown columns {set(p) - POSITION_COLUMNS}"
        assert p["actor"] and p["question"] and p["session"], p["id"]
        assert p["stance"] in STANCES, p["id"]
        assert re.match(r"https?://", p["source_url"]) or re.match(r"[A-Z]/", p["source_url"]), p["id"]
        assert p["source_kind"] in SOURCE_KINDS and p["confidence"] in CONFIDENCES, p["id"]
        assert p["date"] is None or re.fullmatch(r"\d{4}-\d\d-\d\d", p["date"]), p["id"]


def test_no_dangling_ids(data):
    actors = {a["id"]: a for a in data["actors"]}
    sessions = {s["key"] for s in data["sessions"]}
    provisions = {p["key"]: p for p in data["provisions"]}
    questions = {q["key"]: q for q in data["questions"]}
    for p in data["positions"]:
        assert p["actor"] in actors, p["id"]
        assert p["actor_kind"] == actors[p["actor"]]["kind"], p["id"]
        assert p["on_behalf_of"] is None or p["on_behalf_of"] in actors, p["id"]
        assert p["question"] in questions, p["id"]
        assert p["session"] in sessions, p["id"]
        assert p["provision"] in provisions, p["id"]
        if p["option"] is not None:
            assert p["option"] in {o["key"] for o in questions[p["question"]]["options"]}, p["id"]
    for q in data["questions"]:
        assert q["provision"] in provisions, q["key"]
    for prov in data["provisions"]:
        assert prov["parent"] is None or prov["parent"] in provisions, prov["key"]
    for a in data["actors"]:
        assert all(m in actors for m in a["members"]), a["id"]
        assert a["speaks_for"] is None or a["speaks_for"] in actors, a["id"]


def test_registries_are_well_formed(data):
    for a in data["actors"]:
        assert a["kind"] in ACTOR_KINDS, a["id"]
        assert a["un_region"] is None or a["un_region"] in REGIONS, a["id"]
        if a["kind"] == "stakeholder":
            assert a["subkind"] in SUBKINDS, a["id"]
            assert a["sources"], f"{a['id']}: stakeholder without a source"
        if a["kind"] == "chair":
            assert "speaks_for" in a
    labels = Counter()
    for a in data["actors"]:
        labels.update({norm(x) for x in [a["id"], a["name"], *a["aliases"]]})
    assert not [k for k, n in labels.items() if n > 1], "an actor name or alias matches two actors"
    session_labels = Counter(norm(x) for s in data["sessions"] for x in [s["key"], s["name"], *s["aliases"]])
    assert not [k for k, n in session_labels.items() if n > 1], "a session key or alias is used twice"
    kinds = Counter(p["kind"] for p in data["provisions"])
    assert kinds["chapter"] == 9 and kinds["article"] == 68
    for p in data["provisions"]:
        if p["kind"] != "topic":
            assert p["title_status"] in {"verified", "unverified"}, p["key"]
    for key in ("title", "preamble", "scope", "whole", "resolution", "protocol"):
        assert any(p["key"] == key and p["kind"] == "topic" for p in data["provisions"]), key


def test_title_checks_reach_their_articles(data):
    """A title check sets the article's status, its reason is in the notes, and the URLs it was checked in
    are among the article's sources (each source once)."""
    checks = json.loads((TOOLS / "curation" / "provisions.json").read_text(encoding="utf-8"))["title_checks"]
    articles = {p["key"]: p for p in data["provisions"] if p["kind"] == "article"}
    for number, check in checks.items():
        article = articles[number]
        assert article["title_status"] == check["status"], number
        assert check["why"] in article["notes"], number
        assert set(check.get("sources", [])) <= set(article["sources"]), number
    for article in articles.values():
        assert len(article["sources"]) == len(set(article["sources"])), article["key"]


def test_no_duplicate_positions(data):
    """One record per (actor, question, option, date); undated records compare by session instead."""
    keys = Counter(
        (p["actor"], p["question"], p["option"], p["date"] or "session:" + p["session"]) for p in data["positions"]
    )
    assert not [k for k, n in keys.items() if n > 1]


def test_no_duplicates_as_the_app_sees_them(data):
    """The importer skips a row whose (actor, question, option, stance, sort date, source) already exists;
    the sort date is the date, else the session start. No bundled position may be skipped that way."""
    start = {s["key"]: s["start"] for s in data["sessions"]}
    keys = Counter(
        (p["actor"], p["question"], p["option"], p["stance"], p["date"] or start[p["session"]] or "", p["source_url"])
        for p in data["positions"]
    )
    assert not [k for k, n in keys.items() if n > 1]


def test_questions_with_two_actors_have_options(data):
    actors = {}
    for p in data["positions"]:
        actors.setdefault(p["question"], set()).add(p["actor"])
    for q in data["questions"]:
        keys = [o["key"] for o in q["options"]]
        assert len(keys) == len(set(keys)), q["key"]
        if len(actors.get(q["key"], ())) >= 2:
            assert q["options"], f"{q['key']} has 2+ actors but no options"
            assert all(p["option"] for p in data["positions"] if p["question"] == q["key"]), q["key"]


def test_roll_call_uses_adopt(data):
    """The 74/247 roll-call appears once per state and uses the shared option 'adopt'."""
    roll = [
        p
        for p in data["positions"]
        if p["question"] == "ahc-establishment"
        and p["date"] == "2019-12-27"
        and p["source_url"] == "https://github.com/dgrtwo/unvotes"
    ]
    assert len(roll) == len({p["actor"] for p in roll}) == 172
    assert {p["option"] for p in roll} == {"adopt"}


def test_data_card_matches_data():
    sys.path.insert(0, str(TOOLS))
    try:
        import make_card
    finally:
        sys.path.remove(str(TOOLS))
    assert (DATA / "README.md").read_text(encoding="utf-8") == make_card.render_card(DATA)


@pytest.mark.skipif(
    not (RESEARCH / "actors.json").exists(),
    reason="the research dossier ../shared/research is not present, so the build cannot be re-run "
    "(the committed files are still checked by the other tests)",
)
def test_build_is_deterministic(tmp_path):
    outputs = []
    for run in ("a", "b"):
        out = tmp_path / run
        subprocess.run(
            [sys.executable, str(TOOLS / "build_dataset.py"), "--research", str(RESEARCH), "--out", str(out)],
            check=True,
            capture_output=True,
            text=True,
        )
        outputs.append(out)
    names = [
        "dataset.json",
        "sessions.json",
        "provisions.json",
        "actors.json",
        "questions.json",
        "positions.jsonl",
        "README.md",
    ]
    _match, mismatch, errors = filecmp.cmpfiles(outputs[0], outputs[1], names, shallow=False)
    assert not mismatch and not errors
    _match, mismatch, errors = filecmp.cmpfiles(outputs[0], DATA, names, shallow=False)
    assert not mismatch and not errors, f"committed files differ from a fresh build: {mismatch}"

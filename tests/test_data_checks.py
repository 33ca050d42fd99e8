"""The audit's fault kinds (issue #11) cannot come back: each check in ``sessions_data/tools/checks.py``
passes on the shipped data and fails on a copy broken the way the audit found it broken.

Stdlib + pytest only; reads the generated files and the curation they were built with.
"""

from __future__ import annotations

import copy
import importlib.util
import json
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "sessions_data"
CURATION = DATA / "tools" / "curation"


def _load_checks():
    spec = importlib.util.spec_from_file_location("sessions_data_checks", DATA / "tools" / "checks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


checks = _load_checks()


def _read(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def shipped():
    positions = [json.loads(line) for line in (DATA / "positions.jsonl").read_text(encoding="utf-8").splitlines()]
    return {
        "positions": positions,
        "sessions": _read(DATA / "sessions.json"),
        "questions": _read(DATA / "questions.json"),
        "actors": _read(DATA / "actors.json"),
        "scur": _read(CURATION / "sessions.json"),
        "acts": _read(CURATION / "treaty_acts.json"),
    }


@pytest.fixture
def broken(shipped):
    """A deep copy to break; the shipped data stays untouched."""
    return copy.deepcopy(shipped)


def pos(data, rec_id):
    return next(p for p in data["positions"] if p["id"] == rec_id)


def test_all_checks_pass_on_the_shipped_data(shipped):
    assert checks.run_all(shipped, shipped["scur"], shipped["acts"]) == []


def test_url_dates_are_read_to_the_day_or_month():
    assert checks.url_date_range("https://www.hrw.org/news/2024/01/23/un-draft") == ("2024-01-23", "2024-01-23")
    assert checks.url_date_range("https://eff.org/deeplinks/2022/12/letter-un") == ("2022-12-01", "2022-12-31")
    assert checks.url_date_range("https://x.dev/article/2026-05/21-un-cybercrime") == ("2026-05-21", "2026-05-21")
    assert checks.url_date_range("https://zoom.cnews.ru/news/top/2024-08-13_oon/print") == ("2024-08-13", "2024-08-13")
    assert checks.url_date_range("https://www.globalsecurity.org/sec-220312-russia.htm") is None


def test_a_dated_position_outside_its_session_is_caught(broken):
    # gs-20: said in Moscow on 28 Jan 2026; the old build kept it in the interval before that week's session.
    p = pos(broken, "gs-20")
    assert p["date"] == "2026-01-28" and p["session"] == "ahc-cosp-rules-2026"
    p["session"] = "after-hanoi-signing"
    problems = checks.dated_inside_session(broken["positions"], broken["sessions"])
    assert problems == ["gs-20: dated 2026-01-28, outside its session after-hanoi-signing (2025-10-27..2026-01-25)"]


def test_an_undated_position_placed_against_its_sources_date_is_caught(broken):
    # sh-53: the December 2022 joint letter (month curated), once filed in the third intersessional consultation.
    p = pos(broken, "sh-53")
    assert p["date"] is None and p["session"] == "after-ahc-intersessional-3"
    p["session"] = "ahc-intersessional-3"
    # es-370: an EFF post of April 2023 (the month is in its URL), moved back to the fourth session.
    q = pos(broken, "es-370")
    assert q["date"] is None and q["session"] == "ahc-5"
    q["session"] = "ahc-4"
    problems = checks.undated_follow_source_date(broken["positions"], broken["sessions"], broken["scur"])
    assert problems == [
        (
            "sh-53: source dated 2022-12-01..2022-12-31 by curation/sessions.json source_dates, but filed in "
            "ahc-intersessional-3 (2022-11-03..2022-11-04)"
        ),
        "es-370: source dated 2023-04-01..2023-04-30 by its URL, but filed in ahc-4 (2023-01-09..2023-01-20)",
    ]


def test_a_source_date_becomes_the_date_of_the_document_it_is(shipped):
    """cs-122 (the joint statement of 23 Jan 2024, 'ahead of' the concluding session) and sh-74 (the
    appeal of 18 Jul 2024) were undated and filed in the next session; they now carry their own date."""
    assert (pos(shipped, "cs-122")["date"], pos(shipped, "cs-122")["session"]) == ("2024-01-23", "after-ahc-6")
    assert (pos(shipped, "sh-74")["date"], pos(shipped, "sh-74")["session"]) == ("2024-07-18", "after-ahc-concluding")


def test_a_report_of_an_earlier_event_keeps_its_session_only_while_listed(broken):
    reports = broken["scur"]["reports_of_earlier_events"]
    reported = [p for p in broken["positions"] if p["source_url"] in reports and not p["date"]]
    assert len(reported) >= 5
    assert checks.undated_follow_source_date(broken["positions"], broken["sessions"], broken["scur"]) == []
    broken["scur"]["reports_of_earlier_events"].clear()
    problems = checks.undated_follow_source_date(broken["positions"], broken["sessions"], broken["scur"])
    assert {x.split(":")[0] for x in problems} == {p["id"] for p in reported}


def test_a_provision_other_than_the_questions_is_caught(broken):
    p = next(p for p in broken["positions"] if p["question"] == "art6-human-rights")
    p["provision"] = "whole"
    problems = checks.provision_is_questions(broken["positions"], broken["questions"])
    assert problems == [f"{p['id']}: provision 'whole', its question art6-human-rights is under '6'"]


def test_two_choices_by_one_actor_at_one_meeting_are_caught(broken):
    # vt-262 coded Burkina Faso 'keep the list' where rc-58, same meeting and source, codes it neutral.
    rc58 = pos(broken, "rc-58")
    assert (rc58["actor"], rc58["option"], rc58["stance"]) == ("burkina-faso", "general", "neutral")
    broken["positions"].append(dict(rc58, id="vt-262", option="keep-list", stance="reserve"))
    problems = checks.one_choice_per_occasion(broken["positions"])
    assert problems == [
        (
            "burkina-faso on art6-2-rights-list at 2024-08-09: "
            "2 different choices (rc-58=abstain, vt-262=against:keep-list)"
        )
    ]


def test_two_choices_on_one_undated_meeting_are_caught_but_other_meetings_are_not(broken):
    p = next(p for p in broken["positions"] if not p["date"] and p["option"] and p["stance"] == "support")
    broken["positions"].append(dict(p, id="zz-1", stance="oppose", meeting="another meeting"))
    assert checks.one_choice_per_occasion(broken["positions"]) == []
    broken["positions"].append(dict(p, id="zz-2", stance="oppose"))
    assert len(checks.one_choice_per_occasion(broken["positions"])) == 1


def test_urging_others_to_sign_is_not_a_signature(broken):
    # gs-45: Iraq in the Moscow joint statement calling on all states to sign; Iraq is not a signatory.
    p = pos(broken, "gs-45")
    assert (p["question"], p["option"], p["stance"]) == ("whole-signature", "urge-signature", "support")
    p["option"] = "sign"
    stakeholder = next(
        p for p in broken["positions"] if p["question"] == "whole-ratification" and p["stance"] == "oppose"
    )
    stakeholder.update(option="ratify", stance="support")
    problems = checks.treaty_acts_are_official(broken["positions"], broken["actors"], broken["acts"])
    assert len(problems) == 2
    assert problems[0].startswith(f"{stakeholder['id']}: ") and "cannot sign or ratify" in problems[0]
    assert problems[1].startswith("gs-45: sign by iraq from ") and "neither the depositary list" in problems[1]


def test_signatures_at_hanoi_equal_the_depositary_count(shipped):
    """UN Treaty Collection XVIII-16 lists 72 signatories for the Hanoi ceremony (25-26 Oct 2025)."""
    signed = [
        p
        for p in shipped["positions"]
        if p["question"] == "whole-signature" and p["option"] == "sign" and p["stance"] == "support"
    ]
    at_hanoi = {p["actor"] for p in signed if p["session"] == "hanoi-signing"}
    assert len(at_hanoi) == len([p for p in signed if p["session"] == "hanoi-signing"]) == 72
    kinds = {a["id"]: a["kind"] for a in shipped["actors"]}
    assert {kinds[a] for a in at_hanoi} == {"state", "group"}  # the EU is the one group


def test_no_date_exceptions_remain():
    assert "date_exceptions" not in _read(CURATION / "sessions.json")

"""Checks on the built dataset that keep the audit's fault kinds (issue #11) from coming back.

Each check takes the built records (and the curation it needs) and returns a list of problems,
one readable line each; an empty list means the data passes. ``build_dataset.py`` runs them all
and stops on any problem; ``tests/test_bundled_data.py`` runs each on the shipped files and on a
deliberately broken copy. Standard library only.
"""

from __future__ import annotations

import calendar
import re
from collections import defaultdict

# A date in a source URL: /2024/01/23/, /2022/12/, 2026-05/21 (year and month at least).
URL_DATE = re.compile(r"/(20[0-3]\d)[/-](0[1-9]|1[0-2])(?:[/-]([0-3]\d))?(?=[/._-])")


def url_date_range(url: str) -> tuple[str, str] | None:
    """The day or month a URL carries, as an inclusive (first, last) ISO date range."""
    m = URL_DATE.search(url)
    if not m:
        return None
    year, month, dom = m.groups()
    if dom and 1 <= int(dom) <= 31:
        return f"{year}-{month}-{dom}", f"{year}-{month}-{dom}"
    last = calendar.monthrange(int(year), int(month))[1]
    return f"{year}-{month}-01", f"{year}-{month}-{last:02d}"


def curated(table: dict, url: str):
    """A curation entry for a source URL; the same page with another query string (?language=ru)
    shares its entry."""
    return table.get(url) or table.get(url.split("?")[0])


def source_range(url: str, scur: dict) -> tuple[str, str, str] | None:
    """When the source was published, if known: curated ``source_dates`` first, then the URL.
    Returns (first, last, where the date comes from), or None for an undated source."""
    entry = curated(scur.get("source_dates", {}), url)
    if entry:
        if "date" in entry:
            return entry["date"], entry["date"], "curation/sessions.json source_dates"
        return entry["from"], entry["to"], "curation/sessions.json source_dates"
    found = url_date_range(url)
    return (*found, "its URL") if found else None


def overlaps(session: dict, first: str, last: str) -> bool:
    return bool(session["start"]) and session["start"] <= last and first <= session["end"]


def dated_inside_session(positions: list[dict], sessions: list[dict]) -> list[str]:
    """A dated position lies inside its session's dates (no exceptions)."""
    by_key = {s["key"]: s for s in sessions}
    out = []
    for p in positions:
        s = by_key[p["session"]]
        if p["date"] and not (s["start"] and s["start"] <= p["date"] <= s["end"]):
            out.append(f"{p['id']}: dated {p['date']}, outside its session {s['key']} ({s['start']}..{s['end']})")
    return out


def undated_follow_source_date(positions: list[dict], sessions: list[dict], scur: dict) -> list[str]:
    """An undated position whose source is dated lies in a session overlapping that date, unless
    the source reports an act at an earlier event (curated, with the reason)."""
    by_key = {s["key"]: s for s in sessions}
    reports = scur.get("reports_of_earlier_events", {})
    out = []
    for p in positions:
        if p["date"] or curated(reports, p["source_url"]):
            continue
        found = source_range(p["source_url"], scur)
        if found and not overlaps(by_key[p["session"]], found[0], found[1]):
            s = by_key[p["session"]]
            out.append(
                f"{p['id']}: source dated {found[0]}..{found[1]} by {found[2]}, but filed in {s['key']} "
                f"({s['start']}..{s['end']})"
            )
    return out


def provision_is_questions(positions: list[dict], questions: list[dict]) -> list[str]:
    """Each position's provision is its question's (so counts by provision match the questions)."""
    provision_of = {q["key"]: q["provision"] for q in questions}
    return [
        f"{p['id']}: provision {p['provision']!r}, "
        f"its question {p['question']} is under {provision_of[p['question']]!r}"
        for p in positions
        if p["provision"] != provision_of[p["question"]]
    ]


def choice(p: dict) -> str:
    """The comparable choice a position makes (the rule of explorer.analysis.choices)."""
    if p["stance"] == "neutral":
        return "abstain"
    return ("against:" if p["stance"] in ("oppose", "reserve") else "") + str(p["option"])


def one_choice_per_occasion(positions: list[dict]) -> list[str]:
    """No actor makes two different choices on one question at the same date, or (undated) at the
    same meeting of the same session: the analysis keeps one choice per occasion."""
    groups = defaultdict(list)
    for p in positions:
        when = p["date"] or f"{p['session']} / {p['meeting'] or 'no meeting named'}"
        groups[(p["actor"], p["question"], when)].append(p)
    out = []
    for (actor, question, when), group in sorted(groups.items()):
        choices = sorted({choice(p) for p in group})
        if len(choices) > 1:
            ids = ", ".join(f"{p['id']}={choice(p)}" for p in group)
            out.append(f"{actor} on {question} at {when}: {len(choices)} different choices ({ids})")
    return out


def treaty_acts_are_official(positions: list[dict], actors: list[dict], acts: dict) -> list[str]:
    """Support of a signature/ratification option (a state's or the EU's own act) comes from the
    depositary list or from the state's own official act listed in curation/treaty_acts.json."""
    kinds = {a["id"]: a["kind"] for a in actors}
    out = []
    for p in positions:
        act = acts["acts"].get(p["question"])
        if act is None or p["option"] != act or p["stance"] != "support":
            continue
        if kinds[p["actor"]] not in ("state", "group"):
            out.append(f"{p['id']}: {p['actor']} ({kinds[p['actor']]}) cannot sign or ratify")
        elif p["source_url"] not in acts["depositary_sources"] and p["id"] not in acts["official_acts"]:
            out.append(
                f"{p['id']}: {p['option']} by {p['actor']} from {p['source_url']}, neither the depositary list "
                "nor an official act listed in curation/treaty_acts.json"
            )
    return out


def run_all(data: dict, scur: dict, acts: dict) -> list[str]:
    """Every check on the built data; ``data`` holds positions, sessions, questions, actors."""
    return (
        dated_inside_session(data["positions"], data["sessions"])
        + undated_follow_source_date(data["positions"], data["sessions"], scur)
        + provision_is_questions(data["positions"], data["questions"])
        + one_choice_per_occasion(data["positions"])
        + treaty_acts_are_official(data["positions"], data["actors"], acts)
    )

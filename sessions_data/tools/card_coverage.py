"""Data-card sections on depth and coverage (issue #11): the provisions × sessions table, member
states with and without article-level positions, actors per contested article against the
targets, signatures, what research checked (leads, passes, sessions) and what was dropped.

The counting rules live in ``explorer/analysis/coverage.py`` (the app's Coverage view uses the
same functions); it is loaded here by file path because it is standard-library only, so the
build needs nothing installed. Standard library only.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import explorer_modules

TOOLS_DIR = Path(__file__).resolve().parent
CURATION = TOOLS_DIR / "curation"
PERIOD_KINDS = ("interval", "undated")


coverage = explorer_modules.load("explorer/analysis/coverage.py")


def _table(headers: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join("" if c is None else str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _curation(name: str) -> dict:
    return json.loads((CURATION / name).read_text(encoding="utf-8"))


def facts(d: dict) -> list:
    return coverage.facts_from_records(d["positions"], d["questions"], d["provisions"], d["actors"])


def state_regions(d: dict) -> dict[str, tuple[str, str | None]]:
    return {a["id"]: (a["kind"], a["un_region"]) for a in d["actors"]}


def depth_section(d: dict) -> str:
    dep = coverage.depth(facts(d), state_regions(d))
    names = {a["id"]: a["name"] for a in d["actors"]}
    titles = {p["key"]: p["title"] for p in d["provisions"]}
    members = len(dep.states_with) + len(dep.states_without)
    state_actors = Counter()
    for f in facts(d):
        if f.provision in dep.actors_per_article and coverage.is_member_state(f.actor_kind, f.un_region):
            state_actors[(f.provision, f.actor)] = 1
    per_article_states = Counter(article for article, _ in state_actors)
    rows = [
        [f"Art {a}", titles[a], n, per_article_states[a]]
        for a, n in sorted(dep.actors_per_article.items(), key=lambda kv: (-kv[1], int(kv[0])))
    ]
    met = "met" if dep.targets_met else "not met"
    lines = [
        (
            f"- **UN member states with a position of their own on a numbered article, the title or the scope: "
            f"{len(dep.states_with)} of {members}** (target ≥ {coverage.TARGET_MEMBER_STATES}); for "
            f"{len(dep.states_only_via_group)} of them every such position comes through a joint statement or an "
            f"alignment with a group statement ({', '.join(names[s] for s in dep.states_only_via_group) or 'none'})."
        ),
        (
            f"- **Median of distinct actors over Articles {', '.join(coverage.DEPTH_ARTICLES)}: "
            f"{dep.median_actors:g}** (target ≥ {coverage.TARGET_MEDIAN_ACTORS}). Targets {met}."
        ),
        (
            "- Counted by each position's question's provision; a state counts when it is the actor itself (not a "
            "group it belongs to, not a Chair of its nationality); observer States are not member states."
        ),
        "",
        _table(["article", "title", "actors", "of which UN member states"], rows),
        "",
        f"**With** ({len(dep.states_with)}): " + ", ".join(sorted(names[s] for s in dep.states_with)) + ".",
        "",
        f"**Without** ({len(dep.states_without)}; they appear only through votes, signatures, whole-treaty or "
        "procedural positions): " + ", ".join(sorted(names[s] for s in dep.states_without)) + ".",
    ]
    return "\n".join(lines)


def coverage_matrix(d: dict) -> str:
    """Provisions × sessions; periods between and outside meetings share one column."""
    sessions = {s["key"]: s for s in d["sessions"]}
    order = [p["key"] for p in sorted(d["provisions"], key=lambda p: p["order"])]
    titles = {p["key"]: (p["kind"], p["title"]) for p in d["provisions"]}
    rows, columns, cells = coverage.matrix(facts(d), order, [s["key"] for s in d["sessions"]])
    events = [c for c in columns if sessions[c]["kind"] not in PERIOD_KINDS]
    periods = [c for c in columns if sessions[c]["kind"] in PERIOD_KINDS]
    header = (
        ["provision"] + [sessions[c]["label"] or c for c in events] + ["between / undated", "all (machine-written)"]
    )
    out = []
    for r in rows:
        line = [f"Art {r}" if titles[r][0] == "article" else r]
        for c in events:
            cell = cells.get((r, c))
            line.append(_cell(cell.positions, cell.machine_written) if cell else "")
        between = [cells[(r, c)] for c in periods if (r, c) in cells]
        line.append(_cell(sum(x.positions for x in between), sum(x.machine_written for x in between)))
        total = [cells[(r, c)] for c in columns if (r, c) in cells]
        n, m = sum(x.positions for x in total), sum(x.machine_written for x in total)
        line.append(f"{n} ({m})")
        out.append(line)
    return _table(header, out)


def _cell(n: int, m: int) -> str:
    if not n:
        return ""
    return f"{n} ({m})" if m else str(n)


SIGNATURE_ROWS = (
    ("signed at Hanoi (depositary list or official act)", "whole-signature", "sign", "support", True),
    ("signed later", "whole-signature", "sign", "support", False),
    ("reported as not having signed at Hanoi", "whole-signature", "sign", "neutral", None),
    ("calls on states to sign", "whole-signature", "urge-signature", "support", None),
    ("calls on states not to sign", "whole-signature", "urge-signature", "oppose", None),
    ("ratified (official act)", "whole-ratification", "ratify", "support", None),
    ("calls on states to ratify", "whole-ratification", "urge-ratification", "support", None),
    ("calls on states not to ratify", "whole-ratification", "urge-ratification", "oppose", None),
)


def signatures(d: dict) -> str:
    """Counts per row of SIGNATURE_ROWS; the last field, when not None, asks 'at Hanoi or not'."""
    rows = []
    for label, question, option, stance, at_hanoi in SIGNATURE_ROWS:
        n = sum(
            1
            for p in d["positions"]
            if (p["question"], p["option"], p["stance"]) == (question, option, stance)
            and (at_hanoi is None or (p["session"] == "hanoi-signing") == at_hanoi)
        )
        rows.append([label, n])
    return _table(["signature and ratification positions", "positions"], rows)


def _note_parts(d: dict, prefix: str) -> list[str]:
    """What follows ``prefix`` in each part of each position's note (parts are joined by '; ')."""
    return [
        part.removeprefix(prefix)
        for p in d["positions"]
        for part in (p["note"] or "").split("; ")
        if part.startswith(prefix)
    ]


def _kept_or_folded(d: dict) -> tuple[set[str], set[str]]:
    kept = {p["id"] for p in d["positions"]}
    return kept, {rest.split(" ")[0] for rest in _note_parts(d, "duplicate dropped: ")}


def leads_table(d: dict) -> str:
    kept, folded = _kept_or_folded(d)
    rows = []
    for lead in _curation("research_log.json")["leads"]:
        ids = lead["records"]
        if lead["lead"] == "13":
            shown = f"{sum(1 for p in d['positions'] if p['id'].startswith(('l2-', 'l3-')))} l2-/l3- positions"
        else:
            shown = ", ".join(i if i in kept else f"{i} (folded into a duplicate)" for i in ids if i in kept | folded)
        rows.append([lead["lead"], lead["url"], lead["outcome"], shown or "none"])
    return _table(["lead", "URL", "outcome", "in the data"], rows)


def passes_table(d: dict) -> str:
    per_file = Counter(rest.split(";")[0] for rest in _note_parts(d, "added by research pass "))
    rows = [[p["file"], per_file[p["file"]], p["what"]] for p in _curation("research_log.json")["passes"]]
    return _table(["file (tools/curation/additions/)", "positions kept", "what the pass did"], rows)


def sessions_table(d: dict) -> str:
    added = Counter()
    for p in d["positions"]:
        if "added by research pass " in (p["note"] or ""):
            added[p["session"]] += 1
    rows = []
    for entry in _curation("research_log.json")["sessions"]:
        n = sum(added[s] for s in entry["sessions"])
        rows.append([", ".join(entry["sessions"]), entry["searched"], entry["found"], n])
    return _table(["sessions", "searched", "found", "positions added"], rows)


def dropped_table() -> str:
    drop = _curation("corrections.json")["drop"]
    return _table(["record", "why it was dropped"], [[k, v] for k, v in sorted(drop.items())])


def open_leads() -> str:
    return "\n".join(f"- {lead}" for lead in _curation("research_log.json")["open_leads"])

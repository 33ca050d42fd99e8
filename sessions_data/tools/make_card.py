"""Render the data card ``sessions_data/README.md`` from the generated dataset files.

Every number in the card is computed here from dataset.json, sessions.json, provisions.json,
actors.json, questions.json and positions.jsonl, so the card cannot drift from the data:
``tests/test_bundled_data.py`` re-renders it and compares. Standard library only.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import card_coverage  # sibling module, stdlib only


def load(data_dir: Path) -> dict:
    def read(name):
        return json.loads((data_dir / name).read_text(encoding="utf-8"))

    positions = [
        json.loads(line)
        for line in (data_dir / "positions.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    return {
        "dataset": read("dataset.json"),
        "sessions": read("sessions.json"),
        "provisions": read("provisions.json"),
        "actors": read("actors.json"),
        "questions": read("questions.json"),
        "positions": positions,
    }


def table(headers: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join("" if c is None else str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def counted(counter: Counter, order: list | None = None) -> list[list]:
    keys = order if order is not None else sorted(counter, key=lambda k: (-counter[k], str(k)))
    return [[k, counter[k]] for k in keys if counter[k]]


def coverage(d: dict) -> str:
    pos, actors = d["positions"], {a["id"]: a for a in d["actors"]}
    used_actors = {p["actor"] for p in pos}
    multi = [q for q in d["questions"] if len({p["actor"] for p in pos if p["question"] == q["key"]}) >= 2]
    dated = sum(1 for p in pos if p["date"])
    rows = [
        ["positions", len(pos)],
        ["positions with a date", dated],
        ["positions without a date (session only)", len(pos) - dated],
        ["actors in the registry", len(actors)],
        ["actors with at least one position", len(used_actors)],
        ["questions", len(d["questions"])],
        ["questions debated by 2+ actors (all have named options)", len(multi)],
        ["options", sum(len(q["options"]) for q in d["questions"])],
        ["sessions and periods", len(d["sessions"])],
        [
            "provisions (chapters / articles / topics)",
            "{} / {} / {}".format(
                *(sum(1 for p in d["provisions"] if p["kind"] == k) for k in ("chapter", "article", "topic"))
            ),
        ],
        [
            "article titles verified / unverified",
            "{} / {}".format(
                *(
                    sum(1 for p in d["provisions"] if p["kind"] == "article" and p["title_status"] == s)
                    for s in ("verified", "unverified")
                )
            ),
        ],
        [
            "duplicates removed (listed in the kept record's note)",
            sum(len(re.findall(r"duplicate dropped: ", p["note"] or "")) for p in pos),
        ],
        [
            "positions whose stance was re-expressed relative to its option",
            sum(1 for p in pos if "stance: dossier coded" in (p["note"] or "")),
        ],
    ]
    return table(["item", "count"], rows)


def per_session(d: dict) -> str:
    c = Counter(p["session"] for p in d["positions"])
    rows = [
        [s["key"], s["name"], s["kind"], s["start"], s["end"], c[s["key"]]]
        for s in sorted(d["sessions"], key=lambda s: (s["start"] or "9999", s["end"] or "9999", s["key"]))
    ]
    return table(["session", "name", "kind", "start", "end", "positions"], rows)


def per_provision(d: dict) -> tuple[str, str]:
    """Positions per provision, counted by each position's question's provision."""
    provision_of = {q["key"]: q["provision"] for q in d["questions"]}
    c = Counter(provision_of[p["question"]] for p in d["positions"])
    titles = {p["key"]: (p["kind"], p["title"]) for p in d["provisions"]}
    order = [p["key"] for p in sorted(d["provisions"], key=lambda p: p["order"])]
    top = sorted(c, key=lambda k: (-c[k], order.index(k)))[:10]
    top_rows = [[k, titles[k][1], c[k]] for k in top]
    all_rows = [[k, titles[k][0], titles[k][1], c[k]] for k in order if c[k]]
    return (
        table(["provision", "title", "positions"], top_rows),
        table(["provision", "kind", "title", "positions"], all_rows),
    )


def per_actor_kind(d: dict) -> str:
    kinds = {a["id"]: (a["kind"], a["subkind"]) for a in d["actors"]}
    pos = Counter(kinds[p["actor"]][0] for p in d["positions"])
    reg = Counter(a["kind"] for a in d["actors"])
    active = Counter(kinds[a][0] for a in {p["actor"] for p in d["positions"]})
    order = ["state", "group", "chair", "secretariat", "stakeholder"]
    rows = [[k, reg[k], active[k], pos[k]] for k in order if reg[k]]
    sub_pos = Counter(kinds[p["actor"]][1] for p in d["positions"] if kinds[p["actor"]][0] == "stakeholder")
    sub_reg = Counter(a["subkind"] for a in d["actors"] if a["kind"] == "stakeholder")
    sub_rows = [
        [k, sub_reg[k], sub_pos[k]] for k in ["ngo", "private-sector", "academia", "igo", "un-body"] if sub_reg[k]
    ]
    return (
        table(["actor kind", "actors in registry", "actors with positions", "positions"], rows)
        + "\n\n"
        + table(["stakeholder subkind", "actors", "positions"], sub_rows)
    )


def per_field(d: dict, field: str, order: list[str]) -> str:
    c = Counter(p[field] for p in d["positions"])
    return table([field.replace("_", " "), "positions"], counted(c, order))


def top_actors(d: dict) -> str:
    names = {a["id"]: a["name"] for a in d["actors"]}
    c = Counter(p["actor"] for p in d["positions"])
    return table(
        ["actor", "positions"], [[names[k], n] for k, n in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:15]]
    )


def per_question(d: dict) -> str:
    c = Counter(p["question"] for p in d["positions"])
    actors = {q["key"]: len({p["actor"] for p in d["positions"] if p["question"] == q["key"]}) for q in d["questions"]}
    rows = [
        [
            q["key"],
            q["provision"],
            actors[q["key"]],
            c[q["key"]],
            ", ".join(o["key"] for o in q["options"]) or "(none: single actor)",
        ]
        for q in sorted(d["questions"], key=lambda q: (-c[q["key"]], q["key"]))
    ]
    return table(["question", "provision", "actors", "positions", "options"], rows)


GAPS = """\
The dossier was gathered from archived public pages of which only about the first 2,000 characters could be read,
so long reports, press releases with vote annexes and article-by-article analyses are covered only at their start.
Gaps listed in the dossier's NOTES files that this version does not close:

- **Recorded votes of 8 Aug 2024** on Iran's proposals to delete human-rights provisions: no per-state roll-call, no
  list of the provisions voted on; only one aggregator tally (23 for deletion, 102 against, 26 abstentions) without names.
- **Third Committee roll-call of 18 Nov 2019** (A/C.3/74/L.11): only about 20 named states plus the EU bloc; the full list
  is in the Third Committee report and the GA/SHC press release, not reached. Co-sponsors of 74/247 beyond the 8 original
  sponsors are taken from the Russian MFA list (47); sources disagree on the count.
- **Resolution 75/282 (May 2021)**: the two recorded votes on amendments (totals and roll-calls) were not reached.
- **74/247 roll-call** comes from the Voeten/unvotes academic dataset (confidence medium), not the UN's own voting record;
  21 states that did not vote are absent. The 2018 precursor (73/187) roll-call was not written out.
- **AHC sessions 1-5** are thin: no China, GRULAC, Japan or Mexico statements of their own from those sessions (China and
  others appear in EFF's list of AHC-2 proposals; the African Group once, at AHC-5; Brazil once, in the AHC-3 drafting
  suggestions); intersessional consultations 1, 3, 4 and 5 have no named positions; the sixth session has no
  meeting-level reports (see "Searched and found" above).
- **Concluding session (Jan-Feb 2024)**: meeting reports for 8 of about 20 meetings; the closing debate of 8-9 Feb is thin.
- **Reconvened session (Jul-Aug 2024)**: only report openings; the 4th meeting was found later; Article 16, 23, 35, 40
  and 63 speakers, the protocol debate and most adoption statements (EU, China, Egypt, India, Japan, Canada) are missing.
- **Articles with little state material**: 29-30/45-46 (shall/may), 28(4), 35, 36, 4 and the title; the 40-ratification
  compromise on Article 65 is unexplained.
- **Signatures and ratifications**: the depositary list (UN Treaty Collection) was readable from Algeria to Jamaica and its
  Dutch copy on to Türkiye; the other 8 Hanoi signatures come from reports of UNODC's final list (the UAE's from
  Azerbaijani media only, low); 64 + 8 = the depositary's count of 72. Signatures after Hanoi beyond Mauritius, and any
  deposit of ratification, were not confirmed by a depositary record; Qatar's claimed ratification (an automated news
  site) was dropped; Azerbaijan's ratification law (Feb 2026) is recorded, its deposit is not confirmed.
- **No official reasons** for non-signature by the US, Canada, Japan, India, Mexico or New Zealand; the outcome of the
  Jan 2026 CoSP-rules session was not found.
- **Dates**: many records have no date although their page may give one; dates were not filled from sessions.
- **Additions**: checked records from later research passes enter through `tools/curation/additions/*.jsonl` (one file
  per pass; how to add them: `tools/README.md`).
- **Registry**: the dossier's stakeholder `Data & Society` has neither a source nor a position and is left out;
  `European Digital Rights (EDRi)` is kept with the source of its one position.
- **Article titles**: the English wording of most article titles could not be checked against the English final text
  (A/RES/79/243 annex); they are marked `unverified`. No stored copy of the English text could be read beyond its
  preamble; what was searched is in `tools/curation/provisions.json` (`title_search_log`).
"""

RULES = """\
All rules are data in `tools/curation/*.json`; `tools/build_dataset.py` applies them and fails on any record that no rule covers.

- **Actors** (`curation/actors.json`): one id per actor. States get the UN short name (long forms with parentheses replaced
  by the common name, e.g. `Iran`) and a slug id (`russian-federation`, `turkiye`, `united-kingdom`); every spelling seen in
  the dossier is an alias (`Russia`, `Turkey`, `EU`, ...). `European Union` (Council/Commission acts) and `European Union and
  its Member States` are one actor, `eu`. Chairs and Vice-Chairs speaking as such are actors of kind `chair` with
  `speaks_for` = their state (a presiding Vice-Chair whose state the source does not name has no `speaks_for`). UNODC,
  including the Secretary of the Committee, is the `secretariat`. Groups carry `members` as given in the dossier (member
  lists the dossier marks as general knowledge are flagged in `notes`); groups found only in positions (BRICS, Pacific Islands
  Forum, the CANZ+ 2022 explanation of vote, Egypt's 2024 joint statements) list only the members their sources name.
  Stakeholders missing from the dossier registry were added with the source URL of the first position citing them.
- **Sessions** (`curation/sessions.json`; the written rule is in `tools/README.md`): a position is filed at the time the
  actor took it. Said at a meeting, vote or ceremony: that event. A document of the actor's own (letter, statement,
  post, analysis) is a position taken on its publication date, so a document published **between two events is filed
  in the interval between them** (`kind: interval`, key `after-<previous event>`), even when written for the next
  session; one published during a session but not at it is in that session's period (its note says where). A dated
  record always lies inside its session's dates (no exceptions). An undated record whose source is dated (its page, or
  a date in its URL) is filed where that date falls (`source_dates`; a known day becomes its date), unless the source
  reports an act at an earlier event (`reports_of_earlier_events`, with the reason). Other undated records keep their
  dossier session (aliases resolved; `ga-75-plenary` is resolved by date) or a per-record placement with its reason
  (an interval when the text fixes the period, else the catch-all `undated-negotiation-period`). Dates are never
  filled in from sessions.
- **Provisions** (`curation/provisions.json`): every position is filed under its **question's provision** (a dossier
  record citing another provision keeps it in the note), so counts by provision and by question agree. A range such as
  `7-11` or `29-30` is filed under its first article and kept in the note; records without a provision go to the topic
  `not-in-final-text`. Topic nodes: `title`, `preamble`, `scope`, `whole`, `resolution`, `protocol`, `cosp-rules`,
  `not-in-final-text` (each described in provisions.json). Article titles are `verified` only where an English source
  names the article's subject in those words.
- **Questions and options** (`curation/questions.json`): near-identical dossier keys are merged (e.g. `whole-need` into
  `whole-necessity`). Every question debated by two or more actors has named options and every position on it is mapped to
  exactly one option by an explicit per-record rule or the question's default; records that fit no named option use the
  generic option `general`, with the reason in the note. Votes and adoption-type decisions share the option key `adopt`
  (yes = support, no = oppose, abstain = neutral). **Signing (`sign`) and ratifying (`ratify`) are a state's own acts**:
  support comes only from the depositary list or the state's own official act (`curation/treaty_acts.json`); calls on
  other states to sign or ratify, or not to, are the options `urge-signature` / `urge-ratification`. Where the dossier coded the
  stance against the text under debate (e.g. `oppose` the broad draft scope), the stance is re-expressed relative to the
  option (`support` of `narrow`) and the original coding is kept in the note. The free text stays in `proposal`.
- **Duplicates**: one record per actor, question, option and date (the session stands in for a missing date). The
  better-sourced record is kept (UN official > government > academic > NGO > news > AI summary, then higher confidence,
  then the dedicated votes file); the dropped ids, their URLs and any different stance are listed in the kept record's note.
  This removes the second copy of the 74/247 roll-call (`es-` vs `vt-`) and repeated reports of the same statement.
- **Corrections** (`curation/corrections.json`): fixes found while building or by the audit of 2026-11-27 (issue #11),
  each with its reason in the note; records whose source cannot settle a coding are dropped, with the reason, and
  listed below. The dossier's own audit corrections are already in its records and their text is copied to the note.
- **Checks** (`tools/checks.py`, run by the build and the tests): dated positions inside their session; undated
  positions in a session that overlaps their source's date; each position's provision equal to its question's; no
  actor with two different choices on one question at the same date or meeting; signature and ratification only from
  the depositary list or the state's own official act.
- **Sources**: one title and one source kind per URL (the most common among the records citing it).
"""

CITING = """\
Each position carries `source_url`, `source_title`, `source_kind` and `confidence`. Cite the `source_url` for the fact
itself, and this dataset (see `citation` in `dataset.json`) for the coding (question, option, stance, session).
Summaries and proposals are the coders' paraphrases, not quotations. Some pages were read on mirrors or republications;
the URL given is the page actually read unless a note says otherwise.

**`ai-meeting-summary` sources are machine-written**: the Digital Watch (DiploAI) meeting reports carry their own
disclaimer that they are automatically generated and not an official record, and the Otter.ai pages are automatic
transcripts. Their confidence is at most `medium`; show them as such and prefer an official record when one exists.
`confidence`: `high` = explicitly attributed in an official or first-party source; `medium` = explicit in a secondary
source; `low` = implicit or inferred (e.g. "delegations including X").
"""


def render_card(data_dir: Path) -> str:
    d = load(Path(data_dir))
    ds = d["dataset"]
    top_prov, all_prov = per_provision(d)
    parts = [
        f"# {ds['title']}",
        "",
        (
            f"Bundled dataset `{ds['name']}` of Negotiation Explorer, **version {ds['version']}, {ds['date']}**. "
            "Generated by `tools/build_dataset.py` from the project's research dossier (`../shared/research/`) and the curation "
            "rules in `tools/curation/`; this card is generated by `tools/make_card.py` and checked against the data by "
            "`tests/test_bundled_data.py`. Do not edit the generated files by hand: change a curation file and rebuild "
            "(`python sessions_data/tools/build_dataset.py`)."
        ),
        "",
        ds["description"],
        "",
        f"License: {ds['license']}",
        "",
        (
            "Files: `dataset.json`, `sessions.json`, `provisions.json`, `actors.json`, `questions.json`, `positions.jsonl` "
            "(format: `docs/FORMAT.md`)."
        ),
        "",
        "## Coverage",
        "",
        coverage(d),
        "",
        "### Positions per session or period",
        "",
        per_session(d),
        "",
        "### Positions per provision: top 10",
        "",
        top_prov,
        "",
        "### Positions per provision: all provisions with positions",
        "",
        all_prov,
        "",
        "### Actors and positions per actor kind",
        "",
        per_actor_kind(d),
        "",
        "### Most active actors",
        "",
        top_actors(d),
        "",
        "### Positions per source kind",
        "",
        per_field(
            d,
            "source_kind",
            ["un-official", "government", "academic", "ngo-analysis", "news", "ai-meeting-summary", "other"],
        ),
        "",
        "### Positions per confidence",
        "",
        per_field(d, "confidence", ["high", "medium", "low"]),
        "",
        "### Positions per stance",
        "",
        per_field(d, "stance", ["support", "oppose", "amend", "reserve", "neutral"]),
        "",
        "### Questions and their options",
        "",
        per_question(d),
        "",
        "## Depth and coverage",
        "",
        (
            "Where the record is thin (issue #11). The app's Coverage view counts the same way "
            "(`explorer/analysis/coverage.py`)."
        ),
        "",
        "### Depth targets",
        "",
        card_coverage.depth_section(d),
        "",
        "### Positions per provision and session",
        "",
        (
            "Positions per provision (rows, by each position's question) and session (columns); in brackets how many "
            "of them come from machine-written meeting summaries (`ai-meeting-summary`). Periods between or outside "
            "meetings share one column."
        ),
        "",
        card_coverage.coverage_matrix(d),
        "",
        "### Signatures and ratifications",
        "",
        card_coverage.signatures(d),
        "",
        "## Research passes and leads checked",
        "",
        "Checked records from later research passes enter through `tools/curation/additions/` (how: `tools/README.md`).",
        "",
        card_coverage.passes_table(d),
        "",
        "### Leads checked (issue #11)",
        "",
        card_coverage.leads_table(d),
        "",
        "### Searched and found, session by session",
        "",
        card_coverage.sessions_table(d),
        "",
        "### Leads seen but not followed",
        "",
        card_coverage.open_leads(),
        "",
        "### Records dropped after checking their source",
        "",
        card_coverage.dropped_table(),
        "",
        "## Known gaps",
        "",
        GAPS,
        "## Rules used to build the data",
        "",
        RULES,
        "## Sources and how to cite them",
        "",
        CITING,
    ]
    return "\n".join(parts).rstrip() + "\n"


if __name__ == "__main__":
    import sys

    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent
    sys.stdout.write(render_card(target))

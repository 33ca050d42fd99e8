#!/usr/bin/env python3
"""Build the bundled dataset ``sessions_data/`` from the research dossier.

Reads the dossier (``../shared/research`` relative to the repository root, or ``--research DIR``)
and the hand-curated rules in ``sessions_data/tools/curation/``, and writes the files defined in
``docs/FORMAT.md``: dataset.json, sessions.json, provisions.json, actors.json, questions.json,
positions.jsonl, plus the data card README.md (rendered by ``make_card.py`` from those files).

Python 3.11, standard library only. The output is deterministic: the same inputs give
byte-identical files (sorted registries, stable ids, no timestamps).

Every rule lives in a curation file so it can be reviewed without reading code; the code only
applies them and stops with an error when a record escapes every rule (unknown actor, session,
provision), so nothing is silently dropped or guessed.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

TOOLS_DIR = Path(__file__).resolve().parent
DATA_DIR = TOOLS_DIR.parent
REPO_ROOT = DATA_DIR.parent
CURATION_DIR = TOOLS_DIR / "curation"
# The dossier sits in ``shared/research`` beside the repository (or beside a folder of worktrees).
DEFAULT_RESEARCH = next(
    (d / "shared" / "research" for d in REPO_ROOT.parents if (d / "shared" / "research" / "actors.json").exists()),
    REPO_ROOT.parent / "shared" / "research",
)

sys.path.insert(0, str(TOOLS_DIR))
import additions  # noqa: E402  (sibling modules, stdlib only)
import checks  # noqa: E402
import explorer_modules  # noqa: E402
import make_card  # noqa: E402
from actors import Actors, build_actors, sorted_actors  # noqa: E402
from placement import BuildError, build_sessions, fill_source_dates, place_session  # noqa: E402
from provisions import build_provisions, place_provision  # noqa: E402

LABEL_RULES = explorer_modules.load("explorer/labels.py")  # the app's short-label rule

STANCES = ("support", "oppose", "amend", "reserve", "neutral")
# Better-sourced first: used to choose which of two duplicate records to keep.
SOURCE_RANK = {
    "un-official": 0,
    "government": 1,
    "academic": 2,
    "ngo-analysis": 3,
    "news": 4,
    "ai-meeting-summary": 5,
    "other": 6,
}
CONFIDENCE_RANK = {"high": 0, "medium": 1, "low": 2}
# Tie-break between files: the dedicated votes file first (it is the curated roll-call record).
FILE_RANK = {"vt": 0, "ga": 1, "gs": 2, "rc": 3, "cs": 4, "es": 5, "sh": 6, "nx": 7}
POSITION_FIELDS = (
    "id",
    "actor",
    "actor_kind",
    "on_behalf_of",
    "question",
    "option",
    "stance",
    "provision",
    "paragraph",
    "session",
    "meeting",
    "date",
    "proposal",
    "summary",
    "source_url",
    "source_title",
    "source_kind",
    "confidence",
    "note",
)


# ----------------------------------------------------------------------------- small helpers


def id_key(rec_id: str) -> tuple:
    """Natural sort key for dossier ids such as 'es-12' < 'es-101'."""
    prefix, _, num = rec_id.partition("-")
    return (prefix, int(num) if num.isdigit() else 0, rec_id)


def load_json(path: Path):
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


# ----------------------------------------------------------------------------- inputs

# The dossier files the dataset is built from. A later research pass (e.g. positions-leads-*.jsonl)
# is not read until each of its records was checked against its source: checked records enter
# through curation/additions/*.jsonl, so an unchecked file in the dossier never changes the build.
DOSSIER_FILES = (
    "positions-2019-2023.jsonl",
    "positions-2023-2024.jsonl",
    "positions-gaps-articles.jsonl",
    "positions-gaps-sessions.jsonl",
    "positions-reconvened.jsonl",
    "positions-stakeholders.jsonl",
    "positions-votes.jsonl",
)


def load_dossier(research: Path) -> dict:
    """Read the dossier files as they are; records keep their file for provenance."""
    records = []
    for path in (research / name for name in DOSSIER_FILES):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rec = json.loads(line)
                rec["_file"] = path.name
                records.append(rec)
    return {
        "sessions": load_json(research / "sessions.json"),
        "provisions": load_json(research / "provisions.json"),
        "actors": load_json(research / "actors.json"),
        "records": sorted(records, key=lambda r: id_key(r["id"])),
    }


def load_curation(curation: Path) -> dict:
    names = (
        "dataset",
        "actors",
        "sessions",
        "provisions",
        "questions",
        "question_labels",
        "corrections",
        "treaty_acts",
    )
    cur = {name: load_json(curation / f"{name}.json") for name in names}
    for entry in cur["sessions"]["source_dates"].values():
        if "date" in entry:
            entry["from"] = entry["to"] = entry["date"]
    try:
        cur["additions"] = additions.read_additions(curation / "additions")
    except additions.AdditionError as exc:
        raise BuildError(f"curation/additions/{exc}") from None
    return cur


# ----------------------------------------------------------------------------- corrections, options


def apply_corrections(records: list[dict], ccur: dict) -> None:
    """Fix dossier errors before mapping; each fix leaves a note on the record."""
    for rec in records:
        rec.setdefault("_notes", [])
        for rule in ccur["by_match"]:
            if all(rec.get(k) == v for k, v in rule["match"].items()):
                changed = {k: v for k, v in rule["set"].items() if rec.get(k) != v}
                if changed:
                    rec["_notes"].append(
                        "correction: "
                        + ", ".join(f"{k} {rec.get(k)!r}->{v!r}" for k, v in changed.items())
                        + f" ({rule['why']})"
                    )
                    rec.update(changed)
        fix = ccur["by_id"].get(rec["id"])
        if fix and fix.get("set"):
            rec["_notes"].append(
                "correction: "
                + ", ".join(f"{k} {rec.get(k)!r}->{v!r}" for k, v in fix["set"].items())
                + f" ({fix['why']})"
            )
            rec.update(fix["set"])
        elif fix:
            rec["_notes"].append(f"checked: {fix['why']}")
    known = {r["id"] for r in records}
    missing = (set(ccur["by_id"]) | set(ccur["drop"])) - known
    if missing:
        raise BuildError(f"corrections for unknown ids {sorted(missing)}")


def option_rules(qcur: dict) -> dict:
    """question key -> {record id: (option, stance or None, why)} plus its default."""
    table = {}
    for qkey, q in qcur["questions"].items():
        by_id = {}
        for rule in q.get("rules", []):
            for rid in rule["ids"]:
                by_id.setdefault(rid, (rule["option"], rule.get("stance"), rule.get("why")))
        default = q.get("default")
        if isinstance(default, str):
            default = {"option": default}
        table[qkey] = (by_id, default, {key for key, _ in q.get("options", [])})
    return table


def map_option(rec: dict, qkey: str, multi_actor: bool, rules: dict, generic: str, notes: list[str]):
    """One option per record, with its stance re-expressed relative to that option if a rule says so.
    Order: a per-record rule in questions.json, then the record's own ``option`` (additions), then
    the question's default, then the generic option."""
    stance = rec["stance"]
    own = rec.get("option")
    if qkey not in rules:
        if own:
            raise BuildError(
                f"{rec.get('_where', rec['id'])}: field option: question {qkey!r} has no options in "
                "curation/questions.json; add the question with its options first"
            )
        if multi_actor:
            notes.append("option: no named options for this question yet; generic option")
            return generic, stance
        return None, stance
    by_id, default, keys = rules[qkey]
    if own and own not in keys and own != generic:
        raise BuildError(
            f"{rec.get('_where', rec['id'])}: field option: {own!r} is not an option of {qkey!r} "
            f"({', '.join(sorted(keys))}, or {generic!r})"
        )
    if rec["id"] in by_id:
        option, new_stance, why = by_id[rec["id"]]
    elif own:
        option, new_stance, why = own, None, None
    elif default:
        option, new_stance, why = default["option"], default.get("stance"), default.get("why")
    else:
        notes.append("option: not mapped to a named option; generic option")
        return generic, stance
    if option == generic and why:
        notes.append(f"option: generic ({why})")
    if new_stance and new_stance != stance:
        notes.append(
            f"stance: dossier coded {stance!r} on the proposal; {new_stance!r} relative to option "
            f"{option!r}" + (f" ({why})" if why else "")
        )
        stance = new_stance
    return option, stance


# ----------------------------------------------------------------------------- positions


def build_positions(
    dossier: dict, cur: dict, reg: Actors, sessions: list[dict], prov_keys: set
) -> tuple[list[dict], dict]:
    """Resolve every record to registry ids, place it, map its option, then drop duplicates."""
    records = [dict(r) for r in dossier["records"]] + [dict(r) for r in cur["additions"]]
    ids = Counter(r["id"] for r in records)
    clashes = sorted(i for i, n in ids.items() if n > 1)
    if clashes:
        raise BuildError(f"record ids used twice (dossier and additions): {clashes}")
    apply_corrections(records, cur["corrections"])
    all_ids = {r["id"] for r in records}
    records = [r for r in records if r["id"] not in cur["corrections"]["drop"]]
    fill_source_dates(records, cur["sessions"])
    qcur = cur["questions"]
    merges = qcur["question_merges"]
    for rec in records:
        if rec["question_key"] in merges:
            rec["_notes"].append(
                f"question: dossier key {rec['question_key']!r} merged into {merges[rec['question_key']]!r}"
            )
            rec["question_key"] = merges[rec["question_key"]]
    actors_per_q = defaultdict(set)
    for rec in records:
        actors_per_q[rec["question_key"]].add(resolve_actor(reg, rec["actor"], rec["id"]))
    rules = option_rules(qcur)
    generic = qcur["generic_option"][0]
    positions = []
    for rec in records:
        notes = list(rec["_notes"])
        qkey = rec["question_key"]
        option, stance = map_option(rec, qkey, len(actors_per_q[qkey]) >= 2, rules, generic, notes)
        pos = make_position(rec, reg, sessions, prov_keys, cur, option, stance, notes)
        pos["_question_text"] = rec["question"]
        positions.append(pos)
    check_rule_ids(rules, all_ids)
    align_provisions(positions, qcur)
    return dedupe(positions, sessions), actors_per_q


def question_provisions(positions: list[dict], qcur: dict) -> dict[str, str]:
    """Each question's provision: curated in questions.json, else the most common among its records."""
    counts = defaultdict(Counter)
    for pos in positions:
        counts[pos["question"]][pos["provision"]] += 1
    return {
        qkey: qcur["questions"].get(qkey, {}).get("provision") or min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        for qkey, c in counts.items()
    }


def align_provisions(positions: list[dict], qcur: dict) -> None:
    """A position's provision is its question's (counts by provision then agree with the questions);
    a dossier record citing another provision keeps it in the note, an added record must match."""
    provision_of = question_provisions(positions, qcur)
    for pos in positions:
        want = provision_of[pos["question"]]
        if pos["provision"] == want:
            continue
        if pos["_file"].startswith("additions/"):
            raise BuildError(
                f"{pos['_where']}: field provision: {pos['provision']!r}, but question {pos['question']!r} "
                f"is filed under provision {want!r}"
            )
        pos["_notes"].append(f"provision: dossier had {pos['provision']!r}; filed under its question's provision")
        pos["provision"] = want


def resolve_actor(reg: Actors, label: str, rec_id: str) -> str:
    actor = reg.find(label)
    if actor is None:
        raise BuildError(f"{rec_id}: unknown actor {label!r}; add it to curation/actors.json")
    return actor


def make_position(rec, reg, sessions, prov_keys, cur, option, stance, notes) -> dict:
    actor = resolve_actor(reg, rec["actor"], rec["id"])
    behalf = None
    if rec.get("on_behalf_of"):
        behalf = resolve_actor(reg, rec["on_behalf_of"], rec["id"])
        if behalf == actor:
            behalf = None
        elif reg.by_id[behalf]["name"] != rec["on_behalf_of"]:
            notes.append(f"on behalf of: source wording {rec['on_behalf_of']!r}")
    session = place_session(rec, sessions, cur["sessions"], notes)
    provision = place_provision(rec, prov_keys, cur["provisions"], notes)
    if rec.get("draft_article"):
        notes.append(f"draft article {rec['draft_article']} as cited by the source")
    if rec.get("audit"):
        notes.append(f"audit: {rec['audit']}")
    if rec["_file"].startswith("additions/"):
        when = f" on {rec['checked']}" if rec.get("checked") else ""
        outcome = f" ({rec['check']})" if rec.get("check") and rec["check"] != "accepted" else ""
        notes.append(
            f"added by research pass {rec['_file'].removeprefix('additions/')}; checked{when}{outcome}: {rec['note']}"
        )
    if stance not in STANCES:
        raise BuildError(f"{rec['id']}: bad stance {stance!r}")
    return {
        "id": rec["id"],
        "actor": actor,
        "actor_kind": reg.by_id[actor]["kind"],
        "on_behalf_of": behalf,
        "question": rec["question_key"],
        "option": option,
        "stance": stance,
        "provision": provision,
        "paragraph": rec.get("paragraph"),
        "session": session,
        "meeting": rec.get("meeting"),
        "date": rec.get("date"),
        "proposal": rec.get("proposal"),
        "summary": rec.get("summary"),
        "source_url": rec["source_url"],
        "source_title": rec.get("source_title"),
        "source_kind": rec.get("source_kind"),
        "confidence": rec.get("confidence") or "medium",
        "note": None,
        "_notes": notes,
        "_file": rec["_file"],
        "_where": rec.get("_where", rec["id"]),
    }


def check_rule_ids(rules: dict, known: set) -> None:
    stale = sorted(rid for by_id, _, _ in rules.values() for rid in by_id if rid not in known)
    if stale:
        raise BuildError(f"option rules name unknown record ids: {stale}")


def dup_key(pos: dict) -> tuple:
    """One record per actor, question, option and date (the session stands in for a missing date)."""
    return (pos["actor"], pos["question"], pos["option"], pos["date"] or f"session:{pos['session']}")


def quality(pos: dict) -> tuple:
    return (
        SOURCE_RANK.get(pos["source_kind"], 9),
        CONFIDENCE_RANK[pos["confidence"]],
        FILE_RANK.get(pos["id"].split("-")[0], 9),
        id_key(pos["id"]),
    )


def dedupe(positions: list[dict], sessions: list[dict]) -> list[dict]:
    """Keep the better-sourced record of each duplicate group; the kept one lists the others."""
    groups = defaultdict(list)
    for pos in positions:
        groups[dup_key(pos)].append(pos)
    kept = []
    for group in groups.values():
        group.sort(key=quality)
        best = group[0]
        for other in group[1:]:
            text = f"duplicate dropped: {other['id']} ({other['source_url']})"
            if other["stance"] != best["stance"]:
                text += f", which coded the stance {other['stance']!r}"
            best["_notes"].append(text)
        best["_dropped"] = [o["id"] for o in group[1:]]
        kept.append(best)
    kept = merge_undated_copies(kept)
    start = {s["key"]: s["start"] or "9999" for s in sessions}
    kept.sort(key=lambda p: (p["date"] or start[p["session"]], id_key(p["id"])))
    return kept


def merge_undated_copies(kept: list[dict]) -> list[dict]:
    """An undated record that repeats a dated one from the same page (same actor, question,
    option and session) is the same fact read twice: drop it into the dated one."""
    dated = {}
    for pos in kept:
        if pos["date"]:
            dated.setdefault((pos["actor"], pos["question"], pos["option"], pos["session"], pos["source_url"]), pos)
    out = []
    for pos in kept:
        twin = (
            None
            if pos["date"]
            else dated.get((pos["actor"], pos["question"], pos["option"], pos["session"], pos["source_url"]))
        )
        if twin is None:
            out.append(pos)
            continue
        text = f"duplicate dropped: {pos['id']} ({pos['source_url']}, undated copy of this record)"
        if pos["stance"] != twin["stance"]:
            text += f", which coded the stance {pos['stance']!r}"
        twin["_notes"].append(text)
        twin.setdefault("_dropped", []).append(pos["id"])
        out_notes = [n for n in pos["_notes"] if n.startswith("duplicate dropped:")]
        twin["_notes"].extend(out_notes)
        twin["_dropped"].extend(pos.get("_dropped", []))
    return out


def normalise_sources(positions: list[dict]) -> int:
    """One title and kind per source URL (the app stores sources by URL): the most common wins."""
    titles, kinds = defaultdict(Counter), defaultdict(Counter)
    for pos in positions:
        titles[pos["source_url"]][pos["source_title"]] += 1
        kinds[pos["source_url"]][pos["source_kind"]] += 1
    changed = 0
    for pos in positions:
        url = pos["source_url"]
        title = sorted(titles[url].items(), key=lambda kv: (-kv[1], str(kv[0])))[0][0]
        kind = sorted(kinds[url].items(), key=lambda kv: (-kv[1], str(kv[0])))[0][0]
        if kind != pos["source_kind"]:
            pos["_notes"].append(f"source kind: {pos['source_kind']!r} -> {kind!r} (same URL as other records)")
            pos["source_kind"] = kind
            changed += 1
        pos["source_title"] = title
    return changed


# ----------------------------------------------------------------------------- registries from data


def build_questions(positions: list[dict], qcur: dict, actors_per_q: dict, labels: dict | None = None) -> list[dict]:
    """Every question used, with its short label (curated in question_labels.json, else the app's
    derived label) and its curated options (plus the generic option when used)."""
    labels = labels or {}
    gkey, glabel = qcur["generic_option"]
    used = defaultdict(set)
    texts = defaultdict(Counter)
    provision_of = question_provisions(positions, qcur)
    for pos in positions:
        used[pos["question"]].add(pos["option"])
        texts[pos["question"]][pos["_question_text"]] += 1
    out = []
    for qkey in sorted(used):
        cq = qcur["questions"].get(qkey, {})
        options = [{"key": k, "label": v} for k, v in cq.get("options", [])]
        if gkey in used[qkey]:
            options.append({"key": gkey, "label": glabel})
        text = cq.get("text") or sorted(texts[qkey].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        label = labels.get(qkey) or LABEL_RULES.question_label(qkey, text)
        out.append({"key": qkey, "provision": provision_of[qkey], "text": text, "label": label, "options": options})
    unknown = sorted(set(labels) - set(used))
    if unknown:
        raise BuildError(f"curation/question_labels.json labels questions the dataset does not have: {unknown}")
    too_long = sorted(k for k, v in labels.items() if len(v) > LABEL_RULES.QUESTION_LABEL_CHARS)
    if too_long:
        raise BuildError(f"curation/question_labels.json: labels longer than the app shows: {too_long}")
    shared = sorted(label for label, n in Counter(q["label"] for q in out).items() if n > 1)
    if shared:
        raise BuildError(f"two questions share a short label (curation/question_labels.json): {shared}")
    return out


def attach_meetings(sessions: list[dict], positions: list[dict]) -> None:
    """Meetings per session from the positions' meeting labels (date kept when all records agree)."""
    dates = defaultdict(set)
    for pos in positions:
        if pos["meeting"]:
            dates[(pos["session"], pos["meeting"])].add(pos["date"])
    for s in sessions:
        labels = sorted(label for (key, label) in dates if key == s["key"])
        s["meetings"] = [
            {
                "label": label,
                "date": next(iter(dates[(s["key"], label)])) if len(dates[(s["key"], label)]) == 1 else None,
            }
            for label in labels
        ]


def finish_positions(positions: list[dict]) -> list[dict]:
    out = []
    for pos in positions:
        pos["note"] = "; ".join(pos["_notes"]) or None
        out.append({k: pos[k] for k in POSITION_FIELDS})
    return out


# ----------------------------------------------------------------------------- output


def write_json(path: Path, obj) -> None:
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def build(research: Path, out_dir: Path, curation: Path = CURATION_DIR) -> dict:
    """Run the whole build into out_dir and return a small report."""
    dossier = load_dossier(research)
    cur = load_curation(curation)
    reg = build_actors(dossier, cur)
    sessions = build_sessions(dossier, cur["sessions"])
    provisions = build_provisions(dossier, cur["provisions"])
    positions, actors_per_q = build_positions(dossier, cur, reg, sessions, {p["key"] for p in provisions})
    kinds_changed = normalise_sources(positions)
    questions = build_questions(positions, cur["questions"], actors_per_q, cur["question_labels"]["labels"])
    used_sessions = {p["session"] for p in positions}
    sessions = [s for s in sessions if s["kind"] != "interval" or s["key"] in used_sessions]
    attach_meetings(sessions, positions)
    dropped = sum(len(p.get("_dropped", [])) for p in positions)
    final = finish_positions(positions)
    actors = sorted_actors(reg)
    built = {"positions": final, "sessions": sessions, "questions": questions, "actors": actors}
    problems = checks.run_all(built, cur["sessions"], cur["treaty_acts"])
    if problems:
        raise BuildError(f"{len(problems)} check(s) failed:\n  " + "\n  ".join(problems))
    out_dir.mkdir(parents=True, exist_ok=True)
    write_json(out_dir / "dataset.json", cur["dataset"])
    write_json(out_dir / "sessions.json", sessions)
    write_json(out_dir / "provisions.json", provisions)
    write_json(out_dir / "actors.json", actors)
    write_json(out_dir / "questions.json", questions)
    with (out_dir / "positions.jsonl").open("w", encoding="utf-8") as fh:
        for pos in final:
            fh.write(json.dumps(pos, ensure_ascii=False) + "\n")
    (out_dir / "README.md").write_text(make_card.render_card(out_dir), encoding="utf-8")
    return {
        "records_read": len(dossier["records"]) + len(cur["additions"]),
        "positions": len(final),
        "duplicates_dropped": dropped,
        "source_kinds_normalised": kinds_changed,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--research",
        type=Path,
        default=DEFAULT_RESEARCH,
        help="the research dossier (default: ../shared/research from the repo root)",
    )
    parser.add_argument("--out", type=Path, default=DATA_DIR, help="output folder (default: sessions_data/)")
    args = parser.parse_args(argv)
    if not (args.research / "actors.json").exists():
        print(f"error: no dossier at {args.research}", file=sys.stderr)
        return 2
    try:
        info = build(args.research, args.out)
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(info))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

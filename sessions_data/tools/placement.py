"""Sessions and periods, and where each record goes in time (the written rule in tools/README.md).

Dossier events plus synthetic intervals between them, so every date falls in exactly one event or
interval; a catch-all period for undated records. Standard library only.
"""

from __future__ import annotations

import datetime as dt

from checks import curated


class BuildError(Exception):
    """A record escaped every curation rule; fix the curation files rather than guess."""


def shift(iso: str, days: int) -> str:
    return (dt.date.fromisoformat(iso) + dt.timedelta(days=days)).isoformat()


def build_sessions(dossier: dict, scur: dict) -> list[dict]:
    """Dossier events, plus synthetic 'interval' events covering every gap between dated events,
    plus one catch-all event for undated records. Intervals make every dated record fall inside
    its session's dates (see the data card, 'Rules')."""
    out = []
    for s in dossier["sessions"]:
        notes = [s.get("notes") or ""]
        for doc in s["documents"]:
            if doc.get("unsourced"):
                notes.append(f"Document symbol {doc['symbol']} is not confirmed by a source (dossier flag).")
        if s["start"] is None:
            notes.append("No date found in the dossier; not placed on the timeline.")
        out.append(
            {
                "key": s["key"],
                "name": s["name"],
                "label": scur["label"][s["key"]],
                "kind": s["kind"],
                "start": s["start"],
                "end": s["end"],
                "venue": s["venue"],
                "chair": s["chair"],
                "documents": [{"symbol": d["symbol"], "title": d["title"]} for d in s["documents"]],
                "source_urls": list(s["source_urls"]),
                "aliases": [a for a in s["aliases"] if a not in scur["ambiguous_aliases"]],
                "meetings": [],
                "notes": " ".join(n for n in notes if n),
            }
        )
    dated = sorted((s for s in out if s["start"]), key=lambda s: (s["start"], s["end"], s["key"]))
    intervals = []
    for prev, nxt in zip(dated, [*dated[1:], None], strict=True):
        start = shift(prev["end"], 1)
        end = shift(nxt["start"], -1) if nxt else scur["interval_end"]
        if start > end:
            continue
        label = (
            f"Between the {scur['short'][prev['key']]} and the {scur['short'][nxt['key']]}"
            if nxt
            else f"After the {scur['short'][prev['key']]}"
        )
        intervals.append(
            {
                "key": f"after-{prev['key']}",
                "name": label,
                "label": f"after {scur['label'][prev['key']]}",
                "kind": "interval",
                "start": start,
                "end": end,
                "venue": None,
                "chair": None,
                "documents": [],
                "source_urls": [],
                "aliases": [],
                "meetings": [],
                "notes": "Synthetic period, not a meeting: holds statements, letters and analyses dated between two "
                "events (rule 'intervals' in the data card).",
            }
        )
    u = scur["undated_event"]
    undated = {
        "key": u["key"],
        "name": u["name"],
        "label": u["label"],
        "kind": u["kind"],
        "start": u["start"],
        "end": u["end"],
        "venue": None,
        "chair": None,
        "documents": [],
        "source_urls": [],
        "aliases": [],
        "meetings": [],
        "notes": u["notes"],
    }
    return out + intervals + [undated]


def session_index(sessions: list[dict]) -> tuple[dict, dict]:
    by_key = {s["key"]: s for s in sessions}
    alias = {a: s["key"] for s in sessions for a in s["aliases"]}
    return by_key, alias


def contains(session: dict, date: str) -> bool:
    return bool(session["start"]) and session["start"] <= date <= session["end"]


def place_session(rec: dict, sessions: list[dict], scur: dict, notes: list[str]) -> str:
    """The written placement rule (tools/README.md): a dated record goes where its date falls (its
    dossier session when the date fits it, else the event or interval containing the date); an
    undated record whose source's publication period is curated goes where that whole period falls;
    other undated records keep their dossier session, or a curated placement."""
    by_key, alias = session_index(sessions)
    raw, date = rec.get("session"), rec.get("date")
    if raw in alias:
        raw = alias[raw]
    if raw in scur["ambiguous_aliases"]:
        hits = [s["key"] for s in sessions if date and contains(s, date) and s["kind"] != "interval"]
        raw = hits[0] if len(hits) == 1 else None
    if date:
        if raw in by_key and contains(by_key[raw], date):
            return raw
        key = period_holding(sessions, date, date, rec["id"])
        notes.append(f"session: dossier had {rec.get('session')!r}; placed by date in {key}")
        return key
    published = curated(scur["source_dates"], rec["source_url"])
    if published and not curated(scur["reports_of_earlier_events"], rec["source_url"]):
        key = period_holding(sessions, published["from"], published["to"], rec["id"])
        if key != raw:
            notes.append(
                f"session: dossier had {rec.get('session')!r}; the source was published "
                f"{published['from']}..{published['to']} ({published['why']}), so it is filed in {key}"
            )
        return key
    if raw in by_key:
        return raw
    if rec["id"] in scur["placements"]:
        key, why = scur["placements"][rec["id"]]
        notes.append(f"session: dossier had {rec.get('session')!r} and no date; placed in {key} ({why})")
        return key
    raise BuildError(f"{rec['id']}: no date and no usable session ({raw!r}); add a placement")


def period_holding(sessions: list[dict], first: str, last: str, rec_id: str) -> str:
    """The one event or interval whose dates hold first..last (a real event beats an interval)."""
    hits = [s for s in sessions if s["kind"] != "undated" and s["start"] and s["start"] <= first and last <= s["end"]]
    hits.sort(key=lambda s: s["kind"] == "interval")
    if not hits:
        raise BuildError(f"{rec_id}: no single session or interval holds {first}..{last}")
    return hits[0]["key"]


def fill_source_dates(records: list[dict], scur: dict) -> None:
    """Undated records take their source's own day when curation/sessions.json knows it (rule 4:
    the document is the position); a month or range only places them (place_session)."""
    for rec in records:
        published = curated(scur["source_dates"], rec["source_url"])
        if rec.get("date") or not published or published["from"] != published["to"]:
            continue
        if curated(scur["reports_of_earlier_events"], rec["source_url"]):
            continue
        rec["date"] = published["from"]
        rec["_notes"].append(f"date: the source's own date ({published['why']})")

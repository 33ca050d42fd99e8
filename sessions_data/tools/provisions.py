"""Provisions of the bundled dataset: 9 chapters, 68 articles and the topic nodes, and where a
record's provision goes (ranges under their first article). Standard library only."""

from __future__ import annotations

import re

from placement import BuildError

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"]


def build_provisions(dossier: dict, pcur: dict) -> list[dict]:
    """9 chapters, 68 articles and the topic nodes, in reading order."""
    prov = dossier["provisions"]
    out, order = [], 0
    status = pcur["chapter_status"]
    for ch in prov["chapters"]:
        order += 1
        verified = ch["number"] in status["verified"]
        out.append(
            {
                "key": f"chapter-{ROMAN.index(ch['number']) + 1}",
                "kind": "chapter",
                "parent": None,
                "number": ch["number"],
                "title": ch["title"],
                "title_status": "verified" if verified else "unverified",
                "sources": [status["source"]],
                "order": order,
                "notes": "" if verified else status["unverified"].get(ch["number"], ""),
            }
        )
        for num in ch["articles"]:
            art = next(a for a in prov["articles"] if a["number"] == num)
            order += 1
            out.append(article_node(art, f"chapter-{ROMAN.index(ch['number']) + 1}", order, pcur))
    for key, title, why in pcur["topics"]:
        order += 1
        out.append(
            {
                "key": key,
                "kind": "topic",
                "parent": None,
                "number": None,
                "title": title,
                "title_status": None,
                "sources": [],
                "order": order,
                "notes": why,
            }
        )
    return out


def article_node(art: dict, parent: str, order: int, pcur: dict) -> dict:
    """One article; a title check sets its status and may add the source it was checked in."""
    check = pcur["title_checks"].get(art["number"])
    status = check["status"] if check else "unverified"
    notes = [art.get("notes", "")]
    if check:
        notes.append(f"Title check: {check['why']}")
    elif not art.get("unsourced"):
        notes.append("English wording of the title not seen in an English source.")
    if art.get("draft_numbers"):
        notes.append(
            "Draft numbers: " + ", ".join(f"{k} art. {v}" for k, v in sorted(art["draft_numbers"].items())) + "."
        )
    return {
        "key": art["number"],
        "kind": "article",
        "parent": parent,
        "number": art["number"],
        "title": art["title"],
        "title_status": status,
        "sources": list(art.get("source_urls", []))
        + [u for u in (check or {}).get("sources", []) if u not in art.get("source_urls", [])],
        "order": order,
        "notes": " ".join(n for n in notes if n),
    }


def place_provision(rec: dict, keys: set, pcur: dict, notes: list[str]) -> str:
    prov = rec.get("provision")
    if prov is None:
        notes.append(f"provision: none in the dossier; filed under topic {pcur['null_provision']['topic']}")
        return pcur["null_provision"]["topic"]
    if re.fullmatch(r"\d+-\d+", prov):
        first = prov.split("-")[0]
        notes.append(f"provision: articles {prov} (filed under the first article, {first})")
        prov = first
    if prov not in keys:
        raise BuildError(f"{rec['id']}: unknown provision {prov!r}")
    return prov

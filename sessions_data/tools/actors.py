"""The actor registry of the bundled dataset: states, groups, stakeholders and Chairs, each with one
id, its aliases and its sources, built from the dossier's actors.json and curation/actors.json.
Names and aliases are matched with the app's one name rule (explorer/names.py). Standard library only.
"""

from __future__ import annotations

import json
import re
import unicodedata

import explorer_modules
from placement import BuildError

REGION_MAP = {
    "African": "African",
    "Asia-Pacific": "Asia-Pacific",
    "Eastern European": "Eastern European",
    "Latin American and Caribbean": "GRULAC",
    "Western European and Others": "WEOG",
}


def slugify(text: str) -> str:
    """Lower-case ASCII slug: 'Côte d'Ivoire' -> 'cote-divoire'."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = text.replace("'", "").replace("’", "").lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


# The app's one name rule (case-, accent- and space-insensitive): the build matches names and
# aliases exactly as the importer and the filters will.
norm = explorer_modules.load("explorer/names.py").normalize_name


def unique(items):
    """Keep the first occurrence of each item (order-preserving, None dropped)."""
    seen, out = set(), []
    for item in items:
        if item is None or item in seen:
            continue
        seen.add(item)
        out.append(item)
    return out


class Actors:
    """The actor registry plus one case-insensitive index over ids, names and aliases."""

    def __init__(self) -> None:
        self.by_id: dict[str, dict] = {}
        self.index: dict[str, str] = {}

    def add(self, actor: dict) -> None:
        if actor["id"] in self.by_id:
            raise BuildError(f"duplicate actor id {actor['id']}")
        actor["aliases"] = [a for a in unique(actor["aliases"]) if norm(a) != norm(actor["name"])]
        self.by_id[actor["id"]] = actor
        for label in [actor["id"], actor["name"], *actor["aliases"]]:
            self._index(label, actor["id"])

    def _index(self, label: str, actor_id: str) -> None:
        key = norm(label)
        if self.index.get(key, actor_id) != actor_id:
            raise BuildError(f"name/alias {label!r} matches both {self.index[key]} and {actor_id}")
        self.index[key] = actor_id

    def add_alias(self, actor_id: str, alias: str) -> None:
        actor = self.by_id[actor_id]
        if norm(alias) not in {norm(actor["name"]), *map(norm, actor["aliases"])}:
            actor["aliases"].append(alias)
        self._index(alias, actor_id)

    def find(self, label: str) -> str | None:
        return self.index.get(norm(label))


def actor_record(**fields) -> dict:
    base = {
        "id": None,
        "name": None,
        "kind": None,
        "subkind": None,
        "iso3": None,
        "un_region": None,
        "aliases": [],
        "members": [],
        "speaks_for": None,
        "sources": [],
        "notes": "",
    }
    base.update(fields)
    return base


def build_states(reg: Actors, dossier: dict, cur: dict) -> None:
    """States: display name = UN short name unless curated; id = slug of the display name."""
    for st in dossier["actors"]["states"]:
        display = cur["display_names"].get(st["name"]) or st["un_name"] or st["name"]
        reg.add(
            actor_record(
                id=cur["id_overrides"].get(st["name"]) or slugify(display),
                name=display,
                kind="state",
                iso3=st["iso3"],
                un_region=REGION_MAP.get(st["un_regional_group"]),
                aliases=[st["name"], st["un_name"], *st["aliases"]],
                sources=unique(st.get("group_source_urls", []) + st.get("source_urls", [])),
                notes=" ".join(
                    x for x in (st["notes"], "Observer State." if st["member"] == "observer-state" else "") if x
                ),
            )
        )


def resolve_members(reg: Actors, names, owner: str) -> list[str]:
    out = []
    for name in names or []:
        member = reg.find(name)
        if member is None:
            raise BuildError(f"group {owner}: unknown member {name!r}")
        out.append(member)
    return sorted(unique(out))


def build_groups(reg: Actors, dossier: dict, cur: dict, first_source: dict) -> None:
    """Groups with members; unsourced member lists are kept (they are in the dossier) but flagged."""
    for grp in dossier["actors"]["groups"]:
        flag = grp.get("members_unsourced")
        notes = [f"Group type: {grp['kind']}.", grp.get("notes", "")]
        if flag:
            notes.append(
                f"Member list not sourced in the dossier ({flag if isinstance(flag, str) else 'general knowledge'})."
            )
        if grp.get("aligned_states_2026"):
            notes.append("States aligned with its Jan 2026 statement: " + ", ".join(grp["aligned_states_2026"]) + ".")
        if grp.get("roles"):
            notes.append("Roles: " + json.dumps(grp["roles"], ensure_ascii=False, sort_keys=True))
        actor_id = cur["id_overrides"].get(grp["name"]) or grp["key"]
        reg.add(
            actor_record(
                id=actor_id,
                name=grp["name"],
                kind="group",
                aliases=[grp["key"], *grp["aliases"], *cur["aliases_extra"].get(grp["name"], [])],
                members=resolve_members(reg, grp["members"], actor_id),
                sources=list(grp.get("source_urls", [])),
                notes=" ".join(n for n in notes if n),
            )
        )
    for grp in cur["added_groups"]:
        src = first_source.get(grp.get("source_from"))
        reg.add(
            actor_record(
                id=grp["id"],
                name=grp["name"],
                kind="group",
                aliases=grp["aliases"],
                members=resolve_members(reg, grp["members"], grp["id"]),
                sources=[src] if src else [],
                notes="Added (not in actors.json). " + grp["notes"],
            )
        )


def build_stakeholders(reg: Actors, dossier: dict, cur: dict, records: list[dict]) -> None:
    """Dossier stakeholders, then stakeholders only named in positions (source: first citing record)."""
    cited = {}
    for rec in records:
        cited.setdefault(rec["actor"], rec["source_url"])
    for sh in dossier["actors"]["stakeholders"]:
        override = cur["kind_overrides"].get(sh["name"], {})
        notes = [sh.get("description", ""), f"Base: {sh['base']}." if sh.get("base") else ""]
        sources = unique([sh.get("source_url"), *sh.get("other_source_urls", [])])
        if not sources:
            if sh["name"] not in cited:
                continue  # listed 'for matching only', no source and no position: left out (data card)
            sources = [cited[sh["name"]]]
            notes.append("The dossier lists it without a source; source = the first position citing it.")
        if override.get("why"):
            notes.append(override["why"])
        reg.add(
            actor_record(
                id=cur["id_overrides"].get(sh["name"]) or slugify(sh["name"]),
                name=sh["name"],
                kind=override.get("kind", "stakeholder"),
                subkind=override.get("subkind", cur["stakeholder_subkind_map"][sh["kind"]]),
                aliases=cur["aliases_extra"].get(sh["name"], []),
                sources=sources,
                notes=" ".join(n for n in notes if n),
            )
        )
    for name, subkind in sorted(cur["added_stakeholders"].items()):
        if name not in cited:
            raise BuildError(f"added stakeholder {name!r} is cited by no record")
        notes = [
            "Added (not in actors.json); source = the first position citing it.",
            cur["added_stakeholder_notes"].get(name, ""),
        ]
        reg.add(
            actor_record(
                id=cur["id_overrides"].get(name) or slugify(name),
                name=name,
                kind="stakeholder",
                subkind=subkind,
                sources=[cited[name]],
                notes=" ".join(n for n in notes if n),
            )
        )


def build_chairs(reg: Actors, cur: dict) -> None:
    for ch in cur["chairs"]:
        speaks_for = reg.find(ch["speaks_for"]) if ch["speaks_for"] else None
        reg.add(
            actor_record(
                id=ch["id"],
                name=ch["name"],
                kind="chair",
                aliases=ch["aliases"],
                speaks_for=speaks_for,
                sources=ch["sources"],
                notes=ch["notes"],
            )
        )


def build_actors(dossier: dict, cur: dict) -> Actors:
    acur = cur["actors"]
    records = dossier["records"] + cur["additions"]
    first_source = {r["id"]: r["source_url"] for r in records}
    reg = Actors()
    build_states(reg, dossier, acur)
    build_groups(reg, dossier, acur, first_source)
    build_stakeholders(reg, dossier, acur, records)
    build_chairs(reg, acur)
    for variant, canonical in sorted(acur["merge"].items()):
        target = reg.find(canonical)
        if target is None:
            raise BuildError(f"merge target {canonical!r} unknown")
        reg.add_alias(target, variant)
    return reg


def sorted_actors(reg: Actors) -> list[dict]:
    kind_order = {"state": 0, "group": 1, "chair": 2, "secretariat": 3, "stakeholder": 4}
    actors = sorted(reg.by_id.values(), key=lambda a: (kind_order[a["kind"]], a["id"]))
    for a in actors:
        a["aliases"] = sorted(a["aliases"], key=str.casefold)
    return actors

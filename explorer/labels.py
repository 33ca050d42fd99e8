"""THE short labels: how an actor, question, session or provision is named where room is short.

A table column, a chart axis, a timeline row and a network node name the same thing the same
way, and always keep the full text for a tooltip or the detail pane. Standard library only (the
schema's trigger and the dataset build, which runs on a bare Python, call these rules too).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, Final

SHORT_NAME_CHARS: Final = 24  # an actor name longer than this is shown by an alias or its ISO code
QUESTION_LABEL_CHARS: Final = 32  # a question text longer than this gets a shorter label
ELLIPSIS: Final = "…"
_SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")  # machine keys stored as aliases ("african-group")


def shorten(text: str, limit: int) -> str:
    """``text`` on one line, cut to at most ``limit`` characters with an ellipsis — at a word
    boundary when one falls in the second half, so that words are not cut in two."""
    flat = " ".join(str(text).split())
    if len(flat) <= limit:
        return flat
    cut = flat[: max(limit - 1, 1)]
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:–-(") + ELLIPSIS


def actor_short_name(
    name: str, aliases: Iterable[str] = (), iso3: str | None = None, limit: int = SHORT_NAME_CHARS
) -> str:
    """How a row or node names an actor: the name when it fits in ``limit`` characters, else
    its shortest alias that reads as a name ("EU", "DRC"; not a machine key such as
    "african-group"), else its ISO code, else the name shortened."""
    flat = " ".join(name.split())
    if len(flat) <= limit:
        return flat
    readable = [a.strip() for a in aliases if a and a.strip() and not _SLUG.match(a.strip())]
    fitting = sorted((a for a in readable if 2 <= len(a) <= limit), key=lambda a: (len(a), a))
    if fitting:
        return fitting[0]
    if iso3 and iso3.strip():
        return iso3.strip()
    return shorten(flat, limit)


def question_label(key: str, text: str | None, limit: int = QUESTION_LABEL_CHARS) -> str:
    """A question's short label when none was given: its text when it fits in ``limit``
    characters, else the text shortened (the key when there is no text). A dataset may store
    better labels (``sessions_data/questions.json`` ``label``); this is the fallback."""
    flat = " ".join((text or "").split())
    if not flat:
        return key
    return shorten(flat, limit)


def session_label(label: str | None, name: str) -> str:
    """A session's short label: its stored label ("AHC 4", "Concl."), else its name shortened."""
    return label.strip() if label and label.strip() else shorten(name, QUESTION_LABEL_CHARS)


_SESSION_KINDS: Final[Mapping[str, str]] = {
    "formal-session": "Session",
    "ga-decision": "GA decision",
    "intersessional-consultation": "Intersessional",
    "signing": "Signing",
    "protocol-session": "Session",
    "interval": "Period between sessions",
    "undated": "Undated period",
}


def session_kind_label(kind: str | None) -> str:
    """How a session's kind reads in a list ("GA decision", "Period between sessions"); kinds
    are free text in the data, so an unknown one is shown as written."""
    if not kind:
        return ""
    return _SESSION_KINDS.get(kind, kind.replace("-", " ").capitalize())


# -- provisions --------------------------------------------------------------------------------


def provision_label(kind: str, number: str | None, title: str | None, key: str) -> str:
    """Short heading of a provision: "Art. 6", "Ch. IV", or its title (topics)."""
    if kind == "article":
        return f"Art. {number or key}"
    if kind == "chapter":
        return f"Ch. {number or key}"
    return title or key


def provision_title(kind: str, number: str | None, title: str | None, key: str, *, full: bool = False) -> str:
    """A provision with its title: "Art. 6 — Respect for human rights" ("Article 6 — …" when
    ``full``), "Chapter I — General provisions", or a topic's title."""
    if kind == "article":
        head = f"Article {number or key}" if full else f"Art. {number or key}"
    elif kind == "chapter":
        head = f"Chapter {number or key}"
    else:
        return title or key
    return f"{head} — {title}" if title else head


_PREFIX = re.compile(r"^(?:(article|art)|(chapter|chap|ch))\.?\s*", re.IGNORECASE)


def find_provisions(query: str, provisions: Iterable[Mapping[str, Any]]) -> list[str]:
    """Keys of the provisions ``query`` names, best first (a provision picker's rule).

    A number ("6", "Art. 6", "article 6", "chapter II") names the article or chapter with that
    number — exactly, so "6" finds Article 6 and not 16 or 60. Words ("human rights") find the
    provisions whose title or key holds every word (case and accents ignored), titles that begin
    with the words first. Rows need ``key``, ``kind``, ``number`` and ``title``; ties keep the
    rows' order (reading order).
    """
    from explorer.names import normalize_name  # here, not on top: the dataset build loads this file alone

    text = " ".join(query.split())
    if not text:
        return []
    rows = list(provisions)
    prefix = _PREFIX.match(text)
    wanted_kind = None
    rest = text
    if prefix and text[prefix.end() :].strip():
        wanted_kind = "article" if prefix.group(1) else "chapter"
        rest = text[prefix.end() :].strip()
    rest_norm = normalize_name(rest)
    if re.fullmatch(r"\d+[a-z]?|[ivxlc]+", rest_norm):
        numbered = [
            r
            for r in rows
            if normalize_name(str(r.get("number") or "")) == rest_norm
            and r.get("kind") in ((wanted_kind,) if wanted_kind else ("article", "chapter"))
        ]
        numbered.sort(key=lambda r: r.get("kind") != "article")  # an article before a chapter
        if numbered or wanted_kind:
            return [str(r["key"]) for r in numbered]
    words = normalize_name(text).split()
    ranked: list[tuple[int, int, str]] = []
    for order, r in enumerate(rows):
        title = normalize_name(str(r.get("title") or ""))
        haystack = f"{title} {normalize_name(str(r.get('key') or ''))}"
        if all(word in haystack for word in words):
            starts = title.startswith(" ".join(words))
            whole_words = all(re.search(rf"\b{re.escape(word)}\b", haystack) for word in words)
            ranked.append((0 if starts else 1 if whole_words else 2, order, str(r["key"])))
    return [key for _, _, key in sorted(ranked)]

"""The one rule for comparing names of actors, aliases, sessions and options.

Two spellings are the same name when they differ only in case, accents and spacing:
"Türkiye", "TURKIYE" and " türkiye " all become "turkiye". The importer matches with it, the
filter resolves ``--actor`` with it, the panel completes with it and the dataset build
(``sessions_data/tools/build_dataset.py``, standard library only) dedupes with it, so this
module imports nothing outside the standard library.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable


def normalize_name(name: str) -> str:
    """Case-, accent- and space-insensitive form of a name ("Türkiye" == "turkiye")."""
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def names_containing(typed: str, spellings: Iterable[tuple[str, str]], limit: int) -> list[str]:
    """Of ``spellings`` (pairs of a name's :func:`normalize_name` form and its text, in the order
    to offer them), the texts whose name contains ``typed`` by the same rule, those that begin
    with it first, at most ``limit``: what the panel's completion lists ("turki" offers "Türkiye",
    then "Republic of Türkiye → Türkiye"). Nothing for blank text."""
    wanted = normalize_name(typed)
    if not wanted:
        return []
    starting: list[str] = []
    inside: list[str] = []
    for key, text in spellings:
        if key.startswith(wanted):
            starting.append(text)
            if len(starting) == limit:
                break
        elif wanted in key and len(inside) < limit:
            inside.append(text)
    return (starting + inside)[:limit]

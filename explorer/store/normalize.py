"""How names are compared: one rule for actors, aliases and sessions."""

from __future__ import annotations

import unicodedata


def normalize_name(name: str) -> str:
    """Case-, accent- and space-insensitive form of a name ("Türkiye" == "turkiye")."""
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())

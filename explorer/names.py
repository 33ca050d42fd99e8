"""The one rule for comparing names of actors, aliases, sessions and options.

Two spellings are the same name when they differ only in case, accents and spacing:
"Türkiye", "TURKIYE" and " türkiye " all become "turkiye". The importer matches with it, the
filter resolves ``--actor`` with it, the panel completes with it and the dataset build
(``sessions_data/tools/build_dataset.py``, standard library only) dedupes with it, so this
module imports nothing outside the standard library.
"""

from __future__ import annotations

import unicodedata


def normalize_name(name: str) -> str:
    """Case-, accent- and space-insensitive form of a name ("Türkiye" == "turkiye")."""
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())

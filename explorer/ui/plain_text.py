"""Text from the data is shown as text, never interpreted as HTML, and only web links open."""

from __future__ import annotations

import html
import re

from explorer.vocabulary import is_un_symbol


def rich_tooltip(text: str) -> str:
    """A tooltip string that shows ``text`` literally: Qt guesses rich text from tags, so the
    text is escaped and wrapped in an explicit rich-text paragraph (no guessing either way)."""
    return f"<p style='white-space:pre-wrap'>{html.escape(text)}</p>" if text else ""


def openable_url(source: str | None) -> str | None:
    """The browser URL for a source: http(s) URLs as they are, UN symbols via undocs.org, else None."""
    if not source:
        return None
    source = source.strip()
    if re.match(r"^https?://[^\s]+$", source, re.IGNORECASE):
        return source
    if is_un_symbol(source):
        return f"https://undocs.org/{source}"
    return None

"""Text helpers shared by the master catalogue and the sites' copies (no Django imports)."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case, diacritics removed, đ → d, spaces collapsed: ``Cấp Giấy`` → ``cap giay``.

    Used for the search columns, so that "cap giay khai sinh" finds "Cấp giấy khai sinh"
    without any PostgreSQL extension.
    """
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _SPACES.sub(" ", text.lower()).strip()


def search_terms(query: str) -> list[str]:
    """The folded words of a search query (each must occur in the search column)."""
    return [word for word in fold(query).split(" ") if word]

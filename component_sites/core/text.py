"""Vietnamese text helpers: accent folding for search and ASCII slugs."""

from __future__ import annotations

import re
import unicodedata


def fold(text: str) -> str:
    """``Ủy ban nhân dân xã Đồng Tâm`` → ``uy ban nhan dan xa dong tam`` (lower case, no marks).

    Vietnamese "đ" has no Unicode decomposition, so it is mapped by hand.
    """
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


def vietnamese_slug(text: str, max_length: int = 80) -> str:
    """An ASCII slug: ``Thông báo lịch tiếp công dân`` → ``thong-bao-lich-tiep-cong-dan``."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    return slug[:max_length].rstrip("-")

"""Finding official documents by their number and symbol (số, ký hiệu).

Full-text search cuts "13/2023/NĐ-CP" into pieces that match nothing useful, and a bare
"194" is a number a citizen copies from a notice.  A query that looks like a document
number is compared with the number column itself instead: case, "Đ"/"D" and a missing
tail do not matter ("13/2023/nd-cp", "13/2023" and "194" find "13/2023/NĐ-CP" and
"194/QĐ-UBND").
"""

from __future__ import annotations

import re

from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Replace, Upper

from .text import to_ascii

# Digits first, then letters, digits, "/", ".", "-" only (no spaces): 194, 22/TB-UBND,
# 13/2023/NĐ-CP, 66.7/2025/NQ-CP.
_NUMBER_QUERY = re.compile(r"^\d[\dA-Za-zĐđ./-]*$")


def is_number_query(query: str) -> bool:
    """Whether ``query`` is a document number (or the start of one) rather than words."""
    query = (query or "").strip()
    return bool(_NUMBER_QUERY.match(query)) and ("/" in query or query.isdigit())


def number_key(text: str) -> str:
    """``"13/2023/nđ-cp"`` → ``"13/2023/ND-CP"``: the form numbers are compared in."""
    return to_ascii(text).upper().strip()


def filter_by_number(queryset: QuerySet, query: str, field: str = "number") -> QuerySet:
    """Rows whose ``field`` is the number ``query`` or starts with it followed by "/"."""
    key = number_key(query)
    normalized = Upper(Replace(Replace(F(field), Value("Đ"), Value("D")), Value("đ"), Value("d")))
    return queryset.alias(number_key=normalized).filter(
        Q(number_key=key) | Q(number_key__startswith=f"{key}/")
    )

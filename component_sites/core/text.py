"""Text helpers for Vietnamese content: accent folding (search) and ASCII slugs."""

import re
import unicodedata

from django.utils.text import slugify

_SPACES = re.compile(r"\s+")
# Letters that Unicode does not decompose into a base letter plus a mark.
_UNDECOMPOSABLE = str.maketrans({"đ": "d", "Đ": "D"})


def strip_diacritics(text: str) -> str:
    """``"Nghị định Đồng Tiến"`` → ``"Nghi dinh Dong Tien"``."""
    decomposed = unicodedata.normalize("NFKD", str(text or "").translate(_UNDECOMPOSABLE))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """Lower-case, diacritics removed, đ → d, spaces collapsed: ``Cấp Giấy`` → ``cap giay``.

    What search compares: "ubnd xa hoa binh" finds "UBND xã Hòa Bình" without any
    PostgreSQL extension (the embedded server has no ``unaccent``).
    """
    return _SPACES.sub(" ", strip_diacritics(text).lower()).strip()


def ascii_slug(text: str, max_length: int = 80) -> str:
    """An ASCII slug (diacritics removed, đ → d), cut at a word boundary."""
    # Punctuation separates words ("11/2026" → "11-2026") rather than vanishing.
    slug = slugify(re.sub(r"[^\w\s-]", " ", strip_diacritics(text)))
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug


class AsciiSlugMixin:
    """Page mixin: a page saved without a slug gets an ASCII one from its title.

    Wagtail's own fallback keeps Vietnamese letters (or drops đ); pages created in code or
    through the API should get the same slugs as the admin's ASCII slug field.
    """

    def full_clean(self, *args, **kwargs):
        if not self.slug and self.title:
            self.slug = ascii_slug(self.title)
        return super().full_clean(*args, **kwargs)


def plain_text(html: str) -> str:
    """Text of an HTML fragment (rich text), entities decoded, whitespace collapsed."""
    from html import unescape

    from django.utils.html import strip_tags

    return " ".join(unescape(strip_tags(html or "")).split())

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


# Tone placement in the open syllables oa, oe, uy: the old style marks the second vowel
# (hoà, khoẻ, thuỷ), the new one the first (hòa, khỏe, thủy).  Official names use both
# ("Tỉnh Hoà Bình", "Phường Hòa Bình"); a site's text follows its own name's style.
_TONES = "\u0300\u0301\u0309\u0303\u0323"  # huyền, sắc, hỏi, ngã, nặng
_OLD_STYLE = re.compile("(?<![qQ])([oO][aAeE]|[uU][yY])([" + _TONES + "])(?![^\\W\\d_])")
_NEW_STYLE = re.compile(
    "(?<![qQ])(?:([oO])([" + _TONES + "])([aAeE])|([uU])([" + _TONES + "])([yY]))(?![^\\W\\d_])"
)


def tone_style(name: str) -> str:
    """``"old"`` for “Tỉnh Hoà Bình”, ``"new"`` for “Phường Hòa Bình” (or no such syllable)."""
    decomposed = unicodedata.normalize("NFD", str(name or ""))
    if _OLD_STYLE.search(decomposed):
        return "old"
    return "new"


def with_tone_style(text: str, style: str) -> str:
    """``text`` with every open oa/oe/uy syllable marked in ``style`` (``"old"``/``"new"``).

    ``quý``, ``hoàn``, ``ngoài``, ``khuya`` keep their marks: the rule only concerns the
    two-vowel open syllables (after ``q``, ``u`` is part of the consonant).
    """
    if not text or not isinstance(text, str):
        return text
    decomposed = unicodedata.normalize("NFD", text)
    if style == "new":
        changed = _OLD_STYLE.sub(lambda m: m.group(1)[0] + m.group(2) + m.group(1)[1], decomposed)
    else:
        changed = _NEW_STYLE.sub(
            lambda m: (
                (m.group(1) or m.group(4)) + (m.group(3) or m.group(6)) + (m.group(2) or m.group(5))
            ),
            decomposed,
        )
    return unicodedata.normalize("NFC", changed)


class AsciiSlugMixin:
    """Page mixin: a page saved without a slug gets an ASCII one from its title.

    Wagtail's own fallback keeps Vietnamese letters (or drops đ); pages created in code or
    through the API should get the same slugs as the admin's ASCII slug field.
    """

    def full_clean(self, *args, **kwargs):
        if not self.slug and self.title:
            self.slug = ascii_slug(self.title)
        return super().full_clean(*args, **kwargs)

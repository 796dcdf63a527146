"""Vietnamese slugs in the admin, and the repair of slugs Wagtail's defaults mangled.

Wagtail's admin turns a title into a slug in the browser (its ``w-slug`` controller, a port
of Django's ``URLify``): its transliteration maps know neither the letters with two marks
(ễ, ộ, ữ…) nor Vietnamese đ (it maps it as Serbian, to "dj"), so "Lễ hội xuống đồng" became
``l-hi-xung-djng``.  Wagtail's own hook for this is the slug widget's ``formatters``: regex
replacements the controller applies before its own urlify.  The replacements here are built
from ``anyascii`` (shipped with Wagtail), so the browser gives the same slug as
``component_sites.core.text.ascii_slug`` gives pages saved without one.

``mangled_forms`` reproduces what the old defaults made of a title, so that
``repair_slugs`` renames only pages whose slug is one of those, never a slug someone chose.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache

from django.utils.text import slugify
from wagtail.admin.widgets.slug import SlugInput

from .text import ascii_slug, to_ascii

# Every precomposed letter of Vietnamese (both cases).
VIETNAMESE_LETTERS = (
    "àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ"
    "ÀÁẠẢÃÂẦẤẬẨẪĂẰẮẶẲẴÈÉẸẺẼÊỀẾỆỂỄÌÍỊỈĨÒÓỌỎÕÔỒỐỘỔỖƠỜỚỢỞỠÙÚỤỦŨƯỪỨỰỬỮỲÝỴỶỸĐ"
)


@cache
def slug_formatters() -> list[tuple[str, str]]:
    """(regex, replacement) pairs for Wagtail's slug controller, applied in order.

    One character class per ASCII letter (``[àáạảã…]`` → ``a``, ``[đ]`` → ``d``), then
    combining marks (text typed as decomposed Unicode by some Vietnamese keyboards) are
    dropped, then punctuation separates words ("11/2026" → "11 2026") as on the server.
    """
    by_ascii: dict[str, str] = {}
    for letter in VIETNAMESE_LETTERS:
        by_ascii[to_ascii(letter)] = by_ascii.get(to_ascii(letter), "") + letter
    formatters = [(f"[{letters}]", ascii) for ascii, letters in sorted(by_ascii.items())]
    formatters.append(("[\u0300-\u036f]", ""))
    formatters.append((r"[^\w\s-]", " "))
    return formatters


class VietnameseSlugInput(SlugInput):
    """Wagtail's slug widget, transliterating Vietnamese before its own urlify."""

    def __init__(self, attrs=None, formatters=None, locale=None):
        super().__init__(attrs=attrs, formatters=formatters or slug_formatters(), locale=locale)


def register_slug_widget() -> None:
    """Every slug field of Wagtail's admin forms (page promote tab, snippets) uses it."""
    from django.db import models
    from wagtail.admin.forms.models import register_form_field_override

    register_form_field_override(models.SlugField, override={"widget": VietnameseSlugInput})


# -- What the old defaults made of a title -------------------------------------------------


@cache
def _wagtail_urlify_map() -> dict[str, str]:
    """The transliteration table of Wagtail's admin JavaScript, read from the file it ships."""
    from django.contrib.staticfiles import finders

    path = finders.find("wagtailadmin/js/core.js")
    if not path:
        return {}
    with open(path, encoding="utf-8") as handle:
        source = handle.read()
    found = re.search(r"JSON\.parse\('(\[\{\"LATIN_MAP.*?\]\}\])'\)", source)
    if not found:
        return {}
    table: dict[str, str] = {}
    # The controller lets the first-listed maps win (Latin before Serbian...).
    for group in reversed(json.loads(found.group(1))):
        for pairs in group.values():
            table.update(dict(pairs))
    return table


def wagtail_urlify(title: str) -> str:
    """What Wagtail 8's admin typed as slug for ``title`` (urlify, not allowing Unicode)."""
    table = _wagtail_urlify_map()
    text = "".join(table.get(char, char) for char in title.strip()).lower()
    text = re.sub(r"[^-\w\s]", "", text, flags=re.ASCII)
    text = re.sub(r"[-\s]+", "-", text)[:255]
    return text.rstrip("-")


def wagtail_slugify(title: str) -> str:
    """What the admin's slug field made of a title pasted into it (non-ASCII removed)."""
    text = re.sub(r"\s+", "-", title.strip())
    return re.sub(r"[^A-Za-z0-9\-_]", "", text).lower()


def mangled_forms(title: str) -> set[str]:
    """The wrong slugs the old defaults gave ``title`` (empty when they got it right)."""
    right = ascii_slug(title)
    forms = {
        wagtail_urlify(title),
        wagtail_slugify(title),
        # Django's slugify, Wagtail's server fallback: keeps the base letters but drops đ.
        slugify(title),
    }
    return {form for form in forms if form and form != right}


_SUFFIX = re.compile(r"^(?P<base>.+?)(?P<suffix>-\d+)?$")


def repaired_slug(page) -> str | None:
    """The slug ``page`` should have, when its slug is a mangled form of its title."""
    match = _SUFFIX.match(page.slug)
    candidates = [page.slug, match.group("base")] if match else [page.slug]
    for title in {page.title, page.draft_title or page.title}:
        forms = mangled_forms(title)
        if any(candidate in forms for candidate in candidates):
            return ascii_slug(title) or None
    return None


@dataclass
class SlugRepair:
    """One page whose mangled slug is (or would be) replaced."""

    page_id: int
    title: str
    old_slug: str
    new_slug: str
    old_url: str
    new_url: str = ""


def repair_site_slugs(apply: bool = False) -> list[SlugRepair]:
    """Find (and with ``apply`` replace) the mangled slugs of the current schema's pages.

    Each renamed page keeps its old address as a permanent redirect (Wagtail's own
    ``autocreate_redirects_on_slug_change``, descendants included); its revisions take
    the new slug too, so publishing an older draft does not bring the old one back.
    """
    from django.db import transaction
    from wagtail.contrib.redirects.signal_handlers import autocreate_redirects_on_slug_change
    from wagtail.models import Page

    from .page_cache import purge_site

    found = []
    # Parents first: a renamed parent changes its children's url_path, so each page is
    # read again from the database just before it is repaired.
    rows = Page.objects.filter(depth__gt=2).order_by("path")
    for row in rows.only("id", "slug", "title", "draft_title"):
        new_base = repaired_slug(row)
        if new_base:
            found.append((row.pk, new_base))
    repairs = []
    for page_id, new_base in found:
        with transaction.atomic():
            page = Page.objects.get(pk=page_id).specific
            before = page.specific_class.objects.get(pk=page_id)
            repair = SlugRepair(
                page_id=page_id,
                title=page.title,
                old_slug=page.slug,
                new_slug=page._get_autogenerated_slug(new_base),
                old_url=page.get_url() or page.url_path,
            )
            if apply:
                page.slug = repair.new_slug
                page.save(update_fields=["slug", "url_path"], clean=False)
                for revision in page.revisions.all():
                    if revision.content.get("slug") == repair.old_slug:
                        revision.content["slug"] = repair.new_slug
                        revision.save(update_fields=["content"])
                autocreate_redirects_on_slug_change(instance_before=before, instance=page)
                repair.new_url = page.get_url() or page.url_path
            repairs.append(repair)
    if apply and repairs:
        purge_site()
    return repairs

"""The language switch: a Vietnamese page links to its English version and back."""

from django import template

register = template.Library()


@register.simple_tag
def english_version(page):
    """The live English page translating ``page``, or None (at most two small queries)."""
    from ..models import EnglishPage, EnglishSectionPage

    if page is None or getattr(page, "language", "vi") == "en":
        return None
    for model in (EnglishPage, EnglishSectionPage):
        found = model.objects.live().public().filter(vietnamese_page=page.pk).first()
        if found is not None:
            return found
    return None


@register.inclusion_tag("organization/includes/language_switch.html")
def language_switch(page):
    """A link to the other language's version of ``page``, when there is one."""
    if page is None:
        return {"target": None}
    if getattr(page, "language", "vi") == "en":
        target = page.vietnamese_page
        return {"target": target if target and target.live else None, "to": "vi"}
    return {"target": english_version(page), "to": "en"}

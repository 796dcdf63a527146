"""Figures of the scoring pages written the Vietnamese way (decimal comma)."""

from django import template

from tenants.scoring.results import format_number

register = template.Library()


@register.filter
def vn_number(value):
    """``85.25`` → ``85,25``; ``7.50`` → ``7,5``; nothing → ``–``."""
    if value in (None, ""):
        return "–"
    return format_number(value)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None

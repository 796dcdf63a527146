"""Numbers and scores the Vietnamese way (decimal comma) in scoring pages."""

from decimal import Decimal, InvalidOperation

from django import template

from ..services import format_decimal

register = template.Library()


@register.filter
def vn_number(value) -> str:
    """``Decimal("7.50")`` → ``7,5``; ``None`` or text that is no number → ``—``."""
    if value is None or value == "":
        return "—"
    try:
        return format_decimal(Decimal(str(value)))
    except InvalidOperation:
        return "—"


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None

"""Scoring changes go into the console's audit trail (Wagtail log entries in public)."""

from __future__ import annotations

from django_tenants.utils import get_public_schema_name, schema_context
from wagtail.log_actions import log


def audit(instance, action: str, user, **data) -> None:
    """Log ``action`` on ``instance`` with ``data``; the user only when signed in."""
    with schema_context(get_public_schema_name()):
        log(
            instance,
            action,
            user=user if getattr(user, "is_authenticated", False) else None,
            data=data,
            title=str(instance),
        )

"""The urgent-notice banner that the base template shows under the header of every page."""

from django import template
from django.db import connection
from django_tenants.utils import get_public_schema_name

from ..queries import current_urgent_notices

register = template.Library()


@register.inclusion_tag("notices/includes/urgent_banner.html")
def urgent_notices():
    """Active urgent notices of this site; nothing on the control plane (public schema)."""
    if connection.schema_name == get_public_schema_name():
        return {"urgent_notices": []}
    return {"urgent_notices": current_urgent_notices()}

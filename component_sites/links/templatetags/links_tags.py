"""Template tags: ``{% link_banners "sidebar" %}`` and ``{% link_group "lien-ket-website" %}``."""

from django import template

from .. import queries

register = template.Library()


@register.inclusion_tag("links/banners.html")
def link_banners(position, limit=None):
    """The banners of ``position`` active now."""
    return {"banners": queries.active_banners(position, limit), "position": position}


@register.inclusion_tag("links/link_group.html")
def link_group(slug):
    """A link group as a titled list (nothing when the group does not exist)."""
    return {"group": queries.link_group(slug)}

"""Template tags of every site: the main menu."""

from django import template
from wagtail.models import Site

register = template.Library()


@register.inclusion_tag("core/tags/main_menu.html", takes_context=True)
def main_menu(context):
    """The home page and its live, in-menu children (one query; the site root is cached)."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return {"home": None, "items": [], "current": None}
    home = site.root_page
    items = home.get_children().live().public().in_menu().only("title", "url_path", "path")
    page = context.get("page")
    # The menu item to mark is the current page's ancestor one level below the home page.
    active_path = page.path[: home.steplen * (home.depth + 1)] if page is not None else None
    return {
        "home": home,
        "items": items,
        "on_home": page is not None and page.pk == home.pk,
        "active_path": active_path,
        "request": request,
    }


@register.simple_tag
def live_script():
    """The script filling a page's live parts from ``/_live/`` when an edge cache is in front."""
    from django.templatetags.static import static
    from django.utils.html import format_html

    from component_sites.core import live

    if not live.by_beacon():
        return ""
    return format_html('<script src="{}" defer></script>', static("core/live.js"))

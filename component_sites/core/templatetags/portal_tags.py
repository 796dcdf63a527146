"""Template tags of every site: the main menu."""

from django import template
from wagtail.models import Site

from component_sites.core import site_cache
from component_sites.core.site_cache import public

register = template.Library()


@register.inclusion_tag("core/tags/main_menu.html", takes_context=True)
def main_menu(context):
    """The home page and its live, in-menu children (from the site cache)."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return {"home": None, "items": [], "current": None}
    home = site.root_page
    items = site_cache.get(
        f"main-menu:{home.pk}",
        lambda: list(
            public(home.get_children().live().in_menu()).only("title", "url_path", "path")
        ),
        shared=True,
    )
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


@register.simple_tag(takes_context=True)
def live_script(context):
    """The script filling a page's live parts from ``/_live/`` when an edge cache is in front.

    Only on a site's pages: the control domain (the console) has no ``/_live/`` and no
    visits to count, and a script asking it would put a 404 in the browser's console."""
    from django.templatetags.static import static
    from django.utils.html import format_html

    from component_sites.core import live

    request = context.get("request")
    if not live.by_beacon() or getattr(request, "is_control_plane", True):
        return ""
    return format_html('<script src="{}" defer></script>', static("core/live.js"))

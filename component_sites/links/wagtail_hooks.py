"""Admin wiring: banners and link groups as snippets."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import LinkBanner, LinkGroup


class LinkBannerViewSet(SnippetViewSet):
    model = LinkBanner
    icon = "image"
    list_display = ["title", "position", "sort_order", "active_from", "active_until"]
    list_filter = ["position"]


class LinkGroupViewSet(SnippetViewSet):
    model = LinkGroup
    icon = "link"
    list_display = ["name", "slug"]


class LinksGroup(SnippetViewSetGroup):
    items = (LinkBannerViewSet, LinkGroupViewSet)
    menu_icon = "link"
    menu_label = _("Liên kết – banner")
    menu_name = "links"


register_snippet(LinksGroup)

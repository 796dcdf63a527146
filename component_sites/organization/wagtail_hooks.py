"""Admin wiring of the organisation app: the spokesperson as a snippet."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Spokesperson


class SpokespersonViewSet(SnippetViewSet):
    model = Spokesperson
    icon = "user"
    menu_label = _("Người phát ngôn")
    menu_order = 220
    add_to_admin_menu = True
    list_display = ["name", "position", "phone", "email"]


register_snippet(SpokespersonViewSet)

"""Admin wiring of the notices app: urgent notices as a snippet."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import UrgentNotice


class UrgentNoticeViewSet(SnippetViewSet):
    model = UrgentNotice
    icon = "warning"
    menu_label = _("Thông báo khẩn")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["title", "level", "starts_at", "ends_at"]
    list_filter = ["level"]
    search_fields = ["title", "message"]


register_snippet(UrgentNoticeViewSet)

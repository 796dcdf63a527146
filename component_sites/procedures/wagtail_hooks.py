"""Site admin: clerks see the synced procedures and fill in only the local fields."""

from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import ProcedureCopy


class LocalFieldsOnlyPolicy(ModelPermissionPolicy):
    """Copies come from the province: a site may edit them (local fields), never add or delete."""

    def user_has_permission(self, user, action):
        if action in ("add", "delete"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class ProcedureCopyViewSet(SnippetViewSet):
    model = ProcedureCopy
    icon = "list-ul"
    menu_label = "Thủ tục hành chính"
    menu_name = "procedures"
    add_to_admin_menu = True
    list_display = ["code", "name", "field", "version", "status"]
    list_filter = ["status", "field"]


register_permission_policy(ProcedureCopy, LocalFieldsOnlyPolicy(ProcedureCopy))
register_snippet(ProcedureCopyViewSet)

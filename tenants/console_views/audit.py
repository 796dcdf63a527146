"""The console's audit trail: every control-plane action, filtered by action and site."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Q
from django.views.generic import TemplateView

from tenants.models import Tenant

from .access import PlatformStaffRequired
from .sites import tenant_log_entries


class AuditLogView(PlatformStaffRequired, TemplateView):
    """Every console action: who, when, what, before and after."""

    template_name = "tenants/console/audit_log.html"

    def get_context_data(self, **kwargs):
        from component_sites.core.text import fold
        from tenants.wagtail_hooks import CONSOLE_ACTIONS

        context = super().get_context_data(**kwargs)
        entries = tenant_log_entries().order_by("-timestamp")
        params = self.request.GET
        action = params.get("thao-tac", "")
        actions = [(key, str(label)) for key, (label, _message) in CONSOLE_ACTIONS.items()]
        actions = [a for a in actions if a[0].startswith("tenants.")] + [
            ("tenants.reset_2fa", "Đặt lại xác thực hai bước")
        ]
        if action in dict(actions):
            entries = entries.filter(action=action)
        else:
            action = ""
        q = params.get("q", "").strip()[:100]
        if q:
            # Diacritics ignored: the site's current or logged name, or its code.
            words = fold(q).split()
            pks = [
                str(pk)
                for pk, name, code in Tenant.objects.values_list("pk", "name", "code")
                if all(w in fold(f"{name} {code}") for w in words)
            ]
            entries = entries.filter(Q(object_id__in=pks) | Q(label__icontains=q))
        paginator = Paginator(entries, 50)
        context["page_obj"] = paginator.get_page(params.get("trang"))
        query = params.copy()
        query.pop("trang", None)
        context.update(q=q, action=action, actions=actions, filter_query=query.urlencode())
        return context

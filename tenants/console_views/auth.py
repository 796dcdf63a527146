"""Signing in from the console: the support login into a site's admin (two-factor aware)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from tenants import lifecycle
from tenants.models import Tenant

from .access import PlatformStaffRequired


class SupportLoginView(PlatformStaffRequired, View):
    """POST: open the site's admin through a signed, single-use, audited support link."""

    def post(self, request, code: str):
        from component_sites.accounts.support import SupportLinkError
        from tenants.support_login import support_link

        tenant = get_object_or_404(Tenant, code=code)
        if lifecycle.is_read_only(tenant):
            return render(
                request,
                "tenants/console/support_refused.html",
                {"message": f"Trang {tenant.name} đang lưu trữ (chỉ đọc): không mở hỗ trợ."},
                status=403,
            )
        try:
            return redirect(support_link(tenant, request.user, verified=_verified(request)))
        except SupportLinkError as exc:
            return render(
                request, "tenants/console/support_refused.html", {"message": str(exc)}, status=403
            )


def _verified(request) -> bool:
    """The console session passed its second step (django-otp's OTPMiddleware says so)."""
    return bool(getattr(request.user, "is_verified", lambda: False)())

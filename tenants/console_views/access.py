"""Who may use the platform console: provincial admins; council members are sent to scoring."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.shortcuts import redirect


def is_platform_admin(user) -> bool:
    """A provincial admin: an active staff account of the public schema."""
    return bool(user.is_active and user.is_staff)


class PlatformStaffRequired(LoginRequiredMixin, UserPassesTestMixin):
    """Provincial admins (staff accounts of the public schema) manage the sites.

    Council members log into the same console but only score: they are sent there.
    """

    def test_func(self) -> bool:
        return is_platform_admin(self.request.user)

    def handle_no_permission(self):
        from tenants.scoring.council import is_council_member

        if is_council_member(self.request.user) and self.request.method == "GET":
            return redirect("console:scoring:home")
        return super().handle_no_permission()

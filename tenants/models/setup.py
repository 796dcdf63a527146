"""What provisioning leaves to the worker for a new site, and how far the worker got."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .sites import Tenant


class SiteSetup(models.Model):
    """The steps of a new site done after its creation committed (``tenants.site_setup``).

    The site is usable when provisioning returns; these steps only bring the rest up to
    date (the search index of its home page, procedures beyond the template's, figures,
    the invitation). Each step is recorded in ``steps`` once done, so a retried or
    duplicated task never repeats one (no second invitation e-mail).
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Đang hoàn tất")
        DONE = "done", _("Hoàn tất")
        FAILED = "failed", _("Lỗi")

    tenant = models.OneToOneField(
        Tenant, on_delete=models.CASCADE, related_name="setup", verbose_name=_("trang")
    )
    state = models.CharField(
        _("trạng thái"), max_length=16, choices=State.choices, default=State.PENDING
    )
    # The admin to mail the one-time link to (empty: no invitation).
    invite_username = models.CharField(_("mời tài khoản"), max_length=150, blank=True)
    steps = models.JSONField(_("các bước đã xong"), default=list, blank=True)
    attempts = models.PositiveIntegerField(_("số lần chạy"), default=0)
    error = models.TextField(_("lỗi"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("hoàn tất thiết lập trang")
        verbose_name_plural = _("hoàn tất thiết lập trang")

    def __str__(self) -> str:
        return f"{self.tenant_id}: {self.state}"

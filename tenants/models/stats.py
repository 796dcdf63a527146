"""Figures of each site that the console shows, kept in public."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .sites import Tenant


class SiteStats(models.Model):
    """Content figures of one site, computed in its schema by a task and kept in public.

    The console reads these instead of each site's schema: a web request touches only its
    own schema and public.
    """

    tenant = models.OneToOneField(
        Tenant, on_delete=models.CASCADE, related_name="stats", verbose_name=_("trang")
    )
    pages_live = models.PositiveIntegerField(_("trang đang hiển thị"), default=0)
    pages_total = models.PositiveIntegerField(_("tổng số trang"), default=0)
    images = models.PositiveIntegerField(_("hình ảnh"), default=0)
    documents = models.PositiveIntegerField(_("tệp tài liệu"), default=0)
    last_published_at = models.DateTimeField(_("xuất bản gần nhất"), null=True, blank=True)
    computed_at = models.DateTimeField(_("tính lúc"), auto_now=True)

    class Meta:
        verbose_name = _("số liệu trang")
        verbose_name_plural = _("số liệu trang")

    def __str__(self) -> str:
        return f"{self.tenant_id}: {self.pages_live}/{self.pages_total}"

"""Site schemas as such: the pool cloned ahead of time, runs bringing schemas up to date."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .jobs import JobState
from .sites import Tenant


class PooledSchema(models.Model):
    """A schema cloned ahead of time from a level's template, waiting to become a site.

    The worker keeps ``SITE_SCHEMA_POOL_SIZE`` of them per level (``tenants.schema_pool``);
    provisioning renames one instead of cloning while the request waits.  ``fingerprint``
    is the template's state when it was cloned: an entry whose template has changed since
    (migrations, seed) is never handed out and is replaced by the next refill.
    """

    schema_name = models.CharField(_("lược đồ"), max_length=63, unique=True)
    level = models.CharField(_("cấp"), max_length=16, choices=Tenant.Level.choices)
    template_schema = models.CharField(_("lược đồ mẫu"), max_length=63)
    fingerprint = models.CharField(_("dấu vân mẫu"), max_length=64)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("lược đồ dự trữ")
        verbose_name_plural = _("lược đồ dự trữ")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.schema_name} ({self.level})"


class SchemaMigrationRun(models.Model):
    """A console request to bring every site schema that is behind up to date.

    The worker migrates the schemas one at a time and records each outcome here; a run that
    stops (worker restarted, one schema failing) is resumed by starting another: the schemas
    still behind are read from the database again, never from this row.
    """

    State = JobState

    state = models.CharField(
        _("trạng thái"), max_length=16, choices=JobState.choices, default=JobState.PENDING
    )
    total = models.PositiveIntegerField(_("số lược đồ cần cập nhật"), default=0)
    done = models.PositiveIntegerField(_("đã cập nhật"), default=0)
    current = models.CharField(_("đang cập nhật"), max_length=63, blank=True)
    # {schema: first line of the error} for the schemas that failed in this run.
    failures = models.JSONField(_("lỗi theo lược đồ"), default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người yêu cầu"),
    )
    created_at = models.DateTimeField(_("yêu cầu lúc"), auto_now_add=True)
    # Saved after every schema: a running row not saved for a while lost its worker.
    heartbeat_at = models.DateTimeField(_("tín hiệu gần nhất"), auto_now=True)
    finished_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("đợt cập nhật lược đồ")
        verbose_name_plural = _("đợt cập nhật lược đồ")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.pk}: {self.done}/{self.total} ({self.state})"


class TemplateDDL(models.Model):
    """A template schema's definition as ``pg_dump`` wrote it, read once per template state.

    ``tenants.schema_copy`` replays it (schema name substituted) to make a new site schema
    without reading the catalogs of every other schema, as django-tenants' ``clone_schema``
    does.  ``fingerprint`` is ``template_fingerprint`` at the time of the dump: a template
    that changed (migrations, seed) is dumped again.
    """

    template_schema = models.CharField(_("lược đồ mẫu"), max_length=63)
    fingerprint = models.CharField(_("dấu vân mẫu"), max_length=64)
    pre_data = models.TextField(_("định nghĩa bảng"))
    post_data = models.TextField(_("ràng buộc và chỉ mục"))
    # {"tables": {table: [insertable columns]}, "sequences": [names]}
    contents = models.JSONField(_("bảng và chuỗi số"))
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("định nghĩa lược đồ mẫu")
        verbose_name_plural = _("định nghĩa lược đồ mẫu")
        constraints = [
            models.UniqueConstraint(
                fields=["template_schema", "fingerprint"], name="tenants_templateddl_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.template_schema} ({self.fingerprint[:8]})"

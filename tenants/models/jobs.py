"""Long jobs the worker runs under a lease: site merges, procedure catalogue imports."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .sites import Tenant


class JobState(models.TextChoices):
    PENDING = "pending", _("Đang chờ")
    RUNNING = "running", _("Đang chạy")
    DONE = "done", _("Hoàn tất")
    FAILED = "failed", _("Thất bại")
    CANCELLED = "cancelled", _("Đã huỷ")


class LeasedJob(models.Model):
    """A long job run by the worker, with a lease that outlives its worker.

    While it runs, the worker refreshes ``heartbeat_at`` and lists every file it writes in
    ``written_files`` on a connection of its own (committed at once, visible while the job's
    own transaction is open); a sweep finds a job whose heartbeat stopped, deletes those
    files and queues the job again (``attempts`` bounds it) or marks it failed.
    See ``tenants.jobs``.
    """

    State = JobState

    state = models.CharField(
        _("trạng thái"), max_length=16, choices=JobState.choices, default=JobState.PENDING
    )
    progress = models.CharField(_("tiến độ"), max_length=255, blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người yêu cầu"),
    )
    created_at = models.DateTimeField(_("yêu cầu lúc"), auto_now_add=True)
    queued_at = models.DateTimeField(_("gửi cho hệ thống xử lý lúc"), null=True, blank=True)
    started_at = models.DateTimeField(_("bắt đầu"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("tín hiệu gần nhất"), null=True, blank=True)
    finished_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("số lần chạy"), default=0)
    cancel_requested = models.BooleanField(_("yêu cầu huỷ"), default=False)
    # [schema, name] of every file written by the running attempt (deleted on rollback).
    written_files = models.JSONField(_("tệp đã ghi"), default=list, blank=True)

    class Meta:
        abstract = True

    @property
    def is_finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED, JobState.CANCELLED)

    @property
    def can_retry(self) -> bool:
        return self.state in (JobState.FAILED, JobState.CANCELLED)

    @property
    def can_cancel(self) -> bool:
        return self.state in (JobState.PENDING, JobState.RUNNING) and not self.cancel_requested


class SiteMerge(LeasedJob):
    """A request to merge sites into a survivor, run by the worker; its progress and result."""

    survivor = models.ForeignKey(
        Tenant, on_delete=models.PROTECT, related_name="merges", verbose_name=_("trang còn lại")
    )
    absorbed = models.ManyToManyField(
        Tenant, related_name="merged_by", verbose_name=_("trang được sáp nhập")
    )
    result = models.JSONField(_("kết quả"), default=dict, blank=True)

    class Meta:
        verbose_name = _("sáp nhập trang")
        verbose_name_plural = _("sáp nhập trang")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.pk}: → {self.survivor_id} ({self.state})"


class ProcedureImport(LeasedJob):
    """An uploaded catalogue file (JSON/CSV/XLSX) validated and imported by the worker.

    The upload is kept in the row (at most 20 MB), so the job needs no file of its own;
    ``report`` holds the outcome: counts, and every error by line and field.
    """

    filename = models.CharField(_("tên tệp"), max_length=255)
    content = models.BinaryField(_("nội dung"))
    valid_only = models.BooleanField(_("chỉ nhập các dòng hợp lệ"), default=False)
    rows = models.PositiveIntegerField(_("số dòng"), default=0)
    report = models.JSONField(_("kết quả"), default=dict, blank=True)

    class Meta:
        verbose_name = _("nhập danh mục thủ tục")
        verbose_name_plural = _("nhập danh mục thủ tục")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.pk}: {self.filename} ({self.state})"

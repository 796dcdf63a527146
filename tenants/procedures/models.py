"""The province's master catalogue of administrative procedures (public schema).

A procedure is kept once, here; every change that reaches the citizens makes a new
version (``ProcedureVersion`` keeps each one as sent to the sites).  Sites get copies
through Celery tasks (``tasks.syndication``); a ``SyndicationReceipt`` per site and
version records who has what, which the console shows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.files.storage import FileSystemStorage
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .detail import (
    validate_dossier_items,
    validate_legal_documents,
    validate_step_list,
    validate_submission_ways,
)
from .text import fold

# Letters and digits in dot-separated groups (1.001193, 1.012753.H19): a site shows a
# procedure at /<code with "-" for ".">/, which Wagtail's page URLs accept.
CODE_RE = r"^[0-9A-Za-z]+(\.[0-9A-Za-z]+)*$"


class Level(models.TextChoices):
    """Implementation level (cấp thực hiện)."""

    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện")
    COMMUNE = "commune", _("Cấp xã")


class Method(models.TextChoices):
    """How a dossier may be submitted (cách thức thực hiện)."""

    IN_PERSON = "in_person", _("Trực tiếp")
    ONLINE = "online", _("Trực tuyến")
    POSTAL = "postal", _("Qua dịch vụ bưu chính")


class OnlineLevel(models.TextChoices):
    """Online public service level (mức độ dịch vụ công trực tuyến)."""

    NONE = "", _("Chưa cung cấp trực tuyến")
    PARTIAL = "partial", _("Dịch vụ công trực tuyến một phần")
    FULL = "full", _("Dịch vụ công trực tuyến toàn trình")


def forms_storage() -> FileSystemStorage:
    """Forms of the master catalogue: one folder for the whole platform, not per schema."""
    return FileSystemStorage(
        location=Path(settings.MEDIA_ROOT) / "procedure-forms",
        base_url=None,
    )


class Procedure(models.Model):
    """A master record (thủ tục hành chính), with the fields of the national database."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Đang áp dụng")
        WITHDRAWN = "withdrawn", _("Đã bãi bỏ / thu hồi")

    code = models.CharField(
        _("mã thủ tục"),
        max_length=40,
        unique=True,
        validators=[
            RegexValidator(
                CODE_RE,
                _("Mã thủ tục chỉ gồm chữ, số và dấu chấm giữa các nhóm (ví dụ 1.001193)."),
            )
        ],
        error_messages={"unique": _("Đã có thủ tục mang mã này.")},
    )
    name = models.CharField(_("tên thủ tục"), max_length=1000)
    field = models.CharField(_("lĩnh vực"), max_length=255)
    levels = ArrayField(
        models.CharField(max_length=16, choices=Level.choices),
        verbose_name=_("cấp thực hiện"),
    )
    procedure_type = models.CharField(_("loại thủ tục"), max_length=255, blank=True)
    steps = models.TextField(_("trình tự thực hiện"), blank=True)
    methods = ArrayField(
        models.CharField(max_length=16, choices=Method.choices),
        verbose_name=_("cách thức thực hiện"),
        default=list,
        blank=True,
    )
    dossier = models.TextField(_("thành phần hồ sơ"), blank=True)
    processing_time = models.TextField(_("thời hạn giải quyết"), blank=True)
    fees = models.TextField(_("phí, lệ phí"), blank=True)
    agency = models.CharField(_("cơ quan thực hiện"), max_length=1000, blank=True)
    result = models.TextField(_("kết quả thực hiện"), blank=True)
    conditions = models.TextField(_("yêu cầu, điều kiện"), blank=True)
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    online_service_level = models.CharField(
        _("mức độ dịch vụ công trực tuyến"),
        max_length=16,
        choices=OnlineLevel.choices,
        blank=True,
        default="",
    )
    online_url = models.URLField(_("địa chỉ dịch vụ công trực tuyến"), max_length=500, blank=True)
    announcing_decision = models.CharField(_("quyết định công bố"), max_length=500, blank=True)
    # The national database's detail, as structure (the text fields above keep a readable
    # summary of the same facts for CSV exports and older clients).
    subjects = models.TextField(_("đối tượng thực hiện"), blank=True)
    competent_body = models.CharField(_("cơ quan có thẩm quyền"), max_length=1000, blank=True)
    national_url = models.URLField(
        _("trang thủ tục trên Cổng Dịch vụ công quốc gia"), max_length=500, blank=True
    )
    step_list = models.JSONField(
        _("các bước thực hiện"), default=list, blank=True, validators=[validate_step_list]
    )
    submission_ways = models.JSONField(
        _("cách thức nộp (thời hạn, phí từng cách)"),
        default=list,
        blank=True,
        validators=[validate_submission_ways],
    )
    dossier_items = models.JSONField(
        _("giấy tờ trong hồ sơ"), default=list, blank=True, validators=[validate_dossier_items]
    )
    legal_documents = models.JSONField(
        _("văn bản căn cứ pháp lý"),
        default=list,
        blank=True,
        validators=[validate_legal_documents],
    )
    status = models.CharField(
        _("tình trạng"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    owner = models.ForeignKey(
        "tenants.Tenant",
        verbose_name=_("thủ tục riêng của đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="local_procedures",
        help_text=_(
            "Để trống: thủ tục của danh mục tỉnh. Chọn một huyện: thủ tục riêng của huyện, "
            "gửi tới các xã thuộc huyện."
        ),
    )
    source = models.CharField(
        _("nguồn dữ liệu"),
        max_length=500,
        blank=True,
        help_text=_("Nơi lấy thông tin thủ tục (ví dụ Cơ sở dữ liệu quốc gia về TTHC)."),
    )
    # The version whose fan-out has been queued (receipts created): the reconciliation
    # sweep fans out again any procedure whose version is ahead of it.
    fanned_out_version = models.PositiveIntegerField(default=0, editable=False)
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lần cuối"), auto_now=True)

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = fold(f"{self.code} {self.name} {self.field} {self.agency}")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def level_labels(self) -> list[str]:
        return [str(Level(value).label) for value in self.levels if value in Level.values]

    def method_labels(self) -> list[str]:
        return [str(Method(value).label) for value in self.methods if value in Method.values]


class ProcedureForm(models.Model):
    """A form (biểu mẫu, tờ khai) of a procedure, as a file."""

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="forms", verbose_name=_("thủ tục")
    )
    title = models.CharField(_("tên biểu mẫu"), max_length=500)
    file = models.FileField(_("tệp"), storage=forms_storage, upload_to="%Y/%m/", max_length=500)
    sha256 = models.CharField(max_length=64, editable=False)
    size = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("biểu mẫu")
        verbose_name_plural = _("biểu mẫu")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def filename(self) -> str:
        return Path(self.file.name).name


class ProcedureVersion(models.Model):
    """One version of a procedure exactly as syndicated to the sites (never changed)."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    data = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("phiên bản thủ tục")
        verbose_name_plural = _("phiên bản thủ tục")
        ordering = ["procedure", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "version"], name="one_row_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.procedure_id} v{self.version}"


class SyndicationReceipt(models.Model):
    """Whether one site has one version of one procedure."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Đang chờ")
        DONE = "done", _("Đã cập nhật")
        FAILED = "failed", _("Lỗi")

    tenant = models.ForeignKey(
        "tenants.Tenant", on_delete=models.CASCADE, related_name="procedure_receipts"
    )
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="receipts")
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("biên nhận đồng bộ")
        verbose_name_plural = _("biên nhận đồng bộ")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "procedure", "version"], name="one_receipt_per_site_version"
            )
        ]
        indexes = [
            models.Index(fields=["procedure", "version"], name="receipt_procedure_version"),
            models.Index(fields=["status", "updated_at"], name="receipt_status_updated"),
        ]

    def __str__(self) -> str:
        return f"{self.tenant_id}/{self.procedure_id} v{self.version}: {self.status}"

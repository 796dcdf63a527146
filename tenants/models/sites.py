"""The registry of sites (one PostgreSQL schema each) and their domains.

Lives in the public schema.  The hierarchy province → district → commune is data
(``level`` and ``parent``); both the three-level model (before 1 July 2025) and
the two-level model (province → commune) are valid.
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import connections, models
from django.utils.translation import gettext_lazy as _
from django_tenants.clone import CloneSchema
from django_tenants.models import DomainMixin, TenantMixin
from django_tenants.utils import get_tenant_database_alias, schema_exists

from tenants.validators import CODE_LENGTH_BY_LEVEL, validate_hostname, validate_unit_code
from themes.registry import DEFAULT_THEME, theme_choices

_clone_function_lock = threading.Lock()


def _ensure_clone_function(connection) -> None:
    """Install django-tenants' ``clone_schema`` SQL function if the database lacks it.

    django-tenants replaces the function before every clone; two concurrent
    ``CREATE OR REPLACE FUNCTION`` on one function fail ("tuple concurrently updated"),
    which parallel provisioning would hit.  Installed once, it is simply reused.
    """
    with _clone_function_lock, connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE p.proname = 'clone_schema' AND n.nspname = 'public'"
        )
        if cursor.fetchone() is None:
            CloneSchema()._create_clone_schema_function()


class Tenant(TenantMixin):
    """One member site of the provincial portal: the province, a district or a commune."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Tỉnh / thành phố trực thuộc trung ương")
        DISTRICT = "district", _("Huyện / quận / thị xã / thành phố thuộc tỉnh")
        COMMUNE = "commune", _("Xã / phường / thị trấn / đặc khu")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Đang hoạt động")
        SUSPENDED = "suspended", _("Tạm ngừng")
        ARCHIVED = "archived", _("Lưu trữ (chỉ đọc)")

    # Which parent levels each level accepts; a commune under a province is the
    # two-level model in force since 1 July 2025.
    ALLOWED_PARENT_LEVELS = {
        Level.PROVINCE: (),
        Level.DISTRICT: (Level.PROVINCE,),
        Level.COMMUNE: (Level.DISTRICT, Level.PROVINCE),
    }

    name = models.CharField(_("tên đơn vị"), max_length=255)
    level = models.CharField(_("cấp"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    code = models.CharField(
        _("mã đơn vị hành chính"),
        max_length=8,
        unique=True,
        validators=[validate_unit_code],
        error_messages={"unique": _("Đã có trang dùng mã đơn vị hành chính này.")},
    )
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    unit_model = models.CharField(
        _("danh mục đơn vị hành chính"),
        max_length=16,
        choices=[("two-level", _("Hai cấp (từ 01/7/2025)")), ("three-level", _("Ba cấp"))],
        default="two-level",
        help_text=_("Danh mục chính thức mà các đơn vị của tỉnh được lấy từ đó."),
    )
    status_notice = models.TextField(
        _("thông báo trạng thái"),
        blank=True,
        help_text=_("Hiển thị cho người truy cập khi trang tạm ngừng hoặc đã lưu trữ."),
    )
    theme = models.CharField(
        _("giao diện"),
        max_length=32,
        choices=theme_choices(),
        default=DEFAULT_THEME,
        help_text=_("Bộ giao diện chung do tỉnh chọn; màu và biểu trưng riêng do trang tự đặt."),
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("đã sáp nhập vào"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="absorbed_sites",
        help_text=_("Trang còn lại sau khi sáp nhập; nội dung của trang này đã được chuyển sang."),
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lần cuối"), auto_now=True)

    # Schemas are created by tenants.provisioning inside one transaction, so that a
    # failure leaves no schema and no row behind; never implicitly on save().
    auto_create_schema = False
    auto_drop_schema = False

    class Meta:
        verbose_name = _("trang thành viên")
        verbose_name_plural = _("trang thành viên")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, list[ValidationError]] = {}
        expected = CODE_LENGTH_BY_LEVEL.get(self.level)
        if expected and self.code and self.code.isdigit() and len(self.code) != expected:
            errors.setdefault("code", []).append(
                ValidationError(
                    _("Mã đơn vị cấp %(level)s gồm %(n)d chữ số; “%(code)s” có %(m)d."),
                    code="code_length",
                    params={
                        "level": self.get_level_display(),
                        "n": expected,
                        "code": self.code,
                        "m": len(self.code),
                    },
                )
            )
        allowed = self.ALLOWED_PARENT_LEVELS.get(self.level)
        if allowed is not None:
            if not allowed and self.parent_id:
                errors.setdefault("parent", []).append(
                    ValidationError(
                        _("Trang cấp tỉnh không có đơn vị cấp trên."), code="parent_level"
                    )
                )
            elif allowed and not self.parent_id:
                errors.setdefault("parent", []).append(
                    ValidationError(
                        _("Trang cấp %(level)s phải thuộc một đơn vị cấp trên."),
                        code="parent_required",
                        params={"level": self.get_level_display()},
                    )
                )
            elif allowed and self.parent.level not in allowed:
                errors.setdefault("parent", []).append(
                    ValidationError(
                        _("Đơn vị cấp trên của cấp %(level)s không thể là cấp %(parent)s."),
                        code="parent_level",
                        params={
                            "level": self.get_level_display(),
                            "parent": self.parent.get_level_display(),
                        },
                    )
                )
        if errors:
            raise ValidationError(errors)

    def get_base_schema(self) -> str | bool:
        """Each level is cloned from its own template schema."""
        return settings.TENANT_TEMPLATE_SCHEMAS.get(self.level, False)

    def create_schema(self, check_if_exists=False, sync_schema=True, verbosity=1) -> bool:
        """Clone the level's template schema, data included.

        django-tenants follows a clone with a faked ``migrate_schemas``; with data mode the
        clone already carries the template's ``django_migrations`` rows, so that step only
        reloads the migration graph (about 0.7 s a site) and is skipped here.
        """
        connection = connections[get_tenant_database_alias()]
        if check_if_exists and schema_exists(self.schema_name):
            return False
        template = self.get_base_schema()
        if not template or not schema_exists(template):
            raise ImproperlyConfigured(
                f"template schema {template!r} for level {self.level!r} does not exist"
            )
        connection.set_schema_to_public()
        _ensure_clone_function(connection)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT clone_schema(%s, %s, %s)", [template, self.schema_name, self.clone_mode]
            )
        return True

    @property
    def primary_domain(self) -> str | None:
        # Uses prefetched domains when a listing loaded them (no query per row).
        if "domains" in getattr(self, "_prefetched_objects_cache", {}):
            primary = [d for d in self.domains.all() if d.is_primary]
            return primary[0].domain if primary else None
        domain = self.get_primary_domain()
        return domain.domain if domain else None

    @property
    def province(self) -> Tenant:
        node = self
        while node.parent_id:
            node = node.parent
        return node

    def primary_url(self) -> str:
        """Absolute URL of the site's home page on its public origin (PUBLIC_URL_* settings)."""
        from component_sites.core.origin import origin_for_host

        return f"{origin_for_host(self.primary_domain or '')}/"


class Domain(DomainMixin):
    """A host name of a site: exactly one primary, any number of aliases (301 to the primary)."""

    domain = models.CharField(
        _("tên miền"),
        max_length=253,
        unique=True,
        db_index=True,
        validators=[validate_hostname],
        error_messages={"unique": _("Tên miền này đã được gán cho một trang khác.")},
    )
    # A domain of a site merged into this one: every path is redirected to the moved
    # content, i.e. ``path_prefix`` + the old path, or an exact entry of MovedPath.
    merged_from = models.ForeignKey(
        Tenant,
        verbose_name=_("tên miền cũ của"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    path_prefix = models.CharField(_("tiền tố đường dẫn"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)

    class Meta:
        verbose_name = _("tên miền")
        verbose_name_plural = _("tên miền")
        ordering = ["-is_primary", "domain"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant"],
                condition=models.Q(is_primary=True),
                name="one_primary_domain_per_tenant",
            )
        ]

    def clean_fields(self, exclude=None):
        # Host names are case-insensitive; store them in one spelling.
        self.domain = (self.domain or "").strip().lower()
        super().clean_fields(exclude=exclude)

    def validate_unique(self, exclude=None):
        # A taken name says which site holds it, so the admin knows where to look.
        if "domain" not in (exclude or []) and self.domain:
            owner = (
                Domain.objects.filter(domain=self.domain.strip().lower())
                .exclude(pk=self.pk)
                .select_related("tenant")
                .first()
            )
            if owner is not None:
                kind = _("tên miền chính") if owner.is_primary else _("tên miền phụ")
                raise ValidationError(
                    {
                        "domain": _(
                            "Tên miền này đã được gán cho một trang khác: %(name)s "
                            "(mã %(code)s, %(kind)s)."
                        )
                        % {"name": owner.tenant.name, "code": owner.tenant.code, "kind": kind}
                    }
                )
        super().validate_unique(exclude=exclude)

    def save(self, *args, **kwargs):
        self.domain = (self.domain or "").strip().lower()
        super().save(*args, **kwargs)


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


class MovedPath(models.Model):
    """An old URL path of a merged site and where its content lives now (same survivor).

    Pages move with their tree, so a path prefix on the old domains covers them; files do
    not (their ids and storage paths change), so each old file URL gets an entry.
    """

    source = models.ForeignKey(
        Tenant, on_delete=models.CASCADE, related_name="moved_paths", verbose_name=_("trang cũ")
    )
    old_path = models.CharField(_("đường dẫn cũ"), max_length=1024)
    new_path = models.CharField(_("đường dẫn mới"), max_length=1024)

    class Meta:
        verbose_name = _("đường dẫn đã chuyển")
        verbose_name_plural = _("đường dẫn đã chuyển")
        constraints = [
            models.UniqueConstraint(fields=["source", "old_path"], name="one_target_per_old_path")
        ]

    def __str__(self) -> str:
        return f"{self.old_path} → {self.new_path}"


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

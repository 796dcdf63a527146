"""The registry of sites: one PostgreSQL schema each.

Lives in the public schema.  The hierarchy province → district → commune is data
(``level`` and ``parent``); both the three-level model (before 1 July 2025) and
the two-level model (province → commune) are valid.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import connections, models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import TenantMixin
from django_tenants.utils import get_tenant_database_alias, schema_exists

from tenants.schema_copy import copy_or_clone, ensure_clone_function
from tenants.validators import CODE_LENGTH_BY_LEVEL, validate_unit_code
from themes.registry import DEFAULT_THEME, theme_choices

# Kept here under its old name for the modules that import it from tenants.models.
_ensure_clone_function = ensure_clone_function


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
        """Copy the level's template schema, data included (``tenants.schema_copy``).

        django-tenants follows a clone with a faked ``migrate_schemas``; the copy already
        carries the template's ``django_migrations`` rows, so that step only reloads the
        migration graph (about 0.7 s a site) and is skipped here.
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
        copy_or_clone(template, self.schema_name)
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

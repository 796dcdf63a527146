"""The host names of a site, and the old addresses of merged sites that lead into it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin

from tenants.validators import validate_hostname

from .sites import Tenant


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

"""Lifecycle of a site: rename, suspend, resume, archive, domain aliases — each audited.

Every operation validates first and changes nothing on bad input (LifecycleError with
a message for the admin); what it changes is recorded in Wagtail's audit log with
who, when, and the state before and after.
"""

from __future__ import annotations

import functools
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context
from wagtail.log_actions import log

from .models import Domain, Tenant


def on_public_schema(func):
    """Run a control-plane operation on the public schema, whatever the caller's schema.

    The registry and its audit trail live in public; Wagtail's log tables exist in every
    schema, so an operation run while a site's schema is active would log into that site.
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with schema_context(get_public_schema_name()), transaction.atomic():
            return func(*args, **kwargs)

    return wrapper


class LifecycleError(Exception):
    """An operation refused; the message says why, in words for the admin."""


def snapshot(tenant: Tenant) -> dict[str, Any]:
    """The audited state of a site."""
    domains = list(tenant.domains.order_by("-is_primary", "domain"))
    return {
        "name": tenant.name,
        "status": tenant.status,
        "status_notice": tenant.status_notice,
        "theme": tenant.theme,
        "primary_domain": next((d.domain for d in domains if d.is_primary), None),
        "aliases": [d.domain for d in domains if not d.is_primary],
    }


def audit(tenant: Tenant, action: str, user, before: dict | None, **extra: Any) -> None:
    """Record a control-plane change of ``tenant``; its cached pages show the new state."""
    from component_sites.core.page_cache import purge_site

    from .routing_cache import forget_tenant

    tenant.refresh_from_db()
    forget_tenant(tenant)  # bulk updates (promote) send no signal
    purge_site(tenant.schema_name)
    log(
        tenant,
        action,
        user=user if getattr(user, "is_authenticated", False) else None,
        data={"before": before, "after": snapshot(tenant), **extra},
        title=tenant.name,
    )


@on_public_schema
def rename(tenant: Tenant, name: str, user=None) -> Tenant:
    name = (name or "").strip()
    if not name:
        raise LifecycleError(_("Tên đơn vị không được để trống."))
    if len(name) > 255:
        raise LifecycleError(_("Tên đơn vị dài quá 255 ký tự."))
    before = snapshot(tenant)
    tenant.name = name
    tenant.save(update_fields=["name", "updated_at"])
    _update_site_row(tenant, site_name=tenant.name)
    _rename_body(tenant, before["name"])
    audit(tenant, "tenants.rename", user, before)
    return tenant


def _rename_body(tenant: Tenant, old_name: str) -> None:
    """The body's name in the branding follows the unit's, unless the site changed it."""
    from themes.models import SiteBranding, default_body_name

    with schema_context(tenant.schema_name):
        SiteBranding.objects.filter(body_name=default_body_name(old_name)).update(
            body_name=default_body_name(tenant.name)
        )


@on_public_schema
def set_theme(tenant: Tenant, theme: str, user=None) -> Tenant:
    """Give the site another of the province's themes (its own colours and logo stay)."""
    from themes.registry import THEMES

    if theme not in THEMES:
        raise LifecycleError(
            _("Không có giao diện “%(t)s”; chọn một trong: %(all)s.")
            % {"t": theme, "all": ", ".join(THEMES)}
        )
    if theme == tenant.theme:
        raise LifecycleError(_("Trang đang dùng giao diện này."))
    before = snapshot(tenant)
    tenant.theme = theme
    tenant.save(update_fields=["theme", "updated_at"])
    audit(tenant, "tenants.theme", user, before)
    return tenant


def _update_site_row(tenant: Tenant, **fields: Any) -> None:
    """Update the Wagtail Site row inside the site's schema and drop its cached root paths."""
    from wagtail.models import Site

    with schema_context(tenant.schema_name):
        Site.objects.filter(is_default_site=True).update(**fields)
        Site.clear_site_root_paths_cache()


def _set_status(tenant: Tenant, status: str, notice: str, action: str, user) -> Tenant:
    before = snapshot(tenant)
    tenant.status = status
    tenant.status_notice = (notice or "").strip()
    tenant.save(update_fields=["status", "status_notice", "updated_at"])
    audit(tenant, action, user, before)
    return tenant


@on_public_schema
def suspend(tenant: Tenant, notice: str = "", user=None) -> Tenant:
    if tenant.status == Tenant.Status.SUSPENDED:
        raise LifecycleError(_("Trang “%(name)s” đang tạm ngừng.") % {"name": tenant.name})
    return _set_status(tenant, Tenant.Status.SUSPENDED, notice, "tenants.suspend", user)


@on_public_schema
def resume(tenant: Tenant, user=None) -> Tenant:
    if tenant.status != Tenant.Status.SUSPENDED:
        raise LifecycleError(
            _("Chỉ trang đang tạm ngừng mới cho hoạt động lại; “%(name)s” đang ở trạng thái %(s)s.")
            % {"name": tenant.name, "s": tenant.get_status_display()}
        )
    return _set_status(tenant, Tenant.Status.ACTIVE, "", "tenants.resume", user)


@on_public_schema
def archive(tenant: Tenant, notice: str = "", user=None) -> Tenant:
    if tenant.level == Tenant.Level.PROVINCE:
        raise LifecycleError(
            _("Không thể lưu trữ cổng thông tin cấp tỉnh “%(name)s”.") % {"name": tenant.name}
        )
    if tenant.status == Tenant.Status.ARCHIVED:
        raise LifecycleError(_("Trang “%(name)s” đã được lưu trữ.") % {"name": tenant.name})
    return _set_status(tenant, Tenant.Status.ARCHIVED, notice, "tenants.archive", user)


@on_public_schema
def unarchive(tenant: Tenant, user=None) -> Tenant:
    """Undo an archive: the site is writable again (audited). A merged site stays archived."""
    if tenant.status != Tenant.Status.ARCHIVED:
        raise LifecycleError(
            _("Chỉ trang đang lưu trữ mới bỏ lưu trữ được; “%(name)s” đang ở trạng thái %(s)s.")
            % {"name": tenant.name, "s": tenant.get_status_display()}
        )
    if tenant.merged_into_id:
        raise LifecycleError(
            _(
                "Trang “%(name)s” đã sáp nhập vào “%(into)s”: nội dung và địa chỉ đã chuyển "
                "sang đó, không bỏ lưu trữ được."
            )
            % {"name": tenant.name, "into": tenant.merged_into.name}
        )
    return _set_status(tenant, Tenant.Status.ACTIVE, "", "tenants.unarchive", user)


def is_read_only(tenant: Tenant) -> bool:
    """Archived or merged: the console offers no action that writes to the site."""
    return tenant.status == Tenant.Status.ARCHIVED or bool(tenant.merged_into_id)


@on_public_schema
def add_alias(tenant: Tenant, hostname: str, user=None) -> Domain:
    before = snapshot(tenant)
    domain = Domain(domain=hostname or "", tenant=tenant, is_primary=False)
    try:
        domain.full_clean()
    except ValidationError as exc:
        messages = exc.message_dict.get("domain") or exc.messages
        raise LifecycleError(" ".join(messages)) from exc
    domain.save()
    audit(tenant, "tenants.domain_add", user, before, domain=domain.domain)
    return domain


def _domain_of(tenant: Tenant, hostname: str) -> Domain:
    hostname = (hostname or "").strip().lower()
    domain = tenant.domains.filter(domain=hostname).first()
    if domain is None:
        raise LifecycleError(
            _("Trang “%(name)s” không có tên miền “%(d)s”.") % {"name": tenant.name, "d": hostname}
        )
    return domain


@on_public_schema
def remove_alias(tenant: Tenant, hostname: str, user=None) -> None:
    domain = _domain_of(tenant, hostname)
    if domain.is_primary:
        raise LifecycleError(
            _("Không thể gỡ tên miền chính “%(d)s”; hãy đặt tên miền khác làm chính trước.")
            % {"d": domain.domain}
        )
    before = snapshot(tenant)
    domain.delete()
    audit(tenant, "tenants.domain_remove", user, before, domain=domain.domain)


@on_public_schema
def promote_alias(tenant: Tenant, hostname: str, user=None) -> Domain:
    domain = _domain_of(tenant, hostname)
    if domain.is_primary:
        raise LifecycleError(_("“%(d)s” đã là tên miền chính.") % {"d": domain.domain})
    before = snapshot(tenant)
    tenant.domains.filter(is_primary=True).update(is_primary=False)
    domain.is_primary = True
    domain.save()
    _update_site_row(tenant, hostname=domain.domain)
    audit(tenant, "tenants.domain_promote", user, before, domain=domain.domain)
    return domain


@on_public_schema
def reset_two_factor(tenant: Tenant, username: str, user=None) -> int:
    """Remove an account's two-factor devices in ``tenant`` (lost phone); audited in both logs.

    The site's log records it against the account, the console's trail against the site.
    Returns the number of devices removed.
    """
    from django.contrib.auth import get_user_model

    from component_sites.accounts.two_factor import reset_devices

    username = (username or "").strip()
    with schema_context(tenant.schema_name):
        account = get_user_model().objects.filter(username=username).first()
        if account is None:
            raise LifecycleError(
                _("Trang “%(name)s” không có tài khoản “%(u)s”.")
                % {"name": tenant.name, "u": username}
            )
        operator = user.get_username() if getattr(user, "is_authenticated", False) else ""
        removed = reset_devices(account, reason=f"manage_site reset-2fa {operator}".strip())
    log(
        tenant,
        "tenants.reset_2fa",
        user=user if getattr(user, "is_authenticated", False) else None,
        data={"username": username, "devices": removed},
        title=tenant.name,
    )
    return removed


def retry_setup(tenant: Tenant, user=None) -> None:
    """Run again the worker's part of a new site's setup after it failed (console)."""
    from . import site_setup

    if not site_setup.retry(tenant.pk):
        raise LifecycleError(_("Phần hoàn tất thiết lập của trang này không ở trạng thái lỗi."))

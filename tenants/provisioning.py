"""Creating a site: validate everything, then clone its schema in one transaction.

PostgreSQL DDL is transactional, so the clone, the registry rows and the site's
own seed data either all exist afterwards or none of them does: a failure at any
step leaves no schema and no half-made row behind.
"""

from __future__ import annotations

import functools
import logging
import re
import secrets
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils.translation import gettext as _
from django_tenants.postgresql_backend.base import _check_schema_name
from django_tenants.utils import schema_exists

from component_sites.core.origin import origin_for_host
from component_sites.core.text import fold
from themes.registry import DEFAULT_THEME

from . import site_setup
from .models import Domain, Tenant
from .onboarding import admin_setup_link
from .routing_cache import forget as forget_hostnames
from .schema_pool import take_pooled_schema
from .site_configuration import audit_creation, configure_site_schema
from .specs import SiteSpec

logger = logging.getLogger(__name__)

SCHEMA_PREFIX = {"province": "p", "district": "d", "commune": "c"}
# Stricter than PostgreSQL (which would accept quoted names): names that need no
# quoting in psql, pg_dump or a shell, and never the reserved "pg_" prefix.
SCHEMA_NAME_RE = re.compile(r"^(?!pg_)[a-z][a-z0-9_]{0,62}$")


class ProvisioningError(Exception):
    """A site could not be created; ``messages`` says why, in words for the admin."""

    def __init__(self, messages: dict[str, list[str]] | list[str] | str):
        if isinstance(messages, str):
            messages = {"__all__": [messages]}
        elif isinstance(messages, list):
            messages = {"__all__": list(messages)}
        self.messages = messages
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in messages.items()))


@dataclass
class ProvisionedSite:
    tenant: Tenant
    admin_username: str
    admin_password: str | None
    # The schema was a ready clone from the pool (False: cloned while the request waited).
    from_pool: bool = False
    # The admin account just made (its one-time link can be built without reading it again).
    admin_account: object = field(default=None, repr=False)
    # The site's primary host name; None when the admin was given a password.
    link_host: str | None = field(default=None, repr=False)

    @functools.cached_property
    def setup_link(self) -> str | None:
        """The one-time link to set the admin's password, when none was given.

        Built when asked (the command line prints it; the console, in development): building
        it loads the sites' URL configuration, 0.4 s the first time in a console process.
        """
        if self.link_host is None:
            return None
        return admin_setup_link(
            self.tenant,
            self.admin_username,
            base_url=origin_for_host(self.link_host),
            user=self.admin_account,
        )


def ascii_slug(text: str) -> str:
    """``Xã Độc Lập`` → ``xa_doc_lap`` (ASCII, diacritics removed, đ → d)."""
    return re.sub(r"[^a-z0-9]+", "_", fold(text)).strip("_")


def default_schema_name(level: str, code: str) -> str:
    """A schema name that stays valid and unique: level prefix and official code."""
    return f"{SCHEMA_PREFIX.get(level, 's')}_{code}"


def _errors_of(exc: ValidationError, prefix: str = "") -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    if hasattr(exc, "error_dict"):
        for key, errs in exc.message_dict.items():
            out.setdefault(prefix + key if key != "__all__" else "__all__", []).extend(errs)
    else:
        out.setdefault("__all__", []).extend(exc.messages)
    return out


def validate_spec(spec: SiteSpec) -> tuple[Tenant, list[Domain]]:
    """Build unsaved rows for ``spec`` and check them all; raise ProvisioningError."""
    errors: dict[str, list[str]] = {}
    parent = None
    if spec.parent_code:
        parent = Tenant.objects.filter(code=spec.parent_code).first()
        if parent is None:
            errors["parent"] = [
                _("Không tìm thấy đơn vị cấp trên có mã “%(code)s”.") % {"code": spec.parent_code}
            ]
    schema_name = spec.schema_name or default_schema_name(spec.level, spec.code)
    tenant = Tenant(
        name=(spec.name or "").strip(),
        unit_model=spec.unit_model,
        level=spec.level,
        code=(spec.code or "").strip(),
        parent=parent,
        schema_name=schema_name,
        theme=spec.theme or (parent.theme if parent else DEFAULT_THEME),
    )
    try:
        tenant.full_clean()
    except ValidationError as exc:
        for key, msgs in _errors_of(exc).items():
            errors.setdefault(key, []).extend(msgs)
    try:
        _check_schema_name(schema_name)
        if not SCHEMA_NAME_RE.match(schema_name):
            raise ValidationError("schema name")
    except ValidationError:
        errors.setdefault("schema_name", []).append(
            _(
                "Tên lược đồ “%(name)s” không hợp lệ: tối đa 63 ký tự chữ thường không dấu, "
                "chữ số, gạch dưới; không bắt đầu bằng “pg_”."
            )
            % {"name": schema_name}
        )
    if schema_exists(schema_name) and "schema_name" not in errors:
        errors.setdefault("schema_name", []).append(
            _("Lược đồ “%(name)s” đã tồn tại trong cơ sở dữ liệu.") % {"name": schema_name}
        )
    hostnames = [spec.domain, *spec.aliases]
    domains: list[Domain] = []
    seen: set[str] = set()
    for index, hostname in enumerate(hostnames):
        domain = Domain(domain=hostname or "", is_primary=index == 0)
        key = "domain" if index == 0 else "aliases"
        try:
            domain.clean_fields(exclude=["tenant"])
            domain.validate_unique()
        except ValidationError as exc:
            errors.setdefault(key, []).extend(_errors_of(exc).get("domain", exc.messages))
        if domain.domain in seen:
            errors.setdefault(key, []).append(
                _("Tên miền “%(d)s” được nhập hai lần.") % {"d": domain.domain}
            )
        seen.add(domain.domain)
        domains.append(domain)
    if errors:
        raise ProvisioningError(errors)
    return tenant, domains


def _validate_admin(username: str, email: str, errors: dict[str, list[str]]) -> None:
    """The first admin's fields, checked before anything is written (its schema is new)."""
    user = get_user_model()(username=username, email=email or "")
    try:
        user.full_clean(exclude=["password"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for key, msgs in _errors_of(exc, prefix="admin_").items():
            errors.setdefault(key, []).extend(msgs)


def provision_site(spec: SiteSpec, *, send_invitation: bool = True, user=None) -> ProvisionedSite:
    """Create a site from ``spec``: registry rows, cloned schema, Site row, admin account.

    With ``spec.admin_password == ""`` the admin gets no password but a one-time link,
    returned in the result and, with ``send_invitation``, mailed by the worker once the
    transaction commits.  The site answers on its domain when this returns; what it need
    not wait for (its search entry, procedures beyond the template's, figures, the e-mail,
    the pool's refill) is done by the worker afterwards (``tenants.site_setup``).
    """
    username = spec.admin_username or "quantri"
    try:
        tenant, domains = validate_spec(spec)
        errors: dict[str, list[str]] = {}
    except ProvisioningError as exc:
        tenant, domains, errors = None, [], exc.messages
    _validate_admin(username, spec.admin_email, errors)
    if errors:
        raise ProvisioningError(errors)
    template = tenant.get_base_schema()
    if not template or not schema_exists(template):
        raise ProvisioningError(
            _("Chưa có lược đồ mẫu “%(s)s”; hãy chạy “python manage.py ensure_site_templates”.")
            % {"s": template}
        )
    password = spec.admin_password
    if password is None:
        password = secrets.token_urlsafe(12)
    invite = username if password == "" and send_invitation and spec.admin_email else ""
    connection.set_schema_to_public()
    try:
        with transaction.atomic():
            tenant.save()
            for domain in domains:
                domain.tenant = tenant
            # No per-row signals: the routing cache forgets the new names once, below.
            Domain.objects.bulk_create(domains)
            forget_hostnames([d.domain for d in domains])
            # A ready clone from the pool is only renamed; with none ready, clone now.
            from_pool = take_pooled_schema(tenant.level, template, tenant.schema_name)
            if not from_pool:
                tenant.create_schema(check_if_exists=False, verbosity=0)
            admin = configure_site_schema(
                tenant, domains[0].domain, username, spec.admin_email, password
            )
            connection.set_schema_to_public()
            audit_creation(tenant, domains, user)
            # The rest (procedures, search entry, figures, e-mail, pool) after the commit.
            site_setup.record(tenant, invite_username=invite)
    except ValidationError as exc:
        raise ProvisioningError(_errors_of(exc, prefix="admin_")) from exc
    except DatabaseError as exc:
        connection.set_schema_to_public()
        logger.exception("Provisioning %s failed", tenant.schema_name)
        raise ProvisioningError(
            _("Cơ sở dữ liệu từ chối tạo trang “%(name)s”: %(err)s")
            % {"name": tenant.name, "err": str(exc).strip().splitlines()[0]}
        ) from exc
    finally:
        connection.set_schema_to_public()
    result = ProvisionedSite(
        tenant=tenant,
        admin_username=username,
        admin_password=password,
        from_pool=from_pool,
        admin_account=admin,
    )
    if password == "":
        result.admin_password = None
        result.link_host = domains[0].domain
    return result


# The configuration a migrated schema needs too (bench/provisioning.py).
_configure_site_schema = configure_site_schema

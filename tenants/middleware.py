"""Routes every request to its site's schema by host name.

- a control domain → the public schema and the platform console;
- a site's primary domain → that site's schema and the site URLconf;
- an alias → 301 to the same path on the primary domain (the domain of a site merged
  into this one → 301 to where that path's content moved);
- a suspended site → 503 notice; an archived site → read-only (unsafe methods refused);
- a site whose schema is missing or has no Wagtail tables (dropped or half restored) →
  503 maintenance notice: PostgreSQL would otherwise resolve the tables through
  ``public`` on the search path and serve the public schema's pages on the site's host;
- any other host → a plain 404 page, never the public schema's pages.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.db import connection
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length
from django.http import HttpResponsePermanentRedirect
from django.template.response import SimpleTemplateResponse
from django.urls import set_urlconf
from django_tenants.middleware.main import TenantMainMiddleware

from . import content_types, routing_cache
from .models import Domain, MovedPath, Tenant

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
logger = logging.getLogger(__name__)

# True when the site's schema exists and holds Wagtail's site table (checked in the same
# query as the domain: no extra round trip per request).
# True when the schema named by ``{schema}`` exists and holds Wagtail's tables.
_SCHEMA_HOLDS_WAGTAIL = (
    "EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n "
    "ON n.oid = c.relnamespace WHERE n.nspname = {schema} "
    "AND c.relname = 'wagtailcore_site')"
)
# Constant text (a column name, no input): the schema of the tenant row being read.
SCHEMA_READY = RawSQL(_SCHEMA_HOLDS_WAGTAIL.format(schema="tenants_tenant.schema_name"), [])  # noqa: S611


def netloc_for(request, hostname: str) -> str:
    """``hostname`` with the port the visitor used (from the Host header), if not default."""
    _host, sep, port = request.get_host().rpartition(":")
    default_port = "443" if request.is_secure() else "80"
    if not sep or not port.isdigit() or port == default_port:
        return hostname
    return f"{hostname}:{port}"


def moved_location(domain: Domain, request) -> str:
    """Where an old URL of a merged site's domain now lives on the survivor.

    Every moved page and file has an exact entry; an address below a moved page (an
    article's print view, a procedure under the procedures section) follows its longest
    moved ancestor; anything else goes to the domain's path prefix + the same path.
    """
    path = request.path
    moved = (
        MovedPath.objects.filter(
            source_id=domain.merged_from_id, old_path__in={path, path.rstrip("/")}
        )
        .values_list("new_path", flat=True)
        .first()
    )
    query = request.META.get("QUERY_STRING", "")
    if moved:
        return f"{moved}?{query}" if query and moved.endswith("/") else moved
    ancestor = (
        MovedPath.objects.filter(source_id=domain.merged_from_id, old_path__endswith="/")
        .exclude(old_path="/")
        .extra(where=["starts_with(%s, old_path)"], params=[path])  # noqa: S610 - bound
        .order_by(Length("old_path").desc())
        .values_list("old_path", "new_path")
        .first()
    )
    if ancestor:
        location = ancestor[1] + path[len(ancestor[0]) :]
        return f"{location}?{query}" if query else location
    if path == "/admin" or path.startswith("/admin/"):
        return "/admin/"
    location = domain.path_prefix.rstrip("/") + path
    return f"{location}?{query}" if query else location


def _notice(template: str, status: int, context: dict | None = None) -> SimpleTemplateResponse:
    response = SimpleTemplateResponse(template, context or {}, status=status)
    response.render()
    if status == 503:
        response["Retry-After"] = "3600"
    response["Cache-Control"] = "no-store"
    return response


def load_domain(hostname: str) -> Domain | None:
    """The domain row of ``hostname`` with its site, schema readiness and primary domain."""
    # The chain of parents (the footer names the province, the home page links the parent)
    # and the parent's domains come with it: kept in the routing cache, no query per page.
    domain = (
        Domain.objects.select_related("tenant__parent__parent__parent")
        .prefetch_related("tenant__domains", "tenant__parent__domains")
        .annotate(schema_ready=SCHEMA_READY)
        .filter(domain=hostname)
        .first()
    )
    if domain is not None:
        domain.primary_hostname = (
            domain.domain if domain.is_primary else domain.tenant.primary_domain
        )
    return domain


class SchemaGuard:
    """Checks, before a request's first SQL statement, that its site's schema still exists.

    A lookup from the routing cache was checked when it was cached, not now: a schema
    dropped or renamed since (a restore by hand) would leave ``search_path`` with only
    public, whose Wagtail pages would then be served as the site's.  A request served
    from the page cache runs no SQL and so costs nothing more; the others pay one catalog
    query.
    """

    def __init__(self, tenant: Tenant):
        self.tenant = tenant
        self.checked = False
        self.missing = False

    def __call__(self, execute, sql, params, many, context):
        if not self.checked:
            self.checked = True
            with context["connection"].cursor() as cursor:
                cursor.execute(
                    "SELECT " + _SCHEMA_HOLDS_WAGTAIL.format(schema="%s"),
                    [self.tenant.schema_name],
                )
                self.missing = not cursor.fetchone()[0]
        if self.missing:
            raise SchemaMissing(self.tenant.schema_name)
        return execute(sql, params, many, context)


class SchemaMissing(Exception):
    """The site's schema vanished after its domain lookup was cached (see ``SchemaGuard``)."""


def _maintenance(tenant: Tenant):
    logger.error("site %s: schema %s missing or incomplete", tenant.code, tenant.schema_name)
    return _notice("errors/site_maintenance.html", 503, {"site": tenant})


class SiteRoutingMiddleware(TenantMainMiddleware):
    """Selects the schema, URLconf and lifecycle behaviour for the request's host."""

    def __call__(self, request):
        response = self.process_request(request)
        if response is not None:
            return response
        guard = getattr(request, "_schema_guard", None)
        if guard is None:
            return self.get_response(request)
        try:
            with connection.execute_wrapper(guard):
                response = self.get_response(request)
        except Exception:
            if not guard.missing:
                raise
        if guard.missing:  # whatever the layers inside made of it (a 500 page): 503
            connection.set_schema_to_public()
            routing_cache.forget_tenant(guard.tenant)
            return _maintenance(guard.tenant)
        return response

    @staticmethod
    def hostname_from_request(request) -> str:
        # Unlike django-tenants' default, "www." is kept: it is an alias like any other.
        return request.get_host().split(":")[0].lower().rstrip(".")

    def process_request(self, request):
        connection.set_schema_to_public()
        try:
            hostname = self.hostname_from_request(request)
        except DisallowedHost:
            return _notice("errors/unknown_host.html", 404, {"hostname": ""})

        if hostname in settings.CONTROL_DOMAINS:
            request.tenant = connection.tenant
            request.is_control_plane = True
            request.urlconf = settings.PUBLIC_SCHEMA_URLCONF
            set_urlconf(request.urlconf)
            return None

        loaded = []

        def load(name):
            loaded.append(name)
            return load_domain(name)

        domain = routing_cache.find_domain(hostname, load)
        if domain is None:
            return _notice("errors/unknown_host.html", 404, {"hostname": hostname})

        tenant: Tenant = domain.tenant
        if not domain.is_primary:
            primary = domain.primary_hostname
            if primary:
                location = (
                    moved_location(domain, request)
                    if domain.merged_from_id
                    else request.get_full_path()
                )
                return HttpResponsePermanentRedirect(
                    f"{request.scheme}://{netloc_for(request, primary)}{location}"
                )

        request.is_control_plane = False
        if tenant.status == Tenant.Status.SUSPENDED:
            return _notice("errors/site_suspended.html", 503, {"site": tenant})

        if not domain.schema_ready:
            return _maintenance(tenant)
        if not loaded:  # from the routing cache: the schema is checked before the first query
            request._schema_guard = SchemaGuard(tenant)

        tenant.domain_url = hostname
        request.tenant = tenant
        connection.set_tenant(tenant)
        content_types.warm(tenant)
        self.setup_url_routing(request)

        if tenant.status == Tenant.Status.ARCHIVED and request.method not in SAFE_METHODS:
            return _notice("errors/site_read_only.html", 403, {"site": tenant})
        return None

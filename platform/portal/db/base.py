"""django-tenants' PostgreSQL backend with a content-type cache that follows the schema.

Django caches ContentType rows per process, keyed only by model.  Content type
ids differ between the public schema and the site schemas, so a cached id from
one schema must never be used in another: the cache is cleared whenever the
connection moves to a different schema.
"""

from django_tenants.postgresql_backend.base import DatabaseWrapper as TenantDatabaseWrapper


class DatabaseWrapper(TenantDatabaseWrapper):
    """Tenant-aware wrapper that drops the ContentType cache on a schema change."""

    def set_tenant(self, tenant, include_public=True):
        previous = getattr(self, "schema_name", None)
        super().set_tenant(tenant, include_public)
        if previous is not None and previous != self.schema_name:
            from django.contrib.contenttypes.models import ContentType

            ContentType.objects.clear_cache()

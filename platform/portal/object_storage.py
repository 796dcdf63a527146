"""Uploads on S3-compatible object storage, each site under its own prefix (django-storages).

Mirrors django-tenants' ``TenantFileSystemStorage``: the names kept in the database stay
relative (``documents/quyet-dinh.pdf``); the storage puts them under ``<schema>/`` of one
bucket, so one site's names never reach another site's objects.  Documents are read by the
platform's document view (collection privacy) with the storage's credentials; only image
folders need to be public (docs/deployment.md, "Media on object storage").
"""

from __future__ import annotations

from django.db import connection
from storages.backends.s3 import S3Storage


class TenantS3Storage(S3Storage):
    """``S3Storage`` with the current site's schema as the first part of every key."""

    def _normalize_name(self, name: str) -> str:
        schema = connection.schema_name or "public"
        return super()._normalize_name(f"{schema}/{name.lstrip('/')}")

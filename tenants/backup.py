"""Backup and restore of one site: its schema, its public rows, its media folder, one archive.

The archive (``<code>-<timestamp>.site.tar``) holds:

- ``schema.dump``: ``pg_dump -n <schema> --format=custom`` (all the site's Wagtail content);
- ``public.json``: the site's rows in the public schema — the tenant itself, its domains
  (legacy domains of merged sites included), moved paths, procedure receipts and content
  figures (Django's serialiser, primary keys kept);
- ``media.tar``: ``MEDIA_ROOT/<schema>/`` (originals, renditions, documents, private files);
- ``manifest.json``: format version, code, schema, time, row and file counts, and the SHA-256
  of each of the three members.

A restore checks the manifest first (same code as asked, every checksum right), restores the
dump under the site's schema name after moving the live schema aside (``<schema>__truoc``);
if ``pg_restore`` fails, the new schema is dropped and the old one moved back, so a failed
restore leaves the old site as it was.  Then, in one transaction, the public rows are put
back, the media folder is swapped in the same way (new folder extracted beside, then
renamed), and the site's page cache is purged.

``pg_dump``/``pg_restore`` must be at least the server's major version: the binaries are
looked for in ``PG_BIN_DIR``, then the embedded ``pgserver`` package, then
``/usr/lib/postgresql/<n>/bin``, then ``PATH``.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context

from .models import Domain, MovedPath, SiteStats, Tenant
from .pg_client import find_client, major_version, pg_env, server_major

FORMAT_VERSION = 1
MEMBERS = ("schema.dump", "public.json", "media.tar")
ASIDE_SUFFIX = "__truoc"


class BackupError(Exception):
    """A backup or restore that cannot be done (message in Vietnamese; nothing changed)."""


# --- the PostgreSQL client binaries ---------------------------------------------------


_major = major_version


def client_binary(name: str) -> str:
    """A ``pg_dump``/``pg_restore`` whose major version is at least the server's."""
    found = find_client(name)
    if found is None:
        raise BackupError(
            _("Không tìm thấy %(name)s phiên bản %(v)d trở lên (máy chủ PostgreSQL %(v)d).")
            % {"name": name, "v": server_major()}
        )
    return found


_pg_env = pg_env


# --- public rows ----------------------------------------------------------------------


def _public_querysets(tenant: Tenant):
    from .procedures.models import SyndicationReceipt

    return {
        "tenant": Tenant.objects.filter(pk=tenant.pk),
        "domains": Domain.objects.filter(tenant=tenant),
        "moved_paths": MovedPath.objects.filter(source=tenant),
        "receipts": SyndicationReceipt.objects.filter(tenant=tenant),
        "stats": SiteStats.objects.filter(tenant=tenant),
    }


def _media_dir(schema: str) -> Path:
    return Path(str(settings.MEDIA_ROOT)) / schema


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _site_counts(schema: str) -> dict[str, int]:
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Page

    with schema_context(schema):
        return {
            "pages": Page.objects.count(),
            "images": get_image_model().objects.count(),
            "documents": get_document_model().objects.count(),
        }


@dataclass
class BackupResult:
    path: Path
    manifest: dict


def backup_site(tenant: Tenant, output_dir: Path | str) -> BackupResult:
    """Write one archive of ``tenant`` into ``output_dir``; returns its path and manifest."""
    output = Path(output_dir)
    output.mkdir(parents=True, exist_ok=True)
    schema = tenant.schema_name
    with tempfile.TemporaryDirectory(prefix="site-backup-") as tmp:
        dump = Path(tmp) / "schema.dump"
        done = subprocess.run(
            [client_binary("pg_dump"), "--format=custom", "-n", schema, "-f", str(dump)],
            env=_pg_env(),
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise BackupError(_("pg_dump thất bại: %(err)s") % {"err": done.stderr.strip()})
        with schema_context(get_public_schema_name()):
            querysets = _public_querysets(tenant)
            public = {
                name: json.loads(serializers.serialize("json", qs))
                for name, qs in querysets.items()
            }
        public_bytes = json.dumps(public, ensure_ascii=False, indent=1).encode()
        media = io.BytesIO()
        files = 0
        with tarfile.open(fileobj=media, mode="w") as archive:
            folder = _media_dir(schema)
            if folder.exists():
                for path in sorted(folder.rglob("*")):
                    if path.is_file():
                        archive.add(path, arcname=str(path.relative_to(folder)))
                        files += 1
        members = {
            "schema.dump": dump.read_bytes(),
            "public.json": public_bytes,
            "media.tar": media.getvalue(),
        }
        manifest = {
            "format": FORMAT_VERSION,
            "code": tenant.code,
            "schema": schema,
            "name": tenant.name,
            "created_at": timezone.now().isoformat(),
            "counts": {
                **_site_counts(schema),
                "media_files": files,
                **{f"public_{name}": len(rows) for name, rows in public.items()},
            },
            "sha256": {name: _sha256(data) for name, data in members.items()},
        }
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        path = output / f"{tenant.code}-{stamp}.site.tar"
        with tarfile.open(path, mode="w") as archive:
            for name, data in [
                ("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1).encode()),
                *members.items(),
            ]:
                info = tarfile.TarInfo(name)
                info.size = len(data)
                info.mtime = int(datetime.now().timestamp())
                archive.addfile(info, io.BytesIO(data))
    return BackupResult(path, manifest)


def read_archive(path: Path | str, code: str) -> tuple[dict, dict[str, bytes]]:
    """The manifest and members of an archive, checked: right code, every checksum right."""
    try:
        with tarfile.open(path, mode="r") as archive:
            data = {}
            for name in ("manifest.json", *MEMBERS):
                member = archive.extractfile(name)
                if member is None:
                    raise KeyError(name)
                data[name] = member.read()
    except FileNotFoundError as exc:
        raise BackupError(_("Không có tệp sao lưu “%(p)s”.") % {"p": path}) from exc
    except (tarfile.TarError, KeyError, OSError, EOFError) as exc:
        raise BackupError(
            _("Tệp sao lưu hỏng hoặc không đúng định dạng (%(err)s).") % {"err": exc}
        ) from exc
    try:
        manifest = json.loads(data.pop("manifest.json"))
    except ValueError as exc:
        raise BackupError(_("Bản kê (manifest.json) của tệp sao lưu hỏng.")) from exc
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(
            _("Tệp sao lưu định dạng %(v)s; chỉ đọc được định dạng %(ok)d.")
            % {"v": manifest.get("format"), "ok": FORMAT_VERSION}
        )
    if manifest.get("code") != code:
        raise BackupError(
            _("Tệp sao lưu là của trang mã %(other)s, không phải trang %(code)s.")
            % {"other": manifest.get("code"), "code": code}
        )
    for name in MEMBERS:
        if _sha256(data[name]) != manifest.get("sha256", {}).get(name):
            raise BackupError(
                _("Tệp sao lưu hỏng: %(name)s không khớp mã kiểm tra.") % {"name": name}
            )
    return manifest, data


def _run_sql(sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)


def restore_site(tenant: Tenant, path: Path | str) -> dict:
    """Put the site back as it was in the archive; returns the manifest.  See the module."""
    from component_sites.core.page_cache import purge_site

    from .routing_cache import forget_tenant

    manifest, data = read_archive(path, tenant.code)
    schema = tenant.schema_name
    forget_tenant(tenant)  # requests during the swap find the schema not ready (503)
    if manifest["schema"] != schema:
        raise BackupError(
            _("Tệp sao lưu là của lược đồ %(a)s, trang này dùng %(b)s.")
            % {"a": manifest["schema"], "b": schema}
        )
    restorer = client_binary("pg_restore")
    aside = f"{schema}{ASIDE_SUFFIX}"
    quoted, quoted_aside = connection.ops.quote_name(schema), connection.ops.quote_name(aside)
    with tempfile.TemporaryDirectory(prefix="site-restore-") as tmp:
        dump = Path(tmp) / "schema.dump"
        dump.write_bytes(data["schema.dump"])
        connection.set_schema_to_public()
        _run_sql(f"DROP SCHEMA IF EXISTS {quoted_aside} CASCADE")
        _run_sql(f"ALTER SCHEMA {quoted} RENAME TO {quoted_aside}")
        done = subprocess.run(
            [
                restorer,
                "--single-transaction",
                "--no-owner",
                "-d",
                connection.settings_dict["NAME"],
                str(dump),
            ],
            env=_pg_env(),
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            _run_sql(f"DROP SCHEMA IF EXISTS {quoted} CASCADE")
            _run_sql(f"ALTER SCHEMA {quoted_aside} RENAME TO {quoted}")
            raise BackupError(
                _("pg_restore thất bại; trang giữ nguyên như trước: %(err)s")
                % {"err": done.stderr.strip()[:2000]}
            )
        try:
            _restore_public(tenant, json.loads(data["public.json"]))
        except Exception:
            _run_sql(f"DROP SCHEMA IF EXISTS {quoted} CASCADE")
            _run_sql(f"ALTER SCHEMA {quoted_aside} RENAME TO {quoted}")
            raise
        _run_sql(f"DROP SCHEMA {quoted_aside} CASCADE")
        _restore_media(schema, data["media.tar"])
    purge_site(schema)
    forget_tenant(tenant)
    from . import content_types

    content_types.forget(schema)
    from component_sites.core import counter_flush

    counter_flush.forget_mirror(schema)  # the restored table holds other stored values
    with schema_context(schema):
        from wagtail.models import Site

        Site.clear_site_root_paths_cache()
    return manifest


def _restore_public(tenant: Tenant, public: dict) -> None:
    with schema_context(get_public_schema_name()), transaction.atomic():
        querysets = _public_querysets(tenant)
        for name in ("receipts", "moved_paths", "stats"):
            querysets[name].delete()
        current = set(querysets["domains"].values_list("pk", flat=True))
        wanted = {row["pk"] for row in public["domains"]}
        Domain.objects.filter(pk__in=current - wanted).delete()
        for name in ("tenant", "domains", "moved_paths", "receipts", "stats"):
            for item in serializers.deserialize("json", json.dumps(public[name])):
                item.save()


def _restore_media(schema: str, media: bytes) -> None:
    folder = _media_dir(schema)
    fresh = folder.with_name(f"{schema}{ASIDE_SUFFIX}-moi")
    old = folder.with_name(f"{schema}{ASIDE_SUFFIX}")
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(media), mode="r") as archive:
        archive.extractall(fresh, filter="data")
    shutil.rmtree(old, ignore_errors=True)
    if folder.exists():
        folder.rename(old)
    fresh.rename(folder)
    shutil.rmtree(old, ignore_errors=True)

"""Backup and restore of one site (manage_site backup|restore): a round trip is exact.

pg_dump and pg_restore read and write committed data on connections of their own: the
site of these tests is committed (provisioned for the test, removed afterwards) and the
commands run on a committed connection (``tests.committed``).
"""

from __future__ import annotations

import hashlib
import io
import shutil
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.management import CommandError, call_command
from django.test import Client
from django_tenants.utils import schema_context
from PIL import Image
from wagtail.models import Page

from tenants import backup
from tenants.models import Domain, Tenant
from tenants.provisioning import provision_site
from tenants.specs import SiteSpec
from tests.committed import committed

pytestmark = pytest.mark.django_db

CODE = "04975"
HOST = "saoluu.hoabinh.test.localhost"


def checksums(schema: str) -> dict[str, str]:
    root = Path(str(settings.MEDIA_ROOT)) / schema
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


def drop() -> None:
    tenant = Tenant.objects.filter(code=CODE).first()
    if tenant is not None:
        tenant.domains.all().delete()
        schema = tenant.schema_name
        tenant.delete(force_drop=True)
        shutil.rmtree(Path(str(settings.MEDIA_ROOT)) / schema, ignore_errors=True)


@pytest.fixture
def site(sites):
    def create():
        from component_sites.core.models import SectionPage, SiteDocument, SiteImage

        tenant = provision_site(
            SiteSpec(
                name="Xã Sao Lưu",
                level="commune",
                code=CODE,
                parent_code="152",
                domain=HOST,
                admin_username="quantri",
                admin_password="Mat-khau-thu-nghiem-2026",
            ),
            send_invitation=False,
        ).tenant
        with schema_context(tenant.schema_name):
            buffer = io.BytesIO()
            Image.new("RGB", (64, 48), (200, 30, 30)).save(buffer, format="PNG")
            image = SiteImage(title="Trụ sở", alt_text="Trụ sở UBND xã")
            image.file.save("tru-so.png", ImageFile(buffer, name="tru-so.png"), save=False)
            image.save()
            document = SiteDocument(title="Quyết định 5/QĐ-UBND")
            document.file.save("quyet-dinh-5.txt", ContentFile("Quyết định số 5".encode()))
            news = SectionPage.objects.get(section_key="news")
            for number in (1, 2):
                news.add_child(
                    instance=SectionPage(
                        title=f"Tin sao lưu số {number}", slug=f"tin-sao-luu-{number}"
                    )
                ).save_revision().publish()
        return tenant

    committed(drop)
    tenant = committed(create)
    yield tenant
    committed(drop)


def state(tenant: Tenant) -> dict:
    def read():
        from component_sites.core.models import SiteDocument, SiteImage

        fresh = Tenant.objects.get(pk=tenant.pk)
        with schema_context(tenant.schema_name):
            return {
                "name": fresh.name,
                "domains": sorted(
                    Domain.objects.filter(tenant=fresh).values_list("domain", "is_primary")
                ),
                "pages": sorted(Page.objects.values_list("slug", "live")),
                "images": SiteImage.objects.count(),
                "documents": SiteDocument.objects.count(),
            }

    return committed(read)


def page(path: str):
    """A citizen's request, on a connection of its own (the test's transaction would keep
    locks on the site's tables until the fixture drops the schema)."""
    return committed(lambda: Client(HTTP_HOST=HOST).get(path))


def run(*args) -> str:
    out = io.StringIO()
    committed(lambda: call_command("manage_site", *args, stdout=out))
    return out.getvalue()


def test_a_round_trip_brings_back_content_rows_and_files_exactly(site, tmp_path):
    before, files_before = state(site), checksums(site.schema_name)
    output = run("backup", CODE, "--output", str(tmp_path))
    archive = next(tmp_path.glob(f"{CODE}-*.site.tar"))
    assert str(archive) in output
    manifest, _data = backup.read_archive(archive, CODE)
    assert manifest["counts"]["images"] == 1 and manifest["counts"]["documents"] == 1
    assert manifest["counts"]["public_domains"] == 1

    def damage():
        from component_sites.core.models import SiteDocument, SiteImage

        tenant = Tenant.objects.get(pk=site.pk)
        tenant.name = "Tên bị sửa"
        tenant.save()
        Domain.objects.create(
            tenant=tenant, domain="bidoi.hoabinh.test.localhost", is_primary=False
        )
        with schema_context(tenant.schema_name):
            Page.objects.get(slug="tin-sao-luu-1").delete()
            SiteDocument.objects.get().delete()
            SiteImage.objects.get().delete()

    committed(damage)
    (
        Path(str(settings.MEDIA_ROOT)) / site.schema_name / "original_images" / "extra.bin"
    ).write_bytes(b"?")
    assert state(site) != before
    run("restore", CODE, "--input", str(archive))
    assert state(site) == before
    assert checksums(site.schema_name) == files_before
    # The restored site renders its pages (its page cache was purged).
    response = page("/tin-tuc/tin-sao-luu-1/")
    assert response.status_code == 200 and "Tin sao lưu số 1" in response.content.decode()


def test_a_corrupt_archive_or_another_sites_archive_is_refused_and_changes_nothing(
    site, tmp_path, sites
):
    run("backup", CODE, "--output", str(tmp_path))
    archive = next(tmp_path.glob(f"{CODE}-*.site.tar"))
    before, files_before = state(site), checksums(site.schema_name)
    with pytest.raises(CommandError, match="không phải trang 04921"):
        run("restore", sites.direct_commune.code, "--input", str(archive))
    corrupt = tmp_path / "hong.site.tar"
    with tarfile.open(archive) as source, tarfile.open(corrupt, "w") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == "public.json":
                data = data.replace("Xã Sao Lưu".encode(), "Xã Giả Mạo".encode())
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    with pytest.raises(CommandError, match="public.json không khớp mã kiểm tra"):
        run("restore", CODE, "--input", str(corrupt))
    (tmp_path / "rac.site.tar").write_bytes(b"khong phai tar")
    with pytest.raises(CommandError, match="hỏng hoặc không đúng định dạng"):
        run("restore", CODE, "--input", str(tmp_path / "rac.site.tar"))
    with pytest.raises(CommandError, match="Không có tệp sao lưu"):
        run("restore", CODE, "--input", str(tmp_path / "khong-co.site.tar"))
    assert state(site) == before and checksums(site.schema_name) == files_before


def test_a_failed_pg_restore_leaves_the_old_site_intact(site, tmp_path, monkeypatch):
    run("backup", CODE, "--output", str(tmp_path))
    archive = next(tmp_path.glob(f"{CODE}-*.site.tar"))

    def delete_one():
        with schema_context(site.schema_name):
            Page.objects.get(slug="tin-sao-luu-2").delete()

    committed(delete_one)
    before = state(site)
    real = backup.client_binary
    monkeypatch.setattr(
        backup, "client_binary", lambda name: "/bin/false" if name == "pg_restore" else real(name)
    )
    with pytest.raises(CommandError, match="pg_restore thất bại; trang giữ nguyên"):
        run("restore", CODE, "--input", str(archive))
    assert state(site) == before
    assert page("/tin-tuc/tin-sao-luu-1/").status_code == 200


def test_the_client_binaries_match_the_server():
    major = backup.server_major()
    for name in ("pg_dump", "pg_restore"):
        assert backup._major(backup.client_binary(name)) >= major

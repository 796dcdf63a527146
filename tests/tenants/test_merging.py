"""Merging sites: content moves under a branch of the survivor, old URLs answer 301."""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.test import Client
from django_tenants.utils import schema_context
from PIL import Image
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import ModelLogEntry, Page, Site

from component_sites.core.models import SectionPage, SiteDocument, SiteImage
from tenants import merging
from tenants.lifecycle import LifecycleError
from tenants.models import Domain, MovedPath, SiteMerge, Tenant
from tenants.provisioning import provision_site
from tenants.specs import SiteSpec
from tests.two_factor import console_login

pytestmark = pytest.mark.django_db


def commune(code: str, name: str, host: str, parent: str = "152", **extra) -> Tenant:
    spec = SiteSpec(
        name=name,
        level=extra.pop("level", "commune"),
        code=code,
        parent_code=parent,
        domain=f"{host}.hoabinh.test.localhost",
        admin_username="quantri",
        admin_password="Mat-khau-thu-nghiem-2026",
        **extra,
    )
    return provision_site(spec, send_invitation=False).tenant


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (20, 120, 60)).save(buffer, format="PNG")
    return buffer.getvalue()


def survivor_files(site: Tenant) -> set[Path]:
    return set((Path(str(settings.MEDIA_ROOT)) / site.schema_name).rglob("*.*"))


@pytest.fixture
def pair(sites):
    """Xã Lâm Sơn (survivor) and Xã Hòa Sơn (absorbed, with content), both under Lương Sơn."""
    survivor = commune("04942", "Xã Lâm Sơn", "lamson")
    absorbed = commune("04945", "Xã Hòa Sơn", "hoason")
    Domain.objects.create(
        tenant=absorbed, domain="xahoason.hoabinh.test.localhost", is_primary=False
    )
    with schema_context(absorbed.schema_name):
        image = SiteImage(title="Cầu treo", alt_text="Cầu treo bắc qua suối")
        image.file.save(
            "cau-treo.png", ImageFile(io.BytesIO(png()), name="cau-treo.png"), save=False
        )
        image.save()
        document = SiteDocument(title="Kế hoạch 12/KH-UBND")
        document.file.save("ke-hoach-12.txt", ContentFile("Kế hoạch".encode()))
        news = SectionPage.objects.get(section_key="news")
        later = SectionPage.objects.get(section_key="contact")
        article = SectionPage(
            title="Khánh thành cầu treo",
            slug="khanh-thanh-cau-treo",
            intro=(
                f'<p>Xem <a linktype="page" id="{later.pk}">liên hệ</a>, '
                f'<a linktype="document" id="{document.pk}">kế hoạch</a>.</p>'
                f'<embed embedtype="image" format="fullwidth" id="{image.pk}" alt="Cầu"/>'
            ),
        )
        news.add_child(instance=article)
        draft = SectionPage.objects.get(pk=article.pk)
        draft.title = "Khánh thành cầu treo (bản nháp)"
        draft.save_revision()
        Redirect.objects.create(old_path="/tin-cu", redirect_page=article, site=Site.objects.get())
        ids = {"image": image.pk, "document_url": document.url, "article": article.pk}
    return survivor, absorbed, ids


def test_content_moves_under_a_branch_with_references_remapped(pair):
    survivor, absorbed, _ids = pair
    merge = merging.merge_now(survivor, [absorbed])
    assert merge.state == SiteMerge.State.DONE, merge.error
    with schema_context(survivor.schema_name):
        branch = SectionPage.objects.get(slug="xa-hoa-son")
        assert branch.title == "Xã Hòa Sơn" and branch.get_parent().depth == 2
        article = SectionPage.objects.get(slug="khanh-thanh-cau-treo")
        assert article.get_parent().get_parent().pk == branch.pk
        assert article.url == "/xa-hoa-son/tin-tuc/khanh-thanh-cau-treo/"
        image = SiteImage.objects.get(title="Cầu treo")
        document = SiteDocument.objects.get(title="Kế hoạch 12/KH-UBND")
        contact = SectionPage.objects.descendant_of(branch).get(slug="lien-he")
        assert f'linktype="page" id="{contact.pk}"' in article.intro
        assert f'linktype="document" id="{document.pk}"' in article.intro
        assert f'id="{image.pk}"' in article.intro
        assert image.collection.name == "Xã Hòa Sơn"
        with image.file.open("rb") as handle:
            assert handle.read() == png()
        # The moved copies are ordinary sections: the survivor keeps one "news" section.
        assert SectionPage.objects.filter(section_key="news").count() == 1
        # The unpublished draft came along as the latest revision.
        assert article.get_latest_revision_as_object().title.endswith("(bản nháp)")
        assert article.live and article.title == "Khánh thành cầu treo"


def test_absorbed_site_is_archived_and_its_domains_redirect(pair):
    survivor, absorbed, ids = pair
    merging.merge_now(survivor, [absorbed])
    absorbed.refresh_from_db()
    assert absorbed.status == Tenant.Status.ARCHIVED
    assert absorbed.merged_into == survivor
    assert set(survivor.domains.filter(merged_from=absorbed).values_list("domain", flat=True)) == {
        "hoason.hoabinh.test.localhost",
        "xahoason.hoabinh.test.localhost",
    }
    client = Client()
    response = client.get(
        "/tin-tuc/khanh-thanh-cau-treo/?trang=2", HTTP_HOST="hoason.hoabinh.test.localhost"
    )
    assert response.status_code == 301
    assert response["Location"] == (
        "http://lamson.hoabinh.test.localhost/xa-hoa-son/tin-tuc/khanh-thanh-cau-treo/?trang=2"
    )
    home = client.get("/", HTTP_HOST="xahoason.hoabinh.test.localhost")
    assert home["Location"] == "http://lamson.hoabinh.test.localhost/xa-hoa-son/"
    follow = client.get(
        home["Location"].removeprefix("http://lamson.hoabinh.test.localhost"),
        HTTP_HOST="lamson.hoabinh.test.localhost",
    )
    assert follow.status_code == 200 and "Xã Hòa Sơn" in follow.content.decode()


def test_old_file_urls_and_redirects_lead_to_the_moved_files(pair):
    survivor, absorbed, ids = pair
    merging.merge_now(survivor, [absorbed])
    moved = dict(MovedPath.objects.filter(source=absorbed).values_list("old_path", "new_path"))
    with schema_context(survivor.schema_name):
        document = SiteDocument.objects.get(title="Kế hoạch 12/KH-UBND")
        image_url = SiteImage.objects.get(title="Cầu treo").file.url
        article_url = SectionPage.objects.get(slug="khanh-thanh-cau-treo").url
    client = Client()
    response = client.get(ids["document_url"], HTTP_HOST="hoason.hoabinh.test.localhost")
    assert response.status_code == 301
    assert response["Location"].endswith(f"/documents/{document.pk}/{document.filename}")
    old_image = next(old for old in moved if old.startswith(f"/media/{absorbed.schema_name}/"))
    response = client.get(old_image, HTTP_HOST="hoason.hoabinh.test.localhost")
    assert response["Location"].endswith(image_url)
    file_response = client.get(image_url, HTTP_HOST="lamson.hoabinh.test.localhost")
    assert file_response.status_code == 200
    response = client.get("/tin-cu", HTTP_HOST="hoason.hoabinh.test.localhost")
    assert response["Location"].endswith(article_url)


def test_merge_is_audited_with_before_and_after(pair):
    survivor, absorbed, _ids = pair
    merging.merge_now(survivor, [absorbed])
    entry = ModelLogEntry.objects.for_instance(absorbed).get(action="tenants.merge")
    assert entry.data["before"]["primary_domain"] == "hoason.hoabinh.test.localhost"
    assert entry.data["after"]["status"] == "archived"
    assert entry.data["moved"]["pages"] == 11
    assert ModelLogEntry.objects.for_instance(survivor).filter(action="tenants.merge").exists()


def test_children_of_an_absorbed_district_move_to_the_survivor(sites):
    survivor = commune("150", "Huyện Đà Bắc", "dabac", parent="17", level="district")
    merging.merge_now(survivor, [sites.district])
    assert Tenant.objects.get(pk=sites.commune.pk).parent_id == survivor.pk


def test_a_failure_changes_nothing_and_is_reported(pair, monkeypatch):
    survivor, absorbed, _ids = pair
    from component_sites.core.transfer import ContentTransfer

    def fail(self):
        raise RuntimeError("ổ đĩa đầy")

    monkeypatch.setattr(ContentTransfer, "_copy_redirects", fail)
    files_before = survivor_files(survivor)
    with pytest.raises(RuntimeError):
        merging.merge_now(survivor, [absorbed])
    merge = SiteMerge.objects.get(survivor=survivor)
    assert merge.state == SiteMerge.State.FAILED and "ổ đĩa đầy" in merge.error
    absorbed.refresh_from_db()
    assert absorbed.status == Tenant.Status.ACTIVE and absorbed.merged_into is None
    assert absorbed.primary_domain == "hoason.hoabinh.test.localhost"
    with schema_context(survivor.schema_name):
        assert not Page.objects.filter(slug="xa-hoa-son").exists()
        assert not SiteImage.objects.exists()
    # Files copied before the failure are deleted again.
    assert survivor_files(survivor) == files_before


@pytest.mark.parametrize(
    "case, fragment",
    [
        ("nothing", "ít nhất một trang"),
        ("itself", "không thể đồng thời"),
        ("twice", "hai lần"),
        ("province", "cấp tỉnh"),
        ("levels", "không cùng cấp"),
    ],
)
def test_bad_merges_are_refused_with_a_message_and_change_nothing(sites, case, fragment):
    absorbed = {
        "nothing": [],
        "itself": [sites.commune],
        "twice": [sites.direct_commune, sites.direct_commune],
        "province": [sites.commune],
        "levels": [sites.district],
    }[case]
    survivor = sites.province if case == "province" else sites.commune
    with pytest.raises(LifecycleError, match=fragment):
        merging.request_merge(survivor, absorbed)
    assert not SiteMerge.objects.exists()
    assert Tenant.objects.filter(status=Tenant.Status.ARCHIVED).count() == 0


def test_sites_of_different_provinces_cannot_merge(sites):
    hanoi = provision_site(
        SiteSpec(
            name="Thành phố Hà Nội",
            level="province",
            code="01",
            domain="hanoi.test.localhost",
            admin_username="quantri",
            admin_password="Mat-khau-thu-nghiem-2026",
        ),
        send_invitation=False,
    ).tenant
    other = commune("00004", "Phường Trúc Bạch", "trucbach", parent=hanoi.code)
    with pytest.raises(LifecycleError, match="không cùng tỉnh"):
        merging.request_merge(sites.commune, [other])
    assert other.status == Tenant.Status.ACTIVE and not SiteMerge.objects.exists()


def test_an_absorbed_site_cannot_be_merged_again(pair, sites):
    survivor, absorbed, _ids = pair
    merging.merge_now(survivor, [absorbed])
    absorbed.refresh_from_db()
    with pytest.raises(LifecycleError, match="đã được sáp nhập"):
        merging.request_merge(sites.commune, [absorbed])


def test_a_request_is_queued_for_the_worker_and_runs_once(
    pair, django_capture_on_commit_callbacks, monkeypatch
):
    survivor, absorbed, _ids = pair
    queued = []
    monkeypatch.setattr("tenants.jobs.enqueue", lambda job: queued.append(job.pk))
    with django_capture_on_commit_callbacks(execute=True):
        merge = merging.request_merge(survivor, [absorbed])
    assert queued == [merge.pk]
    with pytest.raises(LifecycleError, match="chưa xong"):
        merging.request_merge(survivor, [absorbed])
    from tasks.merges import run_site_merge

    assert run_site_merge(merge.pk) == SiteMerge.State.DONE
    # A duplicate delivery finds it finished and does nothing.
    assert run_site_merge(merge.pk) == SiteMerge.State.DONE
    with schema_context(survivor.schema_name):
        assert Page.objects.filter(slug="xa-hoa-son").count() == 1


@pytest.fixture
def console(django_user_model):
    user = django_user_model.objects.create_user("tinh.admin", password="x", is_staff=True)
    client = Client(HTTP_HOST="localhost")
    console_login(client, user)
    return client


def test_console_merge_is_queued_then_its_status_page_shows_the_result(pair, console, monkeypatch):
    survivor, absorbed, _ids = pair
    monkeypatch.setattr("tenants.jobs.enqueue", lambda job: None)
    form = console.get("/console/sap-nhap/").content.decode()
    assert "Xã Hòa Sơn (04945) – Cấp xã" in form and "Tỉnh Hoà Bình" not in form
    response = console.post("/console/sap-nhap/", {"survivor": "04942", "absorbed": ["04945"]})
    merge = SiteMerge.objects.get()
    assert response["Location"] == f"/console/sap-nhap/{merge.pk}/"
    waiting = console.get(response["Location"]).content.decode()
    assert "Đang chờ" in waiting and 'http-equiv="refresh"' in waiting
    merging.perform_merge(merge)
    done = console.get(response["Location"]).content.decode()
    assert "Hoàn tất" in done and "<code>/xa-hoa-son/</code>" in done
    assert 'http-equiv="refresh"' not in done
    detail = console.get("/console/trang/04942/").content.decode()
    assert "tên miền cũ của Xã Hòa Sơn" in detail


@pytest.mark.parametrize(
    "data, message",
    [
        ({"survivor": "04942", "absorbed": ["04942"]}, "không thể đồng thời"),
        ({"survivor": "04942", "absorbed": ["152"]}, "không cùng cấp"),
        ({"survivor": "04942"}, "Chọn ít nhất một trang"),
        ({"survivor": "17", "absorbed": ["04945"]}, "không thể nhận sáp nhập"),
        ({"survivor": "04942", "absorbed": ["99999"]}, "“99999” không thể sáp nhập"),
    ],
)
def test_console_refuses_bad_merges_with_a_message(pair, console, data, message):
    response = console.post("/console/sap-nhap/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SiteMerge.objects.exists()


def test_merge_command(pair):
    from django.core.management import call_command

    survivor, absorbed, _ids = pair
    out = io.StringIO()
    call_command("merge_sites", "04945", into="04942", stdout=out)
    assert "Xã Hòa Sơn: 11 trang, 1 ảnh, 1 tệp → Xã Lâm Sơn /xa-hoa-son/" in out.getvalue()
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="đã được sáp nhập"):
        call_command("merge_sites", "04945", into="04942", stdout=out)
    with pytest.raises(CommandError, match="Không có trang nào mang mã: 00000"):
        call_command("merge_sites", "00000", into="04942", stdout=out)


def test_a_site_full_of_demo_content_moves_and_every_page_renders(sites):
    """Every page type, its inline objects, snippets, images and files survive the move."""
    from component_sites.core.demo import build_demo_content

    survivor = commune("04942", "Xã Lâm Sơn", "lamson")
    absorbed = commune("04945", "Xã Hòa Sơn", "hoason")
    made = build_demo_content(absorbed)
    with schema_context(absorbed.schema_name):
        home = Site.objects.get(is_default_site=True).root_page
        before = {
            page.url_path[len(home.url_path) - 1 :]: page.specific_class
            for page in home.get_descendants().live()
        }
        counts = (SiteImage.objects.count(), SiteDocument.objects.count())
    merge = merging.merge_now(survivor, [absorbed])
    assert merge.state == SiteMerge.State.DONE, merge.error
    outcome = merge.result["04945"]
    assert (outcome["images"], outcome["documents"]) == counts
    assert outcome["pages"] >= len(before) > 20, made
    client = Client(HTTP_HOST="lamson.hoabinh.test.localhost")
    with schema_context(survivor.schema_name):
        branch = Page.objects.get(slug="xa-hoa-son")
        after = {
            page.url_path[len(branch.url_path) - 1 :]: page.specific_class
            for page in branch.get_descendants().live()
        }
    assert after == before
    for path in before:
        response = client.get("/xa-hoa-son" + path)
        assert response.status_code == 200, path
        old = Client().get(path, HTTP_HOST="hoason.hoabinh.test.localhost")
        assert unquote(old["Location"]) == f"http://lamson.hoabinh.test.localhost/xa-hoa-son{path}"

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
from component_sites.documents.models import DocumentIndexPage, IssuingBody, LegalDocumentPage
from component_sites.media.models import MediaIndexPage, MediaItemPage
from component_sites.news.models import ArticlePage, NewsCategoryPage, NewsIndexPage
from component_sites.organization.models import OrganizationPage
from component_sites.participation.models import Question
from component_sites.procedures.models import ProcedureIndexPage
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


def test_content_moves_into_the_survivors_sections_with_references_remapped(pair):
    survivor, absorbed, _ids = pair
    merge = merging.merge_now(survivor, [absorbed])
    assert merge.state == SiteMerge.State.DONE, merge.error
    with schema_context(survivor.schema_name):
        news = SectionPage.objects.get(section_key="news")
        category = NewsCategoryPage.objects.child_of(news).get(title="Xã Hòa Sơn")
        article = SectionPage.objects.get(slug="khanh-thanh-cau-treo")
        assert article.get_parent().pk == category.pk
        assert article.url == "/tin-tuc/xa-hoa-son/khanh-thanh-cau-treo/"
        image = SiteImage.objects.get(title="Cầu treo")
        document = SiteDocument.objects.get(title="Kế hoạch 12/KH-UBND")
        # The old site's contact section is not copied: the link leads to the survivor's.
        contact = SectionPage.objects.get(section_key="contact")
        assert f'linktype="page" id="{contact.pk}"' in article.intro
        assert f'linktype="document" id="{document.pk}"' in article.intro
        assert f'id="{image.pk}"' in article.intro
        assert image.collection.name == "Xã Hòa Sơn"
        with image.file.open("rb") as handle:
            assert handle.read() == png()
        # One section of each standard kind, no second copy of the old section tree.
        keys = list(
            SectionPage.objects.exclude(section_key="").values_list("section_key", flat=True)
        )
        assert sorted(keys) == sorted(set(keys)) and len(keys) == len(SectionPage.Key)
        folder = SectionPage.objects.get(slug="don-vi-cu")
        assert folder.get_parent().depth == 2 and not folder.section_key
        assert folder.get_children().get(slug="xa-hoa-son").title == "Xã Hòa Sơn"
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
        "http://lamson.hoabinh.test.localhost/tin-tuc/xa-hoa-son/khanh-thanh-cau-treo/?trang=2"
    )
    # A section that was not copied answers with the survivor's own section, and an
    # address below it (a procedure by code) with the same address there.
    response = client.get(
        "/thu-tuc-hanh-chinh/1.001193/", HTTP_HOST="hoason.hoabinh.test.localhost"
    )
    assert (
        response["Location"] == "http://lamson.hoabinh.test.localhost/thu-tuc-hanh-chinh/1.001193/"
    )
    home = client.get("/", HTTP_HOST="xahoason.hoabinh.test.localhost")
    assert home["Location"] == "http://lamson.hoabinh.test.localhost/don-vi-cu/xa-hoa-son/"
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
    assert entry.data["moved"]["pages"] == 1
    assert ModelLogEntry.objects.for_instance(survivor).filter(action="tenants.merge").exists()


def test_children_of_an_absorbed_district_move_to_the_survivor(sites):
    survivor = commune("150", "Huyện Đà Bắc", "dabac", parent="17", level="district")
    merging.merge_now(survivor, [sites.district])
    assert Tenant.objects.get(pk=sites.commune.pk).parent_id == survivor.pk


def test_a_failure_changes_nothing_and_is_reported(pair, monkeypatch):
    survivor, absorbed, _ids = pair
    from tenants.merging.transfer import ContentTransfer

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
        assert not Page.objects.filter(slug="don-vi-cu").exists()
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
    monkeypatch.setattr("tenants.jobs.queue.enqueue", lambda job: queued.append(job.pk))
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
        assert Page.objects.filter(slug="khanh-thanh-cau-treo").count() == 1


@pytest.fixture
def console(django_user_model):
    user = django_user_model.objects.create_user("tinh.admin", password="x", is_staff=True)
    client = Client(HTTP_HOST="localhost")
    console_login(client, user)
    return client


def test_console_merge_is_queued_then_its_status_page_shows_the_result(pair, console, monkeypatch):
    survivor, absorbed, _ids = pair
    monkeypatch.setattr("tenants.jobs.queue.enqueue", lambda job: None)
    form = console.get("/console/sap-nhap/").content.decode()
    assert "Xã Hòa Sơn (04945) – Cấp xã" in form and "Tỉnh Hoà Bình" not in form
    response = console.post("/console/sap-nhap/", {"survivor": "04942", "absorbed": ["04945"]})
    merge = SiteMerge.objects.get()
    assert response["Location"] == f"/console/sap-nhap/{merge.pk}/"
    waiting = console.get(response["Location"]).content.decode()
    assert "Đang chờ" in waiting and 'http-equiv="refresh"' in waiting
    merging.perform_merge(merge)
    done = console.get(response["Location"]).content.decode()
    assert "Hoàn tất" in done and "<code>/don-vi-cu/xa-hoa-son/</code>" in done
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
    assert "Xã Hòa Sơn: 1 trang, 1 ảnh, 1 tệp → Xã Lâm Sơn /don-vi-cu/xa-hoa-son/" in out.getvalue()
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="đã được sáp nhập"):
        call_command("merge_sites", "04945", into="04942", stdout=out)
    with pytest.raises(CommandError, match="Không có trang nào mang mã: 00000"):
        call_command("merge_sites", "00000", into="04942", stdout=out)


@pytest.fixture
def merged_demo(sites):
    """Xã Hòa Sơn full of demo content merged into Xã Lâm Sơn (with demo content too)."""
    from component_sites.core.demo import build_demo_content

    survivor = commune("04942", "Xã Lâm Sơn", "lamson")
    absorbed = commune("04945", "Xã Hòa Sơn", "hoason")
    build_demo_content(survivor)
    build_demo_content(absorbed)
    with schema_context(absorbed.schema_name):
        home = Site.objects.get(is_default_site=True).root_page
        before = {
            page.url_path[len(home.url_path) - 1 :]: page.specific_class
            for page in home.get_descendants().live()
        }
        counts = {
            "images": SiteImage.objects.count(),
            "documents": SiteDocument.objects.count(),
            "articles": ArticlePage.objects.count(),
            "legal": LegalDocumentPage.objects.count(),
            "questions": Question.objects.count(),
            "media": MediaItemPage.objects.count(),
        }
    with schema_context(survivor.schema_name):
        survivor_counts = {
            "articles": ArticlePage.objects.count(),
            "legal": LegalDocumentPage.objects.count(),
            "questions": Question.objects.count(),
            "media": MediaItemPage.objects.count(),
        }
    merge = merging.merge_now(survivor, [absorbed])
    assert merge.state == SiteMerge.State.DONE, merge.error
    return survivor, absorbed, before, counts, survivor_counts, merge.result["04945"]


def test_a_merge_moves_content_kind_by_kind(merged_demo):
    survivor, _absorbed, _before, counts, survivor_counts, outcome = merged_demo
    assert (outcome["images"], outcome["documents"]) == (counts["images"], counts["documents"])
    assert outcome["questions"] == counts["questions"] > 0
    with schema_context(survivor.schema_name):
        news = NewsIndexPage.objects.get()
        category = NewsCategoryPage.objects.child_of(news).get(title="Xã Hòa Sơn")
        moved_articles = ArticlePage.objects.descendant_of(category)
        assert moved_articles.count() == counts["articles"] > 0
        assert ArticlePage.objects.count() == survivor_counts["articles"] + counts["articles"]
        # Documents among the survivor's documents, their former issuing body kept.
        index = DocumentIndexPage.objects.get()
        assert LegalDocumentPage.objects.child_of(index).count() == (
            survivor_counts["legal"] + counts["legal"]
        )
        former_body = IssuingBody.objects.get(name="UBND xã Hòa Sơn")
        assert LegalDocumentPage.objects.filter(issuing_body=former_body).exists()
        assert Question.objects.count() == survivor_counts["questions"] + counts["questions"]
        assert MediaItemPage.objects.child_of(MediaIndexPage.objects.get()).count() == (
            survivor_counts["media"] + counts["media"]
        )
        former = SectionPage.objects.get(slug="xa-hoa-son", depth=4)
        assert former.get_parent().title == "Đơn vị cũ"
        assert OrganizationPage.objects.child_of(former).exists()
        assert "Lịch sử hình thành" in former.intro
        # No second copy of any standard section, and no procedure page was copied.
        keys = list(
            SectionPage.objects.exclude(section_key="").values_list("section_key", flat=True)
        )
        assert sorted(keys) == sorted(set(keys))
        assert ProcedureIndexPage.objects.count() == 1
    client = Client(HTTP_HOST="lamson.hoabinh.test.localhost")
    listing = client.get("/van-ban/", {"co_quan": former_body.slug}).content.decode()
    assert "UBND xã Hòa Sơn" in listing and "Tìm thấy" in listing


def test_every_old_page_address_answers_301_to_a_page_that_renders(merged_demo):
    _survivor, _absorbed, before, *_rest = merged_demo
    assert len(before) > 20
    new_site = Client(HTTP_HOST="lamson.hoabinh.test.localhost")
    for path in before:
        old = Client().get(path, HTTP_HOST="hoason.hoabinh.test.localhost")
        assert old.status_code == 301, path
        location = unquote(old["Location"])
        assert location.startswith("http://lamson.hoabinh.test.localhost/"), path
        response = new_site.get(location.removeprefix("http://lamson.hoabinh.test.localhost"))
        assert response.status_code == 200, (path, location)


def test_a_published_answer_keeps_its_tracking_code_and_address(merged_demo):
    survivor, absorbed, *_rest = merged_demo
    with schema_context(absorbed.schema_name):
        old = Question.objects.filter(status=Question.Status.PUBLISHED).first()
        old_pk, code = old.pk, old.tracking_code
    with schema_context(survivor.schema_name):
        new = Question.objects.get(tracking_code=code)
        assert new.answer == old.answer and new.status == Question.Status.PUBLISHED
    response = Client().get(f"/hoi-dap/{old_pk}/", HTTP_HOST="hoason.hoabinh.test.localhost")
    assert response["Location"] == f"http://lamson.hoabinh.test.localhost/hoi-dap/{new.pk}/"
    page = Client(HTTP_HOST="lamson.hoabinh.test.localhost").get(f"/hoi-dap/{new.pk}/")
    assert page.status_code == 200 and old.title in page.content.decode()


def test_former_units_of_the_three_level_model_merge_into_a_new_commune(sites):
    """The 2025 reform: a former district and a former commune into a two-level commune."""
    survivor = commune("04924", "Xã Lương Sơn", "xaluongson", parent="17", unit_model="two-level")
    former_commune = commune("04945", "Xã Hòa Sơn", "hoason", unit_model="three-level")
    district = sites.district
    Tenant.objects.filter(pk=district.pk).update(unit_model="three-level")
    district.refresh_from_db()
    merge = merging.merge_now(survivor, [former_commune, district])
    assert merge.state == SiteMerge.State.DONE, merge.error
    for site in (former_commune, district):
        site.refresh_from_db()
        assert site.status == Tenant.Status.ARCHIVED and site.merged_into == survivor
    # The district's other communes now hang from the province, not from a commune.
    assert Tenant.objects.get(pk=sites.commune.pk).parent_id == survivor.parent_id
    entry = ModelLogEntry.objects.for_instance(survivor).get(action="tenants.merge")
    assert entry.data["absorbed"] == ["Xã Hòa Sơn", "Huyện Lương Sơn"]
    with schema_context(survivor.schema_name):
        titles = set(
            SectionPage.objects.get(slug="don-vi-cu").get_children().values_list("title", flat=True)
        )
    assert titles == {"Xã Hòa Sơn", "Huyện Lương Sơn"}


def test_a_three_level_commune_cannot_absorb_a_district(sites):
    with pytest.raises(LifecycleError, match="không cùng cấp"):
        merging.request_merge(sites.commune, [sites.district])

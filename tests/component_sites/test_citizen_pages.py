"""What citizens see around the content: the site's 404, the urgent alert's own page, the
English chrome, social links, an article's update date, a document's validity, a draft's
file and the year's visits."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.models import Site

from component_sites.notices.models import UrgentNotice
from tests.component_sites import factories
from tests.component_sites.site_fixtures import client, home, section, site_schema  # noqa: F401
from themes.models import SiteBranding

pytestmark = pytest.mark.django_db


# -- 404 with the site's chrome (item 5) ------------------------------------------------


def test_missing_page_has_the_sites_header_menu_and_search(client):  # noqa: F811
    response = client.get("/khong-co-trang-nay/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Không tìm thấy trang" in html
    assert 'class="site-header' in html and 'aria-label="Menu chính"' in html
    assert html.count('role="search"') == 2  # the header's and the page's own
    assert 'name="robots" content="noindex"' in html
    assert "URLconf" not in html and "Django" not in html


def test_unknown_host_keeps_the_plain_notice(sites):
    from django.test import Client

    response = Client(HTTP_HOST="khong-ton-tai.localhost").get("/abc/")
    assert response.status_code == 404
    assert 'class="site-header' not in response.content.decode()


def test_make_run_hides_djangos_debug_pages_unless_a_developer_asks(monkeypatch):
    import importlib

    import portal.settings.dev as dev

    monkeypatch.delenv("DEBUG", raising=False)
    assert importlib.reload(dev).DEBUG is False
    assert dev.WHITENOISE_USE_FINDERS is True  # static files still served in the demo
    monkeypatch.setenv("DEBUG", "1")
    assert importlib.reload(dev).DEBUG is True
    monkeypatch.delenv("DEBUG")
    importlib.reload(dev)


# -- the urgent banner opens the alert itself (item 7) ----------------------------------


def test_urgent_banner_opens_the_alert_itself(client, section):  # noqa: F811
    now = timezone.now()
    notice = UrgentNotice.objects.create(
        title="Cảnh báo lũ quét trên suối Cái",
        message="Không qua ngầm tràn khi nước lên.",
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=5),
        link_page=section("notices"),
    )
    home_html = client.get("/").content.decode()
    assert f'href="/thong-bao-khan/{notice.pk}/"' in home_html
    detail = client.get(f"/thong-bao-khan/{notice.pk}/")
    html = detail.content.decode()
    assert detail.status_code == 200
    assert "<h1>Cảnh báo lũ quét trên suối Cái</h1>" in html
    assert "Không qua ngầm tràn khi nước lên." in html
    assert f'href="{section("notices").url}"' in html  # the related page, as a further link


def test_alert_not_yet_started_or_unknown_is_a_404(client):  # noqa: F811
    now = timezone.now()
    later = UrgentNotice.objects.create(
        title="Chưa đến giờ",
        message="x",
        starts_at=now + dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=2),
    )
    assert client.get(f"/thong-bao-khan/{later.pk}/").status_code == 404
    assert client.get("/thong-bao-khan/999999/").status_code == 404


def test_ended_alert_says_so(client):  # noqa: F811
    now = timezone.now()
    old = UrgentNotice.objects.create(
        title="Đã qua", message="x", starts_at=now - dt.timedelta(days=2), ends_at=now
    )
    assert "đã hết hiệu lực" in client.get(f"/thong-bao-khan/{old.pk}/").content.decode()


# -- English chrome (item 10) -----------------------------------------------------------


def test_english_pages_have_an_english_chrome(client, home):  # noqa: F811
    from component_sites.organization.models import EnglishPage, EnglishSectionPage

    english = EnglishSectionPage(title="About us", slug="en", english_name="People's Committee")
    home.add_child(instance=english)
    english.add_child(
        instance=EnglishPage(title="Contact", slug="contact", topic="contact", body="<p>Hi</p>")
    )
    html = client.get("/en/contact/").content.decode()
    assert 'aria-label="Main menu"' in html and "Menu chính" not in html
    assert ">Contact</a>" in html and ">About us</a>" in html
    assert 'lang="vi">Tiếng Việt</a>' in html  # the language switch in the menu
    assert "Skip to main content" in html and "Bỏ qua, đến nội dung chính" not in html
    assert "Reading aids" in html and "Larger text" in html
    assert "Vietnamese website" in html and "Thống kê truy cập" not in html
    assert ">Search</button>" in html


# -- social links (item 11) -------------------------------------------------------------


def test_social_links_are_validated_and_shown_in_the_footer(client):  # noqa: F811
    branding = SiteBranding.for_site(Site.objects.get(is_default_site=True))
    branding.facebook_url = "http://evil.example/ubnd"
    branding.zalo_url = "https://zalo.me/"
    with pytest.raises(ValidationError) as refused:
        branding.full_clean()
    messages = refused.value.message_dict
    assert "phải bắt đầu bằng https://" in messages["facebook_url"][0]
    assert "cần có tên trang" in messages["zalo_url"][0]
    branding.facebook_url = "https://www.facebook.com/ubndxa"
    branding.zalo_url = "https://zalo.me/1234567890"
    branding.full_clean()
    branding.save()
    html = client.get("/").content.decode()
    assert "Theo dõi chúng tôi" in html
    assert 'href="https://www.facebook.com/ubndxa"' in html
    assert 'href="https://zalo.me/1234567890"' in html


def test_no_social_block_without_links(client):  # noqa: F811
    assert "Theo dõi chúng tôi" not in client.get("/").content.decode()


# -- article update date, document validity, draft file, year visits (item 11) ----------


def test_article_shows_its_update_date_only_after_a_real_update(client):  # noqa: F811
    article = factories.make_articles(factories.news_index(), 1, with_image=False)[0]
    assert "Cập nhật:" not in client.get(article.url).content.decode()
    first = timezone.now() - dt.timedelta(days=3)
    type(article).objects.filter(pk=article.pk).update(
        first_published_at=first, publication_date=first
    )
    article.refresh_from_db()
    article.lead = "Đã bổ sung số liệu."
    article.save_revision().publish()
    html = client.get(article.url).content.decode()
    local = timezone.localtime(article.last_published_at)
    assert "Cập nhật: <time datetime=" in html
    assert local.strftime("%d/%m/%Y %H:%M") in html


def test_document_shows_signer_and_validity(client):  # noqa: F811
    from component_sites.documents.models import DocumentIndexPage

    index = DocumentIndexPage.objects.first()
    kinds = factories.classifications()
    today = timezone.localdate()
    valid = factories.make_legal_document(
        index, number="01/2024/NĐ-CP", document_type=kinds["nghi-dinh"],
        issuing_body=kinds["chinh-phu"], signer="Phạm Minh Chính",
    )  # fmt: skip
    expired = factories.make_legal_document(
        index, number="02/2020/NĐ-CP", document_type=kinds["nghi-dinh"],
        issuing_body=kinds["chinh-phu"], issued=dt.date(2020, 1, 2),
        expiry_date=today - dt.timedelta(days=1),
    )  # fmt: skip
    html = client.get(valid.url).content.decode()
    assert "<dt>Người ký</dt><dd>Phạm Minh Chính</dd>" in html
    assert "Còn hiệu lực" in html
    assert "Hết hiệu lực" in client.get(expired.url).content.decode()
    listing = client.get(index.url).content.decode()
    assert "Còn hiệu lực" in listing and "Hết hiệu lực" in listing


def test_expiry_before_the_start_is_refused(site_schema):  # noqa: F811
    from component_sites.documents.models import LegalDocumentPage

    page = LegalDocumentPage(
        issue_date=dt.date(2024, 5, 1), expiry_date=dt.date(2024, 4, 1), title="x", number="1"
    )
    with pytest.raises(ValidationError) as refused:
        page.clean()
    assert "Ngày hết hiệu lực phải sau" in refused.value.message_dict["expiry_date"][0]


def test_draft_shows_its_own_file(client, section):  # noqa: F811
    from component_sites.participation.models import DraftAttachment, DraftPage

    today = timezone.localdate()
    draft = DraftPage(
        title="Dự thảo quy chế", agency="Văn phòng", body="<p>Điều 1.</p>",
        opens_on=today, closes_on=today + dt.timedelta(days=10),
    )  # fmt: skip
    section("drafts").add_child(instance=draft)
    DraftAttachment.objects.create(
        page=draft, document=factories.make_site_document("Toàn văn"), label="Toàn văn dự thảo"
    )
    html = client.get(draft.url).content.decode()
    assert re.search(
        r'<a href="/documents/\d+/tep-thu[^"]*\.pdf" download>Toàn văn dự thảo</a>', html
    )
    assert "(PDF" in html


def test_visit_counters_show_the_year(site_schema):  # noqa: F811
    from component_sites.core import counters, visits

    now = timezone.localtime()
    counters.increment(f"visits:month:{now.year}01", 0, 4)
    counters.increment(visits.month_kind(), 0, 3)
    counters.increment(f"visits:month:{now.year - 1}12", 0, 100)  # last year: not counted
    expected = 3 if now.month == 1 else 7
    assert visits.year_total() == expected
    assert visits.figures()["year"] == expected

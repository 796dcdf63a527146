"""What the site cache keeps for uncached pages changes on the page as soon as the data does."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context
from wagtail.models import Site

from tests.component_sites import factories

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0"


@pytest.fixture
def uncached(settings):
    settings.PAGE_CACHE_SECONDS = 0


def _home(site):
    connection.set_schema_to_public()
    client = Client(HTTP_HOST=site.primary_domain, HTTP_USER_AGENT=BROWSER)
    return client.get("/").content.decode()


def test_branding_edits_show_at_once_and_stay_in_their_site(sites, uncached):
    from themes.models import SiteBranding

    commune, other = sites.commune, sites.direct_commune
    before_other = _home(other)
    _home(commune)
    with schema_context(commune.schema_name):
        branding = SiteBranding.for_site(Site.objects.get(is_default_site=True))
        branding.body_name = "Ủy ban nhân dân xã Thử Nghiệm"
        branding.phone = "0210 3888 999"
        branding.save()
    page = _home(commune)
    assert "Ủy ban nhân dân xã Thử Nghiệm" in page and "0210 3888 999" in page
    assert "Thử Nghiệm" not in _home(other)
    assert _home(other).count("0210 3888 999") == before_other.count("0210 3888 999") == 0


def test_banners_link_groups_and_their_dates(sites, uncached):
    from component_sites.links.models import LinkBanner, LinkGroup, LinkGroupItem

    site = sites.commune
    _home(site)
    now = timezone.now()
    with schema_context(site.schema_name):
        image = factories.make_image("Ảnh biểu ngữ")
        LinkBanner.objects.create(
            title="Biểu ngữ đang chạy", image=image, url="https://a.gov.vn/", position="home"
        )
        LinkBanner.objects.create(
            title="Biểu ngữ sắp chạy",
            image=image,
            url="https://b.gov.vn/",
            position="home-top",
            active_from=now + dt.timedelta(seconds=2),
        )
        group, _ = LinkGroup.objects.get_or_create(
            slug="lien-ket-website", defaults={"name": "Liên kết website"}
        )
        LinkGroupItem.objects.create(group=group, title="Cổng mới thêm", url="https://c.gov.vn/")
    page = _home(site)
    assert "Biểu ngữ đang chạy" in page and "Cổng mới thêm" in page
    assert "Biểu ngữ sắp chạy" not in page
    _home(site)  # the banner's pictures were made by that render: the site cache refilled now
    # A banner starts by its date, with nothing saved: the cached banners are filtered per page.
    with schema_context(site.schema_name):
        LinkBanner.objects.filter(title="Biểu ngữ sắp chạy").update(
            active_from=now - dt.timedelta(seconds=1)
        )  # update(): no signal, as the passing of time sends none
    assert "Biểu ngữ sắp chạy" not in _home(site)  # the cache still holds the future date
    with schema_context(site.schema_name):
        from component_sites.links import queries

        banners = queries.active_banners("home-top")
        later = queries.active_banners("home-top", now=now + dt.timedelta(seconds=3))
    assert "Biểu ngữ sắp chạy" not in [b.title for b in banners]
    assert "Biểu ngữ sắp chạy" in [b.title for b in later]
    with schema_context(site.schema_name):
        LinkGroupItem.objects.filter(title="Cổng mới thêm").delete()
        LinkBanner.objects.filter(title="Biểu ngữ đang chạy").delete()
    page = _home(site)
    assert "Cổng mới thêm" not in page and "Biểu ngữ đang chạy" not in page


def test_menu_sections_and_home_page_follow_publishing(sites, uncached):
    site = sites.commune
    _home(site)
    with schema_context(site.schema_name):
        from component_sites.core.models import SectionPage

        home = factories.home()
        section = SectionPage(
            title="Chuyên mục mới thêm", slug="chuyen-muc-moi", show_in_menus=True
        )
        home.add_child(instance=section)
        section.save_revision().publish()
        home.title = "Trang chủ đổi tên"
        home.save_revision().publish()
    page = _home(site)
    assert "Chuyên mục mới thêm" in page and "Trang chủ đổi tên" in page
    with schema_context(site.schema_name):
        SectionPage.objects.get(slug="chuyen-muc-moi").unpublish()
    assert "Chuyên mục mới thêm" not in _home(site)


def test_a_warm_home_page_asks_at_most_15_queries(sites, uncached):
    """The query budget of an uncached home page (bench/query_profile.py shows them)."""
    site = sites.commune
    with schema_context(site.schema_name):
        category = factories.make_category("Mục trang chủ")
        articles = factories.make_articles(category, 12)
        articles[3].featured = True
        articles[3].save()
    client = Client(HTTP_HOST=site.primary_domain, HTTP_USER_AGENT=BROWSER)
    client.get("/")
    client.get("/")  # renditions made, per-process and site caches filled
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/")
    assert response.status_code == 200 and "Bài viết số 4" in response.content.decode()
    assert len(captured.captured_queries) <= 15, "\n".join(
        q["sql"][:160] for q in captured.captured_queries
    )


def test_the_home_pages_lists_follow_publishing_and_unpublishing(sites, uncached):
    site = sites.commune
    _home(site)
    with schema_context(site.schema_name):
        category = factories.make_category("Mục tin mới")
        (article,) = factories.make_articles(category, 1, with_image=False)
        article.title = "Tin vừa đăng lên trang chủ"
        article.save_revision().publish()
    assert "Tin vừa đăng lên trang chủ" in _home(site)
    with schema_context(site.schema_name):
        article.unpublish()
    assert "Tin vừa đăng lên trang chủ" not in _home(site)

"""A citizen on a phone reads the news, then filters the documents and downloads a file."""

import datetime as dt
from pathlib import Path

import pytest
from django_tenants.utils import schema_context

from component_sites.core import counters
from tests.component_sites import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

HOST = "doclap.hoabinh.test.localhost"


class _Zero:
    pk = 0


@pytest.fixture(scope="module")
def content(sites, django_db_blocker):
    # The live server's thread has its own connection: commit what it must see (a module
    # fixture runs outside the tests' transactions) and delete it afterwards, since the
    # session's sites are shared by every test.
    schema = sites.direct_commune.schema_name
    with django_db_blocker.unblock(), schema_context(schema):
        from wagtail.documents import get_document_model
        from wagtail.images import get_image_model

        first_image = (get_image_model().objects.order_by("-pk").first() or _Zero).pk + 1
        first_file = (get_document_model().objects.order_by("-pk").first() or _Zero).pk + 1
        category = factories.make_category("Tin hoạt động")
        factories.make_articles(category, 3)
        c = factories.classifications()
        index = factories.documents_index()
        factories.make_legal_document(
            index,
            number="42/2022/NĐ-CP",
            document_type=c["nghi-dinh"],
            issuing_body=c["chinh-phu"],
            issued=dt.date(2022, 6, 24),
        )
        factories.make_legal_document(
            index, number="15/QĐ-UBND", document_type=c["quyet-dinh"], issuing_body=c["ubnd"]
        )
        made = [category.pk, *index.get_children().values_list("pk", flat=True)]
        made_classifications = list(c.values())
    yield
    # Tests switch the connection back to public: enter the site's schema again.
    with django_db_blocker.unblock(), schema_context(schema):
        from wagtail.models import Page

        for stale in Page.objects.filter(pk__in=made).order_by("-depth"):
            stale.specific.delete()
        for item in made_classifications:
            item.delete()
        get_image_model().objects.filter(pk__gte=first_image).delete()
        get_document_model().objects.filter(pk__gte=first_file).delete()
    client = counters.client()
    client.delete(counters.pending_key(schema), counters.flushing_key(schema))
    client.srem(counters.DIRTY_SITES, schema)


def test_phone_news_then_documents_download(live_server_port, page, screenshot, content):
    base = f"http://{HOST}:{live_server_port}"
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/tin-tuc/")
    assert page.locator("h1").inner_text() == "Tin tức – sự kiện"
    screenshot("news-list-phone")
    page.get_by_role("link", name="Bài viết số 1", exact=True).click()
    assert page.locator("h1").inner_text() == "Bài viết số 1"
    assert page.get_by_role("link", name="Bản in").is_visible()
    screenshot("article-phone")

    page.goto(f"{base}/van-ban/")
    page.get_by_label("Loại văn bản").select_option("quyet-dinh")
    page.get_by_role("button", name="Lọc văn bản").click()
    page.wait_for_url("**loai=quyet-dinh**")
    assert "Tìm thấy 1 văn bản" in page.locator("main").inner_text()
    assert page.get_by_text("42/2022/NĐ-CP").count() == 0
    screenshot("documents-filtered-phone")
    with page.expect_download() as info:
        page.get_by_role("link", name="Tải về").first.click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    assert Path(download.path()).read_bytes() == b"%PDF-1.4 thu"


@pytest.mark.parametrize("viewport", [(390, 844), (1366, 900)], ids=["phone", "desktop"])
def test_citizen_goes_home_category_article_then_searches_without_diacritics(
    live_server_port, page, screenshot, content, viewport
):
    base = f"http://{HOST}:{live_server_port}"
    label = "phone" if viewport[0] < 600 else "desktop"
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    page.goto(f"{base}/")
    screenshot(f"home-{label}")
    menu = page.get_by_role("navigation", name="Menu chính")
    if label == "phone":
        menu.get_by_role("button", name="Danh mục").click()
    menu.get_by_role("link", name="Tin tức – sự kiện").click()
    page.get_by_role("navigation", name="Chuyên mục").get_by_role(
        "link", name="Tin hoạt động"
    ).click()
    assert page.locator("h1").inner_text() == "Tin hoạt động"
    screenshot(f"category-{label}")
    page.get_by_role("link", name="Bài viết số 2", exact=True).click()
    assert page.locator("h1").inner_text() == "Bài viết số 2"
    screenshot(f"article-{label}")

    page.get_by_role("searchbox", name="Tìm kiếm trên trang").fill("bai viet so 2")
    page.get_by_role("search").get_by_role("button", name="Tìm").click()
    page.wait_for_url("**/tim-kiem/?q=bai+viet+so+2")
    results = page.get_by_role("region", name="Tin tức")
    assert results.get_by_role("link", name="Bài viết số 2").is_visible()
    assert results.get_by_role("link", name="Bài viết số 1").count() == 0
    screenshot(f"search-{label}")

    page.goto(f"{base}/van-ban/")
    page.get_by_label("Loại văn bản").select_option("nghi-dinh")
    page.get_by_role("button", name="Lọc văn bản").click()
    page.wait_for_url("**loai=nghi-dinh**")
    assert page.get_by_text("42/2022/NĐ-CP").first.is_visible()
    screenshot(f"documents-{label}")

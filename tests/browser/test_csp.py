"""The Content-Security-Policy holds in a real browser: a site's pages, its admin, the console.

Chromium reports each violation on the page's console; the ``page`` fixture of this folder
fails any browser test that saw one (``csp_violations``).  This module walks the places a
policy most often breaks: every live page of a commune with content, the citizen forms, search,
the print view, the site admin's editor with its rich text and image chooser, and the console.
"""

import pytest
from django_tenants.utils import schema_context

from tests.committed import committed
from tests.component_sites import factories
from tests.conftest import ADMIN_PASSWORD, admin_code
from tests.two_factor import browser_console_first_login, browser_second_step

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

HOST = "doclap.hoabinh.test.localhost"
CONSOLE_USER = "tinh.csp"
CONSOLE_PASSWORD = "Mat-khau-tinh-csp-2026"


class _Zero:
    pk = 0


@pytest.fixture(scope="module")
def content(sites, django_db_blocker):
    """A category with articles (pictures), a legal document: committed, removed afterwards."""
    schema = sites.direct_commune.schema_name
    with django_db_blocker.unblock(), schema_context(schema):
        from wagtail.images import get_image_model

        first_image = (get_image_model().objects.order_by("-pk").first() or _Zero).pk + 1
        category = factories.make_category("Tin chính sách")
        articles = factories.make_articles(category, 2)
        c = factories.classifications()
        index = factories.documents_index()
        factories.make_legal_document(
            index, number="7/QĐ-UBND", document_type=c["quyet-dinh"], issuing_body=c["ubnd"]
        )
        made = [category.pk, *index.get_children().values_list("pk", flat=True)]
        made_classifications = list(c.values())
        ids = {"article": articles[0].pk, "category": category.pk}
    yield ids
    with django_db_blocker.unblock(), schema_context(schema):
        from wagtail.models import Page

        for stale in Page.objects.filter(pk__in=made).order_by("-depth"):
            stale.specific.delete()
        for item in made_classifications:
            item.delete()
        get_image_model().objects.filter(pk__gte=first_image).delete()


def _live_paths(schema):
    from wagtail.models import Page

    with schema_context(schema):
        return sorted(
            {page.url_path for page in Page.objects.live().filter(depth__gte=2)},
            key=len,
        )


def _site_relative(url_path: str) -> str:
    # url_path is "/<root slug>/<section>/…/": the site's root slug is not in its URLs.
    parts = url_path.strip("/").split("/", 1)
    return "/" + (parts[1] + "/" if len(parts) == 2 else "")


def test_every_public_page_of_a_site_keeps_the_policy(
    live_server_port, page, sites, content, csp_violations
):
    base = f"http://{HOST}:{live_server_port}"
    paths = [_site_relative(p) for p in _live_paths(sites.direct_commune.schema_name)]
    assert len(paths) > 10  # the seeded section tree plus the content above
    extra = [
        "/tim-kiem/?q=xa",
        "/so-do-trang/",
        "/hoi-dap/dat-cau-hoi/",
        "/hoi-dap/phan-anh-kien-nghi/",
        "/hoi-dap/tra-cuu/",
        "/khong-co-trang-nay/",
    ]
    for path in [*paths, *extra]:
        response = page.goto(base + path)
        assert response.status in (200, 404), (path, response.status)
        policy = response.header_value("content-security-policy") or ""
        assert "script-src 'self' 'sha256-" in policy, path
        assert "unsafe-inline" not in policy, path
        # The reading aids run (portal.js and the inline head script are both allowed).
        if response.status == 200 and page.locator("[data-font-step='1']").count():
            page.locator("[data-font-step='1']").first.click()
            page.wait_for_function("document.documentElement.dataset.fontScale === '1'")
            page.locator("[data-font-step='0']").first.click()
    article_path = next(p for p in paths if p.count("/") >= 4)
    page.goto(base + article_path + "ban-in/")
    assert page.locator("h1").count() == 1
    assert not csp_violations


def test_site_admin_editor_and_image_chooser_keep_the_policy(
    live_server_port, page, sites, content, csp_violations
):
    base = f"http://{HOST}:{live_server_port}"
    page.goto(f"{base}/admin/login/")
    page.fill("input[name=username]", "quantri")
    page.fill("input[name=password]", ADMIN_PASSWORD)
    page.click("button[type=submit]")
    browser_second_step(page, admin_code(sites.direct_commune))
    page.wait_for_url(f"{base}/admin/")
    for path in ["/admin/pages/", "/admin/documents/", "/admin/images/", "/admin/snippets/"]:
        page.goto(base + path)
        page.locator("main").first.wait_for()
    page.goto(f"{base}/admin/pages/{content['article']}/edit/")
    page.locator(".public-DraftEditor-content").first.wait_for()
    page.locator(".public-DraftEditor-content").first.click()
    page.keyboard.type(" Thêm một câu.")
    page.goto(f"{base}/admin/pages/add/news/articlepage/{content['category']}/")
    page.locator("#id_featured_image-chooser [data-chooser-action-choose]").first.click()
    page.locator(".modal-content").wait_for()
    page.locator(".modal-content form, .modal-content .listing").first.wait_for()
    assert not csp_violations


@pytest.fixture
def console_admin(django_db_blocker):
    from django.contrib.auth import get_user_model

    def create():
        return get_user_model().objects.create_user(
            CONSOLE_USER, password=CONSOLE_PASSWORD, is_staff=True
        )

    def clean_up():
        get_user_model().objects.filter(username=CONSOLE_USER).delete()

    with django_db_blocker.unblock():
        committed(create)
    yield
    with django_db_blocker.unblock():
        committed(clean_up)


def test_console_keeps_the_policy(live_server_port, page, sites, console_admin, csp_violations):
    base = f"http://localhost:{live_server_port}"
    response = page.goto(f"{base}/console/")
    assert "unsafe-inline" not in (response.header_value("content-security-policy") or "")
    # First console login: the second factor is enrolled (its pages are under the policy too).
    browser_console_first_login(page, base, CONSOLE_USER, CONSOLE_PASSWORD)
    page.goto(f"{base}/console/trang/{sites.direct_commune.code}/")
    # Archiving asks first (a data attribute handled by portal.js, no inline handler):
    # dismissing the question leaves the site as it was.
    asked = []

    def dismiss(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.get_by_role("button", name="Lưu trữ (chỉ đọc)").click()
    page.wait_for_load_state("load")
    assert asked == [f"Lưu trữ trang {sites.direct_commune.name}? Trang chỉ còn cho xem."]
    from tenants.models import Tenant

    assert Tenant.objects.get(pk=sites.direct_commune.pk).status == "active"
    page.goto(f"{base}/console/thu-tuc/")
    assert not csp_violations

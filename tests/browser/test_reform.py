"""The 2025 reform as the demo builds it: a former district's and two former communes'
portals merged into the new commune; a citizen's old bookmark leads to the moved page,
and the console's audit trail shows the merge."""

from __future__ import annotations

import pytest

from tenants.demo import ReformDemo
from tenants.specs import SiteSpec
from tests.committed import committed
from tests.procedure_helpers import remove_committed_procedures
from tests.two_factor import browser_console_first_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PASSWORD = "Mat-khau-thu-nghiem-2026"
NEW_HOST = "luongson.phutho.test.localhost"
# The session's test province holds the demo's own former units (152…): the same reform
# with the neighbouring former district, Kim Bôi, and two of its communes.
FORMER = [
    SiteSpec("Huyện Kim Bôi", "district", "153", "kimboi.hoabinh.test.localhost", "17"),
    SiteSpec("Xã Đú Sáng", "commune", "04984", "dusang.hoabinh.test.localhost", "153"),
    SiteSpec("Xã Hùng Sơn", "commune", "04987", "hungson.hoabinh.test.localhost", "153"),
]
CODES = ["04924", *(spec.code for spec in FORMER)]


def _remove_sites() -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import ModelLogEntry

    from tenants.models import Domain, SiteMerge, Tenant

    sites = list(Tenant.objects.filter(code__in=CODES))
    SiteMerge.objects.filter(survivor__in=sites).delete()
    Domain.objects.filter(tenant__in=sites).delete()
    Domain.objects.filter(merged_from__in=sites).delete()
    ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Tenant),
        object_id__in=[str(site.pk) for site in sites],
    ).delete()
    Tenant.objects.filter(pk__in=[site.pk for site in sites]).update(merged_into=None, parent=None)
    for site in sites:
        site.delete(force_drop=True)
    get_user_model().objects.filter(username="tinh.sapnhap").delete()


@pytest.fixture(scope="module")
def reform(sites, django_db_blocker):
    """Built as ``seed_demo`` builds it (tenants.demo_build), committed for the live server."""

    def build():
        from django.contrib.auth import get_user_model

        from tenants.demo_build import build_reform, provision_demo_sites

        admin = get_user_model().objects.create_user(
            "tinh.sapnhap", password=PASSWORD, is_staff=True
        )
        survivor = SiteSpec(
            "Xã Lương Sơn", "commune", "04924", NEW_HOST, "17", unit_model="two-level"
        )
        assert not provision_demo_sites([survivor], PASSWORD, lambda _m: None)
        for spec in FORMER:
            spec.unit_model = "three-level"
        merge = build_reform(ReformDemo(into="04924", former=FORMER), PASSWORD, admin, print)
        assert merge.state == "done", merge.error
        return merge

    from tenants.procedures.models import Procedure

    with django_db_blocker.unblock():
        committed(_remove_sites)
        # The demo build loads the demo catalogue into public when it is empty: take it away
        # again afterwards, later tests count the catalogue's records.
        catalogue_was_empty = not committed(lambda: Procedure.objects.exists())
        committed(build)
    yield
    with django_db_blocker.unblock():
        committed(_remove_sites)
        if catalogue_was_empty:
            remove_committed_procedures("")


def _old_article(schema: str) -> tuple[str, str]:
    """An article of a former site, read in its kept (archived) schema: path and title."""
    from django_tenants.utils import schema_context
    from wagtail.models import Site

    from component_sites.news.models import ArticlePage

    with schema_context(schema):
        home = Site.objects.get(is_default_site=True).root_page
        article = ArticlePage.objects.live().order_by("path").first()
        return article.url_path[len(home.url_path) - 1 :], article.title


def test_an_old_bookmark_answers_301_and_opens_the_moved_article(
    reform, live_server_port, page, screenshot
):
    for size in ({"width": 390, "height": 844}, {"width": 1366, "height": 900}):
        page.set_viewport_size(size)
        for spec, schema in zip(FORMER, ("d_153", "c_04984", "c_04987"), strict=True):
            path, title = _old_article(schema)
            response = page.goto(f"http://{spec.domain}:{live_server_port}{path}")
            first = response.request.redirected_from
            assert first is not None and first.response().status == 301
            assert response.status == 200
            assert page.url.startswith(f"http://{NEW_HOST}:{live_server_port}/tin-tuc/")
            expect_title = page.get_by_role("heading", level=1)
            expect_title.wait_for()
            assert expect_title.inner_text() == title
            # The article sits in the category named after its former unit (breadcrumb).
            assert spec.name in page.locator("main").inner_text()
        screenshot(f"reform-moved-article-{size['width']}")


def test_the_old_home_page_leads_to_the_former_units_page(
    reform, live_server_port, page, screenshot
):
    response = page.goto(f"http://{FORMER[0].domain}:{live_server_port}/")
    assert response.status == 200 and response.request.redirected_from.response().status == 301
    assert page.url == f"http://{NEW_HOST}:{live_server_port}/don-vi-cu/huyen-kim-boi/"
    assert page.get_by_role("heading", level=1).inner_text() == "Huyện Kim Bôi"
    screenshot("reform-former-unit")


def test_the_console_audit_trail_shows_the_merge(reform, live_server_port, page):
    base = f"http://localhost:{live_server_port}"
    browser_console_first_login(page, base, "tinh.sapnhap", PASSWORD)
    page.goto(f"{base}/console/nhat-ky/")
    rows = page.locator("tr", has_text="Sáp nhập")
    rows.first.wait_for()
    text = " ".join(rows.all_inner_texts())
    for spec in FORMER:
        assert spec.name in text
    assert "Xã Lương Sơn" in text and "tinh.sapnhap" in text

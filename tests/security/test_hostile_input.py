"""No public or admin URL answers 500 to hostile input; refusals are Vietnamese.

The walk (``tests.security.walk``) takes its URLs from the site itself: the tenant URLconf,
one or two live pages of every page type with their routable sub-URLs (demo content), the
POST forms those pages show, and the admin menu of a logged-in editor.
"""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context

from component_sites.core.demo import build_demo_content
from component_sites.editorial.roles import EDITOR
from tests.security import walk

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0"
NAMED = [
    "/tim-kiem/",
    "/hoi-dap/",
    "/thu-tuc-hanh-chinh/",
    "/api/v1/documents/",
    "/api/v1/procedures/",
]


@pytest.fixture
def site(sites):
    """The two-level commune with the full demo content (rolled back after the test)."""
    build_demo_content(sites.direct_commune)
    connection.set_schema_to_public()
    return sites.direct_commune


@pytest.fixture
def visitor(sites):
    """A browser on the commune (no demo content needed to refuse a request)."""
    return Client(HTTP_HOST=sites.direct_commune.primary_domain, HTTP_USER_AGENT=BROWSER)


def public_paths(site) -> list[str]:
    from portal import urls_tenant

    with schema_context(site.schema_name):
        pages = walk.page_paths(per_type=1)
        routes = walk.urlconf_paths(urls_tenant.urlpatterns)
    connection.set_schema_to_public()
    return sorted(set(pages) | set(routes))


def explain(report: walk.Report) -> str:
    return "\n".join(
        f"{o.method} {o.url[:160]} → {o.status}: {o.problem}" for o in report.problems[:40]
    )


@pytest.mark.parametrize("path", NAMED)
@pytest.mark.parametrize("query", ["q=%00", "q=a%00b", "q=%C3%28", "q=%FF"])
def test_nul_and_broken_utf8_in_the_query_are_a_vietnamese_400(visitor, path, query):
    response = visitor.generic("GET", path, QUERY_STRING=query)
    assert response.status_code == 400
    if path.startswith("/api/"):
        assert response["Content-Type"].startswith("application/json")
        assert "ký tự không hợp lệ" in json.loads(response.content)["error"]
    else:
        assert "ký tự không hợp lệ" in response.content.decode()


def test_a_nul_in_a_form_field_is_refused_and_nothing_is_stored(sites, visitor):
    site = sites.direct_commune
    from component_sites.participation.models import Question

    with schema_context(site.schema_name):
        before = Question.objects.count()
    connection.set_schema_to_public()
    response = visitor.post(
        "/hoi-dap/dat-cau-hoi/",
        {"asker_name": "Nguyễn\x00Văn A", "title": "Câu hỏi", "text": "x" * 30},
    )
    assert response.status_code == 400
    assert "chưa có gì được lưu" in response.content.decode()
    with schema_context(site.schema_name):
        assert Question.objects.count() == before


def test_the_whole_site_survives_hostile_input(site):
    """One test (the demo content is built once): URLs found, GETs, form POSTs, the admin."""
    paths = public_paths(site)
    for expected in (
        "/",
        "/tim-kiem/",
        "/hoi-dap/",
        "/hoi-dap/dat-cau-hoi/",
        "/thu-tuc-hanh-chinh/",
        "/van-ban/",
        "/api/v1/documents/",
        "/api/v1/procedures/",
        "/sitemap.xml",
        "/rss/",
        "/tuong-tac/danh-gia-dich-vu/",
    ):
        assert expected in paths, expected
    assert len(paths) >= 40

    # A 500 is recorded like any other answer, so that the report lists every one.
    visitor = Client(
        HTTP_HOST=site.primary_domain, HTTP_USER_AGENT=BROWSER, raise_request_exception=False
    )
    report = walk.Report()
    # Each page gets a rotating share of the hostile values (every value reaches many pages);
    # bench/hostile_input.py sends all of them to every page.
    walk.walk_gets(walk.client_fetch(visitor), paths, report, per_path=12)
    assert report.tried > 500
    # Question, feedback, lookup, draft comment, article comment and rating, service rating.
    assert walk.walk_forms(walk.client_fetch(visitor), paths, report) >= 6

    with schema_context(site.schema_name):
        editor = get_user_model().objects.create_user("bientap.thu", password="x")
        editor.groups.add(Group.objects.get(name=EDITOR))
    connection.set_schema_to_public()
    editor_client = Client(
        HTTP_HOST=site.primary_domain, HTTP_USER_AGENT=BROWSER, raise_request_exception=False
    )
    with schema_context(site.schema_name):
        editor_client.force_login(editor)
    connection.set_schema_to_public()
    fetch = walk.client_fetch(editor_client)
    admin = walk.admin_paths(fetch)
    assert "/admin/pages/search/" in admin and len(admin) >= 8
    walk.walk_gets(fetch, admin, report, segments=False, per_path=6)
    print(f"hostile requests tried: {report.tried}, 5xx: {len(report.server_errors)}")
    for outcome in report.problems:
        print(f"PROBLEM {outcome.method} {outcome.url[:120]} → {outcome.status}: {outcome.problem}")
    assert not report.problems, explain(report)


def test_the_csrf_refusal_is_a_vietnamese_page(visitor):
    strict = Client(
        HTTP_HOST=visitor.defaults["HTTP_HOST"], HTTP_USER_AGENT=BROWSER, enforce_csrf_checks=True
    )
    response = strict.post("/tuong-tac/danh-gia-dich-vu/", {"level": "satisfied"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "Không gửi được biểu mẫu" in body and "Chưa có gì được lưu" in body
    assert "CSRF verification failed" not in body


def test_the_console_refuses_hostile_queries_in_vietnamese(sites):
    response = Client(HTTP_HOST="localhost").generic("GET", "/console/", QUERY_STRING="q=%00")
    assert response.status_code == 400
    assert "ký tự không hợp lệ" in response.content.decode()

"""An editor types a Vietnamese title in the admin: the slug Wagtail fills in reads right."""

import pytest
from django_tenants.utils import schema_context

from tests.committed import committed

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PASSWORD = "Mat-khau-bien-tap-2026"
CASES = {
    "Lễ hội xuống đồng xã Bao La": "le-hoi-xuong-dong-xa-bao-la",
    "Xã Tòng Đậu triển khai ký số cho cán bộ một cửa": (
        "xa-tong-dau-trien-khai-ky-so-cho-can-bo-mot-cua"
    ),
}


@pytest.fixture
def editor_and_category(sites, django_db_blocker):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from wagtail.models import Page

    from component_sites.editorial.roles import EDITOR
    from tests.component_sites.factories import make_category

    schema = sites.direct_commune.schema_name

    def create():
        with schema_context(schema):
            user = get_user_model().objects.create_user(
                "btv.slug", password=PASSWORD, email="btv.slug@doclap.vn"
            )
            user.groups.add(Group.objects.get(name=EDITOR))
            return make_category("Tin văn hoá xã").pk

    def clean_up():
        with schema_context(schema):
            Page.objects.filter(title="Tin văn hoá xã").delete()
            get_user_model().objects.filter(username="btv.slug").delete()

    with django_db_blocker.unblock():
        category_id = committed(create)
    yield category_id
    with django_db_blocker.unblock():
        committed(clean_up)


def test_the_admin_slug_of_a_vietnamese_title_is_folded(
    live_server_port, page, screenshot, editor_and_category, sites
):
    host = f"http://{sites.direct_commune.primary_domain}:{live_server_port}"
    page.goto(f"{host}/admin/login/")
    page.fill("#id_username", "btv.slug")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{host}/admin/")
    page.goto(f"{host}/admin/pages/add/news/articlepage/{editor_and_category}/")
    slug = page.locator("#id_slug")
    for title, expected in CASES.items():
        page.fill("#id_title", "")
        # Typed key by key, as a clerk types: Wagtail syncs the slug on each change.
        page.locator("#id_title").press_sequentially(title)
        page.locator("#id_lead").click()
        page.wait_for_function(
            "expected => document.querySelector('#id_slug').value === expected", arg=expected
        )
        assert slug.input_value() == expected
    # The slug field itself folds what is pasted into it, on leaving the field.
    page.get_by_role("tab", name="Quảng bá").click()
    slug.fill("Ngày hội đại đoàn kết")
    page.locator("#id_seo_title").click()
    page.wait_for_function(
        "() => document.querySelector('#id_slug').value === 'ngay-hoi-dai-doan-ket'"
    )
    screenshot("admin-slug-vietnamese")

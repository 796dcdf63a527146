"""Every new site starts with the standard section tree of a local portal."""

import pytest
from django.test import Client
from django_tenants.utils import schema_context
from wagtail.models import Page, Site

from component_sites.core.models import STANDARD_SECTIONS, HomePage, SectionPage

pytestmark = pytest.mark.django_db


def test_new_site_has_every_standard_section_in_menu_order(sites):
    with schema_context(sites.commune.schema_name):
        home = Site.objects.get(is_default_site=True).root_page
        children = SectionPage.objects.child_of(home).order_by("path")
        assert [(c.section_key, c.slug) for c in children] == [
            (str(k), slug) for k, slug in STANDARD_SECTIONS
        ]
        assert all(c.live and c.show_in_menus for c in children)


def test_sections_are_served_and_in_the_menu(sites):
    host = sites.commune.primary_domain
    body = Client().get("/", HTTP_HOST=host).content.decode()
    assert 'href="/gioi-thieu/">Giới thiệu</a>' in body
    assert 'href="/lien-he/">Liên hệ</a>' in body
    section = Client().get("/thu-tuc-hanh-chinh/", HTTP_HOST=host)
    assert section.status_code == 200
    html = section.content.decode()
    assert "<h1>Thủ tục hành chính</h1>" in html
    assert 'href="/thu-tuc-hanh-chinh/" aria-current="page"' in html


def test_page_tree_rules(sites):
    allowed = HomePage.allowed_subpage_models()
    assert SectionPage in allowed
    assert all(issubclass(model, SectionPage) for model in allowed)
    assert SectionPage in SectionPage.allowed_subpage_models()
    assert set(SectionPage.allowed_parent_page_models()) == {HomePage, SectionPage}
    with schema_context(sites.commune.schema_name):
        # One home page per site: a second cannot be created under the root.
        assert not HomePage.can_create_at(Page.get_first_root_node())


def test_a_registered_section_type_is_what_new_sections_are_made_of(monkeypatch):
    from component_sites.core import models, registry

    monkeypatch.setitem(registry.SECTION_PAGE_TYPES, "news", "core.SectionPage")
    assert models.section_page_model(SectionPage.Key.NEWS) is SectionPage
    monkeypatch.setitem(registry.SECTION_PAGE_TYPES, "news", "core.HomePage")
    assert models.section_page_model("news") is HomePage
    # A key no app registers is served by a plain SectionPage.
    monkeypatch.delitem(registry.SECTION_PAGE_TYPES, "contact", raising=False)
    assert models.section_page_model("contact") is SectionPage


def test_demo_builders_run_in_the_site_schema_and_report_what_they_made(sites, monkeypatch):
    from component_sites.core import demo
    from component_sites.core.models import SiteImage

    seen = []

    def builder(context):
        seen.append((context.tenant.schema_name, type(context.home).__name__))
        context.image("Cánh đồng", "Cánh đồng lúa buổi sáng")

    monkeypatch.setattr(demo, "_BUILDERS", [])
    demo.register_demo_builder("test", builder)
    demo.register_demo_builder("test", builder)  # registered once
    made = demo.build_demo_content(sites.direct_commune)
    assert seen == [(sites.direct_commune.schema_name, "HomePage")]
    assert made == {"images": 1}
    with schema_context(sites.direct_commune.schema_name):
        image = SiteImage.objects.get(title="Cánh đồng")
        assert (image.width, image.height) == (1200, 675)

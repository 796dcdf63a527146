"""Themes chosen by the province, branding set by each site, both on every page."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django_tenants.utils import schema_context
from wagtail.models import ModelLogEntry, Site

from tenants import lifecycle
from tenants.lifecycle import LifecycleError
from tenants.models import Tenant
from themes.colours import contrast
from themes.models import SiteBranding, default_body_name
from themes.registry import THEMES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("theme", list(THEMES.values()), ids=list(THEMES))
def test_every_theme_keeps_white_text_readable_on_its_colour(theme):
    assert contrast(theme.primary, "#ffffff") >= 4.5


@pytest.mark.parametrize(
    "name, body",
    [
        ("Xã Nhuận Trạch", "Ủy ban nhân dân xã Nhuận Trạch"),
        ("Thị trấn Lương Sơn", "Ủy ban nhân dân thị trấn Lương Sơn"),
        ("Tỉnh Hoà Bình", "Ủy ban nhân dân tỉnh Hoà Bình"),
        ("Đặc khu Phú Quốc", "Ủy ban nhân dân đặc khu Phú Quốc"),
    ],
)
def test_body_name_follows_the_unit(name, body):
    assert default_body_name(name) == body


def test_a_new_site_starts_with_its_body_name_and_its_parents_theme(sites):
    with schema_context(sites.commune.schema_name):
        branding = SiteBranding.for_site(Site.objects.get(is_default_site=True))
        assert branding.body_name == "Ủy ban nhân dân xã Nhuận Trạch"
    assert sites.commune.theme == sites.district.theme == "quoc-gia"


@pytest.mark.parametrize(
    "colour, message",
    [("#ffd54a", "quá sáng"), ("red", "#RRGGBB"), ("#12345", "#RRGGBB")],
)
def test_unreadable_or_malformed_colours_are_refused(sites, colour, message):
    with schema_context(sites.commune.schema_name):
        branding = SiteBranding.for_site(Site.objects.get(is_default_site=True))
        branding.primary_colour = colour
        with pytest.raises(ValidationError, match=message):
            branding.full_clean()


def test_pages_show_the_branding_theme_and_metadata(sites):
    with schema_context(sites.commune.schema_name):
        branding = SiteBranding.for_site(Site.objects.get(is_default_site=True))
        branding.primary_colour = "#14532d"
        branding.responsible_person = "Chủ tịch UBND xã"
        branding.phone = "0218 3825 111"
        branding.save()
    host = sites.commune.primary_domain
    html = Client().get("/gioi-thieu/", HTTP_HOST=host).content.decode()
    assert "Ủy ban nhân dân xã Nhuận Trạch" in html
    assert '<html lang="vi" data-theme="quoc-gia">' in html
    # The site's colours come from its own stylesheet (no inline styles: CSP).
    stylesheet = re.search(r'href="(/giao-dien\.css\?v=[0-9a-f]+)"', html).group(1)
    css = Client().get(stylesheet, HTTP_HOST=host).content.decode()
    assert ":root{--brand:#14532d;--brand-dark:#14532d}" in css
    assert "Chịu trách nhiệm nội dung: Chủ tịch UBND xã" in html
    assert 'href="tel:02183825111"' in html
    assert f'<link rel="canonical" href="http://{host}/gioi-thieu/">' in html
    assert '<meta name="DC.language" content="vi">' in html
    assert '<meta property="og:title" content="Giới thiệu">' in html
    assert '<meta name="DC.creator" content="Ủy ban nhân dân xã Nhuận Trạch">' in html


def test_the_province_changes_a_sites_theme_audited(sites):
    lifecycle.set_theme(Tenant.objects.get(pk=sites.commune.pk), "lam-ngoc")
    entry = ModelLogEntry.objects.for_instance(sites.commune).get(action="tenants.theme")
    assert (entry.data["before"]["theme"], entry.data["after"]["theme"]) == (
        "quoc-gia",
        "lam-ngoc",
    )
    html = Client().get("/", HTTP_HOST=sites.commune.primary_domain).content.decode()
    assert '<html lang="vi" data-theme="lam-ngoc">' in html


@pytest.mark.parametrize(
    "theme, message", [("tim", "Không có giao diện"), ("quoc-gia", "đang dùng")]
)
def test_bad_theme_changes_are_refused(sites, theme, message):
    with pytest.raises(LifecycleError, match=message):
        lifecycle.set_theme(sites.commune, theme)
    sites.commune.refresh_from_db()
    assert sites.commune.theme == "quoc-gia"


def test_renaming_a_site_renames_its_default_body(sites):
    lifecycle.rename(Tenant.objects.get(pk=sites.direct_commune.pk), "Xã Độc Lập Mới")
    with schema_context(sites.direct_commune.schema_name):
        branding = SiteBranding.for_site(Site.objects.get(is_default_site=True))
        assert branding.body_name == "Ủy ban nhân dân xã Độc Lập Mới"

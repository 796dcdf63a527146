"""Vietnamese slugs: the admin widget's transliteration, pages saved without a slug, repair."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django_tenants.utils import schema_context

from component_sites.core.slugs import (
    VietnameseSlugInput,
    mangled_forms,
    repaired_slug,
    slug_formatters,
    wagtail_urlify,
)
from component_sites.core.text import ascii_slug

TITLES = {
    "Lễ hội xuống đồng xã Bao La": "le-hoi-xuong-dong-xa-bao-la",
    "Xã Tòng Đậu triển khai ký số cho cán bộ một cửa": (
        "xa-tong-dau-trien-khai-ky-so-cho-can-bo-mot-cua"
    ),
    "Ngày hội đại đoàn kết toàn dân tộc": "ngay-hoi-dai-doan-ket-toan-dan-toc",
    "ĐẢNG ỦY XÃ ĐỒNG TÂM: Nghị quyết 11/2026": "dang-uy-xa-dong-tam-nghi-quyet-11-2026",
}


def _browser_slug(title: str) -> str:
    """What the admin's slug controller computes: our formatters, then Wagtail's urlify."""
    for pattern, replacement in slug_formatters():
        title = re.sub(pattern, replacement, title)
    return wagtail_urlify(title)


@pytest.mark.parametrize(("title", "slug"), TITLES.items())
def test_the_admin_widget_folds_vietnamese_like_the_server(title, slug):
    assert ascii_slug(title) == slug
    assert _browser_slug(title) == slug


def test_decomposed_input_from_a_vietnamese_keyboard_folds_too():
    import unicodedata

    title = unicodedata.normalize("NFD", "Lễ hội xuống đồng")
    assert _browser_slug(title) == "le-hoi-xuong-dong"


def test_the_old_admin_mangling_is_reproduced_from_wagtails_own_table():
    # The issue's examples, as Wagtail 8's admin typed them.
    assert wagtail_urlify("Lễ hội xuống đồng xã Bao La") == "l-hi-xung-djng-xa-bao-la"
    assert wagtail_urlify("Ngày hội đại đoàn kết toàn dân tộc") == (
        "ngay-hi-dji-djoan-kt-toan-dan-tc"
    )
    assert "l-hi-xung-djng-xa-bao-la" in mangled_forms("Lễ hội xuống đồng xã Bao La")
    # A title Wagtail got right has no mangled form: nothing to repair.
    assert mangled_forms("Tin tuc moi") == set()


def test_the_widget_carries_the_formatters_to_wagtails_controller():
    html = VietnameseSlugInput().render("slug", "")
    assert 'data-controller="w-slug"' in html
    assert "data-w-slug-formatters-value" in html


def test_a_chosen_slug_is_not_taken_for_a_mangled_one():
    class Row:
        title = draft_title = "Giới thiệu chung về xã"
        slug = "gioi-thieu"

    assert repaired_slug(Row) is None
    Row.slug = "gii-thiu-chung-v-xa-2"
    assert repaired_slug(Row) == "gioi-thieu-chung-ve-xa"


@pytest.mark.django_db
def test_pages_saved_without_a_slug_get_ascii_ones_with_wagtails_suffix(sites):
    from component_sites.news.models import ArticlePage
    from tests.component_sites.factories import make_category

    with schema_context(sites.commune.schema_name):
        category = make_category("Tin lễ hội")
        slugs = []
        for _ in range(2):
            article = ArticlePage(title="Lễ hội xuống đồng xã Bao La", lead="Sapo.")
            category.add_child(instance=article)
            slugs.append(article.slug)
    assert slugs == ["le-hoi-xuong-dong-xa-bao-la", "le-hoi-xuong-dong-xa-bao-la-2"]


def _mangled_article(sites):
    """A live category and article whose slugs Wagtail's admin mangled, with a child page."""
    from component_sites.news.models import ArticlePage
    from tests.component_sites.factories import make_category

    category = make_category("Đời sống đồng bào")
    category.slug = wagtail_urlify(category.title)
    category.save()
    article = ArticlePage(
        title="Lễ hội xuống đồng xã Bao La",
        slug="l-hi-xung-djng-xa-bao-la",
        lead="Sapo.",
        body=[("paragraph", "<p>Nội dung.</p>")],
    )
    category.add_child(instance=article)
    article.save_revision().publish()
    return category, article


@pytest.mark.django_db
def test_the_repair_is_a_dry_run_by_default(sites):
    with schema_context(sites.commune.schema_name):
        category, article = _mangled_article(sites)
    out = StringIO()
    call_command("repair_slugs", "--site", sites.commune.schema_name, stdout=out)
    text = out.getvalue()
    assert "sẽ sửa: l-hi-xung-djng-xa-bao-la → le-hoi-xuong-dong-xa-bao-la" in text
    assert "Chưa sửa gì" in text
    with schema_context(sites.commune.schema_name):
        article.refresh_from_db()
        assert article.slug == "l-hi-xung-djng-xa-bao-la"


@pytest.mark.django_db
def test_the_repair_renames_and_leaves_a_301_from_each_old_address(sites):
    from wagtail.contrib.redirects.models import Redirect

    schema = sites.commune.schema_name
    with schema_context(schema):
        category, article = _mangled_article(sites)
        old_url = article.get_url()
        assert f"/{wagtail_urlify(category.title)}/" in old_url  # the category was mangled too
    out = StringIO()
    call_command("repair_slugs", "--apply", "--site", sites.commune.code, stdout=out)
    assert "Đã sửa 2 địa chỉ" in out.getvalue()
    with schema_context(schema):
        article.refresh_from_db()
        category.refresh_from_db()
        assert category.slug == "doi-song-dong-bao"
        assert article.slug == "le-hoi-xuong-dong-xa-bao-la"
        new_url = article.get_url()
        assert new_url.endswith("/doi-song-dong-bao/le-hoi-xuong-dong-xa-bao-la/")
        # Publishing the latest draft again keeps the new slug.
        assert article.get_latest_revision().content["slug"] == article.slug
        assert Redirect.objects.filter(redirect_page=article, is_permanent=True).exists()
    client = Client(HTTP_HOST=sites.commune.primary_domain)
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"].endswith(new_url)
    assert client.get(new_url).status_code == 200
    # Run again: nothing left to repair.
    out = StringIO()
    call_command("repair_slugs", "--apply", "--site", schema, stdout=out)
    assert "Đã sửa 0 địa chỉ" in out.getvalue()


@pytest.mark.django_db
def test_an_unknown_site_is_refused_with_a_vietnamese_message(sites):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Không có trang nào"):
        call_command("repair_slugs", "--site", "khong-co")

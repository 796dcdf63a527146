"""Bulk building (the demo) defers Wagtail's per-save indexing and reindexes once per schema."""

from __future__ import annotations

import pytest
from wagtail.models import ReferenceIndex

from component_sites.core.models import SiteImage
from tenants.deferred_indexing import indexing_deferred, reindex_schema
from tests.component_sites import factories
from tests.component_sites.site_fixtures import site_schema  # noqa: F401

pytestmark = pytest.mark.django_db


def found(text: str) -> list[str]:
    return [image.title for image in SiteImage.objects.search(text)]


def test_saves_inside_are_not_indexed_until_the_schema_is_reindexed(site_schema):  # noqa: F811
    with indexing_deferred():
        factories.make_image("Cầu treo Hòa Bình")
    assert found("cầu treo") == []
    reindex_schema(site_schema.schema_name)
    assert found("cầu treo") == ["Cầu treo Hòa Bình"]


def test_indexing_is_back_after_the_block_even_when_it_failed(site_schema):  # noqa: F811
    try:
        with indexing_deferred():
            raise RuntimeError("dừng giữa chừng")
    except RuntimeError:
        pass
    factories.make_image("Đồi chè Long Cốc")
    assert found("đồi chè") == ["Đồi chè Long Cốc"]


def test_the_reference_index_is_rebuilt_for_pages_saved_inside(site_schema):  # noqa: F811
    with indexing_deferred():
        category = factories.make_category("Tin thử")
        (article,) = factories.make_articles(category, 1)
    uses = ReferenceIndex.get_references_to(article.featured_image)
    assert not uses.exists()
    reindex_schema(site_schema.schema_name)
    assert [ref.object_id for ref in uses.all()] == [str(article.pk)]

"""Pictures made after the site cache kept their images are never made again.

The first render after a publish fills the site cache (the home lists, an article's
surroundings) with images and the renditions they had then, none for a new picture, and
only then makes the renditions.  Wagtail trusts a prefetch: finding nothing there it
decoded and resized the original again on every later render (and asked the database for
the row it then found), until the cached copy expired an hour later.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from component_sites.core.models import SiteImage, SiteRendition
from tests.component_sites import factories

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0"


@pytest.fixture
def uncached(settings):
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def generated(monkeypatch):
    """The filter specs of every rendition file made (decoded and resized) during the test."""
    made = []
    original = SiteImage.generate_rendition_file

    def counting(self, filter, *args, **kwargs):
        made.append((self.pk, filter.spec))
        return original(self, filter, *args, **kwargs)

    monkeypatch.setattr(SiteImage, "generate_rendition_file", counting)
    return made


def test_the_home_page_makes_each_picture_once_then_reads_none(sites, uncached, generated):
    site = sites.commune
    with schema_context(site.schema_name):
        category = factories.make_category("Mục ảnh mới")
        factories.make_articles(category, 6)
        SiteRendition.objects.all().delete()  # as on a new site: no picture made yet
    client = Client(HTTP_HOST=site.primary_domain, HTTP_USER_AGENT=BROWSER)

    assert client.get("/").status_code == 200  # fills the site cache, then makes the pictures
    first = list(generated)
    assert first and len(first) == len(set(first))
    for _ in range(2):
        assert client.get("/").status_code == 200
    assert generated == first  # nothing made again
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
    renditions = [q["sql"] for q in captured.captured_queries if "core_siterendition" in q["sql"]]
    assert renditions == []  # the refilled site cache carries them


def test_a_stale_prefetch_finds_the_stored_rendition_instead_of_making_it(sites, generated):
    with schema_context(sites.commune.schema_name):
        image = factories.make_image("Ảnh có bản thu nhỏ")
        stale = SiteImage.objects.prefetch_related("renditions").get(pk=image.pk)
        assert list(stale.renditions.all()) == []
        made = SiteImage.objects.get(pk=image.pk).get_rendition("fill-120x80")
        assert generated == [(image.pk, "fill-120x80")]

        found = stale.get_rendition("fill-120x80")

        assert found.pk == made.pk and found.image is stale
        assert generated == [(image.pk, "fill-120x80")]  # not made a second time
        with CaptureQueriesContext(connection) as captured:
            assert stale.get_rendition("fill-120x80").pk == made.pk  # kept with the image
        assert captured.captured_queries == []

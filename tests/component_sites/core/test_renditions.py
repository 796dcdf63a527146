"""A rendition read from a prefetch or the cache is not written back to the cache."""

import pytest
from django_tenants.utils import schema_context

from component_sites.core.models import SiteImage, SiteRendition
from tests.component_sites import factories

pytestmark = pytest.mark.django_db


def test_found_renditions_are_not_written_again_and_new_ones_are_made(sites, monkeypatch):
    with schema_context(sites.commune.schema_name):
        image = factories.make_image("Ảnh rendition")
        made = image.get_rendition("fill-100x50")  # made by Wagtail, cached
        writes = []
        backend = SiteRendition.cache_backend
        monkeypatch.setattr(backend, "set", lambda *args, **kwargs: writes.append(args))

        fresh = SiteImage.objects.get(pk=image.pk)
        from_cache = fresh.get_rendition("fill-100x50")
        assert from_cache.pk == made.pk and from_cache.image is fresh
        prefetched = SiteImage.objects.prefetch_renditions("fill-100x50").get(pk=image.pk)
        assert prefetched.get_rendition("fill-100x50").pk == made.pk
        assert writes == []

        other = fresh.get_rendition("fill-60x60")  # not made yet: Wagtail makes and caches it
        assert other.pk != made.pk and other.filter_spec == "fill-60x60"
        assert len(writes) == 1

"""Renditions found without Wagtail 8.0's cache write on every ``get_rendition`` call.

Wagtail 8.0 stores the rendition in the renditions cache on every call, even one it has
just read from a prefetch or from that cache: a Redis write per picture per page
(wagtail/wagtail#14541 makes it skip those).  ``existing`` returns a rendition found in
the prefetched renditions or in the cache as it is; a rendition to make is left to Wagtail.

A prefetch can be older than the rendition: the site cache keeps images with the
renditions they had when it was filled, and the first render after a publish fills it
before it makes the pictures.  Wagtail trusts a prefetch and, finding nothing there, makes
the file again (``create_rendition`` decodes and resizes the original before it finds the
row that exists) on every render until the cached copy expires.  So a prefetch that lacks
the rendition is not the last word here: the cache, then the database are asked first.
"""

from __future__ import annotations

from wagtail.images.models import Filter


def existing(image, filter):
    """The rendition of ``image`` for ``filter`` from its prefetch or the cache, or None."""
    spec = Filter(spec=filter) if isinstance(filter, str) else filter
    if not isinstance(spec, Filter):
        return None  # Wagtail raises its own error
    spec = image.clean_filter_for_svg(spec)
    prefetched = image._get_prefetched_renditions() is not None
    if prefetched:
        found = image.find_existing_renditions(spec).get(spec)
        if found is not None:
            return found
    model = image.get_rendition_model()
    focal_point_key = spec.get_cache_key(image)
    found = model.cache_backend.get(model.construct_cache_key(image, focal_point_key, spec.spec))
    if found is None and prefetched:
        # Without a prefetch Wagtail asks the database itself; with one it would not.
        found = model.objects.filter(
            image_id=image.pk, filter_spec=spec.spec, focal_point_key=focal_point_key
        ).first()
    if found is not None:
        found.image = image  # as Wagtail does with what it reads from the cache
        if prefetched:
            image._add_to_prefetched_renditions(found)
    return found

"""Renditions found without Wagtail 8.0's cache write on every ``get_rendition`` call.

Wagtail 8.0 stores the rendition in the renditions cache on every call, even one it has
just read from a prefetch or from that cache: a Redis write per picture per page
(wagtail/wagtail#14541 makes it skip those).  ``existing`` returns a rendition found in
the prefetched renditions or in the cache as it is; anything else (a rendition to make,
or to read from the database) is left to Wagtail.
"""

from __future__ import annotations

from wagtail.images.models import Filter


def existing(image, filter):
    """The rendition of ``image`` for ``filter`` from its prefetch or the cache, or None."""
    spec = Filter(spec=filter) if isinstance(filter, str) else filter
    if not isinstance(spec, Filter):
        return None  # Wagtail raises its own error
    spec = image.clean_filter_for_svg(spec)
    if image._get_prefetched_renditions() is not None:
        return image.find_existing_renditions(spec).get(spec)
    model = image.get_rendition_model()
    found = model.cache_backend.get(
        model.construct_cache_key(image, spec.get_cache_key(image), spec.spec)
    )
    if found is not None:
        found.image = image  # as Wagtail does with what it reads from the cache
    return found

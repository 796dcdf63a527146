"""Content types of a site's schema, kept per process: no query per request to fill them.

django-tenants empties Django's content-type cache at every schema switch (ids differ
between schemas), so each request on a site re-read, one query each, every content type
its pages looked up (``specific`` pages, renditions, menus: 4 on a commune's home page).
The rows of each site are kept here per process, keyed by schema and site id (a site
deleted and provisioned again under the same schema name is another key), and put back
into Django's cache after the switch.  Ids of existing rows never change; a content type
created later is simply not in the copy and read from the table as before.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from django.contrib.contenttypes.models import ContentType
from django.db import connection

MAX_SITES = 256
# Instances are shared between requests, as Django's own cache shares them.
_rows: OrderedDict[tuple[str, int], list[ContentType]] = OrderedDict()
_lock = threading.Lock()


def warm(tenant) -> None:
    """Fill Django's content-type cache for ``tenant``'s schema (the active one)."""
    key = (tenant.schema_name, tenant.pk)
    with _lock:
        rows = _rows.get(key)
        if rows is not None:
            _rows.move_to_end(key)
    using = connection.alias
    if rows is None:
        rows = list(ContentType.objects.using(using).all())
        with _lock:
            _rows[key] = rows
            while len(_rows) > MAX_SITES:
                _rows.popitem(last=False)
    for content_type in rows:
        ContentType.objects._add_to_cache(using, content_type)


def forget(schema: str) -> None:
    """Drop what is kept for ``schema`` (its tables were replaced)."""
    with _lock:
        for key in [k for k in _rows if k[0] == schema]:
            del _rows[key]

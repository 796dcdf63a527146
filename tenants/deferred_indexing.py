"""Bulk building without Wagtail's per-save indexing, then one reindex per schema.

Every save of an indexed model queues Wagtail's search update and every save of a page,
image or document its reference-index update; with django-tasks' immediate backend both
run inside the save. Building a demo site saves each page three or four times (draft,
revision, publish, move), so about a third of the first ``make run`` went into indexing
objects that were saved again a moment later (``bench/first_run.py``).

``indexing_deferred()`` turns both off for the saves inside it (process-wide: for commands
that run before the web and worker processes start, never inside a request), and
``reindex_schema()`` then rebuilds the site's search index in bulk and its reference index
once per object, with the same code Wagtail's own management commands run.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.management import call_command
from django.db.models.signals import post_save
from django_tenants.utils import schema_context
from modelsearch import index, signal_handlers
from wagtail.signal_handlers import disable_reference_index_auto_update


def _auto_updated_models() -> list[type]:
    return [
        model for model in index.get_indexed_models() if getattr(model, "search_auto_update", True)
    ]


@contextmanager
def indexing_deferred() -> Iterator[None]:
    """Saves inside skip the search and reference-index updates (reindex afterwards)."""
    models = _auto_updated_models()
    for model in models:
        post_save.disconnect(signal_handlers.post_save_signal_handler, sender=model)
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        for model in models:
            post_save.connect(signal_handlers.post_save_signal_handler, sender=model)


def reindex_schema(schema_name: str) -> None:
    """Rebuild one site's search index (bulk) and reference index."""
    quiet = io.StringIO()
    with schema_context(schema_name):
        call_command("update_index", stdout=quiet)
        call_command("rebuild_references_index", stdout=quiet)

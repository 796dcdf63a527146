"""Counters: increments in Redis only, flushed into PostgreSQL once, even when retried."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from component_sites.core import counter_flush, counters
from component_sites.core.models import CounterBatch, StoredCounter
from component_sites.news.models import ARTICLE_VIEWS
from tasks.counters import flush_all_counters, flush_site_counters
from tests.component_sites import factories

pytestmark = pytest.mark.django_db


def _writes(captured):
    return [
        q["sql"]
        for q in captured
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]


def test_an_article_view_increments_redis_and_writes_nothing_to_postgresql(sites):
    with schema_context(sites.commune.schema_name):
        (article,) = factories.make_articles(factories.news_index(), 1)
        url = article.url
    client = Client(HTTP_HOST=sites.commune.primary_domain, HTTP_USER_AGENT="Mozilla/5.0")
    client.get(url)  # renditions are made (and written) on the first view
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    assert _writes(captured.captured_queries) == []
    raw = counters.client().hget(
        counters.pending_key(sites.commune.schema_name), f"{ARTICLE_VIEWS}:{article.pk}"
    )
    assert int(raw) == 2
    assert sites.commune.schema_name in counter_flush.dirty_sites()
    # The view being served counts itself.
    live = f'data-live="count:{ARTICLE_VIEWS}:{article.pk}">3</span>'
    assert f"Lượt xem: <span data-view-count {live}" in client.get(url).content.decode()


def test_flush_persists_and_reading_adds_stored_and_pending(sites):
    schema = sites.commune.schema_name
    with schema_context(schema):
        counters.increment("article-view", 7, 3)
        counters.increment("article-view", 8)
    assert flush_site_counters(schema) == 4
    with schema_context(schema):
        assert StoredCounter.objects.get(kind="article-view", object_id=7).value == 3
        counters.increment("article-view", 7)
        assert counters.get_counts("article-view", [7, 8, 9]) == {7: 4, 8: 1, 9: 0}
    assert flush_site_counters(schema) == 1
    with schema_context(schema):
        assert StoredCounter.objects.get(kind="article-view", object_id=7).value == 4
    assert schema not in counter_flush.dirty_sites()


def test_a_retried_flush_does_not_count_twice(sites, monkeypatch):
    schema = sites.commune.schema_name
    with schema_context(schema):
        counters.increment("document-download", 5, 2)
    # The first attempt applies the batch, then dies before deleting the Redis hash.
    release_calls = []
    real_register = counters.redis.Redis.register_script

    def crashing_register(self, script):
        registered = real_register(self, script)
        if script == counter_flush._RELEASE:

            def crash(*args, **kwargs):
                release_calls.append(args)
                raise counters.redis.exceptions.ConnectionError("connection lost")

            return crash
        return registered

    monkeypatch.setattr(counters.redis.Redis, "register_script", crashing_register)
    with pytest.raises(counters.redis.exceptions.ConnectionError):
        flush_site_counters.run(schema)
    monkeypatch.undo()
    assert release_calls
    assert counters.client().exists(counters.flushing_key(schema))
    with schema_context(schema):
        # Already applied: the value read is not inflated by the batch still in Redis.
        assert counters.get_count("document-download", 5) == 2
        counters.increment("document-download", 5)
    # The retry recognises the applied batch, then flushes the newer increment.
    assert flush_site_counters(schema) == 1
    with schema_context(schema):
        assert StoredCounter.objects.get(kind="document-download", object_id=5).value == 3
        assert CounterBatch.objects.count() == 2
    assert not counters.client().exists(counters.flushing_key(schema))


def test_a_batch_claimed_but_not_applied_is_applied_by_the_next_flush(sites):
    schema = sites.commune.schema_name
    with schema_context(schema):
        counters.increment("article-view", 11, 5)
    # A worker claimed the batch (renamed the hash) and died before writing anything.
    claim = counters.client().register_script(counter_flush._CLAIM)
    claim(
        keys=[counters.pending_key(schema), counters.flushing_key(schema)],
        args=["dead-worker", "__batch__"],
    )
    with schema_context(schema):
        assert counters.get_count("article-view", 11) == 5
    assert flush_site_counters(schema) == 5
    with schema_context(schema):
        assert StoredCounter.objects.get(kind="article-view", object_id=11).value == 5


def test_flush_all_enqueues_one_task_per_site_with_pending_increments(sites, monkeypatch):
    sent = []
    monkeypatch.setattr(flush_site_counters, "delay", lambda schema: sent.append(schema))
    with schema_context(sites.district.schema_name):
        counters.increment("article-view", 1)
    with schema_context(sites.commune.schema_name):
        counters.increment("article-view", 1)
    assert flush_all_counters() >= 2
    assert {sites.district.schema_name, sites.commune.schema_name} <= set(sent)


def test_counters_need_a_site_and_a_valid_kind(sites):
    connection.set_schema_to_public()
    with pytest.raises(ValueError, match="site"):
        counters.increment("article-view", 1)
    with schema_context(sites.commune.schema_name), pytest.raises(ValueError, match="kind"):
        counters.increment("Bad Kind!", 1)

"""Counters kept in Redis and persisted by beat: a page view never writes to PostgreSQL.

A counter is identified by (site schema, kind, object id): ``increment("article-view", 42)``
in a request adds one to field ``article-view:42`` of the hash ``counters:pending:<schema>``
and marks the site as having pending increments.  ``tasks.counters`` moves each site's
pending hash into ``StoredCounter`` rows:

1. the hash is atomically renamed to ``counters:flushing:<schema>`` and stamped with a batch
   id (increments arriving meanwhile start a new pending hash, so none is lost);
2. the increments and a ``CounterBatch`` row with that id are written in one transaction;
3. the flushing hash is deleted.

A flush that dies after step 1 or 2 is simply run again: it finds the flushing hash first,
and a batch id already in ``CounterBatch`` is not applied twice.  The flush is
``component_sites.core.counter_flush``; this module holds the keys, increments and reads.

Reading (``get_counts``, ``read_many``) adds stored, pending and in-flight values, so
numbers shown to visitors move at once.  The stored values are mirrored in Redis
(``counters:stored:<schema>``): the flush adds what it applied to the mirror in the same
atomic step that deletes the flushing hash (so a reader sees either stored + in flight, or
the new stored value, never both), and loads the whole mirror from the table, under its
lock, when the mirror is missing (first flush, Redis emptied).  While the mirror is complete
a read of any number of counters of any kinds is one Redis round trip and no SQL; until then
it reads the table (one query).  Site-wide counters use object id 0 and a kind naming the period
(e.g. ``visits:day:2026-11-22``).

Redis unreachable (``breaker``): a request never fails for a counter.  Increments are held
in the process (at most ``MAX_HELD`` fields) and written to Redis by the first increment
after it answers again; readings show the stored values plus what the process holds.
Increments held by a process that stops before Redis comes back are lost (documented in
docs/faults.md).  The flush (a beat task) simply fails and runs again a minute later.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable

import redis
from django.conf import settings
from django.db import connection

from .breaker import redis_breaker

logger = logging.getLogger(__name__)

DIRTY_SITES = "counters:dirty"
BATCH_FIELD = "__batch__"
_KIND = re.compile(r"^[a-z0-9][a-z0-9_.:-]{0,63}$")

# Field of the mirror saying it holds every stored counter of the site.
COMPLETE_FIELD = "__complete__"

_clients: dict[str, redis.Redis] = {}


# What "Redis is unreachable" looks like to redis-py.
REDIS_DOWN = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)
MAX_HELD = 10_000
_held: dict[tuple[str, str], int] = defaultdict(int)
_held_lock = threading.Lock()


def client() -> redis.Redis:
    """The Redis connection of the counters database (one pool per process)."""
    url = settings.COUNTERS_REDIS_URL
    if url not in _clients:
        _clients[url] = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=0.5)
    return _clients[url]


def outage():
    """The circuit breaker of the counters' Redis (see ``component_sites.core.breaker``)."""
    retry_after = getattr(settings, "REDIS_RETRY_AFTER", 5.0)
    return redis_breaker(settings.COUNTERS_REDIS_URL, retry_after)


def _hold(schema: str, field: str, amount: int) -> None:
    with _held_lock:
        if (schema, field) in _held or len(_held) < MAX_HELD:
            _held[(schema, field)] += amount
            return
    logger.warning("counters: %s of %s lost (Redis down, %d held)", field, schema, MAX_HELD)


def held(schema: str, field: str) -> int:
    """Increments of ``field`` this process holds for ``schema`` while Redis is down."""
    return _held.get((schema, field), 0)


def _write(pipe, schema: str, field: str, amount: int) -> None:
    pipe.hincrby(pending_key(schema), field, int(amount))
    pipe.sadd(DIRTY_SITES, schema)


def _release_held() -> None:
    """Write the increments held during an outage (Redis answers again)."""
    with _held_lock:
        items = list(_held.items())
        _held.clear()
    if not items:
        return
    pipe = client().pipeline(transaction=False)
    for (schema, field), amount in items:
        _write(pipe, schema, field, amount)
    try:
        pipe.execute()
    except REDIS_DOWN as error:
        outage().failed(error)
        for (schema, field), amount in items:
            _hold(schema, field, amount)
        return
    logger.warning("counters: %d held increments written after the outage", len(items))


def redis_call(action, default):
    """``action()`` on the counters' Redis, or ``default`` while it is unreachable."""
    gate = outage()
    if not gate.allows():
        return default
    try:
        result = action()
    except REDIS_DOWN as error:
        gate.failed(error)
        return default
    if gate.succeeded() or _held:
        _release_held()
    return result


def pending_key(schema: str) -> str:
    return f"counters:pending:{schema}"


def flushing_key(schema: str) -> str:
    return f"counters:flushing:{schema}"


def stored_key(schema: str) -> str:
    """The Redis mirror of a site's ``StoredCounter`` values (see the module doc)."""
    return f"counters:stored:{schema}"


def field_name(kind: str, object_id: int) -> str:
    if not _KIND.match(kind):
        raise ValueError(f"invalid counter kind {kind!r}")
    return f"{kind}:{int(object_id)}"


def _current_schema(schema: str | None) -> str:
    schema = schema or connection.schema_name
    if not schema or schema == "public":
        raise ValueError("counters belong to a site: no site schema is active")
    return schema


def increment(kind: str, object_id: int, amount: int = 1, *, schema: str | None = None) -> None:
    """Add ``amount`` to a counter of the current site (Redis only; two commands, one trip)."""
    schema = _current_schema(schema)
    field = field_name(kind, object_id)

    def write():
        pipe = client().pipeline(transaction=False)
        _write(pipe, schema, field, amount)
        return pipe.execute()

    if redis_call(write, None) is None:
        _hold(schema, field, int(amount))


def read_many(
    pairs: Iterable[tuple[str, int]], *, schema: str | None = None, pipe=None
) -> dict[tuple[str, int], int] | Callable:
    """``{(kind, object_id): stored + pending}`` of the current site, any kinds at once.

    One Redis round trip; no SQL while the stored mirror is complete (one query otherwise).
    With ``pipe`` (a redis-py pipeline the caller executes), the reads are queued on it and
    a function is returned that takes that pipeline's results from the first queued
    command read here and gives the dict: callers put their own writes in the same trip.
    """
    schema = _current_schema(schema)
    keys = list(dict.fromkeys((kind, int(object_id)) for kind, object_id in pairs))
    fields = [field_name(kind, object_id) for kind, object_id in keys]

    def queue(p):
        p.hmget(stored_key(schema), [*fields, COMPLETE_FIELD])
        p.hmget(pending_key(schema), fields or [BATCH_FIELD])
        p.hmget(flushing_key(schema), [*fields, BATCH_FIELD])

    def finish(results) -> dict[tuple[str, int], int]:
        return _combine(schema, keys, fields, results)

    if pipe is not None:
        queue(pipe)
        return finish
    if not keys:
        return {}

    def read():
        p = client().pipeline(transaction=False)
        queue(p)
        return p.execute()

    return finish(redis_call(read, None))


def _combine(schema, keys, fields, results) -> dict[tuple[str, int], int]:
    from .models import CounterBatch, StoredCounter

    if not keys:
        return {}
    nothing = [None] * len(fields)
    if results is None:  # Redis down: the table and what this process holds
        stored, pending, flushing = [*nothing, None], nothing, [*nothing, None]
    else:
        stored, pending, flushing = (list(r) for r in results[:3])
    complete = stored.pop() is not None
    in_flight_batch = flushing.pop()
    pending = [int(p or 0) + held(schema, f) for p, f in zip(pending, fields, strict=True)]
    if not complete:
        if in_flight_batch is not None and (
            CounterBatch.objects.filter(batch_id=in_flight_batch.decode()).exists()
        ):
            # Already added to the stored values; only the deletion of the hash is pending.
            flushing = list(nothing)
        stored = [0] * len(keys)
        index = {key: n for n, key in enumerate(keys)}
        rows = StoredCounter.objects.filter(
            kind__in={kind for kind, _ in keys}, object_id__in={i for _, i in keys}
        ).values_list("kind", "object_id", "value")
        for kind, object_id, value in rows:
            if (kind, object_id) in index:
                stored[index[(kind, object_id)]] = value
    return {
        key: int(kept or 0) + int(waiting or 0) + int(flying or 0)
        for key, kept, waiting, flying in zip(keys, stored, pending, flushing, strict=True)
    }


def queue_increment(pipe, schema: str, kind: str, object_id: int, amount: int = 1) -> None:
    """Queue one increment on a caller's pipeline (``increment`` in someone else's trip)."""
    _write(pipe, schema, field_name(kind, object_id), amount)


def hold(schema: str, kind: str, object_id: int, amount: int = 1) -> None:
    """Keep an increment in the process while Redis is down (written when it answers)."""
    _hold(schema, field_name(kind, object_id), amount)


def get_counts(kind: str, object_ids: Iterable[int], *, schema: str | None = None) -> dict:
    """``{object_id: stored + pending}`` for the current site (see ``read_many``)."""
    ids = [int(i) for i in object_ids]
    values = read_many([(kind, i) for i in ids], schema=schema)
    return {i: values[(kind, i)] for i in ids}


def sum_counts(kinds: Iterable[str], object_id: int, *, schema: str | None = None) -> int:
    """The sum of several counters of one object (a year's months); see ``read_many``."""
    return sum(read_many([(kind, int(object_id)) for kind in kinds], schema=schema).values())


def get_count(kind: str, object_id: int, *, schema: str | None = None) -> int:
    """The value of one counter of the current site (stored + pending)."""
    return get_counts(kind, [object_id], schema=schema)[int(object_id)]

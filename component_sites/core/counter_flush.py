"""The flush of the visit and download counters: Redis increments into ``StoredCounter`` rows.

Run by beat per site (``tasks.counters``), in the site's schema; safe to run again after any
failure and concurrently with itself (the steps are in ``component_sites.core.counters``'
module doc).  It also keeps the Redis mirror of the stored values that reads use.
"""

from __future__ import annotations

import contextlib
import uuid
from collections import defaultdict

import redis
from django.db import connection, transaction

from . import counters

# Atomically: unless a previous batch is still being flushed, rename the pending hash to
# the flushing one and stamp it with the new batch id.  Returns the batch id in flight
# (the old one if a previous flush did not finish), or false when there is nothing to do.
_CLAIM = """
if redis.call('EXISTS', KEYS[2]) == 1 then
    return redis.call('HGET', KEYS[2], ARGV[2]) or ''
end
if redis.call('EXISTS', KEYS[1]) == 0 then
    return false
end
redis.call('RENAME', KEYS[1], KEYS[2])
redis.call('HSET', KEYS[2], ARGV[2], ARGV[1])
return ARGV[1]
"""

# Delete the flushing hash only if it still holds the batch just applied; in the same
# atomic step add its increments to the stored mirror (KEYS[2]) when that is complete.
_RELEASE = """
if redis.call('HGET', KEYS[1], ARGV[2]) ~= ARGV[1] then
    return 0
end
if redis.call('HEXISTS', KEYS[2], ARGV[3]) == 1 then
    local flat = redis.call('HGETALL', KEYS[1])
    for i = 1, #flat, 2 do
        if flat[i] ~= ARGV[2] and string.find(flat[i], ':', 1, true) then
            redis.call('HINCRBY', KEYS[2], flat[i], tonumber(flat[i + 1]) or 0)
        end
    end
end
return redis.call('DEL', KEYS[1])
"""


def dirty_sites() -> list[str]:
    """Schemas with increments waiting to be flushed."""
    return sorted(member.decode() for member in counters.client().smembers(counters.DIRTY_SITES))


def _parse(raw: dict[bytes, bytes]) -> dict[tuple[str, int], int]:
    increments: dict[tuple[str, int], int] = defaultdict(int)
    for field, value in raw.items():
        name = field.decode()
        if name == counters.BATCH_FIELD:
            continue
        kind, _, object_id = name.rpartition(":")
        if not kind or not object_id.lstrip("-").isdigit():
            continue  # not written by increment(): ignore rather than fail the whole batch
        increments[(kind, int(object_id))] += int(value)
    return increments


def _apply(increments: dict[tuple[str, int], int]) -> None:
    """Add the increments to the stored values (one upsert per 500 counters)."""
    from .models import StoredCounter

    table = connection.ops.quote_name(StoredCounter._meta.db_table)
    rows = [(kind, object_id, delta) for (kind, object_id), delta in increments.items() if delta]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 500):
            chunk = rows[start : start + 500]
            values = ", ".join(["(%s, %s, %s, now())"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} (kind, object_id, value, updated_at) VALUES {values} "  # noqa: S608 - table name from the model, values are parameters
                "ON CONFLICT (kind, object_id) DO UPDATE "
                f"SET value = {table}.value + EXCLUDED.value, updated_at = now()",
                [item for row in chunk for item in row],
            )


def flush_site(schema: str) -> int:
    """Persist a site's pending increments in its schema (the current one); returns how many.

    Safe to run again after any failure and concurrently with itself: see the module doc.
    """
    if connection.schema_name != schema:
        raise ValueError(f"flush_site({schema!r}) must run in that schema")
    r = counters.client()
    lock = r.lock(f"counters:lock:{schema}", timeout=300, blocking=False)
    if not lock.acquire():
        return 0  # another flush of this site is running; it takes what is pending
    try:
        r.srem(counters.DIRTY_SITES, schema)
        return _flush_locked(r, schema)
    finally:
        # A lock that expired during a very long flush has nothing left to release.
        with contextlib.suppress(redis.exceptions.LockError):
            lock.release()


def _flush_locked(r: redis.Redis, schema: str) -> int:
    from .models import CounterBatch

    applied = 0
    claim = r.register_script(_CLAIM)
    release = r.register_script(_RELEASE)
    # At most two rounds: a leftover batch of a failed flush, then the current one.
    for _round in range(2):
        batch = claim(
            keys=[counters.pending_key(schema), counters.flushing_key(schema)],
            args=[uuid.uuid4().hex, counters.BATCH_FIELD],
        )
        if batch is None:
            break
        batch_id = batch.decode() if isinstance(batch, bytes) else str(batch)
        if not batch_id:
            # A flushing hash without its stamp (written by hand?): stamp it now.
            batch_id = uuid.uuid4().hex
            r.hsetnx(counters.flushing_key(schema), counters.BATCH_FIELD, batch_id)
            batch_id = r.hget(counters.flushing_key(schema), counters.BATCH_FIELD).decode()
        increments = _parse(r.hgetall(counters.flushing_key(schema)))
        with transaction.atomic():
            _record, fresh = CounterBatch.objects.get_or_create(batch_id=batch_id)
            if fresh:
                _apply(increments)
                applied += sum(increments.values())
        release(
            keys=[counters.flushing_key(schema), counters.stored_key(schema)],
            args=[batch_id, counters.BATCH_FIELD, counters.COMPLETE_FIELD],
        )
    if not r.hexists(counters.stored_key(schema), counters.COMPLETE_FIELD):
        load_mirror(r, schema)
    return applied


def forget_mirror(schema: str) -> None:
    """Drop a site's stored mirror (its table was replaced: restore); reloaded at next flush."""
    counters.redis_call(lambda: counters.client().delete(counters.stored_key(schema)), None)


def load_mirror(r: redis.Redis, schema: str) -> int:
    """Copy every stored counter of the site into its Redis mirror (under the flush lock)."""
    from .models import StoredCounter

    rows = {
        counters.field_name(kind, object_id): value
        for kind, object_id, value in StoredCounter.objects.values_list(
            "kind", "object_id", "value"
        ).iterator(chunk_size=5000)
    }
    pipe = r.pipeline(transaction=True)
    pipe.delete(counters.stored_key(schema))
    for start in range(0, len(rows), 5000):
        chunk = dict(list(rows.items())[start : start + 5000])
        pipe.hset(counters.stored_key(schema), mapping=chunk)
    pipe.hset(counters.stored_key(schema), counters.COMPLETE_FIELD, "1")
    pipe.execute()
    return len(rows)


def forget_old_batches(days: int = 7) -> int:
    """Delete batch records older than ``days`` (a retry never comes that late)."""
    from datetime import timedelta

    from django.utils import timezone

    from .models import CounterBatch

    deleted, _ = CounterBatch.objects.filter(
        applied_at__lt=timezone.now() - timedelta(days=days)
    ).delete()
    return deleted

"""A pool of schemas cloned ahead of time, so that creating a site does not wait for a clone.

Copying a template (``tenants.schema_copy``; django-tenants' ``clone_schema`` SQL function
before) is most of the time a new site costs.  The worker keeps ``SITE_SCHEMA_POOL_SIZE``
clones of each level's template ready under throwaway names (``pool_c_<hex>``), recorded as
``PooledSchema`` rows.  Provisioning takes one inside its own transaction and only renames it
(``ALTER SCHEMA … RENAME``, a catalog update; every table, sequence default and foreign key
refers to the schema by oid, so nothing else changes), then configures it as before.

- **No two sites get one schema**: the row is taken with ``SELECT … FOR UPDATE SKIP LOCKED``
  and deleted in the transaction that renames the schema; a concurrent provisioning skips the
  locked row, and a rolled-back provisioning leaves both the row and the schema as they were.
- **Exhaustion falls back to a clone**, as before the pool existed.
- **A template that changed** (migrations, seed) has another fingerprint: its old clones are
  never handed out, and ``refill_pool`` drops them and clones fresh ones.  ``prepare_platform``
  / ``ensure_site_templates`` refill after bringing the templates up to date.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction

from .catalog_statistics import analyze_catalogs
from .models import PooledSchema
from .schema_copy import copy_or_clone, template_fingerprint
from .schema_copy import quote as _quote
from .site_templates import template_schemas

logger = logging.getLogger(__name__)

POOL_PREFIX = "pool_"
# Held (in Redis, with an expiry) by the one process refilling the pool.  Not a session
# advisory lock: behind PgBouncer in transaction mode the lock and the unlock could reach
# different server connections.
REFILL_LOCK_KEY = "schema-pool:refill"
ANALYZE_EVERY = 10


def pool_size(level: str) -> int:
    """How many ready schemas the worker keeps for ``level`` (0 turns the pool off)."""
    sizes = settings.SITE_SCHEMA_POOL_SIZE
    if isinstance(sizes, int):
        return sizes
    return int(sizes.get(level, 0))


def take_pooled_schema(level: str, template: str, new_name: str) -> bool:
    """Rename a ready clone of ``template`` to ``new_name``; False when none is ready.

    Must run inside the provisioning transaction (the row lock and the rename commit or roll
    back with the site's registry rows).
    """
    if not connection.in_atomic_block:
        raise RuntimeError("take_pooled_schema must run inside the provisioning transaction")
    connection.set_schema_to_public()
    fingerprint = template_fingerprint(template)
    table = PooledSchema._meta.db_table
    with connection.cursor() as cursor:
        # Lock (skipping rows another provisioning holds) and delete in one statement.
        cursor.execute(
            f"DELETE FROM {table} WHERE id = (SELECT id FROM {table} "  # noqa: S608 - model table
            "WHERE level = %s AND template_schema = %s AND fingerprint = %s "
            "ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING schema_name",
            [level, template, fingerprint],
        )
        row = cursor.fetchone()
        if row is None:
            return False
        cursor.execute(f"ALTER SCHEMA {_quote(row[0])} RENAME TO {_quote(new_name)}")
    logger.info("site schema %s taken from the pool (%s)", new_name, row[0])
    return True


@dataclass
class RefillReport:
    """What one refill did, per level."""

    created: dict[str, int] = field(default_factory=dict)
    dropped: dict[str, int] = field(default_factory=dict)
    ready: dict[str, int] = field(default_factory=dict)
    skipped: bool = False  # another process holds the refill lock


def _drop_entry(entry_pk: int) -> bool:
    """Drop one pooled schema and its row, unless provisioning holds it right now."""
    with transaction.atomic():
        entry = PooledSchema.objects.select_for_update(skip_locked=True).filter(pk=entry_pk).first()
        if entry is None:
            return False
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {_quote(entry.schema_name)} CASCADE")
        entry.delete()
    return True


def _clone_one(level: str, template: str, fingerprint: str) -> str:
    prefix = {"province": "p", "district": "d", "commune": "c"}.get(level, "s")
    name = f"{POOL_PREFIX}{prefix}_{secrets.token_hex(6)}"
    with transaction.atomic():
        connection.set_schema_to_public()
        copy_or_clone(template, name, fingerprint)
        connection.set_schema_to_public()
        PooledSchema.objects.create(
            schema_name=name, level=level, template_schema=template, fingerprint=fingerprint
        )
    return name


def refill_pool(
    levels: list[str] | None = None, report: Callable[[str], None] = logger.info
) -> RefillReport:
    """Drop clones of changed templates, then clone until each level has its pool size.

    One process at a time (a lock in Redis): a second caller returns at once with
    ``skipped`` set; with Redis unreachable the refill runs unlocked (at worst a few clones
    beyond the pool size).  Each clone commits on its own, so a refill that stops half way
    keeps what it made.
    """
    from django.core.cache import cache

    from component_sites.core.enqueue import BROKER_DOWN

    result = RefillReport()
    connection.set_schema_to_public()
    token = secrets.token_hex(8)
    try:
        if not cache.add(REFILL_LOCK_KEY, token, settings.CELERY_TASK_TIME_LIMIT):
            result.skipped = True
            return result
    except BROKER_DOWN:
        logger.warning("schema pool refill runs without its lock: Redis unreachable")
    try:
        made = 0
        for level, template in template_schemas().items():
            if levels is not None and level not in levels:
                continue
            fingerprint = template_fingerprint(template)
            stale = (
                PooledSchema.objects.filter(level=level)
                .exclude(template_schema=template, fingerprint=fingerprint)
                .values_list("pk", flat=True)
            )
            result.dropped[level] = sum(_drop_entry(pk) for pk in list(stale))
            ready = PooledSchema.objects.filter(
                level=level, template_schema=template, fingerprint=fingerprint
            ).count()
            result.created[level] = 0
            for _ in range(max(0, pool_size(level) - ready)):
                name = _clone_one(level, template, fingerprint)
                result.created[level] += 1
                made += 1
                report(f"Đã chuẩn bị sẵn lược đồ {name} (cấp {level})")
                if made % ANALYZE_EVERY == 0:
                    analyze_catalogs()
            result.ready[level] = ready + result.created[level]
        if made:
            analyze_catalogs()
    finally:
        connection.set_schema_to_public()
        try:
            if cache.get(REFILL_LOCK_KEY) == token:
                cache.delete(REFILL_LOCK_KEY)
        except BROKER_DOWN:
            pass
    return result


def drain_pool(levels: list[str] | None = None) -> int:
    """Drop every pooled schema (of ``levels``); returns how many were dropped."""
    entries = PooledSchema.objects.all()
    if levels is not None:
        entries = entries.filter(level__in=levels)
    return sum(_drop_entry(pk) for pk in list(entries.values_list("pk", flat=True)))


def request_refill() -> None:
    """Ask the worker to top the pool up (after a site took a schema from it)."""
    if not any(pool_size(level) for level in template_schemas()):
        return
    from celery import current_app

    from component_sites.core.enqueue import BROKER_DOWN

    try:
        # By name: domain code never imports tasks/ (DESIGN.md, directions of dependency).
        current_app.send_task("tasks.schema_pool.refill_schema_pool")
    except BROKER_DOWN:
        # Beat refills every minute anyway; the next site falls back to a clone meanwhile.
        logger.warning("pool refill not queued: broker unreachable")

"""The domain → site lookup of every request, cached in Redis (``ROUTING_CACHE_SECONDS``).

Each request used to spend a query finding its site from the Host header.  A found domain
is kept with its site, whether the site's schema is ready and the site's primary domain,
under a key of its own in the public schema's cache space.  It is forgotten when anything
it holds may change: a ``Domain`` or ``Tenant`` saved or deleted (signals), every console
action (``lifecycle.audit``), a merge and a restore (they update rows in bulk or swap the
schema).  The short lifetime bounds what a missed change could cost.

Not kept: unknown hosts (a stream of invented names must not fill Redis) and sites whose
schema is not ready (a restore in progress answers 503 and is checked again each time).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django_tenants.utils import get_public_schema_name, schema_context

logger = logging.getLogger(__name__)

DEFAULT_SECONDS = 60


def _key(hostname: str) -> str:
    return f"routing:domain:{hostname}"


def find_domain(hostname: str, load):
    """The ``Domain`` of ``hostname`` (``load(hostname)`` on a miss), or None.

    The domain carries ``tenant``, ``schema_ready`` and ``primary_hostname``.
    """
    seconds = getattr(settings, "ROUTING_CACHE_SECONDS", DEFAULT_SECONDS)
    if seconds <= 0:
        return load(hostname)
    try:
        found = cache.get(_key(hostname))
    except Exception:  # the cache falls back on its own; anything else: ask the database
        logger.warning("routing cache unavailable", exc_info=True)
        found = None
    if found is not None:
        return found
    domain = load(hostname)
    if domain is not None and domain.schema_ready:
        try:
            cache.set(_key(hostname), domain, seconds)
        except Exception:
            logger.warning("routing cache not written", exc_info=True)
    return domain


def forget(hostnames: Iterable[str]) -> None:
    """Drop the cached lookups of ``hostnames`` now and again when the transaction commits.

    Again at the commit: a request between the two could have cached the old rows.
    """
    keys = [_key(name) for name in {h for h in hostnames if h}]
    if not keys:
        return
    _delete(keys)
    transaction.on_commit(lambda: _delete(keys))


def _delete(keys: list[str]) -> None:
    try:
        # Keys carry the active schema's name (django_tenants.cache.make_key): public's.
        with schema_context(get_public_schema_name()):
            cache.delete_many(keys)
    except Exception:
        logger.warning("routing cache not purged for %s", keys, exc_info=True)


def forget_tenant(tenant) -> None:
    """Drop the cached lookups of every domain of ``tenant`` (a site or its id) and of the
    sites under it (their lookups carry their parents' names and domains)."""
    from django.db.models import Q

    from .models import Domain

    tenant_id = getattr(tenant, "pk", tenant)
    below = Q(tenant_id=tenant_id) | Q(tenant__parent_id=tenant_id)
    below |= Q(tenant__parent__parent_id=tenant_id)
    with schema_context(get_public_schema_name()):
        names = list(Domain.objects.filter(below).values_list("domain", flat=True))
    forget(names)


def _domain_changing(sender, instance, **_kwargs) -> None:
    if instance.pk:
        # A renamed domain: its old name must stop routing at once.
        old = sender.objects.filter(pk=instance.pk).values_list("domain", flat=True).first()
        instance._routing_old_name = old


def _domain_changed(sender, instance, **_kwargs) -> None:
    forget([instance.domain, getattr(instance, "_routing_old_name", None)])
    if instance.tenant_id:
        forget_tenant(instance.tenant_id)  # the site's other domains redirect to its primary


def _tenant_changed(sender, instance, **_kwargs) -> None:
    forget_tenant(instance)


def register() -> None:
    from .models import Domain, Tenant

    pre_save.connect(_domain_changing, sender=Domain, dispatch_uid="routing-domain-changing")
    post_save.connect(_domain_changed, sender=Domain, dispatch_uid="routing-domain-saved")
    post_delete.connect(_domain_changed, sender=Domain, dispatch_uid="routing-domain-deleted")
    post_save.connect(_tenant_changed, sender=Tenant, dispatch_uid="routing-tenant-saved")

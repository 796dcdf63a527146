"""Who a visitor is, without storing it: a signed first-party cookie, keyed pseudonyms.

Used for one rating per visitor and the submission budgets; Redis keys hold keyed hashes,
never an address or a cookie.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.cache import cache

from portal.client_ip import client_ip

# A first-party cookie holding a random id, signed by the site: issued with the rating form,
# required to rate.  Nothing a visitor sends in a header (User-Agent, forwarded addresses)
# changes who they are; clearing the cookie does, and that is what the per-address cap below
# is for.
VISITOR_COOKIE = "nguoi_doc"
VISITOR_COOKIE_SALT = "participation.visitor"
VISITOR_COOKIE_AGE = 365 * 24 * 3600
VISITOR_ID_LENGTH = 22


def pseudonym(kind: str, value: str) -> str:
    """A keyed hash (the site's secret): Redis keys never hold an address or a cookie."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{kind}\x1f{value}".encode(), hashlib.sha256).hexdigest()[:32]


def visitor_cookie(request) -> str | None:
    """The visitor's id from their signed cookie, or None (no cookie, or a forged one)."""
    value = request.get_signed_cookie(
        VISITOR_COOKIE, default=None, salt=VISITOR_COOKIE_SALT, max_age=VISITOR_COOKIE_AGE
    )
    if (
        not value
        or len(value) != VISITOR_ID_LENGTH
        or not value.replace("-", "").replace("_", "").isalnum()
    ):
        return None
    return value


def issue_visitor_cookie(request, response) -> str:
    """Give the visitor an id (kept if they have one) in a signed, HTTP-only cookie."""
    value = visitor_cookie(request) or new_visitor(request)
    response.set_signed_cookie(
        VISITOR_COOKIE,
        value,
        salt=VISITOR_COOKIE_SALT,
        max_age=VISITOR_COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return value


def new_visitor(request) -> str:
    """The id this request's response hands out to a visitor who has none (made once)."""
    if not getattr(request, "_new_visitor_cookie", None):
        request._new_visitor_cookie = secrets.token_urlsafe(16)
    return request._new_visitor_cookie


def visitor_id(request) -> str | None:
    """A visitor's pseudonym (from the signed cookie); None when they have no cookie.

    Used only as a Redis key with a time to live (one rating per visitor); never stored in
    PostgreSQL.
    """
    value = visitor_cookie(request)
    return pseudonym("visitor", value) if value else None


def address_id(request) -> str:
    """A pseudonym of the client's address (``portal.client_ip``: trusted proxies only)."""
    return pseudonym("address", client_ip(request) or "unknown")


def count_per_address(name: str, request, ttl: int) -> int:
    """Count one more ``name`` event from this client's address; the count so far.

    Raises when Redis cannot be reached (the caller refuses).
    """
    key = f"participation:per-address:{name}:{address_id(request)}"
    cache.add(key, 0, ttl)
    return cache.incr(key)


def claim_once(name: str, ttl: int) -> bool:
    """Atomically mark ``name`` as done for ``ttl`` seconds; false if it already was.

    Raises when Redis cannot be reached: the caller refuses rather than count twice.
    """
    return bool(cache.add(f"participation:once:{name}", 1, ttl))


def release_once(name: str) -> None:
    cache.delete(f"participation:once:{name}")

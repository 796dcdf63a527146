"""The client's address, read the same way everywhere (rate limits, login throttling, ratings).

Behind reverse proxies (the TLS proxy, the edge cache) the socket address is the nearest
proxy's.  Each proxy appends the address it received the request from to X-Forwarded-For, so
with ``TRUSTED_PROXY_COUNT = n`` proxies in front of the platform the client is the n-th
address from the right of ``X-Forwarded-For`` + the socket address.  Anything further left was
written by the client itself and is never trusted.  With no trusted proxy (the default) the
header is ignored altogether.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings

MAX_LENGTH = 64


def _valid(address: str) -> str:
    address = address.strip()
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return ""


def client_ip(request) -> str:
    """The address of the client that sent ``request`` (an empty string if unknown)."""
    remote = _valid(request.META.get("REMOTE_ADDR", "")[:MAX_LENGTH])
    trusted = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if trusted <= 0:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")[:4096]
    chain = [hop for hop in (part.strip() for part in forwarded.split(",")) if hop]
    chain.append(remote)
    # chain[-1] is the nearest proxy, chain[-1 - trusted] the client as the farthest
    # trusted proxy saw it.  A shorter chain means the request bypassed a proxy.
    if len(chain) <= trusted:
        return _valid(chain[0][:MAX_LENGTH])
    return _valid(chain[-1 - trusted][:MAX_LENGTH])

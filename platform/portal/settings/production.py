"""Production settings: every secret and service comes from the environment.

A missing ``SECRET_KEY``, ``DATABASE_URL`` or ``REDIS_URL`` stops the process at
start instead of falling back to a development default.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_missing = [
    name for name in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL") if not os.environ.get(name)
]
if _missing:
    raise ImproperlyConfigured(
        "Thiếu biến môi trường bắt buộc / missing required environment variables: "
        + ", ".join(_missing)
    )

from .base import *  # noqa: E402, F403
from .base import env  # noqa: E402

DEBUG = False
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["*"])
CONTROL_DOMAINS = env.list("CONTROL_DOMAINS")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True

# HTTPS only: the TLS proxy in front sets X-Forwarded-Proto; plain HTTP is redirected, except
# the health check, which the load balancer and the edge cache call on the private network.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz/?$"]
# Browsers remember for a year to use HTTPS only, for the province's domain and every site
# under it (all of them are served by this platform).
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [
    *SILENCED_SYSTEM_CHECKS,  # noqa: F405
    # Preloading puts the whole domain (gov.vn sub-domains included) into the browsers' built-in
    # list, hard to undo: a decision for the domain's owner, set with SECURE_HSTS_PRELOAD.
    "security.W021",
]

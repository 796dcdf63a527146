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

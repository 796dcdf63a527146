"""Test settings: real PostgreSQL and Redis (DATABASE_URL / REDIS_URL or local defaults)."""

import os

# Tests use Redis databases 8-11, apart from a platform sharing the same server.
os.environ.setdefault("REDIS_DB_BASE", "8")

from pathlib import Path

from .base import *  # noqa: E402, F403
from .base import BASE_DIR, CACHES, env  # noqa: E402

SECRET_KEY = "test-only-secret-key"  # noqa: S105
DEBUG = False
PUBLIC_URL_SCHEME = "http"
PUBLIC_URL_PORT = ""
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "test-media")
# Test runs must not see a developer's cached pages, and parallel runs not each other's.
for _alias in CACHES.values():
    _alias["KEY_PREFIX"] = env("CACHE_KEY_PREFIX", default="portal-test")

# WhiteNoise serves from the finders here; an empty STATIC_ROOT keeps it from warning.
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # noqa: F405

SITE_DOMAIN_SUFFIX = "test.localhost"
CONSOLE_SHOWS_SETUP_LINKS = True
# No pool of ready schemas unless a test fills one (tests/tenants/test_schema_pool.py).
SITE_SCHEMA_POOL_SIZE = 0

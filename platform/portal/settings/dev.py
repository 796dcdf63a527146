"""Development settings: the embedded services started by ``make run``."""

from pathlib import Path

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
PUBLIC_URL_SCHEME = env("PUBLIC_URL_SCHEME", default="http")
PUBLIC_URL_PORT = env("PUBLIC_URL_PORT", default=env("PORT", default="8000"))
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}

# WhiteNoise serves from the finders here; an empty STATIC_ROOT keeps it from warning.
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # noqa: F405

SITE_DOMAIN_SUFFIX = env("SITE_DOMAIN_SUFFIX", default="localhost")
CONSOLE_SHOWS_SETUP_LINKS = env.bool("CONSOLE_SHOWS_SETUP_LINKS", default=True)

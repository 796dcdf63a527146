"""Development settings: the embedded services started by ``make run``."""

from pathlib import Path

from .base import *  # noqa: F403
from .base import env

# Visitors of the demo see the sites' own Vietnamese 404/500 pages.  A developer who wants
# Django's debug pages starts `make run DEBUG=1` (or `DEBUG=1 python -m portal.launcher`):
# the server listens on 127.0.0.1 only, so those pages never reach anybody else.
DEBUG = env.bool("DEBUG", default=False)
PUBLIC_URL_SCHEME = env("PUBLIC_URL_SCHEME", default="http")
PUBLIC_URL_PORT = env("PUBLIC_URL_PORT", default=env("PORT", default="8000"))
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}

# WhiteNoise serves from the finders here (with DEBUG off too: nothing to collect in
# development); an empty STATIC_ROOT keeps it from warning.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # noqa: F405

SITE_DOMAIN_SUFFIX = env("SITE_DOMAIN_SUFFIX", default="localhost")
CONSOLE_SHOWS_SETUP_LINKS = env.bool("CONSOLE_SHOWS_SETUP_LINKS", default=True)

"""Settings shared by every environment.

Services are chosen by environment: ``DATABASE_URL`` and ``REDIS_URL`` point at
real servers (the launcher sets them to the embedded ones in development).
"""

from importlib.util import find_spec
from pathlib import Path
from urllib.parse import unquote

from portal.redis_urls import CACHE_DB, COUNTERS_DB, with_db
from portal.settings.environment import REDIS_URL, env

# The checkout (development defaults under var/); in the image the code is an installed wheel,
# so whatever ships with it is found from its packages, never from BASE_DIR.
BASE_DIR = Path(__file__).resolve().parents[3]
PORTAL_DIR = Path(__file__).resolve().parents[1]
THEMES_DIR = Path(find_spec("themes").origin).parent

SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
# Hosts are checked against the Domain table by the tenant middleware: an unknown
# host gets a 404 there, so Django's own check would only duplicate it.
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["*"])

# Reverse proxies in front of the platform (TLS proxy, edge cache) whose X-Forwarded-For
# entries are believed: the client address is that many hops from the right (portal.client_ip).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# The control plane (platform console) answers on these hosts, in the public schema.
CONTROL_DOMAINS = env.list("CONTROL_DOMAINS", default=["localhost", "127.0.0.1"])

# Apps present in every schema.  Wagtail, contenttypes, auth and sessions must be
# listed on both sides: splitting them breaks Wagtail in the public schema.
COMMON_APPS = [
    "component_sites.core",
    "themes",
    "component_sites.news",
    "component_sites.documents",
    "component_sites.links",
    "component_sites.notices",
    "component_sites.media",
    "component_sites.schedule",
    "component_sites.organization",
    "component_sites.procedures",
    "component_sites.participation",
    "component_sites.search",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "django.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    # Wagtail's users app, with "reset two-factor" on the user edit screen.
    "component_sites.accounts.user_apps.SiteUsersConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    # After wagtail.admin: replaces its synchronous workflow e-mails with Celery tasks.
    "component_sites.editorial",
    # Logins, lockout, two-factor, support login: a site's admin and the console alike.
    "component_sites.accounts",
    "modelcluster",
    "taggit",
    "django.contrib.auth",
    # Two-factor authentication: devices live next to the users, in every schema.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # CORS for the open data (/api/v1/ only, GET): other sites' web apps may read it.
    "corsheaders",
]

SHARED_APPS = [
    "django_tenants",
    "tenants",
    "tenants.procedures",
    "tenants.scoring",
    *COMMON_APPS,
]
TENANT_APPS = [*COMMON_APPS]
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Tenant"
TENANT_DOMAIN_MODEL = "tenants.Domain"
TENANT_LIMIT_SET_CALLS = True
# New sites are cloned from a migrated, seeded template schema (one per level).
TENANT_CREATION_FAKES_MIGRATIONS = True
TENANT_BASE_SCHEMA = "tpl_commune"
TENANT_TEMPLATE_SCHEMAS = {
    "province": "tpl_province",
    "district": "tpl_district",
    "commune": "tpl_commune",
}
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
# `migrate_schemas --tenant --executor=sites` (tenants/site_migrations.py): only the schemas
# behind, the migration state prepared once and shared, in this many processes.
GET_EXECUTOR_FUNCTION = "tenants.site_migrations.get_executor"
TENANT_MULTIPROCESSING_MAX_PROCESSES = env.int("MIGRATION_PROCESSES", default=2)
PUBLIC_SCHEMA_URLCONF = "portal.urls_public"
ROOT_URLCONF = "portal.urls_tenant"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything that answers on its own (CORS_URLS_REGEX limits it to the open data).
    "corsheaders.middleware.CorsMiddleware",
    # HTML, CSS, JSON compressed on the way out (outside the page cache, which keeps plain
    # bodies; Django pads compressed bodies against BREACH).  WhiteNoise answers with its
    # own .br/.gz files where collectstatic made them (production), left as they are.
    "django.middleware.gzip.GZipMiddleware",
    # Content-Security-Policy per area and Permissions-Policy, on every response (cached ones too).
    "portal.csp.PolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.health.HealthCheckMiddleware",
    # Under /api/v1/ every failure answers JSON, those of the two below included.
    "component_sites.opendata.middleware.OpenDataErrorsMiddleware",
    # NUL bytes or broken UTF-8 in the path, query or form: a Vietnamese 400 (portal.hostile).
    "portal.hostile.HostileInputMiddleware",
    "tenants.middleware.SiteRoutingMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): the session passed its second step (django-otp) ...
    "django_otp.middleware.OTPMiddleware",
    # ... and a site's admin stays closed until it has (component_sites.accounts.two_factor).
    "component_sites.accounts.two_factor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # ETag and 304s on the final page (the edge cache and browsers revalidate with it).
    "django.middleware.http.ConditionalGetMiddleware",
    "component_sites.core.page_cache.PageCacheMiddleware",
    # Wagtail's Site and the home page of a page the cache did not have, from the site cache.
    "component_sites.core.site_cache.WagtailSiteMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

# Security and access (CORS, headers, logins, lockout, two-factor): settings/security.py.
from portal.settings.security import *  # noqa: E402, F403

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [THEMES_DIR / "default" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "portal.wsgi.application"

DATABASES = {"default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/portal")}
# libpq spells a unix socket directory as a percent-encoded host (postgres://%2Fpath/db).
DATABASES["default"]["HOST"] = unquote(DATABASES["default"].get("HOST", ""))
# django-tenants clears the ContentType cache on every schema switch (ids differ per schema).
DATABASES["default"]["ENGINE"] = "django_tenants.postgresql_backend"
DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
# A pooled connection killed by the server (restart, pg_terminate_backend) is noticed before
# the request's first query and replaced, instead of failing that request (docs/faults.md).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


# Every cache alias carries the schema in its keys: Wagtail caches site root paths
# and renditions under global keys, which would otherwise leak between sites.
# Redis down: each process falls back to a local cache (portal.cache, docs/faults.md);
# pages are then served uncached (the page cache keeps nothing locally).  Redis is tried
# again every REDIS_RETRY_AFTER seconds (cache and counters).
REDIS_RETRY_AFTER = env.float("REDIS_RETRY_AFTER", default=5.0)
_cache = {
    "BACKEND": "portal.cache.ResilientRedisCache",
    "LOCATION": with_db(REDIS_URL, CACHE_DB),
    "KEY_FUNCTION": "django_tenants.cache.make_key",
    "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="portal"),
    "OPTIONS": {
        "socket_connect_timeout": 0.5,
        "socket_timeout": 1,
        "RETRY_AFTER": REDIS_RETRY_AFTER,
        "NO_FALLBACK_PREFIXES": ["pagecache:", "sitecache:"],
    },
}
CACHES = {
    "default": {**_cache},
    "renditions": {**_cache, "TIMEOUT": 60 * 60 * 24},
}
COUNTERS_REDIS_URL = with_db(REDIS_URL, COUNTERS_DB)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Vietnamese for everyone (no Accept-Language switching); English versions of the pages the
# law asks for come as separate pages, not as a different interface language.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["portal.formats"]
# The project's catalogue (its own strings and the Wagtail/Django admin strings clerks meet);
# listed paths come before the apps' own catalogues.  Compiled by `make install` (portal.catalogue).
LOCALE_PATHS = [PORTAL_DIR / "locale"]
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")
STATICFILES_DIRS = [THEMES_DIR / "default" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
# Each site's uploads live under MEDIA_ROOT/<schema>/ and are served under /media/<schema>/.
MULTITENANT_RELATIVE_MEDIA_ROOT = "%s"
STORAGES = {
    "default": {"BACKEND": "django_tenants.files.storage.TenantFileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


# One rating of an article per visitor (signed cookie), and at most this many per client
# address, article and day (an office behind one NAT address shares it).
RATINGS_PER_ADDRESS_PER_DAY = env.int("RATINGS_PER_ADDRESS_PER_DAY", default=30)

# Anonymous pages of a site are served from Redis for at most this long (purged on publish).
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300)
# A page that reads query parameters keeps at most this many cached variants per path.
PAGE_CACHE_VARIANTS = env.int("PAGE_CACHE_VARIANTS", default=50)
# Edge cache (Varnish, deploy/varnish/portal.vcl) in front of the web processes: purges go
# to it as PURGE requests (Wagtail's frontend cache, tenants.edge_cache); the live parts of
# pages (visits, views, ratings) then come from /_live/ (component_sites.core.live).
EDGE_CACHE_URL = env("EDGE_CACHE_URL", default="")
if EDGE_CACHE_URL:
    WAGTAILFRONTENDCACHE = {
        "edge": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": EDGE_CACHE_URL,
        }
    }
# The domain → site lookup of each request is cached this long (tenants.routing_cache).
ROUTING_CACHE_SECONDS = env.int("ROUTING_CACHE_SECONDS", default=60)

# Wagtail
WAGTAIL_SITE_NAME = "Cổng thông tin điện tử"
WAGTAILIMAGES_IMAGE_MODEL = "core.SiteImage"
WAGTAILDOCS_DOCUMENT_MODEL = "core.SiteDocument"
# Slugs typed in the admin are ASCII (Vietnamese letters transliterated, đ → d).
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# No third-party avatar service: clerks' e-mail hashes are not sent outside the platform.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Nor does the admin ask releases.wagtail.org for new versions (the CSP would refuse it).
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000

# -- Uploads: never run in a site's origin (component_sites.core.uploads, issue 13) --------
# Documents are served only by the document view (collection privacy, sandbox CSP,
# nosniff, attachment unless a raster image); /media/<schema>/documents/... redirects there.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_BLOCK_EMBEDDED_CONTENT = True
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"]
# The document extensions a site may upload (the province sets the list, comma-separated);
# html, svg, js... are refused whatever it says (system check portal.E102).
WAGTAILDOCS_EXTENSIONS = env.list(
    "WAGTAILDOCS_EXTENSIONS",
    default=[
        "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp", "rtf",
        "txt", "csv", "zip", "rar", "7z", "jpg", "jpeg", "png",
    ],
)  # fmt: skip
# Raster images only (no SVG); refusals in Vietnamese, page markup in an image refused.
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
# Renditions are WebP (a third to half the bytes of PNG/JPEG at the same look); GIFs stay
# GIFs (animations).  AVIF would save more but costs several times the CPU to encode.
WAGTAILIMAGES_FORMAT_CONVERSIONS = {
    "avif": "avif",
    "bmp": "webp",
    "gif": "gif",
    "jpeg": "webp",
    "png": "webp",
    "webp": "webp",
}
WAGTAILIMAGES_IMAGE_FORM_BASE = "component_sites.core.upload_forms.SiteImageForm"
# -- end of uploads ---------------------------------------------------------------------------
# WAGTAILADMIN_BASE_URL is deliberately unset: it is one global value, and every site has
# its own domain.  Wagtail then builds admin links from the request, and emails sent by
# tasks build them from the site's primary domain (Tenant.primary_url).
SILENCED_SYSTEM_CHECKS = ["wagtailadmin.W003"]
# Wagtail 8 queues reference-index, search-index and file-deletion work through
# django-tasks without a schema in the arguments: run it immediately, in the
# request's own schema.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Background work (Celery, beat, probes, long jobs): portal/settings/background.py.
from portal.settings.background import *  # noqa: E402, F403
from portal.settings.background import CELERY_BEAT_SCHEDULE, CELERY_IMPORTS  # noqa: E402

CELERY_TIMEZONE = TIME_ZONE

# How visitors reach the sites (links in e-mails and the console, built without a request).
PUBLIC_URL_SCHEME = env("PUBLIC_URL_SCHEME", default="https")
PUBLIC_URL_PORT = env("PUBLIC_URL_PORT", default="")
# One-time links (new admins, password resets) are valid for 3 days.
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="no-reply@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}

# Procedures syndicated per task (one task per site and batch).
PROCEDURE_SYNDICATION_BATCH = env.int("PROCEDURE_SYNDICATION_BATCH", default=200)

# Folders searched for a TrueType font with Vietnamese letters for the PDF reports
# (tenants.scoring.export_pdf): DejaVu Sans (Debian: fonts-dejavu-core), then Noto Sans, then
# Liberation Sans; a folder right under a listed one is searched too.
PDF_FONT_DIRS = env.list(
    "PDF_FONT_DIRS",
    default=[
        "/usr/share/fonts/truetype/dejavu",
        "/usr/share/fonts/truetype/noto",
        "/usr/share/fonts/truetype/liberation",
        "/usr/share/fonts/truetype/liberation2",
        "/usr/share/fonts/truetype",
        "/usr/local/share/fonts",
    ],
)

# Sites get national-scheme domains under this suffix (<commune>.<province>.<suffix>).
SITE_DOMAIN_SUFFIX = env("SITE_DOMAIN_SUFFIX", default="gov.vn")
# Show new admins' one-time links in the console (development); production only e-mails them.
CONSOLE_SHOWS_SETUP_LINKS = env.bool("CONSOLE_SHOWS_SETUP_LINKS", default=False)

# --- Scale: pool of ready site schemas, schema migrations from the console (issue 17) ---
# Schemas cloned ahead of time per level (tenants.schema_pool); provisioning renames one
# instead of cloning while the request waits.  0 turns the pool off (clone as before).
SITE_SCHEMA_POOL_SIZE = {
    "province": env.int("SITE_SCHEMA_POOL_PROVINCE", default=1),
    "district": env.int("SITE_SCHEMA_POOL_DISTRICT", default=2),
    "commune": env.int("SITE_SCHEMA_POOL_COMMUNE", default=5),
}
CELERY_IMPORTS += ["tasks.schema_pool", "tasks.schema_migrations"]
# The refill runs on the `long` queue, behind any merge: a refill still waiting when the next
# one is due is dropped (expires), so a long merge does not leave a pile of refills behind it.
CELERY_BEAT_SCHEDULE["schema-pool-refill"] = {
    "task": "tasks.schema_pool.refill_schema_pool",
    "schedule": 60.0,
    "options": {"expires": 55},
}
# Behind PgBouncer in transaction pooling mode every statement must carry its schema
# (portal.pgbouncer_backend; docs/deployment.md, "PgBouncer").  Migrations and
# prepare_platform go straight to PostgreSQL, with this off.
PGBOUNCER_TRANSACTION_POOLING = env.bool("PGBOUNCER_TRANSACTION_POOLING", default=False)
if PGBOUNCER_TRANSACTION_POOLING:
    DATABASES["default"]["ENGINE"] = "portal.pgbouncer_backend"
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
# Media on S3-compatible object storage (django-storages) when a bucket is named: several
# web and worker nodes then share the uploads.  Keys are <schema>/<name> (portal.object_storage).
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {"BACKEND": "portal.object_storage.TenantS3Storage"}
    AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL", default=None)  # MinIO, Ceph, a cloud's S3
    AWS_S3_REGION_NAME = env("AWS_S3_REGION_NAME", default=None)
    AWS_S3_CUSTOM_DOMAIN = env("AWS_S3_CUSTOM_DOMAIN", default=None)  # CDN in front of images
    # Image addresses without signatures, so cached pages keep working; documents are read
    # only by the document view, with the credentials (AWS_ACCESS_KEY_ID / _SECRET_ACCESS_KEY).
    AWS_QUERYSTRING_AUTH = env.bool("AWS_QUERYSTRING_AUTH", default=False)
    AWS_DEFAULT_ACL = None
    AWS_S3_FILE_OVERWRITE = False

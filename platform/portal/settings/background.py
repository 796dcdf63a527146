"""Background work: Celery (broker, queues, routes, beat schedule), site probes, long jobs.

Part of the settings shared by every environment (``base`` imports it); the environment's
own module may override any of these after ``from .base import *``.
"""

from celery.schedules import crontab
from kombu import Queue

from portal.redis_urls import BROKER_DB, RESULTS_DB, kombu_url
from portal.settings.environment import REDIS_URL, env
from portal.settings.queues import DEFAULT_QUEUE, QUEUES, ROUTES

# Celery (tenant-aware through tenant-schemas-celery)
CELERY_BROKER_URL = kombu_url(REDIS_URL, BROKER_DB)
CELERY_RESULT_BACKEND = kombu_url(REDIS_URL, RESULTS_DB)
CELERY_IMPORTS = [
    "tasks.health",
    "tasks.diagnostics",
    "tasks.notifications",
    "tasks.merges",
    "tasks.metrics",
    "tasks.counters",
    "tasks.syndication",
    "tasks.participation",
    "tasks.editorial",
    "tasks.scoring",
    "tasks.accounts",
    "tasks.jobs",
    "tasks.provisioning",
]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 10 * 60
CELERY_RESULT_EXPIRES = 60 * 60
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Queues (portal/settings/queues.py): long jobs, mail, syndication and probes apart, so that
# a merge cannot hold up an e-mail; every task is routed by its registered name, and a route
# to a queue not declared here is refused when the task is sent.
CELERY_TASK_QUEUES = [Queue(name, routing_key=name) for name in QUEUES]
CELERY_TASK_DEFAULT_QUEUE = DEFAULT_QUEUE
CELERY_TASK_CREATE_MISSING_QUEUES = False
CELERY_TASK_ROUTES = {task: {"queue": queue} for task, queue in ROUTES.items()}
# The platform's checks of each site's home page (scoring: availability and response time).
SITE_PROBE_INTERVAL_SECONDS = env.int("SITE_PROBE_INTERVAL_SECONDS", default=5 * 60)
# Where the checks are sent, with the site's primary domain as Host (e.g. the local web server,
# http://127.0.0.1:8000); empty: PUBLIC_URL_SCHEME://<primary domain>[:PUBLIC_URL_PORT], as
# citizens reach the site.  A check is a success when it answers 200 within the timeout.
PROBE_BASE_URL = env("PROBE_BASE_URL", default="")
PROBE_TIMEOUT_SECONDS = env.float("PROBE_TIMEOUT_SECONDS", default=10.0)
CELERY_BEAT_SCHEDULE = {
    "beat-heartbeat": {"task": "tasks.health.beat_heartbeat", "schedule": 30.0},
    "site-stats": {"task": "tasks.metrics.refresh_all_site_stats", "schedule": 15 * 60.0},
    # Views and downloads counted in Redis reach PostgreSQL within a minute.
    "counters-flush": {"task": "tasks.counters.flush_all_counters", "schedule": 60.0},
    # Staff are reminded of questions close to their 15-working-day deadline (hourly run;
    # a question is reminded once).
    "question-deadline-reminders": {
        "task": "tasks.participation.remind_all_sites",
        "schedule": 60 * 60.0,
    },
    # Scheduled publishing/unpublishing (go_live_at / expire_at), one task per site.
    "publish-scheduled": {"task": "tasks.editorial.publish_scheduled_all", "schedule": 60.0},
    # A new site's setup left pending (its message lost by the broker) is queued again.
    "site-setup-sweep": {"task": "tasks.provisioning.sweep_site_setups", "schedule": 5 * 60.0},
    "procedure-syndication-sweep": {
        "task": "tasks.syndication.reconcile_syndication",
        "schedule": 5 * 60.0,
    },
    # Scoring: the platform checks every active site's home page (availability, response
    # time), one task per site; a check still queued at the next round is dropped.
    "site-probes": {
        "task": "tasks.scoring.probe_all_sites",
        "schedule": float(SITE_PROBE_INTERVAL_SECONDS),
    },
    # Scoring: the automatic figures of every open period that has started, recomputed
    # nightly per site (the console can also ask for them at any time).
    "scoring-figures-nightly": {
        "task": "tasks.scoring.refresh_open_periods",
        "schedule": crontab(hour=1, minute=30),
    },
}
# --- Long jobs (merges, catalogue imports): leases, sweep, redelivery (tenants.jobs) ---
# A job's worker refreshes its lease every JOB_HEARTBEAT_SECONDS; the sweep (every minute)
# takes a running job whose lease is older than JOB_LEASE_SECONDS and whose advisory lock
# is free (its worker is gone), deletes the files it wrote and queues it again, at most
# JOB_MAX_ATTEMPTS runs in all; a job queued JOB_REQUEUE_PENDING_SECONDS ago and never
# started (message lost by the broker) is queued again.
JOB_HEARTBEAT_SECONDS = env.int("JOB_HEARTBEAT_SECONDS", default=10)
JOB_LEASE_SECONDS = env.int("JOB_LEASE_SECONDS", default=60)
JOB_MAX_ATTEMPTS = env.int("JOB_MAX_ATTEMPTS", default=3)
JOB_REQUEUE_PENDING_SECONDS = env.int("JOB_REQUEUE_PENDING_SECONDS", default=10 * 60)
CELERY_BEAT_SCHEDULE["job-sweep"] = {"task": "tasks.jobs.sweep_stale_jobs", "schedule": 60.0}
# Redis redelivers a message not acknowledged within the visibility timeout (default one
# hour).  It must exceed the longest task (CELERY_TASK_TIME_LIMIT) and countdown, or a
# running task is delivered a second time; the job sweep recovers dead jobs sooner.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_TASK_TIME_LIMIT + 5 * 60}

# A worker is "up" while it has refreshed its heartbeat key within this many seconds.
WORKER_HEARTBEAT_INTERVAL = 10
WORKER_HEARTBEAT_TTL = 30

# PostgreSQL's client programs (site backups, the template copy: tenants/pg_client.py).
# PG_BIN_DIR: where a pg_dump/pg_restore of at least the server's major version lives (else
# looked for on the machine). PG_TOOLS_DATABASE_URL: where they connect when Django's own
# connection goes through PgBouncer in transaction mode (pg_dump needs a session): the
# database straight, e.g. postgres://portal:…@postgres:5432/portal. Empty: Django's database.
PG_BIN_DIR = env.str("PG_BIN_DIR", default="")
PG_TOOLS_DATABASE_URL = env.str("PG_TOOLS_DATABASE_URL", default="")
# The template copy from a dump (tenants/schema_copy.py); off: django-tenants' clone_schema.
SCHEMA_COPY_FROM_DUMP = env.bool("SCHEMA_COPY_FROM_DUMP", default=True)

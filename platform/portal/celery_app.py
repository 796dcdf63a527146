"""The Celery application: tenant-aware through tenant-schemas-celery.

A task enqueued while a site's schema is active carries that schema in its
headers and runs in it on the worker; tasks enqueued from the public schema
(beat, the console) run in public.
"""

import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")

app = CeleryApp("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")


def _install_worker_heartbeat() -> None:
    from tasks.health import WorkerHeartbeat

    app.steps["worker"].add(WorkerHeartbeat)


_install_worker_heartbeat()

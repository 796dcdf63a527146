"""Celery queues and the queue of every task, by its registered name (``task_routes``).

Separate queues keep one kind of work from starving another: a merge or a schema migration
holds a worker for minutes, so it has its own queue (``long``) and its own workers
(compose.yaml); mail, syndication and the site probes each get theirs.  Every task
registered by ``CELERY_IMPORTS`` must appear below (tests/platform/test_celery_queues.py):
a new task without a queue fails the suite.  The names are the tasks' registered names,
which stay stable when a task module moves.
"""

from __future__ import annotations

# Queue → what it carries.  ``make run``'s single worker consumes them all.
QUEUES = {
    "default": "short periodic work: counters, content and scoring figures, scheduled "
    "publishing, health, the job sweep",
    "mail": "e-mails: password resets, invitations, workflow and question notifications",
    "syndication": "copies of the shared procedure catalogue to the sites",
    "long": "jobs of minutes: site merges, procedure imports, provisioning (schema pool), "
    "schema migrations",
    "probes": "HTTP checks of each site's home page (scoring: availability, response time)",
}
DEFAULT_QUEUE = "default"

ROUTES = {
    # default
    "tasks.counters.flush_all_counters": "default",
    "tasks.counters.flush_site_counters": "default",
    "tasks.diagnostics.describe_schema": "default",
    "tasks.editorial.publish_scheduled_all": "default",
    "tasks.editorial.publish_scheduled_site": "default",
    "tasks.health.beat_heartbeat": "default",
    "tasks.jobs.sweep_stale_jobs": "default",
    "tasks.metrics.refresh_all_site_stats": "default",
    "tasks.metrics.refresh_site_stats": "default",
    "tasks.provisioning.finish_site_setup": "default",
    "tasks.provisioning.sweep_site_setups": "default",
    "tasks.scoring.compute_period_figures": "default",
    "tasks.scoring.compute_site_figures": "default",
    "tasks.scoring.refresh_open_periods": "default",
    # mail
    "tasks.accounts.send_password_reset": "mail",
    "tasks.editorial.notify_workflow_event": "mail",
    "tasks.notifications.send_admin_invitation": "mail",
    "tasks.participation.notify_answer": "mail",
    "tasks.participation.notify_new_question": "mail",
    "tasks.participation.remind_all_sites": "mail",
    "tasks.participation.remind_deadlines": "mail",
    # syndication
    "tasks.syndication.apply_procedure_batch": "syndication",
    "tasks.syndication.fan_out_procedures": "syndication",
    "tasks.syndication.reconcile_syndication": "syndication",
    # long
    "tasks.jobs.run_procedure_import": "long",
    "tasks.merges.run_site_merge": "long",
    "tasks.schema_migrations.migrate_behind_schemas": "long",
    "tasks.schema_pool.refill_schema_pool": "long",
    # probes
    "tasks.scoring.probe_all_sites": "probes",
    "tasks.scoring.probe_site": "probes",
}

"""Run by ``bench/scale.py``: ``migrate_schemas`` over every site of the scratch database.

    python bench/scale_migrate.py PROCESSES [EXECUTOR]

EXECUTOR ``multiprocessing`` (default: django-tenants' own, PROCESSES workers; each schema it
starts prints one ``=== Starting migration`` line) or ``sites`` (tenants/site_migrations.py:
one ``[sites] … up to date`` line, then one ``=== Migrated`` line per schema behind), verbosity
1; scale.py reads those lines to time the run schema by schema (and to stop it at its time
limit with a rate measured).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scratch import attach_scratch_platform  # noqa: E402


def main() -> int:
    processes = int(sys.argv[1])
    executor = sys.argv[2] if len(sys.argv) > 2 else "multiprocessing"
    nice = os.environ.get("BENCH_PG_NICE")
    attach_scratch_platform()
    from django.conf import settings
    from django.core.management import call_command

    settings.TENANT_MULTIPROCESSING_MAX_PROCESSES = processes
    if nice:
        from django_tenants.signals import schema_pre_migration
        from scale import renice_backend

        # Each schema runs on a fresh connection in a forked worker: nice its backend too.
        def _renice(sender, schema_name, **kwargs):
            renice_backend(int(nice))

        schema_pre_migration.connect(_renice, weak=False)
    call_command(
        "migrate_schemas", tenant=True, executor=executor,
        interactive=False, verbosity=1,
    )  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Bring the database up to date in one process: public schema, templates, sites, demo.

Used by ``make run`` and at deploy time.  Schemas with nothing to apply are
skipped after a cheap check (templates: the plan; sites: their ``django_migrations``, a couple
of hundred per query), so a second start takes a few seconds; the sites behind are migrated
in parallel with the work shared between them (``tenants.site_migrations``).  On a fresh
database the first template is a copy of the just-migrated public schema
(``tenants.first_template``), not a second migration.
"""

import os
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tenants.catalog_statistics import analyze_catalogs
from tenants.demo import DEFAULT_MODEL
from tenants.first_template import template_from_public
from tenants.schema_pool import request_refill
from tenants.schema_status import behind_schemas
from tenants.site_migrations import migrate_schemas
from tenants.site_templates import ensure_template_schemas, missing_templates, template_schemas
from tenants.units import MODELS


def pending_migrations(schema_name: str) -> int:
    """Number of migrations not yet applied in ``schema_name``."""
    connection.set_schema(schema_name)
    try:
        executor = MigrationExecutor(connection)
        targets = executor.loader.graph.leaf_nodes()
        return len(executor.migration_plan(targets))
    finally:
        connection.set_schema_to_public()


class Command(BaseCommand):
    help = "Cập nhật lược đồ public, lược đồ mẫu, mọi trang; tạo tỉnh mẫu nếu được yêu cầu."

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true", help="Tạo tỉnh mẫu nếu chưa có")
        parser.add_argument(
            "--demo-model",
            default=os.environ.get("DEMO_MODEL", DEFAULT_MODEL),
            choices=MODELS,
            help="Mô hình của tỉnh mẫu: two-level (mặc định) hoặc three-level; "
            "biến môi trường DEMO_MODEL",
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        # Only a public schema migrated from nothing in this run is a template's image
        # (later it holds the platform's accounts, sites, audit trail).
        with connection.cursor() as cursor:
            fresh = "django_migrations" not in connection.introspection.table_names(cursor)
        call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
        self._step("Lược đồ public", started)
        templates = template_schemas().values()
        if missing_templates() or any(pending_migrations(s) for s in templates):
            step = time.monotonic()
            first = next(iter(templates))
            if fresh and template_from_public(first):
                self.stdout.write(f"Tạo lược đồ mẫu {first} từ lược đồ public vừa cập nhật")
            ensure_template_schemas(report=lambda msg: self.stdout.write(msg))
            self._step("Lược đồ mẫu", step)
        stale = behind_schemas()
        if stale:
            step = time.monotonic()

            def report(index: int, total: int, result) -> None:
                outcome = f"lỗi: {result.error}" if result.error else ", ".join(result.applied)
                self.stdout.write(f"[{index}/{total}] migrate {result.schema}: {outcome}")

            results = migrate_schemas(
                stale, processes=settings.TENANT_MULTIPROCESSING_MAX_PROCESSES, report=report
            )
            self._step(f"Lược đồ các trang ({len(stale)})", step)
            failed = [r.schema for r in results if r.error]
            if failed:
                raise CommandError(
                    f"{len(failed)} lược đồ trang chưa cập nhật được: {', '.join(failed[:20])}"
                )
        analyze_catalogs()
        # Clones of a template that just changed are replaced by the worker (beat also does).
        request_refill()
        if options["demo"]:
            step = time.monotonic()
            call_command(
                "seed_demo", model=options["demo_model"], stdout=self.stdout, stderr=self.stderr
            )
            self._step("Tỉnh mẫu", step)
        self.stdout.write(
            self.style.SUCCESS(f"Cơ sở dữ liệu sẵn sàng ({time.monotonic() - started:.1f}s).")
        )

    def _step(self, what: str, since: float) -> None:
        """How long a step took (``bench/first_run.py`` reads these lines)."""
        self.stdout.write(f"  {what}: {time.monotonic() - since:.1f}s")

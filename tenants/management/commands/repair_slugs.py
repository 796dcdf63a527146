"""Repair the page slugs Wagtail's defaults mangled ("l-hi-xung-djng" → "le-hoi-xuong-dong").

Dry run by default: prints, per site, each page whose slug is a mangled form of its title
and the slug it would get.  ``--apply`` renames them; every old address then answers 301
(Wagtail redirects) with the renamed page, its descendants' addresses included.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django_tenants.utils import get_public_schema_name, schema_context

from component_sites.core.slugs import repair_site_slugs
from tenants.models import Tenant
from tenants.site_templates import template_schemas


class Command(BaseCommand):
    help = (
        "Sửa địa chỉ (slug) bị hỏng dấu tiếng Việt của các trang (mặc định chỉ liệt kê, "
        "--apply để sửa; địa chỉ cũ chuyển hướng 301 sang địa chỉ mới)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--apply", action="store_true", help="Sửa thật (không có: chỉ liệt kê sẽ sửa gì)"
        )
        parser.add_argument(
            "--site",
            action="append",
            default=[],
            help="Chỉ trang này (mã đơn vị, tên lược đồ hoặc tên miền); lặp lại được",
        )

    def handle(self, *args, **options):
        apply = options["apply"]
        schemas = self._schemas(options["site"])
        total = 0
        for schema, name in schemas:
            with schema_context(schema):
                repairs = repair_site_slugs(apply=apply)
            total += len(repairs)
            if not repairs:
                continue
            self.stdout.write(f"{name} ({schema}): {len(repairs)} trang")
            for repair in repairs:
                verb = "đã sửa" if apply else "sẽ sửa"
                self.stdout.write(
                    f"  [{repair.page_id}] {repair.title}\n"
                    f"      {verb}: {repair.old_slug} → {repair.new_slug}"
                    + (f"  (301 từ {repair.old_url})" if apply else "")
                )
        if apply:
            summary = (
                f"Đã sửa {total} địa chỉ trên {len(schemas)} trang; địa chỉ cũ chuyển hướng 301."
            )
        else:
            summary = (
                f"{total} địa chỉ cần sửa trên {len(schemas)} trang. Chưa sửa gì: "
                "chạy lại với --apply để sửa."
            )
        self.stdout.write(self.style.SUCCESS(summary))

    def _schemas(self, wanted: list[str]) -> list[tuple[str, str]]:
        """(schema, name) of the sites asked for, or of every site and template schema."""
        sites = Tenant.objects.exclude(schema_name=get_public_schema_name()).order_by("name")
        if wanted:
            chosen = []
            for value in wanted:
                tenant = sites.filter(
                    Q(code=value) | Q(schema_name=value) | Q(domains__domain=value)
                ).first()
                if tenant is None:
                    raise CommandError(
                        f"Không có trang nào mang mã, lược đồ hay tên miền “{value}”."
                    )
                chosen.append((tenant.schema_name, tenant.name))
            return chosen
        # Archived sites are read-only: their addresses stay as they were.
        archived = sites.filter(status=Tenant.Status.ARCHIVED)
        for tenant in archived:
            self.stdout.write(
                f"Bỏ qua {tenant.name} ({tenant.schema_name}): trang lưu trữ, chỉ đọc."
            )
        found = [
            (tenant.schema_name, tenant.name)
            for tenant in sites.exclude(status=Tenant.Status.ARCHIVED)
        ]
        # Templates new sites are cloned from: a mangled slug there would reach every new site.
        from django_tenants.utils import schema_exists

        found += [
            (schema, f"mẫu cấp {level}")
            for level, schema in template_schemas().items()
            if schema_exists(schema) and schema not in {s for s, _n in found}
        ]
        return found

"""Create or update the template schemas that new sites are cloned from."""

from django.core.management.base import BaseCommand

from tenants.site_templates import ensure_template_schemas


class Command(BaseCommand):
    help = "Tạo/cập nhật lược đồ mẫu (một cho mỗi cấp) dùng để sao chép khi tạo trang mới."

    def handle(self, *args, **options):
        created = ensure_template_schemas(report=lambda msg: self.stdout.write(msg))
        self.stdout.write(self.style.SUCCESS(f"Lược đồ mẫu đã sẵn sàng ({len(created)} tạo mới)."))

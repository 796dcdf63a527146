"""Work schedule of the leadership (lịch công tác), week by week."""

from django.apps import AppConfig


class ScheduleConfig(AppConfig):
    name = "component_sites.schedule"
    label = "schedule"
    verbose_name = "Lịch công tác"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from component_sites.core.demo import register_demo_builder
        from component_sites.core.models import SectionPage, register_section_page

        from .demo import build_schedule

        register_section_page(SectionPage.Key.SCHEDULE, "schedule.ScheduleIndexPage")
        register_demo_builder("schedule", build_schedule)

"""Work schedule of the leadership (lịch công tác), week by week."""

from django.apps import AppConfig

from component_sites.core.registry import register_page_content, register_section_page


class ScheduleConfig(AppConfig):
    name = "component_sites.schedule"
    label = "schedule"
    verbose_name = "Lịch công tác"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from component_sites.core.demo import register_demo_builder
        from component_sites.core.models import SectionPage

        from .demo import build_schedule

        register_section_page(SectionPage.Key.SCHEDULE, "schedule.ScheduleIndexPage")
        register_demo_builder("schedule", build_schedule)
        register_page_content("schedule")  # its rows appear on public pages

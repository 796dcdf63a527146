"""What the work schedule gives the province's scoring: its section is filled by weeks."""

from component_sites.core.figures import pages_below, register_section_content
from component_sites.core.models import SectionPage

register_section_content(SectionPage.Key.SCHEDULE, pages_below("schedule.ScheduleWeekPage"))

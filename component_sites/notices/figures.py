"""What the notices give the province's scoring: the notices section is filled by notices."""

from component_sites.core.figures import pages_below, register_section_content
from component_sites.core.models import SectionPage

register_section_content(SectionPage.Key.NOTICES, pages_below("notices.NoticePage"))

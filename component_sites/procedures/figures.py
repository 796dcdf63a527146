"""What the site's procedures give the province's scoring: the procedures section is filled
by the procedures in force (the share of up-to-date copies is the catalogue's figure,
``tenants.procedures.figures``)."""

from __future__ import annotations

from component_sites.core.figures import register_section_content
from component_sites.core.models import SectionPage

from .models import active_copies


def procedure_section(section) -> tuple[bool, str]:
    count = active_copies().count()
    return count > 0, f"{count} thủ tục đang áp dụng"


register_section_content(SectionPage.Key.PROCEDURES, procedure_section)

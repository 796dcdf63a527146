"""What the introduction and contact pages give the province's scoring: each section is
filled by its own texts or by a live page below it."""

from component_sites.core.figures import register_section_content, text_or_children
from component_sites.core.models import SectionPage

register_section_content(
    SectionPage.Key.INTRODUCTION,
    text_or_children("intro", "natural_conditions", "history", "culture"),
)
register_section_content(
    SectionPage.Key.CONTACT, text_or_children("intro", "address", "phone", "email")
)

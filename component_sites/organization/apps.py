"""Introduction, organisation, leaders, departments, spokesperson, contact and English pages."""

from django.apps import AppConfig

from component_sites.core.registry import (
    register_home_child,
    register_page_content,
    register_section_page,
)


class OrganizationConfig(AppConfig):
    name = "component_sites.organization"
    label = "organization"
    verbose_name = "Giới thiệu – tổ chức bộ máy"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from component_sites.core.demo import register_demo_builder
        from component_sites.core.models import SectionPage
        from component_sites.core.section_moves import FORMER_UNIT, register_section_move

        from .demo import build_organization

        register_section_page(SectionPage.Key.INTRODUCTION, "organization.IntroductionPage")
        register_section_page(SectionPage.Key.CONTACT, "organization.ContactPage")
        register_home_child("organization.EnglishSectionPage")  # a section without a key
        register_demo_builder("organization", build_organization)
        # Merges: the former unit's introduction and organisation go under “Đơn vị cũ”.
        register_section_move(SectionPage.Key.INTRODUCTION, FORMER_UNIT)
        register_page_content("organization")  # its rows appear on public pages

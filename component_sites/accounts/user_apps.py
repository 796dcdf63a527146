"""Wagtail's users app with this platform's user edit view (reset two-factor).

Listed in INSTALLED_APPS instead of ``wagtail.users`` (same label, same migrations), the
way Wagtail documents swapping its user viewset.  Kept apart from ``apps.py`` so that
module still holds a single app config.
"""

from wagtail.users.apps import WagtailUsersAppConfig


class SiteUsersConfig(WagtailUsersAppConfig):
    user_viewset = "component_sites.accounts.users.SiteUserViewSet"

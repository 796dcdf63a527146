"""Wagtail's user management with one more action on the edit screen: reset two-factor.

Installed through ``SiteUsersConfig`` (Wagtail's documented way to swap the user viewset).
"""

from django.urls import reverse
from django.utils.functional import cached_property
from wagtail.admin.widgets.button import Button
from wagtail.users.views.users import EditView, UserViewSet

from . import two_factor


class SiteUserEditView(EditView):
    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if two_factor.can_reset(self.request.user, self.object) and two_factor.is_enrolled(
            self.object
        ):
            buttons.append(
                Button(
                    "Đặt lại xác thực hai bước",
                    url=reverse("two_factor_reset", args=[self.object.pk]),
                    icon_name="key",
                    priority=40,
                )
            )
        return buttons


class SiteUserViewSet(UserViewSet):
    edit_view_class = SiteUserEditView

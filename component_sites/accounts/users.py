"""Wagtail's user management, with this platform's rules on who may give which rights.

Installed through ``SiteUsersConfig`` (Wagtail's documented way to swap the user viewset).

Roles cannot grow themselves:

- only a superuser grants (or takes away) superuser rights or a privileged group (the
  site-admin role "Quản trị trang", or any group holding rights over accounts and groups);
- only a superuser edits, deactivates or deletes a superuser's account;
- the console's support accounts (``hotro.<operator>``) never have a password: the form
  refuses one, and saving such an account always leaves its password unusable
  (``enforce_support_without_password``, a ``pre_save`` handler);
- nobody names a new account ``hotro.…``: that prefix belongs to the support login.

The same rules hold for the users listing's bulk actions (``refuse_bulk_escalation``,
registered as Wagtail's ``before_bulk_action`` hook), and the edit screen keeps its
extra action: reset two-factor.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from wagtail.admin.widgets.button import Button
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import CreateView, EditView, IndexView, UserViewSet

from component_sites.editorial.roles import SITE_ADMIN

from . import two_factor

# The console's support login opens a site as ``hotro.<operator>`` (see ``support.py``).
SUPPORT_PREFIX = "hotro."

SUPERUSER_ONLY = (
    "Chỉ tài khoản quản trị cao nhất (superuser) của trang mới được cấp hoặc bỏ quyền "
    "quản trị cao nhất."
)
PRIVILEGED_GROUP_ONLY = (
    "Chỉ tài khoản quản trị cao nhất (superuser) của trang mới được cấp hoặc bỏ vai trò “{names}”."
)
SUPPORT_LINK_ONLY = (
    "Tài khoản hỗ trợ không có mật khẩu: chỉ đăng nhập được bằng liên kết “Đăng nhập hỗ "
    "trợ” từ trang điều hành của tỉnh."
)
SUPPORT_NAME_RESERVED = (
    "Tên đăng nhập bắt đầu bằng “hotro.” dành cho tài khoản hỗ trợ của tỉnh; hãy chọn tên khác."
)
SUPPORT_RENAME = "Không đổi được tên đăng nhập của tài khoản hỗ trợ."
SUPERUSER_TARGET = (
    "Chỉ tài khoản quản trị cao nhất (superuser) mới được sửa, khoá hoặc xoá tài khoản "
    "quản trị cao nhất."
)


def is_support_account(user) -> bool:
    return (user.get_username() or "").startswith(SUPPORT_PREFIX)


def privileged_groups():
    """Groups only a superuser hands out: the site-admin role and rights over accounts."""
    return Group.objects.filter(
        Q(name=SITE_ADMIN) | Q(permissions__content_type__app_label="auth")
    ).distinct()


def can_manage(actor, target) -> bool:
    """May ``actor`` (who holds the user permissions) edit or remove ``target`` at all?"""
    return bool(actor.is_superuser or not target.is_superuser)


class RoleRulesMixin:
    """The rules above, for Wagtail's user create and edit forms.

    ``actor`` is the account filling in the form.  What a non-superuser may not change
    is refused with a message (never silently dropped): nothing is saved.
    """

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        if actor is not None and not actor.is_superuser:
            # Not offered; a value posted anyway is refused in ``clean``.
            self.fields.pop("is_superuser", None)

    @property
    def _restricted(self) -> bool:
        return self.actor is None or not self.actor.is_superuser

    def _posted(self, name: str) -> bool:
        return self.add_prefix(name) in self.data and self.data.get(self.add_prefix(name)) not in (
            "",
            "0",
            "false",
            "False",
            "off",
        )

    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        existing = instance.pk is not None
        if self._restricted:
            was_superuser = (
                existing
                and type(instance).objects.filter(pk=instance.pk, is_superuser=True).exists()
            )
            if self._posted("is_superuser") != was_superuser and (
                "is_superuser" in self.data or was_superuser
            ):
                self.add_error(None, SUPERUSER_ONLY)
            if "groups" in cleaned:
                privileged = set(privileged_groups().values_list("pk", flat=True))
                before = (
                    set(instance.groups.filter(pk__in=privileged).values_list("pk", flat=True))
                    if existing
                    else set()
                )
                after = {g.pk for g in cleaned["groups"] if g.pk in privileged}
                if before != after:
                    names = Group.objects.filter(pk__in=before ^ after).values_list(
                        "name", flat=True
                    )
                    self.add_error(
                        "groups", PRIVILEGED_GROUP_ONLY.format(names="”, “".join(sorted(names)))
                    )
        username_field = type(instance).USERNAME_FIELD
        new_name = cleaned.get(username_field) or ""
        if existing:
            old_name = type(instance).objects.get(pk=instance.pk).get_username()
            support = old_name.startswith(SUPPORT_PREFIX)
            if support and new_name and new_name != old_name:
                self.add_error(username_field, SUPPORT_RENAME)
            elif not support and new_name.startswith(SUPPORT_PREFIX):
                self.add_error(username_field, SUPPORT_NAME_RESERVED)
        else:
            support = False
            if new_name.startswith(SUPPORT_PREFIX):
                self.add_error(username_field, SUPPORT_NAME_RESERVED)
        if support and (cleaned.get("password1") or cleaned.get("password2")):
            self.add_error("password1", SUPPORT_LINK_ONLY)
        return cleaned


class SiteUserCreationForm(RoleRulesMixin, UserCreationForm):
    pass


class SiteUserEditForm(RoleRulesMixin, UserEditForm):
    pass


class SiteUserIndexView(IndexView):
    def get_edit_url(self, instance):
        if can_manage(self.request.user, instance):
            return super().get_edit_url(instance)
        return None


class SiteUserCreateView(CreateView):
    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "actor": self.request.user}


class SiteUserEditView(EditView):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.refused = not can_manage(request.user, self.object)

    def dispatch(self, request, *args, **kwargs):
        if self.refused:
            raise PermissionDenied(SUPERUSER_TARGET)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "actor": self.request.user}

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
    index_view_class = SiteUserIndexView
    add_view_class = SiteUserCreateView
    edit_view_class = SiteUserEditView

    def get_form_class(self, for_update=False):
        return SiteUserEditForm if for_update else SiteUserCreationForm


USER_BULK_ACTIONS = {"set_active_state", "delete", "assign_role"}


def refuse_bulk_escalation(request, action_type, objects, action_class_instance):
    """``before_bulk_action``: the users listing's bulk actions follow the same rules."""
    from django.contrib.auth import get_user_model

    model = getattr(action_class_instance, "model", None)
    if model is not get_user_model() or action_type not in USER_BULK_ACTIONS:
        return None
    actor = request.user
    if actor.is_superuser:
        return None
    message = None
    if any(user.is_superuser for user in objects):
        message = SUPERUSER_TARGET
    elif action_type == "assign_role":
        role = action_class_instance.cleaned_form.cleaned_data.get("role")
        if role is not None and privileged_groups().filter(pk=role.pk).exists():
            message = PRIVILEGED_GROUP_ONLY.format(names=role.name)
    if message is None:
        return None
    messages.error(request, message)
    return redirect(reverse("wagtailusers_users:index"))


def enforce_support_without_password(sender, instance, **kwargs):
    """``pre_save`` of the user model: a support account is always saved without a password.

    Whatever path set one (a form, the shell, a script), the stored password stays
    unusable: the account opens only through the console's signed support link.
    """
    if is_support_account(instance) and instance.has_usable_password():
        instance.set_unusable_password()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "password" not in update_fields:
            # ``save(update_fields=…)`` without the password: store it as well.
            type(instance).objects.filter(pk=instance.pk).update(password=instance.password)

"""The admin login form: says so when an account is locked out."""

from django.core.exceptions import ValidationError
from wagtail.admin.forms.auth import LoginForm

from .lockout import LOCKED_MESSAGE, is_locked


class LockoutAwareLoginForm(LoginForm):
    def clean(self):
        username = self.cleaned_data.get("username")
        if username and is_locked(username):
            raise ValidationError(LOCKED_MESSAGE, code="locked")
        return super().clean()

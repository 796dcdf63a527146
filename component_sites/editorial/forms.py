"""Login forms that say when an account is locked out."""

from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from wagtail.admin.forms.auth import LoginForm

from .lockout import LOCKED_MESSAGE, is_locked


class LockoutMessageMixin:
    """Shows the lockout message instead of "wrong username or password".

    The lockout backend refuses a locked-out username before looking at the password, which
    Django reports as a wrong password; the account holder is told the real reason instead
    (also right after the failure that locked the account).
    """

    locked = False

    def _refuse_if_locked(self, username):
        if username and is_locked(username):
            self.locked = True
            raise ValidationError(LOCKED_MESSAGE, code="locked")

    def clean(self):
        username = self.cleaned_data.get("username")
        self._refuse_if_locked(username)
        try:
            return super().clean()
        except ValidationError:
            self._refuse_if_locked(username)
            raise


class LockoutAwareLoginForm(LockoutMessageMixin, LoginForm):
    """The site admin's login form (``WAGTAILADMIN_USER_LOGIN_FORM``)."""


class ConsoleLoginForm(LockoutMessageMixin, AuthenticationForm):
    """The platform console's login form."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Accounts and access: logins, lockout, two-factor, support login, who grants rights.

    Used on both planes: a site's admin (``/admin/``) and the platform console.
    """

    name = "component_sites.accounts"
    label = "accounts"
    verbose_name = "Tài khoản và truy cập"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import pre_save

        from . import lockout
        from .users import enforce_support_without_password

        lockout.register()
        pre_save.connect(
            enforce_support_without_password,
            sender=get_user_model(),
            dispatch_uid="accounts_support_without_password",
        )

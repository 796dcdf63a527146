"""Where a login is asked for: the console's page on the control domain, a site's admin login
on a site's domain.  ``LOGIN_URL`` is one setting for both URL configurations, so it is
resolved lazily against the URL configuration of the current request."""

from django.utils.functional import lazy


def _login_url() -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("console:login")
    except NoReverseMatch:  # a site's URLs: no console there
        return reverse("wagtailadmin_login")


login_url = lazy(_login_url, str)

"""Account e-mails sent by the worker: password-reset links of a site's admin."""

from __future__ import annotations

from celery import shared_task
from django.db import connection

from component_sites.core.mail import send_templated_mail

from .notifications import SMTP_ERRORS


@shared_task(
    name="tasks.accounts.send_password_reset",
    autoretry_for=SMTP_ERRORS,
    retry_backoff=True,
    max_retries=5,
)
def send_password_reset(schema: str, user_id: int) -> str:
    """Mail ``user_id`` of site ``schema`` a one-time link to set a new password.

    The link is on the site's primary domain with ``PUBLIC_URL_SCHEME``/``PUBLIC_URL_PORT``;
    the token is made here, so a retried task still sends a valid link.
    """
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django_tenants.utils import schema_context

    from tenants.models import Tenant
    from tenants.onboarding import admin_setup_link, site_base_url

    connection.set_schema_to_public()
    tenant = Tenant.objects.filter(schema_name=schema).first()
    if tenant is None:
        return "no-site"
    with schema_context(schema):
        user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
        if user is None or not user.email or not user.has_usable_password():
            return "skipped"
        context = {
            "site_name": tenant.name,
            "site_url": f"{site_base_url(tenant)}/",
            "username": user.get_username(),
            "link": admin_setup_link(tenant, user.get_username()),
            "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        }
        send_templated_mail("accounts/email/password_reset", context, [user.email])
    return "sent"

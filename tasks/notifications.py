"""E-mail notifications sent by the worker."""

from __future__ import annotations

from celery import shared_task
from django.db import connection

from component_sites.core.mail import send_templated_mail

SMTP_ERRORS = (ConnectionError, TimeoutError, OSError)


@shared_task(
    name="tasks.notifications.send_admin_invitation",
    autoretry_for=SMTP_ERRORS,
    retry_backoff=True,
    max_retries=5,
)
def send_admin_invitation(tenant_id: int, username: str) -> str:
    """Mail a new site's admin the one-time link to set a password (retried on SMTP errors)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django_tenants.utils import schema_context

    from tenants.models import Tenant
    from tenants.onboarding import admin_setup_link, site_base_url

    connection.set_schema_to_public()
    tenant = Tenant.objects.get(pk=tenant_id)
    link = admin_setup_link(tenant, username)
    with schema_context(tenant.schema_name):
        email = get_user_model().objects.get(username=username).email
    if not email:
        return "no-email"
    context = {
        "site_name": tenant.name,
        "site_url": f"{site_base_url(tenant)}/",
        "username": username,
        "link": link,
        "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
    }
    send_templated_mail("tenants/email/admin_invitation", context, [email])
    return "sent"

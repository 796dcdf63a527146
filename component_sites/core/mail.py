"""E-mails rendered from templates: a Vietnamese subject, a plain-text body and an HTML one.

Every e-mail the platform sends is three templates named after one prefix::

    <app>/email/<name>_subject.txt   one line (line breaks are joined: a header has none)
    <app>/email/<name>_body.txt      the plain-text part, rendered without HTML escaping
    <app>/email/<name>_body.html     the HTML alternative, autoescaped like any page

so a citizen's question containing ``<script>`` reaches the HTML part as text, while the
plain-text part shows it as typed.  HTML bodies extend ``core/email/base.html``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.mail import EmailMultiAlternatives
from django.template import Context
from django.template.loader import get_template, render_to_string


def _render_plain(name: str, context: Mapping[str, Any]) -> str:
    """A text template rendered with autoescaping off (``&`` stays ``&`` in plain text)."""
    template = get_template(name)
    # Django's backend wraps the engine's own Template; only that one takes a Context with
    # autoescape switched off.
    return template.template.render(Context(dict(context), autoescape=False))


def render_mail(
    template_prefix: str,
    context: Mapping[str, Any],
    to: Iterable[str],
    from_email: str | None = None,
) -> EmailMultiAlternatives:
    """The message of ``template_prefix`` for ``to``: plain text with an HTML alternative."""
    subject = " ".join(_render_plain(f"{template_prefix}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=_render_plain(f"{template_prefix}_body.txt", context),
        from_email=from_email,
        to=list(to),
    )
    message.attach_alternative(
        render_to_string(f"{template_prefix}_body.html", dict(context)), "text/html"
    )
    return message


def send_templated_mail(template_prefix: str, context: Mapping[str, Any], to: Iterable[str]) -> int:
    """Render and send one message (``DEFAULT_FROM_EMAIL``); the number sent (0 or 1)."""
    return render_mail(template_prefix, context, to).send()

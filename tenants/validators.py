"""Validators of the control plane's identifiers: unit codes, host names, schema names."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Official administrative unit codes (General Statistics Office): 2 digits for a
# province, 3 for a district, 5 for a commune.
CODE_LENGTH_BY_LEVEL = {"province": 2, "district": 3, "commune": 5}

_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
HOSTNAME_RE = re.compile(rf"^(?:{_LABEL}\.)*{_LABEL}$")


def validate_unit_code(value: str) -> None:
    """An official unit code: digits only."""
    if not value or not value.isdigit():
        raise ValidationError(
            _("Mã đơn vị hành chính chỉ gồm chữ số (ví dụ 17, 148, 04804); nhận được “%(value)s”."),
            code="invalid_code",
            params={"value": value},
        )


def validate_hostname(value: str) -> None:
    """A bare host name: lowercase ASCII labels, no scheme, port, path or trailing dot."""
    if len(value) > 253 or not HOSTNAME_RE.match(value) or value.isdigit():
        raise ValidationError(
            _(
                "Tên miền “%(value)s” không hợp lệ: chỉ dùng chữ thường không dấu, chữ số, "
                "dấu gạch ngang và dấu chấm, không kèm http://, cổng hay đường dẫn "
                "(ví dụ xadoclap.hoabinh.gov.vn)."
            ),
            code="invalid_domain",
            params={"value": value},
        )
    if value in settings.CONTROL_DOMAINS:
        raise ValidationError(
            _("Tên miền “%(value)s” dành cho trang quản trị hệ thống, không gán cho trang con."),
            code="reserved_domain",
            params={"value": value},
        )

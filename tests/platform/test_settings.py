"""Production settings refuse to start without their secrets; locale is Vietnamese."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def import_production_settings(**env):
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "REDIS_URL")}
    clean.pop("DATABASE_URL", None)
    clean.update(env)
    clean["PYTHONPATH"] = f"{ROOT}{os.pathsep}{ROOT / 'platform'}"
    return subprocess.run(
        [sys.executable, "-c", "import portal.settings.production"],
        env=clean,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "REDIS_URL"])
def test_production_settings_fail_fast_without_required_variable(missing):
    env = {
        "SECRET_KEY": "x" * 50,
        "DATABASE_URL": "postgres://u@db/portal",
        "REDIS_URL": "redis://redis:6379/0",
        "CONTROL_DOMAINS": "quantri.hoabinh.gov.vn",
    }
    env.pop(missing)
    result = import_production_settings(**env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_settings_load_with_everything_set():
    result = import_production_settings(
        SECRET_KEY="x" * 50,
        DATABASE_URL="postgres://u@db/portal",
        REDIS_URL="redis://redis:6379/0",
        CONTROL_DOMAINS="quantri.hoabinh.gov.vn",
    )
    assert result.returncode == 0, result.stderr


def test_locale_is_vietnamese():
    assert settings.LANGUAGE_CODE == "vi"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"


def test_every_cache_alias_is_tenant_aware():
    for alias in settings.CACHES.values():
        assert alias["KEY_FUNCTION"] == "django_tenants.cache.make_key"


def test_dates_are_written_day_month_year():
    import datetime

    from django.utils import formats, timezone

    moment = datetime.datetime(2026, 11, 21, 21, 30, tzinfo=datetime.UTC)
    local = timezone.localtime(moment)
    assert formats.date_format(local.date()) == "22/11/2026"
    assert formats.date_format(local, "DATETIME_FORMAT") == "04:30 22/11/2026"

"""Fixtures: the test commune's schema, its home page and standard sections; captcha answers."""

import pytest

from tests.component_sites.site_fixtures import client, home, section, site_schema  # noqa: F401


@pytest.fixture
def questions_page(section):  # noqa: F811 - the fixture imported above
    return section("questions")


@pytest.fixture
def solved():
    """A fresh captcha token and its right answer (read back from the signed token)."""
    from django.core import signing

    from component_sites.participation import guards

    def make():
        _question, token = guards.new_captcha()
        answer = signing.loads(token, salt=guards.CAPTCHA_SALT)["a"]
        return {"captcha_token": token, "captcha_answer": str(answer)}

    return make

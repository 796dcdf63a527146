"""Fixtures: the test commune's schema, its home page and standard sections; captcha answers."""

import pytest

from tests.component_sites.site_fixtures import client, home, section, site_schema  # noqa: F401


@pytest.fixture
def questions_page(section):  # noqa: F811 - the fixture imported above
    return section("questions")


def solve(question: str) -> int:
    """The answer of ``"Bảy cộng hai bằng mấy?"``, worked out as a person would."""
    from component_sites.participation import guards

    first, operator, second = question.split()[:3]
    a, b = guards.number_from_words(first), guards.number_from_words(second)
    return a + b if operator == "cộng" else a - b


@pytest.fixture
def solved():
    """A fresh captcha token and its right answer (solved from the question's words)."""
    from component_sites.participation import guards

    def make():
        question, token = guards.new_captcha()
        return {"captcha_token": token, "captcha_answer": str(solve(question))}

    return make

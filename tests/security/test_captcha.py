"""The captcha's answer cannot be read from the page, and a token answers once."""

from __future__ import annotations

import base64
import json

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.crypto import salted_hmac

from component_sites.participation import guards
from tests.component_sites.participation.conftest import solve


def payload(token: str) -> dict:
    """What anyone can read in the hidden field (signed, not encrypted)."""
    return signing.loads(token, salt=guards.CAPTCHA_SALT)


def raw_payload(token: str) -> str:
    encoded = token.split(":")[0]
    return base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode()


def test_the_token_does_not_hold_the_answer():
    for _ in range(50):
        question, token = guards.new_captcha()
        answer = solve(question)
        data = payload(token)
        assert set(data) == {"n", "h"}
        assert answer not in data.values() and str(answer) not in json.dumps(data).split('"')
        # Without the site's secret, trying every possible answer gives no match.
        assert all(
            salted_hmac("guess", f"{data['n']}:{n}").hexdigest()[:32] != data["h"]
            for n in range(0, 19)
        )
        assert '"a"' not in raw_payload(token)


def test_the_same_question_gives_a_different_token_each_time():
    seen: dict[str, set[str]] = {}
    for _ in range(200):
        question, token = guards.new_captcha()
        seen.setdefault(question, set()).add(payload(token)["h"])
    assert any(len(hashes) > 1 for hashes in seen.values())


def test_a_right_answer_passes_once():
    question, token = guards.new_captcha()
    guards.check_captcha(token, str(solve(question)))
    with pytest.raises(ValidationError, match="đã được dùng"):
        guards.check_captcha(token, str(solve(question)))


def test_a_wrong_answer_uses_the_token_up():
    question, token = guards.new_captcha()
    wrong = (solve(question) + 1) % 19
    with pytest.raises(ValidationError, match="chưa đúng"):
        guards.check_captcha(token, str(wrong))
    with pytest.raises(ValidationError, match="đã được dùng"):
        guards.check_captcha(token, str(solve(question)))


def test_a_forged_token_is_refused():
    forged = signing.dumps({"n": "abc", "h": "0" * 32}, salt="participation.captcha.khac")
    with pytest.raises(ValidationError, match="không hợp lệ"):
        guards.check_captcha(forged, "3")
    old_style = signing.dumps({"a": 5, "n": "x"}, salt=guards.CAPTCHA_SALT)
    with pytest.raises(ValidationError, match="không hợp lệ"):
        guards.check_captcha(old_style, "5")

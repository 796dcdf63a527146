"""The offline captcha of the citizen forms: a sum in Vietnamese words, a signed token.

Its first answer, right or wrong, uses the token's nonce up in Redis (no replay, no trying
every answer).
"""

from __future__ import annotations

import secrets

from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.crypto import constant_time_compare, salted_hmac

from component_sites.core.text import fold

CAPTCHA_SALT = "participation.captcha"
CAPTCHA_MAX_AGE = 60 * 60  # a form left open an hour must be reloaded
NUMBER_WORDS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười"]


def _answer_mac(nonce: str, answer: int) -> str:
    """A keyed hash of the answer with the token's own nonce: the page cannot reverse it."""
    return salted_hmac(CAPTCHA_SALT, f"{nonce}:{answer}").hexdigest()[:32]


def new_captcha() -> tuple[str, str]:
    """A question in words (``"Bảy cộng hai bằng mấy?"``) and its signed token.

    The token carries a random nonce and an HMAC (keyed with the site's secret) of the
    nonce and the answer, never the answer itself: the page gives nothing to read back,
    and with the nonce different each time, the 19 possible answers cannot be matched
    against hashes seen before.
    """
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    if secrets.randbelow(2) and a != b:
        a, b = max(a, b), min(a, b)
        question, answer = f"{NUMBER_WORDS[a].capitalize()} trừ {NUMBER_WORDS[b]} bằng mấy?", a - b
    else:
        question, answer = f"{NUMBER_WORDS[a].capitalize()} cộng {NUMBER_WORDS[b]} bằng mấy?", a + b
    nonce = secrets.token_urlsafe(12)
    token = signing.dumps({"n": nonce, "h": _answer_mac(nonce, answer)}, salt=CAPTCHA_SALT)
    return question, token


def number_from_words(answer: str) -> int | None:
    """``"7"``, ``"bảy"``, ``"Mười lăm"`` → the number (0–19); None for anything else."""
    text = " ".join(fold(answer or "").split())
    if text.isdigit():
        return int(text)
    units = {fold(word): number for number, word in enumerate(NUMBER_WORDS[:10])}
    units.update({"lam": 5, "tu": 4, "linh": 0})
    if text in units:
        return units[text]
    if text == "muoi":
        return 10
    head, _sep, tail = text.partition(" ")
    if head == "muoi" and tail in units and units[tail] > 0:
        return 10 + units[tail]
    return None


def check_captcha(token: str, answer: str) -> None:
    """Raise ``ValidationError`` unless ``answer`` solves the signed, unused, fresh ``token``.

    A token is used up by its first answer, right or wrong: it cannot be replayed, nor
    tried with every number in turn.
    """
    try:
        data = signing.loads(token or "", salt=CAPTCHA_SALT, max_age=CAPTCHA_MAX_AGE)
    except signing.SignatureExpired as error:
        raise ValidationError(
            "Câu hỏi kiểm tra đã hết hạn, vui lòng trả lời câu hỏi mới.", code="captcha_expired"
        ) from error
    except signing.BadSignature as error:
        raise ValidationError(
            "Câu hỏi kiểm tra không hợp lệ, vui lòng trả lời câu hỏi mới.", code="captcha_bad"
        ) from error
    nonce, mac = data.get("n"), data.get("h")
    if not isinstance(nonce, str) or not isinstance(mac, str):
        raise ValidationError(
            "Câu hỏi kiểm tra không hợp lệ, vui lòng trả lời câu hỏi mới.", code="captcha_bad"
        )
    try:
        fresh = cache.add(f"participation:captcha:{nonce}", 1, CAPTCHA_MAX_AGE)
    except Exception as error:  # noqa: BLE001 - Redis down: refuse rather than allow replays
        raise ValidationError(
            "Tạm thời chưa kiểm tra được câu trả lời. Vui lòng thử lại sau ít phút.",
            code="captcha_unavailable",
        ) from error
    if not fresh:
        raise ValidationError(
            "Câu hỏi kiểm tra đã được dùng, vui lòng trả lời câu hỏi mới.", code="captcha_used"
        )
    given = number_from_words(answer)
    if given is None or not constant_time_compare(_answer_mac(nonce, given), mac):
        raise ValidationError("Câu trả lời kiểm tra chưa đúng.", code="captcha_wrong")

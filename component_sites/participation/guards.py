"""Defences of the citizen forms: offline captcha, rate limit, upload checks, duplicates.

Everything here answers with a Vietnamese message the form shows; nothing is stored when a
check fails (the forms call these before any save).
"""

from __future__ import annotations

import hashlib
import hmac
import io
import logging
import math
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from component_sites.core import uploads
from component_sites.core.text import fold
from portal.client_ip import client_ip

logger = logging.getLogger("portal.participation")

CAPTCHA_SALT = "participation.captcha"
CAPTCHA_MAX_AGE = 60 * 60  # a form left open an hour must be reloaded
NUMBER_WORDS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười"]

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# Pictures larger than this are refused before decoding (decompression bombs).
MAX_IMAGE_PIXELS = 25_000_000

# (label shown to the citizen, magic bytes at the start of the file)
ALLOWED_SIGNATURES = [
    ("PDF", b"%PDF-"),
    ("PNG", b"\x89PNG\r\n\x1a\n"),
    ("JPEG", b"\xff\xd8\xff"),
    ("DOCX", b"PK\x03\x04"),
]
ALLOWED_LABEL = "PDF, DOCX, JPEG hoặc PNG"


# -- visitors (one rating per visitor) ---------------------------------------------------

# A first-party cookie holding a random id, signed by the site: issued with the rating form,
# required to rate.  Nothing a visitor sends in a header (User-Agent, forwarded addresses)
# changes who they are; clearing the cookie does, and that is what the per-address cap below
# is for.
VISITOR_COOKIE = "nguoi_doc"
VISITOR_COOKIE_SALT = "participation.visitor"
VISITOR_COOKIE_AGE = 365 * 24 * 3600
VISITOR_ID_LENGTH = 22


def _pseudonym(kind: str, value: str) -> str:
    """A keyed hash (the site's secret): Redis keys never hold an address or a cookie."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{kind}\x1f{value}".encode(), hashlib.sha256).hexdigest()[:32]


def visitor_cookie(request) -> str | None:
    """The visitor's id from their signed cookie, or None (no cookie, or a forged one)."""
    value = request.get_signed_cookie(
        VISITOR_COOKIE, default=None, salt=VISITOR_COOKIE_SALT, max_age=VISITOR_COOKIE_AGE
    )
    if (
        not value
        or len(value) != VISITOR_ID_LENGTH
        or not value.replace("-", "").replace("_", "").isalnum()
    ):
        return None
    return value


def issue_visitor_cookie(request, response) -> str:
    """Give the visitor an id (kept if they have one) in a signed, HTTP-only cookie."""
    value = visitor_cookie(request) or new_visitor(request)
    response.set_signed_cookie(
        VISITOR_COOKIE,
        value,
        salt=VISITOR_COOKIE_SALT,
        max_age=VISITOR_COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return value


def new_visitor(request) -> str:
    """The id this request's response hands out to a visitor who has none (made once)."""
    if not getattr(request, "_new_visitor_cookie", None):
        request._new_visitor_cookie = secrets.token_urlsafe(16)
    return request._new_visitor_cookie


def visitor_id(request) -> str | None:
    """A visitor's pseudonym (from the signed cookie); None when they have no cookie.

    Used only as a Redis key with a time to live (one rating per visitor); never stored in
    PostgreSQL.
    """
    value = visitor_cookie(request)
    return _pseudonym("visitor", value) if value else None


def address_id(request) -> str:
    """A pseudonym of the client's address (``portal.client_ip``: trusted proxies only)."""
    return _pseudonym("address", client_ip(request) or "unknown")


def count_per_address(name: str, request, ttl: int) -> int:
    """Count one more ``name`` event from this client's address; the count so far.

    Raises when Redis cannot be reached (the caller refuses).
    """
    key = f"participation:per-address:{name}:{address_id(request)}"
    cache.add(key, 0, ttl)
    return cache.incr(key)


def claim_once(name: str, ttl: int) -> bool:
    """Atomically mark ``name`` as done for ``ttl`` seconds; false if it already was.

    Raises when Redis cannot be reached: the caller refuses rather than count twice.
    """
    return bool(cache.add(f"participation:once:{name}", 1, ttl))


def release_once(name: str) -> None:
    cache.delete(f"participation:once:{name}")


# -- captcha ---------------------------------------------------------------------------


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


# -- submission budgets -----------------------------------------------------------------

# What counts against a citizen is what was accepted: a wrong captcha or a missing field
# costs nothing from the budget.  Failed tries are throttled on their own, gently (a short
# pause after many in a row), so a script guessing captchas is slowed down and a person who
# mistypes is not locked out for an hour.  Budgets are per visitor (the signed visitor
# cookie the form hands out); an address holds a much larger one for everybody behind it
# (an office, a school behind one NAT address), and a client without the cookie is counted
# by its address with the visitor's small budget.


@dataclass(frozen=True)
class Budget:
    """How many accepted submissions of ``action`` a visitor makes per ``window`` seconds."""

    action: str
    limit: int
    window: int
    # Accepted submissions from one address, every visitor behind it together.
    address_limit: int = 0
    # Failed tries in a row before a pause of ``failure_window`` seconds.
    failure_limit: int = 10
    failure_window: int = 10 * 60

    @property
    def per_address(self) -> int:
        return self.address_limit or self.limit * 10


@dataclass(frozen=True)
class Refusal:
    """Why and until when a client may not send: the message says when to try again."""

    until: float  # a Unix time
    failures: bool  # true: paused after failed tries; false: budget of accepted ones used

    def minutes(self, now: float | None = None) -> int:
        return max(1, math.ceil((self.until - (now or time.time())) / 60))

    def message(self, now: float | None = None) -> str:
        minutes = self.minutes(now)
        if minutes <= 60:
            when = f"sau {minutes} phút"
        else:
            moment = datetime.fromtimestamp(self.until, tz=UTC)
            local = timezone.localtime(moment, ZoneInfo("Asia/Ho_Chi_Minh"))
            when = f"từ {local:%H:%M} ngày {local:%d/%m/%Y}"
        if self.failures:
            return (
                "Bạn đã thử gửi nhiều lần liên tiếp mà chưa thành công, nên biểu mẫu tạm dừng "
                f"nhận. Vui lòng kiểm tra lại các mục và thử lại {when}."
            )
        return f"Bạn đã gửi đủ số lần cho phép trong thời gian ngắn. Vui lòng thử lại {when}."


def _budget_keys(request, budget: Budget) -> list[tuple[str, int]]:
    """(Redis key, limit) of each budget this request draws on."""
    address = address_id(request)
    visitor = visitor_id(request)
    base = f"participation:budget:{budget.action}"
    if visitor is None:
        return [(f"{base}:address-alone:{address}", budget.limit)]
    return [
        (f"{base}:visitor:{visitor}", budget.limit),
        (f"{base}:address:{address}", budget.per_address),
    ]


def _failure_key(request, budget: Budget) -> str:
    who = visitor_id(request) or f"address:{address_id(request)}"
    return f"participation:failures:{budget.action}:{who}"


def _read_window(key: str) -> tuple[int, float | None]:
    """(count, the window's end as a Unix time) of a counter written by ``_count``."""
    values = cache.get_many([key, f"{key}:ends"])
    return int(values.get(key) or 0), values.get(f"{key}:ends")


def _count(key: str, window: int) -> None:
    # The window starts with its first event and lasts ``window`` seconds; its end is kept
    # beside the count so that the citizen can be told when to try again.
    cache.add(f"{key}:ends", time.time() + window, window)
    cache.add(key, 0, window)
    cache.incr(key)


def refusal(request, budget: Budget) -> Refusal | None:
    """A ``Refusal`` when this client may not send now, else None (Redis down: None)."""
    try:
        found = []
        count, ends = _read_window(_failure_key(request, budget))
        if count >= budget.failure_limit and ends:
            found.append(Refusal(until=ends, failures=True))
        for key, limit in _budget_keys(request, budget):
            count, ends = _read_window(key)
            if count >= limit and ends:
                found.append(Refusal(until=ends, failures=False))
    except Exception:  # noqa: BLE001 - Redis down: better unlimited than unusable
        return None
    return max(found, key=lambda item: item.until) if found else None


def record_accepted(request, budget: Budget) -> None:
    """Count one accepted submission; failed tries before it are forgotten.

    Without a cookie it counts for the address and for the id the response hands out, so
    that taking the cookie afterwards does not start a fresh budget.
    """
    try:
        keys = _budget_keys(request, budget)
        if visitor_id(request) is None:
            visitor = _pseudonym("visitor", new_visitor(request))
            keys.append((f"participation:budget:{budget.action}:visitor:{visitor}", 0))
        for key, _limit in keys:
            _count(key, budget.window)
        failures = _failure_key(request, budget)
        cache.delete_many([failures, f"{failures}:ends"])
    except Exception:  # noqa: BLE001 - Redis down: the submission stands, uncounted
        logger.warning("submission budget not counted (Redis unreachable)", exc_info=True)


def record_failure(request, budget: Budget) -> None:
    """Count one refused try (wrong captcha, missing field, duplicate…)."""
    try:
        _count(_failure_key(request, budget), budget.failure_window)
    except Exception:  # noqa: BLE001 - Redis down: better unlimited than unusable
        logger.warning("failed try not counted (Redis unreachable)", exc_info=True)


# -- uploads ---------------------------------------------------------------------------


# A DOCX of a citizen unpacks to at most this much (declared in its central directory).
ATTACHMENT_ARCHIVE_LIMITS = uploads.ArchiveLimits(
    max_members=1000, max_total_bytes=50 * 1024 * 1024, max_ratio=100
)


def check_upload(upload) -> str:
    """Validate an uploaded file by size and sniffed content; returns the detected type.

    The file's name is cleaned of bidirectional and other control characters in place.
    """
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError("Tệp đính kèm quá lớn (tối đa 5 MB).", code="file_too_large")
    if getattr(upload, "name", None):
        upload.name = uploads.clean_name(upload.name) or "tep-dinh-kem"
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    kind = next((label for label, magic in ALLOWED_SIGNATURES if head.startswith(magic)), None)
    if kind is None:
        raise ValidationError(
            f"Tệp đính kèm không đúng định dạng cho phép ({ALLOWED_LABEL}).", code="file_type"
        )
    if kind == "DOCX":
        _check_docx(upload)
    elif uploads.holds_markup(head[: uploads.SNIFF_BYTES]):
        # A PDF (or picture) that is also a web page: refused, whatever it claims to be.
        raise ValidationError(
            f"Tệp đính kèm bị từ chối: tệp {kind} có chứa mã trang web (HTML/script).",
            code="file_markup",
        )
    if kind in ("PNG", "JPEG"):
        _check_image(upload)
    return kind


def _check_docx(upload) -> None:
    """A DOCX is a zip: its central directory is read (never extracted) for bombs."""
    names = uploads.inspect_zip(upload, "DOCX", ATTACHMENT_ARCHIVE_LIMITS)
    if "[Content_Types].xml" not in names or not any(n.startswith("word/") for n in names):
        raise ValidationError(
            f"Tệp đính kèm không đúng định dạng cho phép ({ALLOWED_LABEL}).", code="file_type"
        )


def _check_image(upload) -> None:
    from PIL import Image

    data = upload.read()
    upload.seek(0)
    try:
        # Only the header is parsed here: the size is known before any pixel is decoded.
        with Image.open(io.BytesIO(data)) as picture:
            width, height = picture.size
            if width * height > MAX_IMAGE_PIXELS:
                raise ValidationError(
                    "Ảnh đính kèm có kích thước điểm ảnh quá lớn (tối đa 25 megapixel).",
                    code="image_bomb",
                )
            picture.verify()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(
            "Ảnh đính kèm có kích thước điểm ảnh quá lớn (tối đa 25 megapixel).",
            code="image_bomb",
        ) from error
    except Exception as error:  # noqa: BLE001
        raise ValidationError(
            "Ảnh đính kèm bị hỏng hoặc không đọc được.", code="image_bad"
        ) from error


# -- duplicates ------------------------------------------------------------------------


def fingerprint(*parts: str) -> str:
    """A hash of the folded text, so re-sending the same question (even re-typed) is caught."""
    return hashlib.sha256("\x1f".join(fold(part) for part in parts).encode()).hexdigest()

"""Defences of the citizen forms, one module per job.

- ``visitors``: the signed visitor cookie and keyed pseudonyms (one rating per visitor);
- ``captcha``: the offline captcha;
- ``budgets``: submission budgets and the pause after failed tries;
- ``attachments``: upload checks;
- ``duplicates``: the fingerprint that catches a re-sent text.

Everything answers with a Vietnamese message the form shows; nothing is stored when a check
fails (the forms call these before any save).  The names below are the forms' interface.
"""

from .attachments import ALLOWED_LABEL, MAX_UPLOAD_BYTES, check_upload
from .budgets import Budget, Refusal, record_accepted, record_failure, refusal
from .captcha import CAPTCHA_SALT, NUMBER_WORDS, check_captcha, new_captcha, number_from_words
from .duplicates import fingerprint
from .visitors import (
    VISITOR_COOKIE,
    address_id,
    claim_once,
    count_per_address,
    issue_visitor_cookie,
    release_once,
    visitor_cookie,
    visitor_id,
)

__all__ = [
    "ALLOWED_LABEL",
    "CAPTCHA_SALT",
    "MAX_UPLOAD_BYTES",
    "NUMBER_WORDS",
    "VISITOR_COOKIE",
    "Budget",
    "Refusal",
    "address_id",
    "check_captcha",
    "check_upload",
    "claim_once",
    "count_per_address",
    "fingerprint",
    "issue_visitor_cookie",
    "new_captcha",
    "number_from_words",
    "record_accepted",
    "record_failure",
    "refusal",
    "release_once",
    "visitor_cookie",
    "visitor_id",
]

"""Merging sites: requests, the run (``run``) and the content transfer (``transfer``)."""

from .run import (
    cancel_merge,
    is_reform_merge,
    merge_now,
    merge_progress,
    perform_merge,
    request_merge,
    retry_merge,
    validate_merge,
)

__all__ = [
    "cancel_merge",
    "is_reform_merge",
    "merge_now",
    "merge_progress",
    "perform_merge",
    "request_merge",
    "retry_merge",
    "validate_merge",
]

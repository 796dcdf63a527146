"""Merging sites: what the 2025 reform did to thousands of communes.

The content of each absorbed site moves into the surviving site's own sections, kind by
kind (news into its news under a category named after the former unit, documents into
its documents, questions into its Hỏi – đáp, media into its library, the introduction and
organisation under “Đơn vị cũ”; procedures are not copied: see
``tenants.merging.content_moves``).  The absorbed site's domains become legacy domains of
the survivor: every old URL answers 301 to where its content now is (an exact
``MovedPath`` per page and file).  The absorbed site is archived: its schema is kept,
read-only, for reference and receives no more syndication; its child sites move to the
survivor (to the survivor's province when the survivor is a commune).

The 2025 reform is a merge too: sites of the three-level model (a former district, its
communes) merge into a commune of the two-level model that took over their area.

- ``validation``: whether a merge can be done (asked again when it runs);
- ``requests``: ``request_merge`` validates and queues the work (a merge copies files and
  can take minutes, and a web request never reads other sites' schemas), ``retry_merge``,
  ``cancel_merge``, ``merge_now`` (the ``merge_sites`` command);
- ``run``: ``perform_merge`` does it in one transaction, from the worker or the command:
  the content (``transfer``, ``content_moves``, ``references``, ``redirects``), then the
  registry (domains, archived site, child sites, audit trail).
"""

from .requests import cancel_merge, merge_now, request_merge, retry_merge
from .run import merge_progress, perform_merge
from .validation import is_reform_merge, validate_merge

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

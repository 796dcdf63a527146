"""Platform console (control domain): provincial admins and council members.

- ``access``: who may use it (``PlatformStaffRequired``);
- ``sites``: the site tree, creating a site, a site's page and its lifecycle actions;
- ``auth``: the support login into a site's admin;
- ``audit``: the audit trail;
- ``merges``: merge requests and their status;
- ``schemas``: schema migration status.
"""

from .access import PlatformStaffRequired, is_platform_admin
from .audit import AuditLogView
from .auth import SupportLoginView
from .merges import MergeJobActionView, MergeStatusView, MergeView
from .schemas import SchemaStatusView
from .sites import CreateSiteView, SiteActionView, SiteDetailView, SiteTreeView

__all__ = [
    "AuditLogView",
    "CreateSiteView",
    "MergeJobActionView",
    "MergeStatusView",
    "MergeView",
    "PlatformStaffRequired",
    "SchemaStatusView",
    "SiteActionView",
    "SiteDetailView",
    "SiteTreeView",
    "SupportLoginView",
    "is_platform_admin",
]

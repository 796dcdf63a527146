"""Platform console (control domain): provincial admins and council members."""

from .sites import (
    AuditLogView,
    CreateSiteView,
    MergeJobActionView,
    MergeStatusView,
    MergeView,
    PlatformStaffRequired,
    SchemaStatusView,
    SiteActionView,
    SiteDetailView,
    SiteTreeView,
    SupportLoginView,
    is_platform_admin,
)

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

"""The control plane's rows, all in the public schema (app label ``tenants``)."""

from .sites import (
    Domain,
    JobState,
    LeasedJob,
    MovedPath,
    PooledSchema,
    ProcedureImport,
    SchemaMigrationRun,
    SiteMerge,
    SiteStats,
    Tenant,
    _ensure_clone_function,
)

__all__ = [
    "Domain",
    "JobState",
    "LeasedJob",
    "MovedPath",
    "PooledSchema",
    "ProcedureImport",
    "SchemaMigrationRun",
    "SiteMerge",
    "SiteStats",
    "Tenant",
    "_ensure_clone_function",
]

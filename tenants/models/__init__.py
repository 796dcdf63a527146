"""The control plane's rows, all in the public schema (app label ``tenants``).

- ``sites``: ``Tenant``, the registry of sites (one PostgreSQL schema each);
- ``domains``: ``Domain`` (a site's host names) and ``MovedPath`` (merged sites' old URLs);
- ``stats``: ``SiteStats``, the content figures the console shows;
- ``jobs``: ``SiteMerge`` and ``ProcedureImport``, long jobs run under a lease;
- ``schemas``: ``PooledSchema`` (clones made ahead of time), ``SchemaMigrationRun`` and
  ``TemplateDDL`` (templates' definitions, for ``tenants.schema_copy``);
- ``setup``: ``SiteSetup``, what the worker finishes after a site is created.
"""

from .domains import Domain, MovedPath
from .jobs import JobState, LeasedJob, ProcedureImport, SiteMerge
from .schemas import PooledSchema, SchemaMigrationRun, TemplateDDL
from .setup import SiteSetup
from .sites import Tenant, _ensure_clone_function
from .stats import SiteStats

__all__ = [
    "Domain",
    "JobState",
    "LeasedJob",
    "MovedPath",
    "PooledSchema",
    "ProcedureImport",
    "SchemaMigrationRun",
    "SiteMerge",
    "SiteSetup",
    "SiteStats",
    "TemplateDDL",
    "Tenant",
    "_ensure_clone_function",
]

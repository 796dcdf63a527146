"""Open data of a site: read-only JSON datasets under /api/v1/ (no models of its own).

Each content app adds a dataset with :func:`register_dataset` (name, list view, detail
view); the index at /api/v1/ lists them.  Procedures are the first; documents can join
the same way, with the same envelope and pagination.
"""

"""Database engine: django-tenants' PostgreSQL backend, safe for per-schema content types."""

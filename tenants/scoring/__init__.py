"""Scoring and ranking of member sites by the provincial editorial council (public schema)."""

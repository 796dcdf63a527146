"""Django project of the provincial portal platform.

The folder is ``platform/`` but the package is ``portal``: a package named
``platform`` would shadow the standard library module of that name.
"""

from .celery_app import app as celery_app

__all__ = ["celery_app"]

"""Open sessions keep their login across the move of the lockout backend to this app.

Django stores the authentication backend's dotted path in each session and ends a session
whose path is no longer in ``AUTHENTICATION_BACKENDS``.  The backend moved from
``component_sites.editorial.lockout`` to ``component_sites.accounts.lockout``: without this,
every admin (and console) session would be logged out at the deployment.  Sessions of each
schema are rewritten in place; nothing else in them changes.  Runs again harmlessly.
"""

from django.contrib.auth import BACKEND_SESSION_KEY
from django.db import migrations

OLD = "component_sites.editorial.lockout.LockoutModelBackend"
NEW = "component_sites.accounts.lockout.LockoutModelBackend"


def rename_backend(session_model, old: str = OLD, new: str = NEW) -> int:
    """Rewrite ``old`` to ``new`` in every session that names it; the number rewritten."""
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    changed = []
    for session in session_model.objects.all().iterator():
        data = store.decode(session.session_data)
        if data.get(BACKEND_SESSION_KEY) != old:
            continue
        data[BACKEND_SESSION_KEY] = new
        session.session_data = store.encode(data)
        changed.append(session)
    session_model.objects.bulk_update(changed, ["session_data"], batch_size=500)
    return len(changed)


def forwards(apps, schema_editor):
    rename_backend(apps.get_model("sessions", "Session"))


def backwards(apps, schema_editor):
    rename_backend(apps.get_model("sessions", "Session"), old=NEW, new=OLD)


class Migration(migrations.Migration):
    dependencies = [("sessions", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]

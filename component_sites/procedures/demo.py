"""Demo: the province's catalogue (real codes and names, see the data file) on every demo site."""

from django.db import connection
from django_tenants.utils import get_public_schema_name, schema_context


def build_demo_procedures(context) -> None:
    """Load the demo catalogue into public once, then bring this site up to date inline."""
    from tenants.procedures.models import Procedure
    from tenants.procedures.syndication import sync_site
    from tenants.procedures.transfer import import_file

    from .models import ProcedureCopy

    schema = connection.schema_name
    with schema_context(get_public_schema_name()):
        if not Procedure.objects.exists():
            from tenants.procedures.management.commands.import_procedures import DEMO_FILE

            import_file(DEMO_FILE.name, DEMO_FILE.read_bytes())
        sync_site(context.tenant)
    with schema_context(schema):
        context.count("procedures", ProcedureCopy.objects.filter(status="active").count())

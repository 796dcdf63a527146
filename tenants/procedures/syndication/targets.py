"""Who receives what: the sites that hold a copy of a procedure, the procedures a site holds."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from tenants.models import Tenant
from tenants.procedures.models import Procedure


def _descendant_ids(root_id: int) -> set[int]:
    found: set[int] = set()
    frontier = {root_id}
    while frontier:
        frontier = set(Tenant.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        frontier -= found
        found |= frontier
    return found


def target_tenants(procedure: Procedure) -> QuerySet[Tenant]:
    """The sites that hold a copy: those of a matching level under the procedure's owner.

    A province-wide procedure goes to every site of its levels; a district's own
    procedure to the district (if listed for its level) and its communes.
    """
    # An archived site (a merged one above all) is read-only: it receives nothing more.
    sites = Tenant.objects.filter(level__in=list(procedure.levels)).exclude(
        status=Tenant.Status.ARCHIVED
    )
    if procedure.owner_id:
        sites = sites.filter(pk__in={procedure.owner_id, *_descendant_ids(procedure.owner_id)})
    return sites


def procedures_for_tenant(tenant: Tenant) -> QuerySet[Procedure]:
    """Every master record ``tenant`` should hold (withdrawn ones as withdrawn copies)."""
    ancestors: list[int] = []
    node = tenant
    while node is not None:
        ancestors.append(node.pk)
        node = node.parent
    return Procedure.objects.filter(levels__contains=[tenant.level]).filter(
        Q(owner__isnull=True) | Q(owner_id__in=ancestors)
    )

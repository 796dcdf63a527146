"""Domains: one primary per site, host names stored lowercase."""

import pytest
from django.db import IntegrityError, transaction

from tenants.models import Domain

pytestmark = pytest.mark.django_db


def test_making_an_alias_primary_demotes_the_old_primary(sites):
    alias = Domain.objects.get(domain="xanhuantrach.hoabinh.test.localhost")
    alias.is_primary = True
    alias.save()
    primaries = Domain.objects.filter(tenant=sites.commune, is_primary=True)
    assert list(primaries.values_list("domain", flat=True)) == [alias.domain]


def test_database_refuses_a_second_primary(sites):
    with pytest.raises(IntegrityError), transaction.atomic():
        Domain.objects.filter(domain="xanhuantrach.hoabinh.test.localhost").update(is_primary=True)


def test_domains_are_stored_lowercase(sites):
    domain = Domain(
        domain="  MoiThem.HoaBinh.Test.Localhost ", tenant=sites.commune, is_primary=False
    )
    domain.full_clean()
    domain.save()
    assert domain.domain == "moithem.hoabinh.test.localhost"

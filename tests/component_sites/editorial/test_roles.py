"""Roles exist in every site as Wagtail groups; collaborators write only where assigned."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django_tenants.utils import schema_context
from wagtail.models import WorkflowPage

from component_sites.editorial.models import CategoryAssignment
from component_sites.editorial.roles import ROLES, WORKFLOW_NAME
from tests.component_sites.factories import make_category, news_index

from .helpers import board

pytestmark = pytest.mark.django_db


def test_every_site_has_the_roles_and_the_workflow(sites):
    for tenant in (sites.province, sites.district, sites.commune, sites.direct_commune):
        with schema_context(tenant.schema_name):
            assert set(ROLES) <= set(Group.objects.values_list("name", flat=True))
            attached = WorkflowPage.objects.get(page=news_index())
            assert attached.workflow.name == WORKFLOW_NAME


def test_collaborator_writes_only_in_assigned_category(sites):
    with schema_context(sites.commune.schema_name):
        mine, other = make_category("Nông thôn mới"), make_category("An ninh")
        collaborator, _editor, _head = board()
        CategoryAssignment.objects.create(user=collaborator, category=mine)
        assert mine.permissions_for_user(collaborator).can_add_subpage()
        assert not other.permissions_for_user(collaborator).can_add_subpage()
        assert not mine.permissions_for_user(collaborator).can_publish_subpage()


def test_unassigning_takes_the_right_back(sites):
    with schema_context(sites.commune.schema_name):
        category = make_category("Văn hoá")
        collaborator, _editor, _head = board()
        assignment = CategoryAssignment.objects.create(user=collaborator, category=category)
        assignment.delete()
        collaborator = type(collaborator).objects.get(pk=collaborator.pk)
        assert not category.permissions_for_user(collaborator).can_add_subpage()


def test_collaborator_cannot_create_a_category(sites):
    with schema_context(sites.commune.schema_name):
        category = make_category("Giáo dục")
        collaborator, _editor, _head = board()
        CategoryAssignment.objects.create(user=collaborator, category=category)
        client = Client(HTTP_HOST=sites.commune.primary_domain)
        client.force_login(collaborator)
    url = f"/admin/pages/add/news/newscategorypage/{category.pk}/"
    refused = client.get(url, follow=True)
    assert refused.redirect_chain[0][1] == 302
    assert "chỉ được viết bài" in refused.content.decode()
    assert client.get(f"/admin/pages/add/news/articlepage/{category.pk}/").status_code == 200

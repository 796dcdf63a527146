"""Only the project's roles, in Vietnamese; collaborators offered what they may do."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django_tenants.utils import schema_context
from wagtail.models import GroupApprovalTask, Workflow

from component_sites.editorial.models import CategoryAssignment
from component_sites.editorial.roles import (
    COLLABORATOR,
    EDITOR,
    HEAD,
    PAGE_WORKFLOW_NAME,
    SITE_ADMIN,
    ensure_editorial_setup,
)
from tests.component_sites.factories import make_category

from .helpers import board, user

pytestmark = pytest.mark.django_db


def test_no_site_keeps_wagtails_english_groups_or_workflow(sites):
    for tenant in (sites.province, sites.district, sites.commune, sites.direct_commune):
        with schema_context(tenant.schema_name):
            names = set(Group.objects.values_list("name", flat=True))
            assert not names & {"Moderators", "Editors"}
            assert not Workflow.objects.filter(name__icontains="approval").exists()
            assert not GroupApprovalTask.objects.filter(name__icontains="approval").exists()


def test_members_of_the_old_groups_keep_a_role_and_pages_keep_an_approver(sites):
    """What the data migration does on a site that still has Wagtail's groups."""
    with schema_context(sites.commune.schema_name):
        moderators = Group.objects.create(name="Moderators")
        editors = Group.objects.create(name="Editors")
        task = GroupApprovalTask.objects.create(name="Moderators approval")
        task.groups.add(moderators)
        workflow = Workflow.objects.create(name="Moderators approval")
        moderator = user("ktv.an")
        moderator.groups.add(moderators)
        writer = user("btv.binh")
        writer.groups.add(editors)

        ensure_editorial_setup()

        assert not Group.objects.filter(name__in=["Moderators", "Editors"]).exists()
        assert set(moderator.groups.values_list("name", flat=True)) == {HEAD}
        assert set(writer.groups.values_list("name", flat=True)) == {EDITOR}
        task.refresh_from_db()
        workflow.refresh_from_db()
        assert set(task.groups.values_list("name", flat=True)) == {SITE_ADMIN, HEAD}
        assert workflow.name == PAGE_WORKFLOW_NAME


def test_a_collaborator_is_sent_straight_to_the_article_form(sites):
    with schema_context(sites.commune.schema_name):
        category = make_category("Giáo dục")
        collaborator, editor, _head = board()
        CategoryAssignment.objects.create(user=collaborator, category=category)
        client = Client(HTTP_HOST=sites.commune.primary_domain)
        client.force_login(collaborator)
        staff = Client(HTTP_HOST=sites.commune.primary_domain)
        staff.force_login(editor)
    response = client.get(f"/admin/pages/{category.pk}/add_subpage/")
    assert response.status_code == 302
    assert response["Location"] == f"/admin/pages/add/news/articlepage/{category.pk}/"
    # Staff still choose between a sub-category and an article.
    offered = staff.get(f"/admin/pages/{category.pk}/add_subpage/")
    assert offered.status_code == 200
    assert "Chuyên mục tin" in offered.content.decode()


def test_a_collaborator_cannot_add_where_not_assigned(sites):
    with schema_context(sites.commune.schema_name):
        category = make_category("An ninh")
        collaborator, _editor, _head = board()
        client = Client(HTTP_HOST=sites.commune.primary_domain)
        client.force_login(collaborator)
    assert client.get(f"/admin/pages/{category.pk}/add_subpage/").status_code in (302, 403)


def test_the_assignment_form_lists_collaborators_by_full_name(sites):
    from component_sites.editorial.assignment_forms import person_label

    with schema_context(sites.commune.schema_name):
        lan = user("ctv.lan", COLLABORATOR)
        lan.first_name, lan.last_name = "Lan", "Nguyễn Thị"
        lan.save()
        anh = user("ctv.anh", COLLABORATOR)
        anh.first_name, anh.last_name = "Ánh", "Trần Ngọc"
        anh.save()
        head = user("truongban", HEAD, SITE_ADMIN)
        head.is_superuser = True
        head.save()
        client = Client(HTTP_HOST=sites.commune.primary_domain)
        client.force_login(head)
        from tests.security.helpers import verify_session

        verify_session(client, head)
    response = client.get("/admin/snippets/editorial/categoryassignment/add/")
    assert response.status_code == 200
    choices = [label for _value, label in response.context["form"].fields["user"].choices][1:]
    # Collaborators only, by given name with diacritics folded (Ánh before Lan).
    assert choices == ["Trần Ngọc Ánh (ctv.anh)", "Nguyễn Thị Lan (ctv.lan)"]
    assert person_label(head) == "truongban"

"""The roles of a site's editorial board as Wagtail groups, and the approval workflow.

``ensure_editorial_setup`` is idempotent: the data migration runs it in every existing
site, and template seeding runs it again once the news section exists, so cloned sites
start with the roles and the workflow attached to their news section.
"""

from __future__ import annotations

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import connection, transaction
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

SITE_ADMIN = "Quản trị trang"
HEAD = "Trưởng ban biên tập"
EDITOR = "Biên tập viên"
COLLABORATOR = "Cộng tác viên"
CLERK = "Cán bộ xã"
ROLES = [SITE_ADMIN, HEAD, EDITOR, COLLABORATOR, CLERK]
# Roles that may create pages other than articles (collaborators only write articles).
STAFF_ROLES = [SITE_ADMIN, HEAD, EDITOR, CLERK]

WORKFLOW_NAME = "Duyệt tin bài"
REVIEW_TASK = "Biên tập viên duyệt"
APPROVAL_TASK = "Trưởng ban duyệt và xuất bản"
CATEGORY_GROUP_PREFIX = "Cộng tác viên · chuyên mục #"
# Wagtail's initial data makes two English groups and a workflow at the root of the tree:
# their members join the matching role, the groups go, the workflow is renamed.
WAGTAIL_DEFAULT_GROUPS = {"Moderators": HEAD, "Editors": EDITOR}
PAGE_WORKFLOW_NAME = "Duyệt trang"
PAGE_APPROVAL_TASK = "Quản trị trang hoặc Trưởng ban duyệt"

# Page permissions granted at the root of the page tree (one site per schema).
PAGE_PERMISSIONS = {
    SITE_ADMIN: [
        "add_page",
        "change_page",
        "publish_page",
        "bulk_delete_page",
        "lock_page",
        "unlock_page",
    ],
    HEAD: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
    EDITOR: ["add_page", "change_page", "lock_page"],
    COLLABORATOR: [],  # per category, through CategoryAssignment
    CLERK: ["add_page", "change_page"],
}
MEDIA = ["add_image", "choose_image", "add_document", "choose_document"]
COLLECTION_PERMISSIONS = {
    SITE_ADMIN: [*MEDIA, "change_image", "delete_image", "change_document", "delete_document"],
    HEAD: [*MEDIA, "change_image", "change_document"],
    EDITOR: [*MEDIA, "change_image", "change_document"],
    COLLABORATOR: MEDIA,
    CLERK: MEDIA,
}
STATS = "editorial.view_editorial_statistics"
UNITS = ["editorial.add_contributingunit", "editorial.change_contributingunit"]
ASSIGN = [
    "editorial.add_categoryassignment",
    "editorial.change_categoryassignment",
    "editorial.delete_categoryassignment",
    "editorial.view_categoryassignment",
]
MODEL_PERMISSIONS = {
    SITE_ADMIN: [
        "wagtailadmin.access_admin",
        STATS,
        *UNITS,
        "editorial.delete_contributingunit",
        *ASSIGN,
        "auth.add_user",
        "auth.change_user",
        "auth.delete_user",
        "editorial.change_royaltyrates",
    ],
    HEAD: ["wagtailadmin.access_admin", STATS, *UNITS, *ASSIGN, "editorial.change_royaltyrates"],
    EDITOR: ["wagtailadmin.access_admin", STATS],
    COLLABORATOR: ["wagtailadmin.access_admin"],
    CLERK: ["wagtailadmin.access_admin"],
}
APPS_WITH_PERMISSIONS = [
    "wagtailadmin",
    "wagtailcore",
    "wagtailimages",
    "wagtaildocs",
    "core",
    "auth",
    "editorial",
]


def _permission(codename: str, app_label: str | None = None) -> Permission:
    if "." in codename:
        app_label, codename = codename.split(".", 1)
    query = Permission.objects.filter(codename=codename)
    if app_label:
        query = query.filter(content_type__app_label=app_label)
    return query.get()


def _media_permission(code: str) -> Permission:
    """Wagtail checks image and document permissions on its own Image/Document models."""
    return _permission(code, "wagtailimages" if code.endswith("_image") else "wagtaildocs")


def ensure_editorial_setup() -> dict[str, Group]:
    """Create the role groups, their permissions and the workflow; attach it to the news section."""
    from component_sites.news.models import NewsIndexPage

    # The task model by label: models.py imports this module (roles) for its forms.
    EditorialReviewTask = global_apps.get_model("editorial", "EditorialReviewTask")  # noqa: N806

    # Permissions are normally created after migrations; a migration needs them now.
    for label in APPS_WITH_PERMISSIONS:
        create_permissions(global_apps.get_app_config(label), verbosity=0)
    with transaction.atomic():
        root = Page.get_first_root_node()
        collection = Collection.get_first_root_node()
        groups = {}
        for role in ROLES:
            group, _created = Group.objects.get_or_create(name=role)
            groups[role] = group
            group.permissions.add(*[_permission(code) for code in MODEL_PERMISSIONS[role]])
            for code in PAGE_PERMISSIONS[role]:
                GroupPagePermission.objects.get_or_create(
                    group=group, page=root, permission=_permission(code, "wagtailcore")
                )
            for code in COLLECTION_PERMISSIONS[role]:
                permission = _media_permission(code)
                if not GroupCollectionPermission.objects.filter(
                    group=group, collection=collection, permission=permission
                ).exists():
                    GroupCollectionPermission.objects.create(
                        group=group, collection=collection, permission=permission
                    )
        workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
        for order, (name, role) in enumerate([(REVIEW_TASK, EDITOR), (APPROVAL_TASK, HEAD)]):
            task = EditorialReviewTask.objects.filter(name=name).first()
            if task is None:
                task = EditorialReviewTask.objects.create(name=name)
            task.groups.add(groups[role])
            WorkflowTask.objects.update_or_create(
                workflow=workflow, task=task, defaults={"sort_order": order}
            )
        for news in NewsIndexPage.objects.all():
            WorkflowPage.objects.get_or_create(page=news, defaults={"workflow": workflow})
        retire_wagtail_default_groups(groups)
    return groups


def retire_wagtail_default_groups(groups: dict[str, Group]) -> list[str]:
    """Replace Wagtail's "Moderators"/"Editors" by the project's roles (idempotent).

    Members move to the role doing the same job ("Moderators" → the head of the board,
    "Editors" → editors).  Wagtail's default workflow at the root of the tree (its
    "Moderators approval" step, for pages outside the news section) is kept under a
    Vietnamese name and given to the roles that publish: site admins and the head.
    Returns the names of the groups removed.
    """
    from wagtail.models import GroupApprovalTask

    removed = []
    for name, role in WAGTAIL_DEFAULT_GROUPS.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        for task in GroupApprovalTask.objects.filter(groups=group):
            task.groups.add(groups[SITE_ADMIN], groups[HEAD])
            task.groups.remove(group)
            if task.name.endswith(" approval"):
                task.name = PAGE_APPROVAL_TASK
                task.save(update_fields=["name"])
        groups[role].user_set.add(*group.user_set.all())
        group.delete()
        removed.append(name)
    for workflow in Workflow.objects.filter(name__endswith=" approval"):
        workflow.name = PAGE_WORKFLOW_NAME
        workflow.save(update_fields=["name"])
    return removed


def category_group(category) -> Group:
    """The group holding "add" permission on ``category`` (write articles, edit one's own)."""
    group, created = Group.objects.get_or_create(name=f"{CATEGORY_GROUP_PREFIX}{category.pk}")
    if created:
        group.permissions.add(_permission("wagtailadmin.access_admin"))
    GroupPagePermission.objects.get_or_create(
        group=group, page=category, permission=_permission("add_page", "wagtailcore")
    )
    return group


def is_public_schema() -> bool:
    from django_tenants.utils import get_public_schema_name

    return connection.schema_name == get_public_schema_name()

"""Admin wiring: snippets, statistics and royalty views, collaborators limited to articles,
the review rule (no plain publish of articles, see ``review``).

Logins, two-factor and the rules on who grants rights are ``component_sites.accounts``'s."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import review
from .assignment_forms import CategoryAssignmentForm
from .models import CategoryAssignment, ContributingUnit
from .roles import STAFF_ROLES
from .views import publish_bypass_view, royalty_view, statistics_view

STATS_PERMISSION = "editorial.view_editorial_statistics"


class ContributingUnitViewSet(SnippetViewSet):
    model = ContributingUnit
    icon = "group"
    menu_label = "Đơn vị cộng tác"
    list_display = ["name", "kind", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name"]


class CategoryAssignmentViewSet(SnippetViewSet):
    model = CategoryAssignment
    icon = "user"
    menu_label = "Phân công chuyên mục"
    list_display = ["collaborator_name", "category"]
    # Collaborators only, by full name (assignment_forms).
    edit_handler = ObjectList(
        [FieldPanel("user"), FieldPanel("category")], base_form_class=CategoryAssignmentForm
    )


register_snippet(ContributingUnitViewSet)
register_snippet(CategoryAssignmentViewSet)


@hooks.register("register_admin_viewset")
def site_page_viewset():
    """Page views: collaborators offered articles only; a taken slug is a form error."""
    from .page_types import SitePageViewSet

    return SitePageViewSet()


@hooks.register("register_admin_urls")
def editorial_urls():
    guard = permission_required(STATS_PERMISSION, raise_exception=True)
    return [
        path("bien-tap/thong-ke/", guard(statistics_view), name="editorial_statistics"),
        path("bien-tap/nhuan-but/", guard(royalty_view), name="editorial_royalties"),
        path(
            "bien-tap/xuat-ban-khan/<int:page_id>/",
            publish_bypass_view,
            name="editorial_publish_bypass",
        ),
    ]


class PermissionMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(STATS_PERMISSION)


@hooks.register("register_admin_menu_item")
def statistics_menu_item():
    return PermissionMenuItem(
        "Thống kê tin bài", reverse("editorial_statistics"), icon_name="table", order=900
    )


@hooks.register("register_admin_menu_item")
def royalty_menu_item():
    return PermissionMenuItem(
        "Nhuận bút", reverse("editorial_royalties"), icon_name="tag", order=901
    )


@hooks.register("before_create_page")
def collaborators_write_articles_only(request, parent_page, page_class):
    """A collaborator (no staff role) may only create articles, in the categories assigned."""
    from component_sites.news.models import ArticlePage

    user = request.user
    if user.is_superuser or page_class is ArticlePage:
        return None
    if not user.groups.filter(name__in=STAFF_ROLES).exists():
        messages.error(request, "Cộng tác viên chỉ được viết bài trong chuyên mục được phân công.")
        return redirect("wagtailadmin_explore", parent_page.pk)
    return None


@hooks.register("register_log_actions")
def editorial_log_actions(actions):
    actions.register_action(
        review.BYPASS_ACTION,
        "Xuất bản không qua duyệt",
        "Xuất bản ngay, không qua quy trình duyệt (có ghi lý do)",
    )


# The review rule (``review``): articles are published by the workflow only.


def _refuse(request, url):
    messages.error(request, review.REFUSED)
    return redirect(url)


@hooks.register("before_edit_page")
def refuse_plain_publish_on_edit(request, page):
    """A posted "Xuất bản" of an article under review is refused before anything is saved."""
    if (
        request.method == "POST"
        and request.POST.get("action-publish")
        and review.under_review(page)
    ):
        return _refuse(request, reverse("wagtailadmin_pages:edit", args=[page.pk]))
    return None


@hooks.register("before_create_page")
def refuse_plain_publish_on_create(request, parent_page, page_class):
    if (
        request.method == "POST"
        and request.POST.get("action-publish")
        and review.new_page_under_review(parent_page, page_class)
    ):
        meta = page_class._meta
        return _refuse(
            request,
            reverse(
                "wagtailadmin_pages:add", args=[meta.app_label, meta.model_name, parent_page.pk]
            ),
        )
    return None


@hooks.register("before_publish_page")
def publish_only_through_review(request, page):
    """Second line: no view publishes an article under review (the workflow's last approval
    publishes through ``publish_workflow_state``, not through a view)."""
    if review.under_review(page):
        raise PermissionDenied(review.REFUSED)


class PublishBypassMenuItem(ActionMenuItem):
    """A link to the explicit, audited publication without review (where allowed)."""

    label = "Xuất bản khẩn (không qua duyệt)…"
    name = "action-publish-bypass"
    icon_name = "warning"
    order = 45

    def is_shown(self, context):
        page = context.get("page")
        return (
            context.get("view") == "edit"
            and page is not None
            and not review.locked_against_bypass(page, context["request"].user)
            and review.under_review(page)
            and review.can_bypass(context["request"].user, page)
        )

    def get_url(self, parent_context):
        return reverse("editorial_publish_bypass", args=[parent_context["page"].pk])


@hooks.register("register_page_action_menu_item")
def publish_bypass_menu_item():
    return PublishBypassMenuItem()


@hooks.register("construct_page_action_menu")
def no_plain_publish_under_review(menu_items, request, context):
    """Take "Xuất bản" out of the menu of an article under review (every role)."""
    if context.get("view") == "create":
        match = request.resolver_match
        parent = context.get("parent_page")
        page_class = None
        if match is not None and parent is not None:
            from django.contrib.contenttypes.models import ContentType

            try:
                page_class = ContentType.objects.get_by_natural_key(
                    match.kwargs["content_type_app_name"], match.kwargs["content_type_model_name"]
                ).model_class()
            except (KeyError, ContentType.DoesNotExist):
                page_class = None
        reviewed = page_class is not None and review.new_page_under_review(parent, page_class)
    else:
        page = context.get("page")
        reviewed = page is not None and review.under_review(page)
    if reviewed:
        menu_items[:] = [item for item in menu_items if item.name != "action-publish"]


@hooks.register("before_copy_page")
def no_published_copies_of_reviewed_pages(request, page):
    if (
        request.method == "POST"
        and request.POST.get("publish_copies")
        and review.subtree_has_reviewed_pages(page)
    ):
        messages.error(request, review.COPY_REFUSED)
        return redirect(reverse("wagtailadmin_pages:copy", args=[page.pk]))
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_publish_under_review(request, action_type, objects, action):
    """Bulk "Publish" would skip articles' review."""
    from wagtail.models import Page

    if action_type == "publish" and issubclass(getattr(action, "model", object), Page):
        reviewed = [page for page in objects if review.under_review(page)]
        if reviewed:
            titles = ", ".join(page.title for page in reviewed[:3])
            messages.error(request, review.BULK_REFUSED.format(titles=titles))
            return redirect(action.next_url)
    return None

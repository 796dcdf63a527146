"""The page views of every site (Wagtail's page viewset): offered what one may create.

- Collaborators are offered only what they may create: articles.  Wagtail's "add child
  page" screen lists every page type allowed under the parent ("Chuyên mục tin" and "Bài
  viết" under a category); a collaborator who picked a sub-category was then refused by
  ``collaborators_write_articles_only``.  For a collaborator the screen goes straight to
  the article form, as Wagtail itself does when only one type is allowed.
- A new page whose slug was taken while its form was posted is a form error
  (``component_sites.core.page_views``), not a 500.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from wagtail.admin.views.pages.create import AddSubpageView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.models import Page

from component_sites.core.page_views import SlugSafeCreateView

from .roles import STAFF_ROLES


def writes_articles_only(user) -> bool:
    """A collaborator: an account with no staff role (and not a superuser)."""
    return not user.is_superuser and not user.groups.filter(name__in=STAFF_ROLES).exists()


class RoleAwareAddSubpageView(AddSubpageView):
    """Wagtail's page-type choice, narrowed to articles for collaborators."""

    def dispatch(self, request, parent_page_id, *args, **kwargs):
        from component_sites.news.models import ArticlePage

        if request.user.is_authenticated and writes_articles_only(request.user):
            parent = get_object_or_404(Page, id=parent_page_id).specific
            if not parent.permissions_for_user(request.user).can_add_subpage():
                raise PermissionDenied
            if ArticlePage in type(parent).creatable_subpage_models() and (
                ArticlePage.can_create_at(parent)
            ):
                return redirect("wagtailadmin_pages:add", "news", "articlepage", parent.pk)
        return super().dispatch(request, parent_page_id, *args, **kwargs)


class SitePageViewSet(PageViewSet):
    """Replaces Wagtail's default viewset for every page type (registered after it)."""

    model = Page
    name = "site_pages"
    add_view_class = SlugSafeCreateView
    add_subpage_view_class = RoleAwareAddSubpageView
    parent_models = [Page]

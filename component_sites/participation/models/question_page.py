"""The questions section page (Hỏi – Đáp) and its routes: answers, form, lookup, feedback."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.contrib.routable_page.models import RoutablePageMixin, path

from component_sites.core.models import SectionPage
from component_sites.core.text import AsciiSlugMixin

from ..page_views import handler
from .questions import Question


class QuestionIndexPage(RoutablePageMixin, AsciiSlugMixin, SectionPage):
    """The questions section (Hỏi – Đáp): published answers, the form, lookup by code."""

    content_panels = SectionPage.content_panels
    search_fields = SectionPage.search_fields

    parent_page_types = ["core.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("chuyên mục hỏi – đáp")
        verbose_name_plural = _("chuyên mục hỏi – đáp")

    def get_sitemap_urls(self, request=None):
        """The published answers' list, then each published answer."""
        entries = super().get_sitemap_urls(request)
        base = self.get_full_url(request)
        if not entries or not base:
            return entries
        published = Question.objects.filter(status=Question.Status.PUBLISHED).order_by("pk")
        for pk, answered_at in published.values_list("pk", "answered_at"):
            entries.append({"location": f"{base}{pk}/", "lastmod": answered_at})
        return entries

    @path("")
    def answers(self, request):
        return handler("answer_list")(self, request)

    @path("dat-cau-hoi/", name="ask")
    def ask(self, request):
        return handler("ask")(self, request)

    @path("tra-cuu/", name="lookup")
    def lookup(self, request):
        return handler("lookup")(self, request)

    @path("phan-anh-kien-nghi/", name="feedback")
    def feedback(self, request):
        return handler("feedback")(self, request)

    @path("<int:pk>/", name="answer")
    def answer(self, request, pk):
        return handler("answer_detail")(self, request, pk)

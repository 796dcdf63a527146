"""Admin wiring: questions (workflow, overdue flags), draft comments, synthesis export."""

import django_filters
from django.db.models import Q
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList
from wagtail.admin.widgets.button import ListingButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from component_sites.core.text import fold

from . import admin_views, question_flow
from .admin_forms import QuestionAdminForm
from .models import ArticleComment, DraftComment, DraftPage, Question

OPEN_STATES = [
    Question.Status.RECEIVED,
    Question.Status.ASSIGNED,
    Question.Status.DRAFTED,
    Question.Status.APPROVED,
]


class QuestionFilterSet(WagtailFilterSet):
    """Overdue, by step, by assignee (only staff who answer), by kind and field."""

    overdue = django_filters.ChoiceFilter(
        label="Hạn trả lời",
        choices=[("quahan", "Quá hạn"), ("conhan", "Còn hạn, chưa xong")],
        method="filter_overdue",
        empty_label="Tất cả",
    )
    assignee = django_filters.ModelChoiceFilter(
        label="Người xử lý", queryset=lambda request: question_flow.answerers()
    )

    class Meta:
        model = Question
        fields = ["status", "assignee", "kind", "field"]

    def filter_overdue(self, queryset, name, value):
        today = timezone.localdate()
        open_ = queryset.filter(status__in=OPEN_STATES)
        if value == "quahan":
            return open_.filter(due_date__lt=today, progress_note="")
        return open_.filter(Q(due_date__gte=today) | ~Q(progress_note=""))


class QuestionIndexView(IndexView):
    """Search ignores diacritics and case: "ket hon" finds "Kết hôn"."""

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        words = fold(self.search_query).split()[:8]
        code = self.search_query.strip().upper()
        query = Q(tracking_code__icontains=code) | Q(title__icontains=self.search_query.strip())
        if words:
            folded = Q()
            for word in words:
                folded &= Q(folded_text__contains=word)
            query |= folded
        return queryset.filter(query)


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    menu_label = _("Hỏi – đáp, phản ánh")
    index_view_class = QuestionIndexView
    list_display = [
        "tracking_code", "kind", "title", "field", "status", "deadline_column",
        "assignee_column",
    ]  # fmt: skip
    filterset_class = QuestionFilterSet

    def get_queryset(self, request):
        return Question.objects.select_related("assignee")

    search_fields = ["tracking_code", "folded_text"]
    ordering = ["due_date"]
    list_per_page = 50
    edit_handler = ObjectList(Question.panels, base_form_class=QuestionAdminForm)


class DraftCommentViewSet(SnippetViewSet):
    model = DraftComment
    icon = "comment"
    menu_label = _("Góp ý dự thảo")
    list_display = ["author_name", "draft", "status", "created_at"]
    list_filter = ["status", "draft"]
    search_fields = ["author_name", "text"]


class ArticleCommentViewSet(SnippetViewSet):
    model = ArticleComment
    icon = "comment"
    menu_label = _("Bình luận bài viết")
    list_display = ["author_name", "article", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["author_name", "text"]
    ordering = ["status", "-created_at"]


class ParticipationGroup(SnippetViewSetGroup):
    items = (QuestionViewSet, DraftCommentViewSet, ArticleCommentViewSet)
    menu_icon = "group"
    menu_label = _("Tương tác công dân")
    menu_name = "participation"
    menu_order = 220


register_snippet(ParticipationGroup)


@hooks.register("register_admin_urls")
def register_synthesis_urls():
    return [
        path(
            "participation/draft/<int:page_id>/synthesis.<str:fmt>",
            admin_views.synthesis_export,
            name="participation_synthesis",
        ),
        path(
            "participation/question/<int:pk>/attachment/",
            admin_views.question_attachment,
            name="participation_attachment",
        ),
        path(
            "participation/satisfaction/",
            admin_views.satisfaction_report,
            name="participation_satisfaction",
        ),
    ]


class SatisfactionMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("participation.view_servicerating")


@hooks.register("register_admin_menu_item")
def satisfaction_menu_item():
    return SatisfactionMenuItem(
        _("Mức độ hài lòng"),
        reverse("participation_satisfaction"),
        icon_name="pick",
        order=225,
    )


@hooks.register("register_page_listing_buttons")
def synthesis_buttons(page, user, next_url=None):
    specific = page.specific_deferred if hasattr(page, "specific_deferred") else page.specific
    if not isinstance(specific, DraftPage) or not specific.is_closed():
        return
    for fmt, label, priority in (
        ("xlsx", "Tổng hợp góp ý (XLSX)", 50),
        ("csv", "Tổng hợp góp ý (CSV)", 51),
    ):
        yield ListingButton(
            label,
            reverse("participation_synthesis", args=[page.pk, fmt]),
            priority=priority,
        )


@hooks.register("register_log_actions")
def register_question_steps(actions):
    for step in question_flow.STEPS.values():
        actions.register_action(step.log_action, step.label, f"Câu hỏi: {step.label.lower()}")


@hooks.register("insert_global_admin_css")
def participation_admin_css():
    """Colours of the questions' deadline column (participation.admin_panels)."""
    return format_html('<link rel="stylesheet" href="{}">', static("participation/admin.css"))

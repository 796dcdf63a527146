"""Editorial board data: contributing units, category assignments, review task, royalty rates."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import AbstractGroupApprovalTask, TaskState


class ContributingUnit(models.Model):
    """An agency, department or commune that contributes articles (đơn vị cộng tác)."""

    class Kind(models.TextChoices):
        AGENCY = "agency", _("Cơ quan")
        DEPARTMENT = "department", _("Phòng, ban")
        COMMUNE = "commune", _("Xã, phường, thị trấn")

    name = models.CharField(_("tên đơn vị"), max_length=255, unique=True)
    kind = models.CharField(_("loại đơn vị"), max_length=16, choices=Kind.choices)
    active = models.BooleanField(_("đang cộng tác"), default=True)

    panels = [FieldPanel("name"), FieldPanel("kind"), FieldPanel("active")]

    class Meta:
        verbose_name = _("đơn vị cộng tác")
        verbose_name_plural = _("đơn vị cộng tác")
        ordering = ["name"]
        permissions = [("view_editorial_statistics", _("Xem thống kê tin bài và nhuận bút"))]

    def __str__(self):
        return self.name


class CategoryAssignment(models.Model):
    """A news category a collaborator may write in (phân công chuyên mục).

    Enforced by Wagtail's own page permissions: each category has a group holding
    "add" permission on it, and an assignment puts the collaborator in that group.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cộng tác viên"),
        on_delete=models.CASCADE,
        related_name="category_assignments",
    )
    category = models.ForeignKey(
        "news.NewsCategoryPage",
        verbose_name=_("chuyên mục"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )

    panels = [FieldPanel("user"), FieldPanel("category")]

    class Meta:
        verbose_name = _("phân công chuyên mục")
        verbose_name_plural = _("phân công chuyên mục")
        constraints = [
            models.UniqueConstraint(fields=["user", "category"], name="unique_category_assignment")
        ]

    def __str__(self):
        return f"{self.collaborator_name()} → {self.category}"

    def collaborator_name(self) -> str:
        from .assignment_forms import person_label

        return person_label(self.user)

    collaborator_name.short_description = _("cộng tác viên")


class EditorialReviewTask(AbstractGroupApprovalTask):
    """A group approval step in which nobody may approve or reject what they submitted."""

    def _submitted_by(self, obj, user) -> bool:
        state = getattr(obj, "current_workflow_state", None)
        return bool(state and user.pk and state.requested_by_id == user.pk)

    def get_actions(self, obj, user):
        if self._submitted_by(obj, user):
            return []
        return super().get_actions(obj, user)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = super().get_task_states_user_can_moderate(user, **kwargs)
        return states.exclude(workflow_state__requested_by=user)

    @classmethod
    def get_description(cls):
        return _("Thành viên của các nhóm đã chọn duyệt bước này, trừ người gửi bài")

    class Meta:
        verbose_name = _("bước duyệt của ban biên tập")
        verbose_name_plural = _("bước duyệt của ban biên tập")


@register_setting(icon="tag")
class RoyaltyRates(BaseSiteSetting):
    """Royalty (nhuận bút) rates per kind of work, set by the head of the body (VND)."""

    news_item = models.PositiveIntegerField(_("tin"), default=150_000)
    article = models.PositiveIntegerField(_("bài viết"), default=400_000)
    report = models.PositiveIntegerField(_("phóng sự, ký sự"), default=600_000)
    interview = models.PositiveIntegerField(_("phỏng vấn"), default=450_000)
    photo = models.PositiveIntegerField(_("mỗi ảnh"), default=50_000)

    panels = [
        FieldPanel("news_item"),
        FieldPanel("article"),
        FieldPanel("report"),
        FieldPanel("interview"),
        FieldPanel("photo"),
    ]

    class Meta:
        verbose_name = _("Định mức nhuận bút")

    def rate_for(self, work_kind: str) -> int:
        return int(getattr(self, WORK_KIND_RATE_FIELD.get(work_kind, "article")))


# ArticlePage.work_kind → the RoyaltyRates field paying for it.
WORK_KIND_RATE_FIELD = {
    "news_item": "news_item",
    "article": "article",
    "report": "report",
    "interview": "interview",
}

REJECTED = TaskState.STATUS_REJECTED

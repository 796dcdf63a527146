"""Citizens' questions and feedback (hỏi – đáp, phản ánh): tracking codes and the workflow.

A citizen's name and contact are kept for staff only: no public template, listing or
search field ever reads them.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from component_sites.core.page_cache import purge_site
from component_sites.core.text import fold

from .. import admin_panels, question_flow, workdays

ANSWER_DEADLINE_WORKING_DAYS = 15
# Staff are reminded when this many working days (or fewer) remain.
REMINDER_WORKING_DAYS = 3
# Crockford's alphabet without look-alikes (0/O, 1/I/L): easy to read out over the phone.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


# Tracking-code prefixes: HD (hỏi đáp) for questions, PA (phản ánh) for feedback.
CODE_PREFIXES = ("HD", "PA")


def new_tracking_code(prefix: str = "HD") -> str:
    """``HD-7K4M-Q9XZ-RT``: 10 random symbols (31^10 ≈ 8·10^14), grouped for reading."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))
    return f"{prefix}-{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_code(text: str) -> str:
    """What a citizen typed (``hd 7k4m q9xz rt``, ``pa-...``) in the stored form."""
    raw = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    prefix = "HD"
    # Only a code longer than the 10 symbols carries a prefix (a bare code may start "PA").
    if len(raw) > 10 and raw[:2] in CODE_PREFIXES:
        prefix, raw = raw[:2], raw[2:]
    raw = raw.replace("O", "0").replace("I", "1")[:10]
    return f"{prefix}-{raw[:4]}-{raw[4:8]}-{raw[8:]}"


class QuestionField(models.TextChoices):
    """Fields (lĩnh vực) questions are grouped by."""

    LAND = "dat-dai", _("Đất đai – môi trường")
    CONSTRUCTION = "xay-dung", _("Xây dựng – giao thông")
    JUSTICE = "tu-phap", _("Tư pháp – hộ tịch")
    LABOUR = "lao-dong", _("Lao động – chính sách xã hội")
    HEALTH = "y-te", _("Y tế – bảo hiểm")
    EDUCATION = "giao-duc", _("Giáo dục – đào tạo")
    FINANCE = "tai-chinh", _("Thuế – tài chính – kinh doanh")
    AGRICULTURE = "nong-nghiep", _("Nông nghiệp – nông thôn")
    OTHER = "khac", _("Lĩnh vực khác")


class Question(models.Model):
    """A citizen's question or feedback/petition, followed by its tracking code.

    Feedback and petitions (phản ánh, kiến nghị) go through the same workflow and deadline
    as questions; only the form, the wording and the code prefix (PA) differ.
    """

    class Kind(models.TextChoices):
        QUESTION = "question", _("Câu hỏi")
        FEEDBACK = "feedback", _("Phản ánh, kiến nghị")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Mới tiếp nhận")
        ASSIGNED = "assigned", _("Đã phân công xử lý")
        DRAFTED = "drafted", _("Đã có dự thảo trả lời")
        APPROVED = "approved", _("Đã duyệt trả lời")
        PUBLISHED = "published", _("Đã trả lời, công khai")
        REFUSED = "refused", _("Không tiếp nhận")

    kind = models.CharField(
        _("loại"), max_length=16, choices=Kind.choices, default=Kind.QUESTION, db_index=True
    )
    tracking_code = models.CharField(
        _("mã tra cứu"), max_length=16, unique=True, default=new_tracking_code, editable=False
    )
    # Contact data: staff only.
    asker_name = models.CharField(_("họ và tên người hỏi"), max_length=120)
    asker_email = models.EmailField(_("thư điện tử"), blank=True)
    asker_phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    field = models.CharField(_("lĩnh vực"), max_length=32, choices=QuestionField.choices)
    title = models.CharField(_("tiêu đề"), max_length=200)
    text = models.TextField(_("nội dung câu hỏi"))
    # Under private/: never served by the public media view, only to staff (admin_views).
    attachment = models.FileField(
        _("tệp đính kèm"), upload_to="private/hoi-dap/%Y/%m/", blank=True, max_length=255
    )
    submitted_at = models.DateTimeField(_("ngày gửi"), default=timezone.now, db_index=True)
    due_date = models.DateField(_("hạn trả lời"), db_index=True, editable=False)

    # Changed only by the transitions below (question_flow), never by a free select.
    status = FSMField(
        _("trạng thái"),
        max_length=16,
        choices=Status.choices,
        default=Status.RECEIVED,
        db_index=True,
    )
    department = models.CharField(_("phòng, ban xử lý"), max_length=200, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xử lý"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    refusal_reason = models.TextField(_("lý do không tiếp nhận"), blank=True)
    # The citizen's title and text are never edited; staff may publish a cleaned-up version.
    public_title = models.CharField(
        _("tiêu đề công khai"),
        max_length=200,
        blank=True,
        help_text=_("Để trống để công khai nguyên văn tiêu đề của người hỏi."),
    )
    public_text = models.TextField(
        _("nội dung câu hỏi công khai"),
        blank=True,
        help_text=_(
            "Để trống để công khai nguyên văn; dùng để lược bỏ thông tin cá nhân hoặc lời lẽ "
            "không phù hợp. Nguyên văn của người hỏi vẫn được lưu."
        ),
    )
    answer = models.TextField(_("nội dung trả lời"), blank=True)
    progress_note = models.TextField(
        _("thông báo tiến độ"),
        blank=True,
        help_text=_("Gửi người hỏi khi chưa thể trả lời trong 15 ngày làm việc."),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người duyệt"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("ngày trả lời"), null=True, blank=True, editable=False)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    fingerprint = models.CharField(max_length=64, db_index=True, editable=False)
    folded_text = models.TextField(editable=False, blank=True)

    panels = [
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("kind", read_only=True), FieldPanel("asker_name", read_only=True)]
                ),
                FieldRowPanel(
                    [
                        FieldPanel("asker_email", read_only=True),
                        FieldPanel("asker_phone", read_only=True),
                    ]
                ),
                FieldPanel("field"),
                FieldPanel("title", read_only=True),
                FieldPanel("text", read_only=True),
                admin_panels.AttachmentPanel(heading=_("Tệp đính kèm")),
            ],
            heading=_("Câu hỏi, phản ánh của công dân (nguyên văn)"),
        ),
        MultiFieldPanel(
            [FieldPanel("public_title"), FieldPanel("public_text")],
            heading=_("Bản công khai"),
        ),
        MultiFieldPanel(
            [
                admin_panels.DeadlinePanel(heading=_("Hạn trả lời")),
                FieldPanel("status", read_only=True),
                FieldRowPanel([FieldPanel("department"), FieldPanel("assignee")]),
            ],
            heading=_("Tiến trình xử lý"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("answer"),
                FieldPanel("progress_note"),
                FieldPanel("refusal_reason"),
                FieldPanel("action"),
            ],
            heading=_("Trả lời và chuyển bước"),
        ),
    ]

    class Meta:
        verbose_name = _("câu hỏi")
        verbose_name_plural = _("hỏi – đáp")
        ordering = ["-submitted_at"]
        permissions = [
            ("approve_question", "Có thể duyệt và công khai câu trả lời"),
            ("assign_question", "Có thể tiếp nhận, phân công, chuyển hoặc từ chối câu hỏi"),
            ("answer_question", "Có thể được giao và soạn câu trả lời"),
        ]

    def __str__(self):
        return f"{self.tracking_code} – {self.title}"

    def save(self, *args, **kwargs):
        if self._state.adding and self.kind == self.Kind.FEEDBACK:
            self.tracking_code = "PA" + self.tracking_code[2:]
        submitted_on = timezone.localdate(self.submitted_at)
        if not self.due_date:
            self.due_date = workdays.add_working_days(submitted_on, ANSWER_DEADLINE_WORKING_DAYS)
        if self.status == self.Status.PUBLISHED and not self.answered_at:
            self.answered_at = timezone.now()
        # Public search reads this: the public version when there is one, never both.
        self.folded_text = fold(f"{self.shown_title} {self.shown_text} {self.answer}")
        super().save(*args, **kwargs)
        was_published = getattr(self, "_stored_status", None) == self.Status.PUBLISHED
        if was_published or self.status == self.Status.PUBLISHED:
            purge_site()
        self._stored_status = self.status

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._stored_status = getattr(instance, "status", None)
        return instance

    @property
    def is_open(self) -> bool:
        return self.status not in (self.Status.PUBLISHED, self.Status.REFUSED)

    @property
    def shown_title(self) -> str:
        """What the public sees: the staff's public version, else the citizen's words."""
        return self.public_title.strip() or self.title

    @property
    def shown_text(self) -> str:
        return self.public_text.strip() or self.text

    # The steps (state machine). Each checks who may take it (question_flow.may_*); the
    # admin form and question_flow.apply explain a refusal in Vietnamese before calling one.
    @transition(
        field=status,
        source=[Status.RECEIVED, Status.ASSIGNED],
        target=Status.ASSIGNED,
        permission=lambda q, user: question_flow.may_assign(user),
    )
    def assign(self, assignee, department=""):
        """Assign (or transfer, when already assigned) to a member of staff who answers."""
        self.assignee = assignee
        self.department = department or self.department

    @transition(
        field=status,
        source=[Status.RECEIVED, Status.ASSIGNED],
        target=Status.REFUSED,
        permission=lambda q, user: question_flow.may_assign(user),
    )
    def refuse(self, reason):
        self.refusal_reason = reason

    @transition(
        field=status,
        source=[Status.ASSIGNED, Status.DRAFTED],
        target=Status.DRAFTED,
        permission=lambda q, user: question_flow.may_draft(q, user),
        conditions=[lambda q: bool(q.answer.strip())],
    )
    def submit_draft(self):
        """The assignee hands in the draft answer for approval."""

    @transition(
        field=status,
        source=[Status.DRAFTED, Status.APPROVED],
        target=Status.ASSIGNED,
        permission=lambda q, user: question_flow.may_approve(user),
    )
    def send_back(self):
        """The approver returns the draft to the assignee for changes."""
        self.approved_by = None

    @transition(
        field=status,
        source=Status.DRAFTED,
        target=Status.APPROVED,
        permission=lambda q, user: question_flow.may_approve(user),
        conditions=[lambda q: bool(q.answer.strip())],
    )
    def approve(self, user):
        self.approved_by = user

    @transition(
        field=status,
        source=Status.APPROVED,
        target=Status.PUBLISHED,
        permission=lambda q, user: question_flow.may_approve(user),
        conditions=[lambda q: bool(q.answer.strip())],
    )
    def publish(self, user):
        self.answered_at = timezone.now()
        self.approved_by = self.approved_by or user

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        if self.answered_at or self.progress_note:
            return False
        return self.is_open and self.due_date < today

    def working_days_left(self, today=None) -> int:
        return workdays.working_days_between(today or timezone.localdate(), self.due_date)

    def deadline_summary(self, today=None) -> str:
        """``10/03/2026 · còn 4 ngày làm việc`` / ``· quá hạn 2 ngày làm việc`` / answered."""
        today = today or timezone.localdate()
        date = self.due_date.strftime("%d/%m/%Y")
        if not self.is_open:
            return f"{date} · đã xong"
        if self.progress_note and self.due_date < today:
            return f"{date} · đã thông báo tiến độ cho người hỏi"
        if self.due_date < today:
            late = workdays.working_days_between(self.due_date, today)
            return f"{date} · QUÁ HẠN {late} ngày làm việc"
        return f"{date} · còn {self.working_days_left(today)} ngày làm việc"

    def deadline_column(self):
        """The admin's deadline column with days left: red when overdue, amber when close."""
        return admin_panels.deadline_column(self, due_soon_days=REMINDER_WORKING_DAYS)

    deadline_column.short_description = _("hạn trả lời")

    def assignee_column(self):
        """The assignee by full name (the username when there is none)."""
        if self.assignee is None:
            return "—"
        return self.assignee.get_full_name().strip() or self.assignee.get_username()

    assignee_column.short_description = _("người xử lý")

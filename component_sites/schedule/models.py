"""Work schedule of the leadership (lịch công tác tuần): one page per ISO week."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.models import Orderable
from wagtail.search import index

from component_sites.core.models import BasePage, SectionPage

from .weeks import WEEKDAY_NAMES, BadWeek, IsoWeek


class ScheduleIndexPage(SectionPage):
    """The schedule section: the current week by default, any week through ``?tuan=2026-W14``
    or the week of a day, ``?ngay=2026-03-18`` (the picker's date field).

    A week that does not exist (``?tuan=2026-W60``, ``?tuan=abc``) gets the current week, a
    clear message and status 400.
    """

    parent_page_types = ["core.HomePage"]
    subpage_types = ["schedule.ScheduleWeekPage"]
    max_count = 1

    class Meta:
        verbose_name = _("chuyên mục lịch công tác")
        verbose_name_plural = _("chuyên mục lịch công tác")

    def week_page(self, week):
        """The live schedule of ``week`` with its entries (two queries), or None."""
        return (
            ScheduleWeekPage.objects.live()
            .public()
            .child_of(self)
            .filter(iso_year=week.year, iso_week=week.week)
            .prefetch_related(
                models.Prefetch("entries", queryset=ScheduleEntry.objects.order_by("day", "start"))
            )
            .first()
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        raw = request.GET.get("tuan")
        # The picker sends a day (?ngay=2026-03-18): a date field works in every browser,
        # <input type="week"> does not (Firefox, desktop Safari).
        raw_day = request.GET.get("ngay")
        week, context["week_error"] = IsoWeek.current(), None
        try:
            if raw_day is not None:
                week = IsoWeek.of_day(raw_day)
            elif raw is not None:
                week = IsoWeek.parse(raw)
        except BadWeek as exc:
            context["week_error"] = str(exc)
        context.update(week_context(week, self.week_page(week)))
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if response.context_data.get("week_error"):
            response.status_code = 400
        return response


def week_context(week, week_page):
    """What the schedule table needs: the week, its neighbours and entries grouped by day."""
    entries = list(week_page.entries.all()) if week_page else []
    days = []
    for number, day in enumerate(week.days):
        day_entries = [entry for entry in entries if entry.day == day]
        if day_entries:
            days.append({"date": day, "name": WEEKDAY_NAMES[number], "entries": day_entries})
    return {
        "week": week,
        "week_page": week_page,
        "previous_week": week.shifted(-1),
        "next_week": week.shifted(1),
        "current_week": IsoWeek.current(),
        "days": days,
    }


class ScheduleWeekForm(WagtailAdminPageForm):
    """Admin form of a week: one schedule per week in a section."""

    def clean(self):
        cleaned = super().clean()
        year, number = cleaned.get("iso_year"), cleaned.get("iso_week")
        parent = getattr(self, "parent_page", None)
        if year and number and parent is not None:
            taken = ScheduleWeekPage.objects.child_of(parent).filter(iso_year=year, iso_week=number)
            if self.instance.pk:
                taken = taken.exclude(pk=self.instance.pk)
            if taken.exists():
                self.add_error("iso_week", _("Tuần này đã có lịch công tác."))
        return cleaned


class ScheduleWeekPage(BasePage):
    """The leadership's schedule for one ISO week (lịch công tác tuần)."""

    iso_year = models.PositiveSmallIntegerField(_("năm"))
    iso_week = models.PositiveSmallIntegerField(_("tuần"))
    note = models.TextField(
        _("ghi chú"), blank=True, help_text=_("Ví dụ: lịch có thể thay đổi, sẽ thông báo sau.")
    )

    content_panels = [
        *BasePage.content_panels,
        FieldRowPanel([FieldPanel("iso_year"), FieldPanel("iso_week")]),
        FieldPanel("note"),
        InlinePanel("entries", label=_("công việc")),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.RelatedFields("entries", [index.SearchField("content")]),
    ]

    base_form_class = ScheduleWeekForm
    parent_page_types = ["schedule.ScheduleIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("lịch công tác tuần")
        verbose_name_plural = _("lịch công tác tuần")

    @property
    def week(self):
        return IsoWeek(self.iso_year, self.iso_week)

    def clean(self):
        super().clean()
        try:
            week = IsoWeek.of(self.iso_year or 0, self.iso_week or 0)
        except BadWeek as exc:
            raise ValidationError({"iso_week": str(exc)}) from None
        for entry in self.entries.all():
            if entry.day and not week.monday <= entry.day <= week.sunday:
                raise ValidationError(
                    _("Ngày %(day)s không thuộc tuần %(week)s (%(start)s – %(end)s).")
                    % {
                        "day": entry.day.strftime("%d/%m/%Y"),
                        "week": week.week,
                        "start": week.monday.strftime("%d/%m/%Y"),
                        "end": week.sunday.strftime("%d/%m/%Y"),
                    }
                )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(week_context(self.week, self))
        context["index"] = self.get_parent()
        return context


class ScheduleEntry(Orderable):
    """One engagement: day, time, leader(s), content, place, participants, preparing unit."""

    page = ParentalKey(ScheduleWeekPage, on_delete=models.CASCADE, related_name="entries")
    day = models.DateField(_("ngày"))
    start = models.TimeField(_("giờ bắt đầu"))
    end = models.TimeField(_("giờ kết thúc"), null=True, blank=True)
    leaders = models.CharField(_("lãnh đạo chủ trì / dự"), max_length=500)
    content = models.TextField(_("nội dung công việc"))
    location = models.CharField(_("địa điểm"), max_length=300, blank=True)
    participants = models.TextField(_("thành phần"), blank=True)
    preparing_unit = models.CharField(_("đơn vị chuẩn bị"), max_length=300, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("day"), FieldPanel("start"), FieldPanel("end")]),
        FieldPanel("leaders"),
        FieldPanel("content"),
        FieldPanel("location"),
        FieldPanel("participants"),
        FieldPanel("preparing_unit"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("công việc")
        verbose_name_plural = _("công việc")

    def clean(self):
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("Giờ kết thúc phải sau giờ bắt đầu.")})

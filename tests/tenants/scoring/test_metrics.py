"""Each automatic figure counts exactly what it should, and lists what it counted."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context
from wagtail.models import Page

from component_sites.core.figures import registered, share
from component_sites.core.models import SectionPage
from component_sites.participation.figures import NO_DUE_QUESTIONS, NOT_YET_DUE
from tenants.scoring.figures import MANDATORY_SECTIONS_ARTICLE_9
from tenants.scoring.metrics import scope_of
from tenants.scoring.models import Metric, SiteProbe
from tests.component_sites import factories
from tests.procedure_helpers import edit_procedure, make_procedure

from .conftest import local

pytestmark = pytest.mark.django_db

COMMUNE_URL = "http://nhuantrach.hoabinh.test.localhost"


def figure(metric, period, tenant, today=None):
    scope = scope_of(period, tenant, today)
    with schema_context(tenant.schema_name):
        return registered()[metric].compute(scope)


def publish(page, at):
    """Publish ``page`` as editors do, then place its first publication at ``at``."""
    page.save_revision().publish()
    Page.objects.filter(pk=page.pk).update(first_published_at=at)
    return page


def labels(result, counted=None):
    return [i["label"] for i in result.items if counted is None or i["counted"] == counted]


# --- articles, documents, drafts ---------------------------------------------------------


def test_articles_first_published_in_the_period_local_time(sites, period, in_commune):
    with in_commune():
        index = factories.news_index()
        made = factories.make_articles(index, 6, with_image=False)
        first, last, before, after, unpublished, never = made
        publish(first, local(2026, 1, 1, 0, 0))  # first instant of the period
        publish(last, local(2026, 3, 31, 23, 30))  # 16:30 UTC, still 31/03 in Viet Nam
        publish(before, local(2025, 12, 31, 23, 59))
        publish(after, local(2026, 4, 1, 0, 0))
        publish(unpublished, local(2026, 2, 10, 9, 0))
        unpublished.unpublish()
        # Created live by code, never published through Wagtail: no first publication.
        assert Page.objects.get(pk=never.pk).first_published_at is None
    with schema_context(sites.district.schema_name):
        other = factories.make_articles(factories.news_index(), 1, with_image=False)[0]
        publish(other, local(2026, 2, 1, 8, 0))

    result = figure(Metric.ARTICLES, period, sites.commune)

    assert result.value == Decimal(2)
    assert result.numerator == 2
    assert labels(result) == [first.title, last.title]
    assert all(i["counted"] for i in result.items)
    assert [i["date"] for i in result.items] == ["01/01/2026", "31/03/2026"]
    assert result.items[0]["url"] == f"{COMMUNE_URL}/tin-tuc/{first.slug}/"
    assert figure(Metric.ARTICLES, period, sites.district).value == Decimal(1)


def test_documents_published_in_the_period(sites, period, in_commune):
    with in_commune():
        kinds = factories.classifications()
        index = factories.documents_index()

        def document(number, **extra):
            return factories.make_legal_document(
                index,
                number=number,
                document_type=kinds["quyet-dinh"],
                issuing_body=kinds["ubnd"],
                files=0,
                **extra,
            )

        inside = publish(document("12/QĐ-UBND", issued=dt.date(2025, 12, 20)), local(2026, 2, 3))
        publish(document("99/QĐ-UBND", issued=dt.date(2026, 3, 1)), local(2026, 4, 2))
        draft = document("50/QĐ-UBND", live=False)
        draft.save_revision()

    result = figure(Metric.DOCUMENTS, period, sites.commune)

    assert (result.value, result.numerator) == (Decimal(1), 1)
    (only,) = result.items
    assert only["label"] == inside.title
    assert only["date"] == "03/02/2026"
    assert only["detail"] == "Số 12/QĐ-UBND, ban hành 20/12/2025"
    assert only["url"].startswith(f"{COMMUNE_URL}/van-ban/")


def test_drafts_opening_in_the_period(sites, period, in_commune):
    from component_sites.participation.models import DraftIndexPage, DraftPage

    with in_commune():
        index = DraftIndexPage.objects.child_of(factories.home()).get()

        def draft(title, opens, closes, live=True):
            page = DraftPage(
                title=title,
                agency="Văn phòng UBND xã",
                opens_on=opens,
                closes_on=closes,
                body="<p>Điều 1.</p>",
                live=live,
            )
            index.add_child(instance=page)
            return page

        draft("Dự thảo quy chế văn hoá", dt.date(2026, 3, 31), dt.date(2026, 4, 30))
        draft("Dự thảo năm trước", dt.date(2025, 12, 1), dt.date(2026, 1, 15))
        draft("Dự thảo quý sau", dt.date(2026, 4, 1), dt.date(2026, 4, 30))
        draft("Dự thảo chưa đăng", dt.date(2026, 2, 1), dt.date(2026, 2, 28), live=False)

    result = figure(Metric.DRAFTS, period, sites.commune)

    assert (result.value, result.numerator) == (Decimal(1), 1)
    assert labels(result) == ["Dự thảo quy chế văn hoá"]
    assert result.items[0]["detail"].startswith("Lấy ý kiến 31/03/2026 – 30/04/2026")


# --- procedures --------------------------------------------------------------------------


def test_procedures_up_to_date_share(sites, period, syndicate):
    from component_sites.procedures.models import ProcedureCopy
    from tenants.procedures import services as catalogue

    with syndicate():
        make_procedure("9.930001")  # current
        stale = make_procedure("9.930002")  # edited later, not yet syndicated
        make_procedure("9.930003")  # its copy goes missing
        withdrawn = make_procedure("9.930004")
        make_procedure("9.930005", levels=["province"])  # not a commune's procedure
        make_procedure("LS.9301", owner=sites.district.code, levels=["commune"])  # the district's
    with syndicate():
        catalogue.withdraw(withdrawn)
    edit_procedure(stale, fees="Lệ phí mới.")  # version 2; its fan-out never runs here
    with schema_context(sites.commune.schema_name):
        ProcedureCopy.objects.filter(code="9.930003").delete()

    result = figure(Metric.PROCEDURES_CURRENT, period, sites.commune)

    by_code = {i["label"].split(" – ")[0]: i for i in result.items}
    assert set(by_code) >= {"9.930001", "9.930002", "9.930003", "LS.9301"}
    assert "9.930004" not in by_code  # withdrawn masters are left out
    assert "9.930005" not in by_code
    assert by_code["9.930001"]["counted"] and by_code["LS.9301"]["counted"]
    assert not by_code["9.930002"]["counted"]
    assert by_code["9.930002"]["detail"] == "Phiên bản trên trang 1; mới nhất 2"
    assert not by_code["9.930003"]["counted"]
    assert by_code["9.930003"]["detail"].startswith("Chưa có trên trang")
    assert by_code["9.930003"]["url"] == ""
    assert by_code["9.930001"]["url"] == f"{COMMUNE_URL}/thu-tuc-hanh-chinh/9-930001/"
    counted = sum(i["counted"] for i in result.items)
    assert (result.numerator, result.denominator) == (counted, len(result.items))
    assert result.value == share(counted, len(result.items))
    if len(result.items) == 4:  # nothing else in the test catalogue
        assert result.value == Decimal("50.00")

    # The commune directly under the province does not get the district's procedure.
    direct = figure(Metric.PROCEDURES_CURRENT, period, sites.direct_commune)
    assert "LS.9301" not in {i["label"].split(" – ")[0] for i in direct.items}


def test_no_procedure_for_the_site_gives_no_value(sites, period):
    from tenants.procedures.models import Procedure
    from tenants.procedures.syndication import procedures_for_tenant

    assert not procedures_for_tenant(sites.province).filter(status=Procedure.Status.ACTIVE)
    result = figure(Metric.PROCEDURES_CURRENT, period, sites.province)
    assert result.value is None
    assert result.note
    assert result.items == []


# --- questions ---------------------------------------------------------------------------


def make_question(submitted_at, answered_at=None, **fields):
    from component_sites.participation.models import Question

    values = {
        "asker_name": "Nguyễn Thị Hoa",
        "field": "tu-phap",
        "title": fields.pop("title", f"Câu hỏi gửi {submitted_at:%d/%m}"),
        "text": "Xin hỏi thủ tục.",
        "submitted_at": submitted_at,
        **fields,
    }
    question = Question.objects.create(**values)
    if answered_at is not None:
        Question.objects.filter(pk=question.pk).update(answered_at=answered_at, answer="Trả lời.")
    question.refresh_from_db()
    return question


def test_questions_answered_on_time_share(sites, period, in_commune):
    from component_sites.participation.models import Question

    today = dt.date(2026, 4, 10)
    with in_commune():
        early = make_question(local(2026, 1, 5, 9, 0))
        Question.objects.filter(pk=early.pk).update(
            answered_at=local(2026, 1, 12, 10, 0), status=Question.Status.PUBLISHED
        )
        # Answered late in the evening of its due date, local time: on time.
        on_due = make_question(local(2026, 1, 6, 9, 0))
        evening = timezone.make_aware(dt.datetime.combine(on_due.due_date, dt.time(22, 30)))
        Question.objects.filter(pk=on_due.pk).update(answered_at=evening)
        late = make_question(local(2026, 1, 10, 9, 0))
        Question.objects.filter(pk=late.pk).update(
            answered_at=local(2026, 3, 1, 9, 0), status=Question.Status.PUBLISHED
        )
        never = make_question(local(2026, 2, 2, 9, 0), kind=Question.Kind.FEEDBACK)
        pending = make_question(local(2026, 3, 30, 9, 0))
        make_question(local(2026, 2, 10, 9, 0), status=Question.Status.REFUSED, title="Từ chối")
        make_question(local(2025, 12, 31, 23, 0), title="Năm trước")
        assert pending.due_date >= today > never.due_date

    result = figure(Metric.QUESTIONS_ON_TIME, period, sites.commune, today=today)

    assert (result.numerator, result.denominator) == (2, 4)
    assert result.value == Decimal("50.00")
    by_code = {i["label"].split(" – ")[0]: i for i in result.items}
    assert set(by_code) == {q.tracking_code for q in (early, on_due, late, never, pending)}
    assert by_code[early.tracking_code]["counted"]
    assert by_code[on_due.tracking_code]["counted"]
    assert not by_code[late.tracking_code]["counted"]
    assert "quá hạn" in by_code[late.tracking_code]["detail"]
    assert not by_code[never.tracking_code]["counted"]
    assert never.tracking_code.startswith("PA-")  # feedback counts like questions
    assert "chưa trả lời" in by_code[never.tracking_code]["detail"]
    assert not by_code[pending.tracking_code]["counted"]
    assert NOT_YET_DUE in by_code[pending.tracking_code]["detail"]
    assert by_code[early.tracking_code]["date"] == "05/01/2026"
    # Only published answers have a public address.
    assert by_code[early.tracking_code]["url"] == f"{COMMUNE_URL}/hoi-dap/{early.pk}/"
    assert by_code[never.tracking_code]["url"] == ""


def test_no_question_due_is_an_empty_base_without_value(sites, period, in_commune):
    today = dt.date(2026, 3, 31)
    with in_commune():
        make_question(local(2026, 3, 30, 9, 0))  # not yet due
    result = figure(Metric.QUESTIONS_ON_TIME, period, sites.commune, today=today)
    assert result.value is None
    assert result.note == NO_DUE_QUESTIONS
    assert (result.numerator, result.denominator) == (0, 0)
    assert [i["counted"] for i in result.items] == [False]


# --- mandatory sections ------------------------------------------------------------------


def test_mandatory_sections_present_and_filled(sites, period, in_commune):
    from component_sites.procedures.models import ProcedureCopy

    with in_commune():
        home = factories.home()

        def section(key):
            return SectionPage.objects.child_of(home).get(section_key=key).specific

        intro = section("introduction")
        intro.intro = "<p>Xã Nhuận Trạch nằm ở phía bắc huyện Lương Sơn.</p>"
        intro.save_revision().publish()
        contact = section("contact")
        contact.address = "Thôn Đồng Bái, xã Nhuận Trạch"
        contact.save_revision().publish()
        factories.make_articles(factories.news_index(), 1, with_image=False)[
            0
        ].save_revision().publish()
        ProcedureCopy.objects.create(
            code="9.939999",
            master_id=1,
            version=1,
            name="Thủ tục thử",
            field="Hộ tịch",
            levels=["commune"],
            methods=["in_person"],
            status="active",
            synced_at=timezone.now(),
        )
        section("drafts").unpublish()

    result = figure(Metric.MANDATORY_SECTIONS, period, sites.commune)

    assert MANDATORY_SECTIONS_ARTICLE_9 == [
        "introduction",
        "news",
        "documents",
        "procedures",
        "questions",
        "drafts",
        "contact",
    ]
    assert len(result.items) == 7
    states = dict(zip(MANDATORY_SECTIONS_ARTICLE_9, result.items, strict=True))
    assert {key for key, i in states.items() if i["counted"]} == {
        "introduction",
        "news",
        "procedures",
        "questions",
        "contact",
    }
    assert states["documents"]["detail"].startswith("Có chuyên mục nhưng chưa có nội dung")
    assert states["drafts"]["detail"].startswith("Chưa có chuyên mục")
    assert states["drafts"]["url"] == ""
    assert states["news"]["url"] == f"{COMMUNE_URL}/tin-tuc/"
    assert (result.numerator, result.denominator) == (5, 7)
    assert result.value == Decimal("71.43")


def test_an_empty_introduction_is_not_filled(sites, period, in_commune):
    with in_commune():
        intro = SectionPage.objects.child_of(factories.home()).get(section_key="introduction")
        intro = intro.specific
        for name in ("intro", "natural_conditions", "history", "culture"):
            setattr(intro, name, "<p>&nbsp;</p>" if name == "intro" else "")
        intro.save_revision().publish()
        for child in intro.get_children():
            child.unpublish()
    result = figure(Metric.MANDATORY_SECTIONS, period, sites.commune)
    assert not result.items[0]["counted"]


# --- availability and response time ------------------------------------------------------


def test_availability_and_response_time_from_the_probes(sites, period):
    SiteProbe.objects.create(
        tenant=sites.commune,
        day=dt.date(2026, 1, 5),
        checks=3,
        successes=2,
        timings_ms=[100, 300],
        failures=[{"time": "10:05", "reason": "HTTP 503 Service Unavailable"}],
    )
    SiteProbe.objects.create(
        tenant=sites.commune, day=dt.date(2026, 3, 31), checks=2, successes=2, timings_ms=[200, 400]
    )
    SiteProbe.objects.create(
        tenant=sites.commune, day=dt.date(2026, 4, 1), checks=5, successes=0, timings_ms=[]
    )
    SiteProbe.objects.create(
        tenant=sites.district, day=dt.date(2026, 2, 1), checks=9, successes=9, timings_ms=[9] * 9
    )

    up = figure(Metric.AVAILABILITY, period, sites.commune)
    assert (up.value, up.numerator, up.denominator) == (Decimal("80.00"), 4, 5)
    assert [i["label"] for i in up.items] == [
        "Ngày 05/01/2026",
        "Lỗi ngày 05/01/2026 lúc 10:05",
        "Ngày 31/03/2026",
    ]
    assert up.items[0]["detail"] == "2/3 lần kiểm tra thành công; trung vị 200 ms"
    assert up.items[1] == {
        "label": "Lỗi ngày 05/01/2026 lúc 10:05",
        "url": f"{COMMUNE_URL}/",
        "date": "05/01/2026",
        "detail": "HTTP 503 Service Unavailable",
        "counted": False,
    }

    speed = figure(Metric.RESPONSE_TIME, period, sites.commune)
    assert (speed.value, speed.numerator, speed.denominator) == (Decimal(250), 4, 5)


def test_no_probe_gives_no_value(sites, period):
    for metric in (Metric.AVAILABILITY, Metric.RESPONSE_TIME):
        result = figure(metric, period, sites.direct_commune)
        assert result.value is None
        assert result.note


def test_no_successful_probe_gives_no_speed(sites, period):
    SiteProbe.objects.create(
        tenant=sites.commune,
        day=dt.date(2026, 2, 1),
        checks=1,
        successes=0,
        failures=[{"time": "08:00", "reason": "Quá thời gian chờ (10 giây)"}],
    )
    assert figure(Metric.AVAILABILITY, period, sites.commune).value == Decimal("0.00")
    speed = figure(Metric.RESPONSE_TIME, period, sites.commune)
    assert speed.value is None
    assert speed.note


@pytest.mark.parametrize("value", [None, Decimal(100)], ids=["no-value", "stored-100"])
def test_an_empty_base_scores_zero_not_full_marks(value):
    from tenants.scoring.compute import automatic_score
    from tenants.scoring.models import Criterion, MetricValue

    criterion = Criterion(
        kind=Criterion.Kind.AUTOMATIC,
        metric=Metric.QUESTIONS_ON_TIME,
        weight=Decimal(10),
        max_score=Decimal(10),
    )
    empty = MetricValue(metric=Metric.QUESTIONS_ON_TIME, value=value, numerator=0, denominator=0)
    assert automatic_score(criterion, empty, 3) == 0
    half = MetricValue(
        metric=Metric.QUESTIONS_ON_TIME, value=Decimal(50), numerator=1, denominator=2
    )
    assert automatic_score(criterion, half, 3) == Decimal(5)

"""Public views of the participation pages (served through the pages' ``serve``)."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone

from component_sites.core.pagination import paginate
from component_sites.core.text import fold

from . import guards
from .archived import ARCHIVED_MESSAGE, closed_when_archived, is_archived
from .forms import DraftCommentForm, FeedbackForm, LookupForm, QuestionForm
from .models import DraftComment, Question, QuestionField, normalise_code
from .page_views import answers

QUESTIONS_PER_HOUR = 5
COMMENTS_PER_HOUR = 10
LOOKUPS_PER_HOUR = 30
DUPLICATE_WINDOW = timedelta(days=30)
DUPLICATE_QUESTION = (
    "Câu hỏi có cùng tiêu đề và nội dung đã được gửi gần đây, nên không được gửi lại. "
    "Nếu bạn đã gửi, hãy dùng mã tra cứu đã nhận để theo dõi."
)
DUPLICATE_FEEDBACK = (
    "Phản ánh, kiến nghị có cùng tiêu đề và nội dung đã được gửi gần đây, nên không được gửi "
    "lại. Nếu bạn đã gửi, hãy dùng mã tra cứu đã nhận để theo dõi."
)
DUPLICATE_COMMENT = "Góp ý có cùng nội dung đã được gửi cho dự thảo này."


def _render(request, page, template, **context):
    return TemplateResponse(
        request, template, {"page": page, "self": page, "request": request, **context}
    )


def refuse_for_now(form, refusal: guards.Refusal) -> None:
    """Show the form as it was sent, with only the refusal and when to try again."""
    form.is_valid()
    form.errors.clear()
    form.add_error(None, refusal.message())


def guarded_response(request, response, refusal: guards.Refusal | None = None):
    """Hand out the visitor id the budgets count by; say ``Retry-After`` when refused."""
    guards.issue_visitor_cookie(request, response)
    if refusal is not None:
        response["Retry-After"] = str(refusal.minutes() * 60)
    return response


def question_budget() -> guards.Budget:
    # Questions and feedback share one budget: a client cannot double it by switching forms.
    return guards.Budget("question", QUESTIONS_PER_HOUR, 3600)


def comment_budget() -> guards.Budget:
    return guards.Budget("comment", COMMENTS_PER_HOUR, 3600)


def published_questions(q: str = "", field: str = ""):
    questions = Question.objects.filter(status=Question.Status.PUBLISHED).only(
        "title", "public_title", "field", "answered_at", "submitted_at", "text"
    )
    for word in fold(q).split()[:8]:
        questions = questions.filter(folded_text__contains=word)
    if field:
        questions = questions.filter(field=field)
    return questions.order_by("field", "-answered_at")


@answers("answer_list")
def answer_list(page, request):
    q = request.GET.get("q", "")[:200].strip()
    field = request.GET.get("linh-vuc", "")
    if field not in QuestionField.values:
        field = ""
    paginator_page, message = paginate(request, published_questions(q, field), 30)
    labels = dict(QuestionField.choices)
    groups: list[tuple[str, list]] = []
    for question in paginator_page.object_list:
        label = labels.get(question.field, question.field)
        if not groups or groups[-1][0] != label:
            groups.append((label, []))
        groups[-1][1].append(question)
    return _render(
        request,
        page,
        "participation/question_index_page.html",
        groups=groups,
        paginator_page=paginator_page,
        page_message=message,
        q=q,
        field=field,
        fields=QuestionField.choices,
    )


@answers("answer_detail")
def answer_detail(page, request, pk):
    question = get_object_or_404(Question, pk=pk, status=Question.Status.PUBLISHED)
    return _render(request, page, "participation/answer_detail.html", question=question)


@answers("ask")
@closed_when_archived("Đặt câu hỏi")
def ask(page, request):
    return _submit(page, request, Question.Kind.QUESTION)


@answers("feedback")
@closed_when_archived("Gửi phản ánh, kiến nghị")
def feedback(page, request):
    return _submit(page, request, Question.Kind.FEEDBACK)


# kind → (form, form template, duplicate message)
SUBMISSION_FORMS = {
    Question.Kind.QUESTION: (QuestionForm, "participation/ask.html", DUPLICATE_QUESTION),
    Question.Kind.FEEDBACK: (FeedbackForm, "participation/feedback.html", DUPLICATE_FEEDBACK),
}


def _submit(page, request, kind):
    """The question and feedback forms: same guards, same workflow, different wording."""
    form_class, template, duplicate = SUBMISSION_FORMS[kind]
    if request.method != "POST":
        return guarded_response(request, _render(request, page, template, form=form_class()))
    form = form_class(request.POST, request.FILES)
    budget = question_budget()
    refusal = guards.refusal(request, budget)
    if refusal is not None:
        refuse_for_now(form, refusal)
    elif form.is_valid():
        data = form.cleaned_data
        fingerprint = guards.fingerprint(data["title"], data["text"])
        recent = timezone.now() - DUPLICATE_WINDOW
        if Question.objects.filter(fingerprint=fingerprint, submitted_at__gte=recent).exists():
            form.add_error(None, duplicate)
            guards.record_failure(request, budget)
        else:
            question = Question(
                kind=kind,
                asker_name=data["asker_name"],
                asker_email=data["asker_email"],
                asker_phone=data["asker_phone"],
                field=data["field"],
                title=data["title"],
                text=data["text"],
                fingerprint=fingerprint,
            )
            if data.get("attachment"):
                question.attachment = data["attachment"]
            with transaction.atomic():
                question.save()
                transaction.on_commit(lambda: _notify_new_question(question.pk))
            guards.record_accepted(request, budget)
            return _render(request, page, "participation/ask_done.html", question=question)
    else:
        guards.record_failure(request, budget)
    form.refresh_captcha()
    return guarded_response(request, _render(request, page, template, form=form), refusal)


def _notify_new_question(pk: int) -> None:
    from django.db import connection

    from component_sites.core.enqueue import enqueue

    # Broker down: the question is saved all the same (staff see it in the admin).
    # Queued by name: background work calls this app, never the reverse.
    enqueue("tasks.participation.notify_new_question", connection.schema_name, pk)


@answers("lookup")
def lookup(page, request):
    read_only = is_archived(request)
    if request.method == "POST":
        data = request.POST
    elif read_only and "code" in request.GET:
        data = request.GET
    else:
        data = None
    form = LookupForm(data)
    question = None
    not_found = False
    refusal = None
    if data is not None:
        # Every lookup counts (found or not): codes are not to be tried one after another.
        budget = guards.Budget("lookup", LOOKUPS_PER_HOUR, 3600)
        refusal = guards.refusal(request, budget)
        if refusal is not None:
            refuse_for_now(form, refusal)
        elif form.is_valid():
            guards.record_accepted(request, budget)
            code = normalise_code(form.cleaned_data["code"])
            question = Question.objects.filter(tracking_code=code).first()
            if question is None:
                not_found = True
                form.add_error(
                    "code", "Không tìm thấy câu hỏi với mã này. Vui lòng kiểm tra lại mã."
                )
    response = _render(
        request,
        page,
        "participation/lookup.html",
        form=form,
        question=question,
        not_found=not_found,
        read_only=read_only,
    )
    if data is not None:
        # One citizen's answer (by GET on an archived site): never in the shared page cache.
        response["Cache-Control"] = "private, no-store"
    return guarded_response(request, response, refusal)


CLOSED_MESSAGE = "Thời gian lấy ý kiến đã kết thúc ngày {date}; không nhận thêm góp ý."
NOT_YET_MESSAGE = "Dự thảo bắt đầu nhận góp ý từ ngày {date}."


@answers("draft_page")
def draft_page(page, request):
    today = timezone.localdate()
    form = None
    refusal = ""
    sent = False
    if is_archived(request):
        refusal = ARCHIVED_MESSAGE
    elif page.is_closed(today):
        refusal = CLOSED_MESSAGE.format(date=page.closes_on.strftime("%d/%m/%Y"))
    elif not page.is_open(today):
        refusal = NOT_YET_MESSAGE.format(date=page.opens_on.strftime("%d/%m/%Y"))
    refused_for_now = None
    if request.method == "POST":
        form = DraftCommentForm(request.POST)
        budget = comment_budget()
        refused_for_now = None if refusal else guards.refusal(request, budget)
        if refusal:
            # The form is gone: say why, keep nothing.
            form = None
        elif refused_for_now is not None:
            refuse_for_now(form, refused_for_now)
        elif form.is_valid():
            data = form.cleaned_data
            fingerprint = guards.fingerprint(str(page.pk), data["text"])
            if DraftComment.objects.filter(draft=page, fingerprint=fingerprint).exists():
                form.add_error(None, DUPLICATE_COMMENT)
                guards.record_failure(request, budget)
            else:
                DraftComment.objects.create(
                    draft=page,
                    author_name=data["author_name"],
                    author_email=data["author_email"],
                    article_ref=data["article_ref"],
                    text=data["text"],
                    fingerprint=fingerprint,
                )
                guards.record_accepted(request, budget)
                sent = True
                form = DraftCommentForm()
        else:
            guards.record_failure(request, budget)
        if form is not None and form.is_bound:
            form.refresh_captcha()
    elif not refusal:
        form = DraftCommentForm()
    response = _draft_response(request, page, form, refusal, sent)
    # A closed draft shows no form: no cookie then, so the page stays cacheable.
    return guarded_response(request, response, refused_for_now) if form is not None else response


def _draft_response(request, page, form, refusal, sent):
    response = _render(
        request,
        page,
        "participation/draft_page.html",
        form=form,
        refusal=refusal,
        sent=sent,
        comments=page.published_comments,
        attachments=page.attachments.select_related("document"),
    )
    if refusal and request.method == "POST":
        response.status_code = 403
    return response

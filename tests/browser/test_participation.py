"""A citizen asks a question; the head of the board assigns it, the editor drafts the answer,
the head approves and publishes it in the site admin; the citizen reads it by tracking code;
a comment sent after a draft's closing date is refused with a clear message."""

import datetime as dt

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from component_sites.core.text import fold
from component_sites.participation.guards import NUMBER_WORDS
from tests.browser.conftest import SCREENSHOTS
from tests.committed import committed as run_committed
from tests.component_sites import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

HOST = "doclap.hoabinh.test.localhost"
STAFF_PASSWORD = "Mat-khau-bien-tap-2026"
# The head of the board, an editor and a collaborator (who may not be given questions).
STAFF = [
    ("truongban", "Trưởng ban biên tập", "Lan", "Trần Thị"),
    ("btv", "Biên tập viên", "Minh", "Nguyễn Văn"),
    ("ctv", "Cộng tác viên", "Hà", "Lê Thu"),
]


def solve(question: str) -> str:
    words = fold(question.replace("bằng mấy?", "")).split()
    numbers = {fold(word): n for n, word in enumerate(NUMBER_WORDS)}
    a, operator, b = numbers[words[0]], words[1], numbers[words[2]]
    return str(a + b if operator == "cong" else a - b)


@pytest.fixture
def committed(sites, django_db_blocker):
    """Rows the live server must see are committed; removed afterwards."""
    schema = sites.direct_commune.schema_name
    made = {"drafts": []}

    def staff():
        from tests.component_sites.editorial.helpers import user

        for username, role, first, last in STAFF:
            account = user(username, role)
            account.first_name, account.last_name = first, last
            account.set_password(STAFF_PASSWORD)
            account.save()

    with django_db_blocker.unblock():
        run_committed(staff, schema)
    yield schema, made

    def clean():
        from django.contrib.auth import get_user_model
        from wagtail.models import ModelLogEntry

        from component_sites.participation.models import DraftPage, Question

        ModelLogEntry.objects.filter(action__startswith="participation.").delete()
        Question.objects.all().delete()
        get_user_model().objects.filter(username__in=[s[0] for s in STAFF]).delete()
        for draft in DraftPage.objects.filter(pk__in=made["drafts"]):
            draft.delete()

    with django_db_blocker.unblock():
        run_committed(clean, schema)


def test_question_answered_and_read_by_code(
    live_server_port, page, screenshot, committed, django_db_blocker, sites
):
    schema, _made = committed
    base = f"http://{HOST}:{live_server_port}"
    page.goto(f"{base}/hoi-dap/dat-cau-hoi/")
    page.get_by_label("Họ và tên").fill("Hà Thị Lan")
    page.get_by_label("Số điện thoại").fill("0912 345 678")
    page.get_by_label("Lĩnh vực").select_option("tu-phap")
    page.get_by_label("Tiêu đề câu hỏi").fill("Trích lục khai sinh bản sao")
    page.get_by_label("Nội dung câu hỏi").fill("Tôi cần xin bản sao trích lục khai sinh ở đâu?")
    captcha = page.locator("label[for=id_captcha_answer]").inner_text().rstrip(" *")
    page.get_by_label(captcha).fill(solve(captcha))
    screenshot("question-form")
    page.get_by_role("button", name="Gửi câu hỏi").click()
    code = page.locator("#tracking-code").inner_text()
    screenshot("question-sent")

    # The head of the board assigns it to an editor, who drafts the answer; the head approves
    # and publishes it with a public title (each in their own browser session).
    def staff_desk(username):
        context = page.context.browser.new_context(viewport={"width": 1280, "height": 900})
        desk = context.new_page()
        desk.goto(f"{base}/admin/login/")
        desk.fill("#id_username", username)
        desk.fill("#id_password", STAFF_PASSWORD)
        desk.locator("form button[type=submit]").click()
        desk.wait_for_url(f"{base}/admin/")
        desk.goto(f"{base}/admin/snippets/participation/question/")
        desk.get_by_role("link", name=code, exact=True).click()
        desk.get_by_label("Thao tác", exact=True).wait_for()
        return context, desk

    def take_step(desk, step, shot):
        desk.get_by_label("Thao tác", exact=True).select_option(step)
        desk.locator("button.action-save").click()
        desk.wait_for_url("**/admin/snippets/participation/question/**")
        desk.locator(".messages .success, .messages [class*=success]").first.wait_for()
        desk.screenshot(path=str(SCREENSHOTS / f"{shot}.png"), full_page=True)

    head_context, head = staff_desk("truongban")
    head.screenshot(path=str(SCREENSHOTS / "question-edit-admin.png"), full_page=True)
    # The citizen's words are read-only; the deadline and the days left are shown.
    assert head.locator("textarea[name=text], input[name=title]").count() == 0
    assert "ngày làm việc" in head.locator("[data-deadline]").inner_text()
    options = head.locator("select[name=assignee] option").all_inner_texts()
    assert "Minh Nguyễn Văn (btv)" in options and not any("ctv" in o for o in options)
    head.get_by_label("Người xử lý").select_option(label="Minh Nguyễn Văn (btv)")
    take_step(head, "assign", "question-assigned-admin")

    editor_context, editor = staff_desk("btv")
    editor.get_by_label("Nội dung trả lời").fill(
        "Ông/bà đề nghị cấp bản sao trích lục tại Bộ phận một cửa của xã."
    )
    offered = editor.locator("select[name=action] option").all_inner_texts()
    assert "Công khai câu trả lời" not in offered
    take_step(editor, "submit_draft", "question-drafted-admin")
    editor_context.close()

    head.goto(f"{base}/admin/snippets/participation/question/")
    head.get_by_role("link", name=code, exact=True).click()
    take_step(head, "approve", "question-approved-admin")
    head.goto(f"{base}/admin/snippets/participation/question/")
    head.get_by_role("link", name=code, exact=True).click()
    head.get_by_label("Tiêu đề công khai").fill("Xin bản sao trích lục khai sinh")
    take_step(head, "publish", "question-published-admin")
    head_context.close()

    def published():
        from component_sites.participation.models import Question

        question = Question.objects.get(tracking_code=code)
        return question.status, question.asker_phone, question.approved_by.username

    with django_db_blocker.unblock():
        assert run_committed(published, schema) == ("published", "0912345678", "truongban")

    page.goto(f"{base}/hoi-dap/tra-cuu/")
    page.get_by_label("Mã tra cứu").fill(code.lower())
    page.get_by_role("button", name="Tra cứu").click()
    assert "Đã trả lời, công khai" in page.locator("main").inner_text()
    assert "Bộ phận một cửa" in page.locator(".qa-answer-text").inner_text()
    screenshot("question-answer-by-code")

    page.goto(f"{base}/hoi-dap/?q=trich luc")
    page.get_by_role("link", name="Xin bản sao trích lục khai sinh").click()
    body = page.locator("main").inner_text()
    assert "Bộ phận một cửa" in body and "Hà Thị Lan" not in body and "0912" not in body


def test_comment_after_closing_is_refused(
    live_server_port, page, screenshot, committed, django_db_blocker
):
    schema, made = committed
    from component_sites.participation.models import DraftComment, DraftPage

    today = timezone.localdate()

    def make_draft():
        from component_sites.core.models import SectionPage

        index = SectionPage.objects.child_of(factories.home()).get(section_key="drafts")
        draft = DraftPage(
            title="Dự thảo quy chế tiếp công dân",
            agency="Văn phòng UBND xã",
            opens_on=today - dt.timedelta(days=10),
            closes_on=today,
            body="<p>Điều 1. Phạm vi điều chỉnh.</p>",
        )
        index.add_child(instance=draft)
        return draft.pk, draft.url_path

    with django_db_blocker.unblock():
        draft_pk, url_path = run_committed(make_draft, schema)
    made["drafts"].append(draft_pk)

    base = f"http://{HOST}:{live_server_port}"
    # url_path starts with the home page's own slug: the site serves it at "/".
    page.goto(base + "/" + url_path.strip("/").split("/", 1)[1] + "/")
    page.get_by_label("Họ và tên hoặc tên tổ chức").fill("Nguyễn Văn Bình")
    page.get_by_label("Nội dung góp ý").fill("Đề nghị bổ sung lịch tiếp công dân vào thứ Bảy.")
    captcha = page.locator("label[for=id_captcha_answer]").inner_text().rstrip(" *")
    page.get_by_label(captcha).fill(solve(captcha))

    # The citizen took too long: the period ended while the form was open.
    def close():
        DraftPage.objects.filter(pk=draft_pk).update(closes_on=today - dt.timedelta(days=1))

    with django_db_blocker.unblock():
        run_committed(close, schema)
    page.get_by_role("button", name="Gửi góp ý").click()
    refusal = page.locator("#draft-refusal").inner_text()
    assert "Thời gian lấy ý kiến đã kết thúc ngày" in refusal
    assert (today - dt.timedelta(days=1)).strftime("%d/%m/%Y") in refusal
    screenshot("draft-comment-refused")
    with django_db_blocker.unblock(), schema_context(schema):
        assert not DraftComment.objects.filter(draft_id=draft_pk).exists()

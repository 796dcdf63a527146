"""One public URL per page type of a site filled with the demo content (call in its schema).

Page types are the Wagtail page models with a live page, plus the views that routable
pages and the site's URLconf serve (a procedure, a published answer, the forms, the
sitemap, search...).  Used by the metadata and the HTML validator tests.
"""

from __future__ import annotations

from wagtail.models import Page


def page_type_urls() -> dict[str, str]:
    from component_sites.participation.models import Question, QuestionIndexPage
    from component_sites.procedures.models import ProcedureIndexPage, active_copies

    urls: dict[str, str] = {}
    for page in Page.objects.live().public().filter(depth__gt=1).specific().order_by("path"):
        label = page._meta.label
        if label == "core.SectionPage" and page.section_key:
            label = f"core.SectionPage:{page.section_key}"
        urls.setdefault(label, page.url)
    questions = QuestionIndexPage.objects.live().first()
    if questions is not None:
        base = questions.url
        urls["questions:ask"] = f"{base}dat-cau-hoi/"
        urls["questions:feedback"] = f"{base}phan-anh-kien-nghi/"
        urls["questions:lookup"] = f"{base}tra-cuu/"
        answer = Question.objects.filter(status=Question.Status.PUBLISHED).first()
        if answer is not None:
            urls["questions:answer"] = f"{base}{answer.pk}/"
    procedures = ProcedureIndexPage.objects.live().first()
    copy = active_copies().order_by("code").first()
    if procedures is not None and copy is not None:
        urls["procedures:detail"] = f"{procedures.url}{copy.url_slug}/"
    urls["html_sitemap"] = "/so-do-trang/"
    urls["service_rating"] = "/tuong-tac/danh-gia-dich-vu/"
    return urls

"""The e-mail helper: every e-mail is three templates, subject on one line, text unescaped."""

from pathlib import Path

import pytest
from django.conf import settings
from django.template import TemplateDoesNotExist

from component_sites.core.mail import render_mail


def email_subjects():
    """Every ``*/email/*_subject.txt`` under the project's template folders."""
    found = sorted(
        path
        for folder in ("component_sites", "tenants", "themes")
        for path in (settings.BASE_DIR / folder).glob("**/templates/**/email/*_subject.txt")
    )
    assert len(found) >= 9
    return found


def test_every_mail_has_a_subject_a_text_and_an_html_template():
    for subject in email_subjects():
        prefix = str(subject)[: -len("_subject.txt")]
        assert Path(prefix + "_body.txt").is_file(), prefix
        assert Path(prefix + "_body.html").is_file(), prefix


def test_subject_is_one_line_and_plain_text_is_not_html_escaped():
    context = {
        "site_name": "Xã Hòa & Bình",
        "title": "Tin <mới>\nhai dòng",
        "edit_url": "https://xa.test/admin/pages/3/edit/",
    }
    message = render_mail("editorial/email/page_approved", context, ["a@b.vn"])
    assert message.subject == "[Xã Hòa & Bình] Bài đã được duyệt: Tin <mới> hai dòng"
    assert "Bài “Tin <mới>\nhai dòng” đã được duyệt." in message.body
    (html, mimetype) = message.alternatives[0]
    assert mimetype == "text/html"
    assert "Tin &lt;mới&gt;" in html and "Xã Hòa &amp; Bình" in html
    assert message.to == ["a@b.vn"]


def test_a_missing_template_is_an_error_not_an_empty_mail():
    with pytest.raises(TemplateDoesNotExist):
        render_mail("editorial/email/khong_co", {}, ["a@b.vn"])

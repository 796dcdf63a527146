"""Builders of test content inside a site's schema (call within schema_context)."""

from __future__ import annotations

import datetime as dt
import io
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image
from wagtail.models import Site


def home():
    return Site.objects.get(is_default_site=True).root_page.specific


def make_image(title="Ảnh thử"):
    from component_sites.core.models import SiteImage

    buffer = io.BytesIO()
    Image.new("RGB", (64, 36), (30, 120, 60)).save(buffer, format="PNG")
    image = SiteImage(title=title, alt_text=f"Mô tả {title}")
    image.file.save("thu.png", ImageFile(io.BytesIO(buffer.getvalue()), name="thu.png"), save=False)
    image.save()
    return image


def news_index():
    from component_sites.news.models import NewsIndexPage

    return NewsIndexPage.objects.child_of(home()).get()


def make_category(title="Tin hoạt động", parent=None):
    from component_sites.news.models import NewsCategoryPage

    category = NewsCategoryPage(title=title)
    (parent or news_index()).add_child(instance=category)
    return category


def make_articles(parent, count, *, with_image=True, start=None, **fields):
    from component_sites.news.models import ArticlePage

    start = start or timezone.now() - timedelta(days=1)
    made = []
    for number in range(count):
        values = {
            "title": f"Bài viết số {number + 1}",
            "lead": f"Sapo của bài viết số {number + 1}.",
            "body": [("paragraph", f"<p>Nội dung bài {number + 1}.</p>")],
            "publication_date": start - timedelta(hours=number),
            "featured_image": make_image(f"Ảnh {number}") if with_image else None,
            **fields,
        }
        article = ArticlePage(**values)
        parent.add_child(instance=article)
        made.append(article)
    return made


def documents_index():
    from component_sites.documents.models import DocumentIndexPage

    return DocumentIndexPage.objects.child_of(home()).get()


def make_site_document(title="Tệp thử", content=b"%PDF-1.4 thu"):
    from wagtail.documents import get_document_model

    document = get_document_model()(title=title)
    document.file.save("tep-thu.pdf", ContentFile(content, name="tep-thu.pdf"), save=False)
    document.save()
    return document


def classifications():
    from component_sites.documents.models import DocumentField, DocumentType, IssuingBody

    return {
        "nghi-dinh": DocumentType.objects.create(name="Nghị định"),
        "quyet-dinh": DocumentType.objects.create(name="Quyết định"),
        "chinh-phu": IssuingBody.objects.create(name="Chính phủ"),
        "ubnd": IssuingBody.objects.create(name="Ủy ban nhân dân xã"),
        "dat-dai": DocumentField.objects.create(name="Đất đai"),
    }


def make_legal_document(
    index, *, number, document_type, issuing_body, field=None, issued=None, files=1, **extra
):
    from component_sites.documents.models import LegalDocumentAttachment, LegalDocumentPage

    page = LegalDocumentPage(
        title=extra.pop("title", f"Văn bản {number}"),
        number=number,
        document_type=document_type,
        issuing_body=issuing_body,
        field=field,
        issue_date=issued or dt.date(2024, 5, 10),
        abstract=extra.pop("abstract", f"Trích yếu của văn bản {number}."),
        **extra,
    )
    index.add_child(instance=page)
    for order in range(files):
        LegalDocumentAttachment.objects.create(
            page=page, document=make_site_document(f"Tệp {number} {order}"), sort_order=order
        )
    return page

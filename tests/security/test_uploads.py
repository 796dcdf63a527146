"""Uploads never run in a site's origin; private files stay private (issue 13: 1, 2, 15).

Tried as an attacker: a collaborator uploads HTML, SVG and HTML/PDF polyglots through the
admin (and through the model, as a legacy file or a merge would bring them), then every
address of the file is fetched anonymously and logged in.  Citizens send zip bombs and
polyglots as attachments.  Names carrying right-to-left overrides are cleaned.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction

from component_sites.core import checks as upload_checks
from component_sites.core import counters, uploads
from component_sites.documents.models import DOWNLOADS
from component_sites.editorial.roles import COLLABORATOR
from component_sites.participation.models import Question
from tests.component_sites import factories
from tests.component_sites.participation.conftest import questions_page, solved  # noqa: F401
from tests.component_sites.participation.test_questions import ask
from tests.component_sites.site_fixtures import client, home, section, site_schema  # noqa: F401

pytestmark = pytest.mark.django_db

SANDBOX = "default-src 'none'; sandbox"
HTML = b"<!DOCTYPE html><html><body><script>fetch('/admin/users/')</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
POLYGLOT = b"%PDF-1.4\n%<html><script>alert(document.domain)</script></html>\n%%EOF\n"
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"


# -- helpers -------------------------------------------------------------------------------


def collaborator(client):  # noqa: F811
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(username="ctv.tailen", password="x-Mat-khau-2026")
    user.groups.add(Group.objects.get(name=COLLABORATOR))
    client.force_login(user)
    return user


def upload_document(client, name, content, title="Tài liệu thử"):  # noqa: F811
    return client.post(
        "/admin/documents/add/",
        {
            "title": title,
            "file": SimpleUploadedFile(name, content),
            "collection": Collection.get_first_root_node().pk,
        },
    )


def stored_document(name, content, collection=None, title="Tệp cũ"):
    """A file that reached storage without the admin's checks (legacy data, a merge)."""
    document = get_document_model()(title=title, collection=collection or root())
    document.file.save(name, ContentFile(content), save=False)
    document.save()
    return document


def root():
    return Collection.get_first_root_node()


def private_collection(kind=CollectionViewRestriction.LOGIN):
    collection = root().add_child(name="Hồ sơ nội bộ")
    restriction = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=kind, password="mat-khau-rieng"
    )
    return collection, restriction


def assert_upload_headers(response):
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == SANDBOX


def errors(response):
    """The form's errors, for a failing assertion's message."""
    context = response.context or {}
    form = context.get("form")
    return form.errors if form is not None else response.content.decode()[-2000:]


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def png_bytes(width=4, height=4, *, comment: bytes | None = None) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, format="PNG")
    data = buffer.getvalue()
    if comment:
        # A tEXt chunk right after the header: the image stays valid, the markup is in it.
        chunk = b"tEXt" + b"c\x00" + comment
        crc = struct.pack(">I", zlib.crc32(chunk))
        data = data[:33] + struct.pack(">I", len(chunk) - 4) + chunk + crc + data[33:]
    return data


def bomb_docx(unpacked: int = 1 << 30) -> bytes:
    """A DOCX whose word/document.xml unpacks to ``unpacked`` bytes of zeros (1 GiB).

    The deflate stream is one compressed 16 MiB block repeated (each ends with a full
    flush, so the copies are independent): a real bomb of about 1 MB, built in a second.
    """
    chunk = b"\0" * (16 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    copies = unpacked // len(chunk)
    data = block * copies + zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    crc = 0
    for _ in range(copies):
        crc = zlib.crc32(chunk, crc)
    members = [
        (b"[Content_Types].xml", 0, b"<Types/>", zlib.crc32(b"<Types/>"), 8),
        (b"word/document.xml", 8, data, crc, copies * len(chunk)),
    ]
    out, central = io.BytesIO(), io.BytesIO()
    for name, method, payload, checksum, size in members:
        offset = out.tell()
        fields = (20, 0, method, 0, 0x21, checksum, len(payload), size, len(name), 0)
        out.write(b"PK\x03\x04" + struct.pack("<HHHHHIIIHH", *fields) + name + payload)
        central.write(
            b"PK\x01\x02"
            + struct.pack(
                "<HHHHHHIIIHHHHHII",
                20,
                20,
                0,
                method,
                0,
                0x21,
                checksum,
                len(payload),
                size,
                len(name),
                0,
                0,
                0,
                0,
                0,
                offset,
            )  # fmt: skip
            + name
        )
    start = out.tell()
    out.write(central.getvalue())
    end = struct.pack("<HHHHIIH", 0, 0, len(members), len(members), central.tell(), start, 0)
    out.write(b"PK\x05\x06" + end)
    return out.getvalue()


def real_docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>Đơn đề nghị</w:document>")
    return buffer.getvalue()


# -- 1. documents: what may be uploaded ------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("x.html", HTML, "Không được tải lên tệp .html"),
        ("x.htm", HTML, "Không được tải lên tệp .htm"),
        ("x.svg", SVG, "Không được tải lên tệp .svg"),
        ("x.js", b"alert(1)", "Không được tải lên tệp .js"),
        ("bao-cao.pdf", HTML, "không khớp với phần mở rộng .pdf"),
        ("bao-cao.pdf", POLYGLOT, "chứa mã trang web"),
        ("bang.xlsx", HTML, "không khớp với phần mở rộng .xlsx"),
        ("don.docx", b"PK\x03\x04 not a zip at all", "bị hỏng"),
        ("ghi-chu.txt", b"<html><script>alert(1)</script>", "chứa mã trang web"),
    ],
)
def test_collaborator_cannot_upload_pages_as_documents(client, name, content, message):  # noqa: F811
    collaborator(client)
    response = upload_document(client, name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not get_document_model().objects.exists()


def test_collaborator_uploads_real_office_files(client):  # noqa: F811
    collaborator(client)
    for name, content in [("ke-hoach.pdf", PDF), ("don.docx", real_docx()), ("ds.csv", b"a,b\n")]:
        response = upload_document(client, name, content, title=name)
        assert response.status_code == 302, response.content.decode()[-2000:]
    assert get_document_model().objects.count() == 3


@pytest.mark.parametrize(
    ("kind", "name", "content", "message"),
    [
        ("documents", "bao-cao.pdf", POLYGLOT, "chứa mã trang web"),
        ("documents", "x.html", HTML, "Không được tải lên tệp .html"),
        ("images", "logo.svg", SVG, "Định dạng ảnh không được hỗ trợ"),
    ],
)
def test_the_multiple_uploader_refuses_them_too(client, kind, name, content, message):  # noqa: F811
    collaborator(client)
    response = client.post(
        f"/admin/{kind}/multiple/add/",
        {"files[]": SimpleUploadedFile(name, content), "collection": root().pk},
    )
    answer = response.json()
    assert answer["success"] is False and message in answer["error_message"]
    assert not get_document_model().objects.exists() and not get_image_model().objects.exists()


def test_attachment_labels_are_cleaned(site_schema):  # noqa: F811
    index = factories.documents_index()
    c = factories.classifications()
    page = factories.make_legal_document(
        index, number="03/TB-UBND", document_type=c["quyet-dinh"], issuing_body=c["ubnd"]
    )
    attachment = page.attachments.get()
    attachment.label = "Phụ lục\u202e fdp.exe"
    attachment.save()
    attachment.refresh_from_db()
    assert attachment.label == "Phụ lục fdp.exe"


def test_model_validation_refuses_a_polyglot_and_a_zip_bomb(site_schema):  # noqa: F811
    document = get_document_model()(title="Tệp", collection=root())
    document.file = SimpleUploadedFile("bao-cao.pdf", POLYGLOT)
    with pytest.raises(Exception) as refused:
        document.full_clean()
    assert "chứa mã trang web" in str(refused.value)
    document.file = SimpleUploadedFile("hop-dong.docx", bomb_docx())
    with pytest.raises(Exception) as refused:
        document.full_clean()
    assert "dung lượng khi giải nén bất thường" in str(refused.value)


def test_the_province_sets_the_extension_list(client):  # noqa: F811
    collaborator(client)
    with override_settings(WAGTAILDOCS_EXTENSIONS=["pdf"]):
        response = upload_document(client, "don.docx", real_docx())
    assert "Không được tải lên tệp .docx. Các loại tệp được phép: pdf." in response.content.decode()
    assert not get_document_model().objects.exists()


def test_default_list_is_sensible_and_pages_are_refused_whatever_it_says(settings):
    defaults = set(settings.WAGTAILDOCS_EXTENSIONS)
    assert {"pdf", "doc", "docx", "xls", "xlsx", "odt", "zip", "rar", "7z", "csv"} <= defaults
    assert not defaults & uploads.FORBIDDEN_EXTENSIONS
    assert upload_checks.upload_extensions() == []
    settings.WAGTAILDOCS_EXTENSIONS = ["pdf", "html", "svg"]
    assert [e.id for e in upload_checks.upload_extensions()] == ["portal.E102"]
    settings.WAGTAILIMAGES_EXTENSIONS = ["png", "svg"]
    assert "portal.E103" in [e.id for e in upload_checks.upload_extensions()]


# -- 1. documents: how they are served ------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"), [("x.html", HTML), ("x.svg", SVG), ("bao-cao.pdf", POLYGLOT)]
)
def test_a_stored_page_is_only_ever_a_download(client, name, content):  # noqa: F811
    document = stored_document(name, content)
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert not response["Content-Type"].startswith(("text/html", "image/svg"))
    assert_upload_headers(response)
    # The file's storage address never serves it: it leads to the document view.
    media = client.get(document.file.url)
    assert media.status_code == 302 and media["Location"] == document.url
    assert content not in body(media)


def test_every_document_response_is_a_sandboxed_attachment(client):  # noqa: F811
    pdf = stored_document("ke-hoach.pdf", PDF)
    response = client.get(pdf.url)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert_upload_headers(response)
    picture = stored_document("so-do.png", png_bytes())
    response = client.get(picture.url)
    assert response["Content-Type"] == "image/png"
    assert not response.get("Content-Disposition", "").startswith("attachment")
    assert_upload_headers(response)
    again = client.get(pdf.url, HTTP_IF_NONE_MATCH=f'"{pdf.file_hash}"')
    assert again.status_code == 304
    assert_upload_headers(again)


def test_media_never_serves_documents_private_files_or_other_folders(client, site_schema):  # noqa: F811
    schema = site_schema.schema_name
    assert client.get(f"/media/{schema}/documents/khong-co.pdf").status_code == 404
    private = default_storage.save("private/hoi-dap/2026/01/don.pdf", ContentFile(PDF))
    assert client.get(default_storage.url(private)).status_code == 404
    assert client.get(f"/media/{schema}/../{schema}/private/x").status_code == 404
    stray = factories.make_site_document()
    stray.file.storage.save("khac/trang.html", ContentFile(HTML))
    assert client.get(f"/media/{schema}/khac/trang.html").status_code == 404
    other = "site_khac"
    assert client.get(f"/media/{other}/original_images/x.png").status_code == 404


def test_images_are_served_inline_and_sandboxed_never_as_pages(client, site_schema):  # noqa: F811
    image = factories.make_image("Cầu treo")
    response = client.get(image.file.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "attachment" not in response.get("Content-Disposition", "")
    assert_upload_headers(response)
    rendition = image.get_rendition("fill-40x40")
    response = client.get(rendition.url)
    assert response.status_code == 200 and response["Content-Type"].startswith("image/")
    assert_upload_headers(response)
    # A rendition's name changes with its filter or focal point: cached for good. An
    # original keeps its name if replaced in place: a day.
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert client.get(image.file.url)["Cache-Control"] == "public, max-age=86400"
    # A page planted among the originals (not through Wagtail) is a download, not a page.
    image.file.storage.save("original_images/trang.html", ContentFile(HTML))
    planted = client.get(f"/media/{site_schema.schema_name}/original_images/trang.html")
    assert planted["Content-Type"] == "application/octet-stream"
    assert planted["Content-Disposition"].startswith("attachment")
    assert_upload_headers(planted)


# -- 2. private collections ------------------------------------------------------------------


def private_document():
    collection, restriction = private_collection()
    index = factories.documents_index()
    c = factories.classifications()
    page = factories.make_legal_document(
        index, number="01/QĐ-UBND", document_type=c["quyet-dinh"], issuing_body=c["ubnd"]
    )
    attachment = page.attachments.get()
    document = attachment.document
    document.collection = collection
    document.save()
    return page, attachment, document


def test_private_documents_are_refused_on_every_address(client):  # noqa: F811
    page, attachment, document = private_document()
    content = document.file.read()
    document.file.seek(0)
    api = client.get(f"/api/v1/documents/{page.pk}/").json()
    addresses = [
        document.url,
        document.file.url,
        f"{page.url}tai-ve/{attachment.pk}/",
        urlsplit(api["files"][0]["url"]).path,
    ]
    for address in addresses:
        response = client.get(address, follow=True)
        assert content not in body(response), address
        assert response.redirect_chain, address
        assert "login/?next=" in response.redirect_chain[-1][0], address
    assert counters.get_counts(DOWNLOADS, [document.pk]).get(document.pk, 0) == 0


def test_logged_in_visitors_get_the_private_document_with_the_headers(client):  # noqa: F811
    page, attachment, document = private_document()
    collaborator(client)
    response = client.get(f"{page.url}tai-ve/{attachment.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert_upload_headers(response)
    assert counters.get_counts(DOWNLOADS, [document.pk])[document.pk] == 1
    media = client.get(document.file.url, follow=True)
    assert media.status_code == 200 and media.redirect_chain[-1][0] == document.url


def test_password_collection_asks_for_the_password_everywhere(client):  # noqa: F811
    collection, _restriction = private_collection(CollectionViewRestriction.PASSWORD)
    document = stored_document("bien-ban.pdf", PDF, collection=collection)
    for address in (document.url, document.file.url):
        response = client.get(address, follow=True)
        html = response.content.decode()
        assert response.status_code == 200 and 'name="password"' in html
        assert PDF not in response.content


def test_public_download_is_counted_and_hardened(client):  # noqa: F811
    index = factories.documents_index()
    c = factories.classifications()
    page = factories.make_legal_document(
        index, number="02/KH-UBND", document_type=c["quyet-dinh"], issuing_body=c["ubnd"]
    )
    attachment = page.attachments.get()
    response = client.get(f"{page.url}tai-ve/{attachment.pk}/")
    assert response.status_code == 200 and body(response).startswith(b"%PDF")
    assert response["Content-Disposition"].startswith("attachment")
    assert_upload_headers(response)
    assert counters.get_counts(DOWNLOADS, [attachment.document_id])[attachment.document_id] == 1


# -- 15. images ----------------------------------------------------------------------------


def upload_image(client, name, content):  # noqa: F811
    return client.post(
        "/admin/images/add/",
        {
            "title": "Ảnh thử",
            "alt_text": "Ảnh thử",
            "file": SimpleUploadedFile(name, content),
            "collection": root().pk,
        },
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.svg", SVG, "Định dạng ảnh không được hỗ trợ"),
        ("anh.png", HTML, "không khớp với định dạng thật của tệp"),
        ("anh.jpg", b"\xff\xd8\xff\xe0 <html><script>alert(1)</script>", "không phải là ảnh"),
        ("anh.png", png_bytes(comment=b"<html><script>alert(1)</script>"), "chứa mã trang web"),
    ],
)
def test_image_uploads_refuse_svg_and_markup(client, name, content, message):  # noqa: F811
    collaborator(client)
    response = upload_image(client, name, content)
    assert response.status_code == 200
    assert message in response.content.decode(), errors(response)
    assert not get_image_model().objects.exists()


def test_too_many_pixels_is_refused_in_vietnamese(client):  # noqa: F811
    collaborator(client)
    with override_settings(WAGTAILIMAGES_MAX_IMAGE_PIXELS=100):
        response = upload_image(client, "anh.png", png_bytes(20, 20))
    html = response.content.decode()
    assert "Ảnh có quá nhiều điểm ảnh (400). Tối đa 100 điểm ảnh" in html
    assert "too many pixels" not in html
    assert not get_image_model().objects.exists()
    response = upload_image(client, "anh.png", png_bytes(20, 20))
    assert response.status_code == 302


# -- 15. citizens' attachments ---------------------------------------------------------------


def refused(response, message):
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html, html[-3000:]
    assert Question.objects.count() == 0


def test_zip_bomb_docx_is_refused(client, questions_page, solved):  # noqa: F811
    bomb = SimpleUploadedFile("don.docx", bomb_docx())
    assert bomb.size < 2 * 1024 * 1024
    refused(
        ask(client, questions_page, solved, attachment=bomb),
        "dung lượng khi giải nén bất thường",
    )


def test_too_many_members_is_refused(client, questions_page, solved):  # noqa: F811
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for number in range(1001):
            archive.writestr(f"word/media/{number}.xml", "")
    many = SimpleUploadedFile("don.docx", buffer.getvalue())
    refused(ask(client, questions_page, solved, attachment=many), "quá nhiều thành phần")


def test_html_pdf_polyglot_attachment_is_refused(client, questions_page, solved):  # noqa: F811
    polyglot = SimpleUploadedFile("don.pdf", POLYGLOT, content_type="application/pdf")
    refused(ask(client, questions_page, solved, attachment=polyglot), "có chứa mã trang web")


def test_a_real_docx_attachment_is_kept(client, questions_page, solved):  # noqa: F811
    docx = SimpleUploadedFile("don.docx", real_docx())
    response = ask(client, questions_page, solved, attachment=docx)
    assert Question.objects.count() == 1, errors(response)
    assert Question.objects.get().attachment.name.endswith(".docx")


# -- 15. names -----------------------------------------------------------------------------

RLO_NAME = "hoa-don\u202efdp.exe"


def test_clean_name_drops_bidi_and_control_characters():
    dirty = (
        "\u200fBáo\u202a cáo\u2066\u2067\u2068\u2069\u202b\u202c\u202d\u061c\u200e\x00\tquý\x1b I"
    )
    assert uploads.clean_name(dirty) == "Báo cáo quý I"
    assert uploads.clean_name(RLO_NAME) == "hoa-donfdp.exe"


def test_document_and_image_names_are_cleaned(client):  # noqa: F811
    collaborator(client)
    response = upload_document(client, "bao\u202ecao.pdf", PDF, title=f"Biên bản {RLO_NAME}")
    assert response.status_code == 302
    document = get_document_model().objects.get()
    assert document.title == "Biên bản hoa-donfdp.exe"
    assert not set(document.filename) & uploads.BIDI_CONTROLS
    image = factories.make_image("Ảnh\u202e gnp.exe")
    image.refresh_from_db()
    assert image.title == "Ảnh gnp.exe"


def test_attachment_names_are_cleaned(client, questions_page, solved):  # noqa: F811
    pdf = SimpleUploadedFile("don\u202efdp.exe.pdf", PDF, content_type="application/pdf")
    response = ask(client, questions_page, solved, attachment=pdf)
    assert Question.objects.count() == 1, errors(response)
    name = Question.objects.get().attachment.name
    assert not set(name) & uploads.BIDI_CONTROLS
    assert name.endswith(".pdf")

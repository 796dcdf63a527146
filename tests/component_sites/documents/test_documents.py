"""Documents: page tree, list with facets and filters, search, bad input, detail, downloads."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from component_sites.core import counters
from component_sites.core.models import HomePage, SectionPage
from component_sites.documents.models import DOWNLOADS, DocumentIndexPage, LegalDocumentPage
from tests.component_sites import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def documents(sites):
    """Three documents in the commune: two decrees of 2022/2024, one local decision of 2025."""
    with schema_context(sites.commune.schema_name):
        c = factories.classifications()
        index = factories.documents_index()
        made = {
            "decree": factories.make_legal_document(
                index,
                number="42/2022/NĐ-CP",
                document_type=c["nghi-dinh"],
                issuing_body=c["chinh-phu"],
                issued=dt.date(2022, 6, 24),
                effective_date=dt.date(2022, 8, 1),
                abstract="Quy định về việc cung cấp thông tin và dịch vụ công trực tuyến.",
            ),
            "land": factories.make_legal_document(
                index,
                number="102/2024/NĐ-CP",
                document_type=c["nghi-dinh"],
                issuing_body=c["chinh-phu"],
                field=c["dat-dai"],
                issued=dt.date(2024, 7, 30),
                abstract="Quy định chi tiết thi hành một số điều của Luật Đất đai.",
            ),
            "local": factories.make_legal_document(
                index,
                number="15/QĐ-UBND",
                document_type=c["quyet-dinh"],
                issuing_body=c["ubnd"],
                field=c["dat-dai"],
                issued=dt.date(2025, 2, 3),
                abstract="Công bố danh mục thủ tục hành chính lĩnh vực đất đai.",
                is_party_document=False,
            ),
        }
    return made


def get(sites, path="/van-ban/", **params):
    return Client(HTTP_HOST=sites.commune.primary_domain).get(path, params)


def test_new_site_has_a_typed_documents_index(sites):
    with schema_context(sites.district.schema_name):
        section = SectionPage.objects.get(section_key="documents")
        assert isinstance(section.specific, DocumentIndexPage)


def test_page_tree_rules(sites):
    assert DocumentIndexPage in HomePage.allowed_subpage_models()
    assert DocumentIndexPage.allowed_subpage_models() == [LegalDocumentPage]
    assert LegalDocumentPage.allowed_parent_page_models() == [DocumentIndexPage]
    with schema_context(sites.commune.schema_name):
        assert not LegalDocumentPage.can_create_at(factories.home())
        assert LegalDocumentPage.can_create_at(factories.documents_index())


def test_list_shows_documents_newest_first_with_dates(sites, documents):
    response = get(sites)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("15/QĐ-UBND") < html.index("102/2024/NĐ-CP") < html.index("42/2022/NĐ-CP")
    assert "24/06/2022" in html
    assert "Tìm thấy 3 văn bản" in html


def test_facets_count_what_each_choice_would_give(sites, documents):
    html = get(sites, loai="nghi-dinh").content.decode()
    assert "Tìm thấy 2 văn bản" in html
    # The type facet ignores its own filter; the others count within it.
    assert ">Nghị định (2)</option>" in html
    assert ">Quyết định (1)</option>" in html
    assert ">Đất đai (1)</option>" in html
    assert ">2024 (1)</option>" in html and ">2022 (1)</option>" in html
    assert ">2025 (" not in html


def test_filters_combine(sites, documents):
    html = get(sites, linh_vuc="dat-dai", nam="2024").content.decode()
    assert "Tìm thấy 1 văn bản" in html
    assert "102/2024/NĐ-CP" in html and "15/QĐ-UBND" not in html
    html = get(sites, co_quan="uy-ban-nhan-dan-xa").content.decode()
    assert "Tìm thấy 1 văn bản" in html and "15/QĐ-UBND" in html


def test_search_uses_the_search_backend_and_keeps_facets(sites, documents):
    html = get(sites, q="đất đai").content.decode()
    assert "102/2024/NĐ-CP" in html and "15/QĐ-UBND" in html
    assert "42/2022/NĐ-CP" not in html
    assert ">Nghị định (1)</option>" in html and ">Quyết định (1)</option>" in html
    html = get(sites, q="đất đai", loai="quyet-dinh").content.decode()
    assert "Tìm thấy 1 văn bản" in html and "15/QĐ-UBND" in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"loai": "khong-co"}, "Không có loại văn bản “khong-co”"),
        ({"co_quan": "<b>x</b>"}, "Không có cơ quan ban hành “&lt;b&gt;x&lt;/b&gt;”"),
        ({"nam": "abc"}, "Năm ban hành phải là một số"),
        ({"nam": "99999"}, "Năm ban hành không hợp lệ"),
        ({"page": "9999"}, "Không có trang 9999"),
        ({"page": "abc"}, "không hợp lệ"),
        ({"q": "x" * 500}, "Từ khoá dài quá 200 ký tự"),
    ],
)
def test_bad_input_gives_a_clear_message_and_the_full_list(sites, documents, params, message):
    response = get(sites, **params)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "Tìm thấy 3 văn bản" in html


def test_detail_page(sites, documents):
    with schema_context(sites.commune.schema_name):
        url = documents["decree"].url
    html = get(sites, url).content.decode()
    assert "<dd>42/2022/NĐ-CP</dd>" in html
    assert "24/06/2022" in html and "01/08/2022" in html
    assert "Tải về" in html and "0 lượt tải" in html


def test_download_is_counted_in_redis_only(sites, documents):
    with schema_context(sites.commune.schema_name):
        page = documents["decree"]
        attachment = page.attachments.get()
        url = f"{page.url}tai-ve/{attachment.pk}/"
    client = Client(HTTP_HOST=sites.commune.primary_domain)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == b"%PDF-1.4 thu"
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    with schema_context(sites.commune.schema_name):
        assert counters.get_count(DOWNLOADS, attachment.document_id) == 1
    assert "1 lượt tải" in get(sites, page.url).content.decode()


def test_download_of_an_unknown_attachment_is_404(sites, documents):
    with schema_context(sites.commune.schema_name):
        url = documents["decree"].url
    assert get(sites, f"{url}tai-ve/999999/").status_code == 404


def test_effective_date_before_issue_date_is_refused(sites, documents):
    from django.core.exceptions import ValidationError

    with schema_context(sites.commune.schema_name):
        page = LegalDocumentPage.objects.get(pk=documents["decree"].pk)
        page.effective_date = dt.date(2020, 1, 1)
        with pytest.raises(ValidationError):
            page.full_clean()


def test_newest_documents_for_the_home_page(sites, documents):
    from component_sites.documents.queries import newest_documents

    with schema_context(sites.commune.schema_name):
        numbers = [d.number for d in newest_documents(factories.home(), 2)]
    assert numbers == ["15/QĐ-UBND", "102/2024/NĐ-CP"]

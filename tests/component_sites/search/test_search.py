"""Site search: diacritics ignored, results grouped by kind, bad input answered clearly."""

import unicodedata

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from tests.component_sites.factories import (
    classifications,
    documents_index,
    make_articles,
    make_legal_document,
    news_index,
)
from tests.procedure_helpers import make_procedure

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(sites, syndicate):
    with syndicate():
        make_procedure("9.900101", name="Đăng ký kết hôn tại Ủy ban nhân dân xã")
    with schema_context(sites.commune.schema_name):
        make_articles(news_index(), 1, title="UBND xã Hòa Bình đón Bằng công nhận nông thôn mới")
        make_articles(news_index(), 1, title="Hội nghị tổng kết công tác năm")
        kinds = classifications()
        make_legal_document(
            documents_index(),
            number="15/QĐ-UBND",
            document_type=kinds["quyet-dinh"],
            issuing_body=kinds["ubnd"],
            abstract="Về việc ban hành kế hoạch phòng chống thiên tai của xã Hòa Bình",
        )
    return sites.commune.primary_domain


def get(host, **params):
    return Client().get("/tim-kiem/", params, HTTP_HOST=host)


def test_a_query_without_diacritics_finds_text_with_them(content):
    html = get(content, q="ubnd xa hoa binh").content.decode()
    assert "UBND xã Hòa Bình đón Bằng công nhận nông thôn mới" in html
    assert "Hội nghị tổng kết" not in html


def test_diacritics_in_the_query_do_not_matter_either(content):
    html = get(content, q="NÔNG THÔN MỚI").content.decode()
    assert "UBND xã Hòa Bình đón Bằng công nhận nông thôn mới" in html


def test_results_are_grouped_by_kind(content):
    html = get(content, q="hoa binh").content.decode()
    assert html.index('id="nhom-tin-tuc"') < html.index('id="nhom-van-ban"')
    assert "Văn bản 15/QĐ-UBND" in html
    procedures = get(content, q="dang ky ket hon").content.decode()
    assert 'id="nhom-thu-tuc"' in procedures
    assert "Đăng ký kết hôn tại Ủy ban nhân dân xã" in procedures
    assert "/thu-tuc-hanh-chinh/9-900101/" in procedures


def test_one_kind_can_be_listed_alone(content):
    html = get(content, q="hoa binh", loai="van-ban").content.decode()
    assert "Văn bản 15/QĐ-UBND" in html and 'id="nhom-tin-tuc"' not in html


@pytest.mark.parametrize(
    "params, message",
    [
        ({"q": "x" * 201}, "quá giới hạn 200 ký tự"),
        ({"q": "hoa binh", "loai": "khong-co"}, "Không có loại kết quả “khong-co”"),
        ({"q": "hoa binh", "loai": "tin-tuc", "page": "abc"}, "không hợp lệ"),
        ({"q": "hoa binh", "loai": "tin-tuc", "page": "99"}, "Không có trang 99"),
        ({"q": "zzzkhongco"}, "Không tìm thấy kết quả nào"),
        ({"q": "   "}, "Nhập từ khóa"),
    ],
)
def test_bad_input_gets_a_clear_message(content, params, message):
    response = get(content, **params)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_an_unaccented_query_finds_a_title_typed_with_decomposed_marks(sites):
    # Some Vietnamese keyboards type "ă" as "a" + U+0306: the page must still be found.
    decomposed = unicodedata.normalize("NFD", "Hướng dẫn Đăng ký khai sinh trực tuyến")
    with schema_context(sites.commune.schema_name):
        make_articles(news_index(), 1, title=decomposed)
        make_articles(news_index(), 1, title="Đăng ký kết hôn lưu động")
    for query in (
        "dang ky khai sinh",
        "ĐĂNG KÝ KHAI SINH",
        unicodedata.normalize("NFD", "khai sinh"),
    ):
        html = unicodedata.normalize(
            "NFC", get(sites.commune.primary_domain, q=query).content.decode()
        )
        assert "Hướng dẫn Đăng ký khai sinh trực tuyến" in html, query
        assert "kết hôn lưu động" not in html, query

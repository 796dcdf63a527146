"""Vietnamese text: accent folding and ASCII slugs."""

import pytest
from django_tenants.utils import schema_context

from component_sites.core.models import SectionPage
from component_sites.core.text import (
    ascii_slug,
    compact_slug,
    fold,
    to_ascii,
    tone_style,
    with_tone_style,
)


def test_fold_removes_every_mark_and_maps_d_with_stroke():
    assert fold("Ủy ban nhân dân xã Đồng Tâm") == "uy ban nhan dan xa dong tam"
    assert fold("Hoà Bình") == fold("Hòa Bình") == "hoa binh"


def test_slug_is_ascii_and_bounded():
    assert ascii_slug("Thông báo lịch tiếp công dân định kỳ tháng 11/2026") == (
        "thong-bao-lich-tiep-cong-dan-dinh-ky-thang-11-2026"
    )
    assert ascii_slug("Đường – Phố!", max_length=8) == "duong"
    assert ascii_slug("—") == ""


@pytest.mark.django_db
def test_a_page_without_slug_gets_an_ascii_one(sites):
    with schema_context(sites.commune.schema_name):
        news = SectionPage.objects.get(section_key="news")
        page = SectionPage(title="Đón nhận Huân chương Lao động hạng Nhì")
        news.add_child(instance=page)
        assert page.slug == "don-nhan-huan-chuong-lao-dong-hang-nhi"


@pytest.mark.parametrize(
    "name, style",
    [
        ("Tỉnh Hoà Bình", "old"),
        ("Phường Hòa Bình", "new"),
        ("Xã Thuỷ Xuân", "old"),
        ("Xã Tân Vinh", "new"),
    ],
)
def test_a_sites_tone_style_follows_its_official_name(name, style):
    assert tone_style(name) == style


def test_text_is_rewritten_in_one_tone_style_only_where_the_rule_applies():
    text = "Văn hoá, thuỷ lợi, Uỷ ban, khoẻ; quý, hoàn thành, ngoài, khuya, mùa, của, quỳnh"
    assert with_tone_style(text, "new") == (
        "Văn hóa, thủy lợi, Ủy ban, khỏe; quý, hoàn thành, ngoài, khuya, mùa, của, quỳnh"
    )
    assert with_tone_style(with_tone_style(text, "new"), "old") == text
    assert with_tone_style("HOÀ BÌNH", "new") == "HÒA BÌNH"


@pytest.mark.parametrize(
    "text, folded",
    [
        ("Đăng ký khai sinh", "dang ky khai sinh"),
        # Typed as base letters + combining marks (NFD): the same result.
        ("\u0110a\u0306ng ky\u0301 khai sinh", "dang ky khai sinh"),
        ("  ĐỒNG   Tâm\t", "dong tam"),
        ("Nghị định 13/2023/NĐ-CP", "nghi dinh 13/2023/nd-cp"),
        ("Straße", "strasse"),
    ],
)
def test_fold_is_ascii_case_folded_and_ignores_how_marks_were_typed(text, folded):
    assert fold(text) == folded
    assert fold(text).isascii()


def test_to_ascii_keeps_case_and_maps_punctuation():
    assert to_ascii("Đồng Tiến – “Ủy ban”") == 'Dong Tien - "Uy ban"'
    assert to_ascii(None) == ""


def test_slugs_of_a_procedure_name():
    assert ascii_slug("Đăng ký khai sinh") == "dang-ky-khai-sinh"
    assert ascii_slug("\u0110a\u0306ng ky\u0301 khai sinh") == "dang-ky-khai-sinh"
    assert compact_slug("Đắk R'Lấp") == "dakrlap"
    assert compact_slug("Phường Đồng Xuân") == "phuongdongxuan"

"""Introduction, organisation, leaders, contact and the English pages."""

import pytest

from component_sites.core.models import HomePage
from component_sites.organization.models import (
    ContactPage,
    Department,
    EnglishPage,
    EnglishSectionPage,
    IntroductionPage,
    LeaderPage,
    OrganizationPage,
    Spokesperson,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def organization(section):
    intro = section("introduction")
    page = OrganizationPage(
        title="Cơ cấu tổ chức", slug="co-cau-to-chuc", functions="<p>Chức năng</p>"
    )
    page.departments.add(
        Department(name="Phòng Kinh tế", head="Trưởng phòng Hà Văn Sơn", phone="0218 3800 111")
    )
    intro.add_child(instance=page)
    for name, position in [("Bùi Văn Hùng", "Chủ tịch"), ("Lê Thị Hoa", "Phó Chủ tịch")]:
        page.add_child(
            instance=LeaderPage(title=name, slug=name.lower().replace(" ", "-"), position=position)
        )
    Spokesperson.objects.create(name="Lê Thị Hoa", position="Phó Chủ tịch", phone="0218 3800 222")
    return page


def test_page_tree_rules(section, home):
    intro, contact = section("introduction"), section("contact")
    assert isinstance(intro, IntroductionPage) and isinstance(contact, ContactPage)
    assert IntroductionPage.allowed_parent_page_models() == [HomePage]
    assert ContactPage.allowed_parent_page_models() == [HomePage]
    assert OrganizationPage.can_create_at(intro)
    assert not OrganizationPage.can_create_at(home)
    assert LeaderPage.allowed_parent_page_models() == [OrganizationPage]
    assert EnglishSectionPage.can_create_at(home)
    assert EnglishPage.allowed_parent_page_models() == [EnglishSectionPage]
    assert not EnglishPage.can_create_at(home)
    assert not ContactPage.can_create_at(home)  # one per site, already there


def test_organization_lists_leaders_departments_and_spokesperson(organization, client):
    response = client.get(organization.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi" ' in html
    assert "Bùi Văn Hùng" in html and "Phó Chủ tịch" in html
    assert "Phòng Kinh tế" in html and 'href="tel:02183800111"' in html
    assert "Người phát ngôn" in html
    leader = LeaderPage.objects.get(title="Bùi Văn Hùng")
    assert client.get(leader.url).status_code == 200


def test_contact_and_english_version_linked_both_ways(section, home, client):
    contact = section("contact")
    contact.address = "Thôn Đồng Chanh, xã Nhuận Trạch"
    contact.phone = "0218 3811 000"
    contact.email = "ubnd@nhuantrach.example"
    contact.save_revision().publish()
    vietnamese = client.get(contact.url).content.decode()
    assert "Thôn Đồng Chanh" in vietnamese
    assert "English version" not in vietnamese  # no English page yet
    english = EnglishSectionPage(
        title="About us", slug="en", english_name="People's Committee of Nhuan Trach Commune"
    )
    home.add_child(instance=english)
    page = EnglishPage(
        title="Contact",
        slug="contact",
        topic="contact",
        body="<p>Office hours</p>",
        vietnamese_page=contact,
    )
    english.add_child(instance=page)
    vietnamese = client.get(contact.url).content.decode()
    assert f'<a href="{page.url}" hreflang="en" lang="en">English version</a>' in vietnamese
    html = client.get(page.url).content.decode()
    assert '<html lang="en" ' in html
    assert "People&#x27;s Committee of Nhuan Trach Commune" in html
    assert "0218 3811 000" in html and "Thôn Đồng Chanh" in html
    assert f'href="{contact.url}" hreflang="vi"' in html


def test_introduction_renders_its_sections(section, client):
    intro = section("introduction")
    intro.natural_conditions = "<p>Đồi núi thấp</p>"
    intro.history = "<p>Lịch sử lâu đời</p>"
    intro.save_revision().publish()
    html = client.get(intro.url).content.decode()
    assert "<h2>Điều kiện tự nhiên</h2>" in html and "Đồi núi thấp" in html
    assert "Văn hoá – xã hội" not in html  # empty sections are left out


def _large_image(title):
    import io

    from django.core.files.images import ImageFile
    from PIL import Image

    from component_sites.core.models import SiteImage

    buffer = io.BytesIO()
    Image.new("RGB", (1600, 1000), (40, 90, 140)).save(buffer, format="PNG")
    image = SiteImage(title=title, alt_text=f"Mô tả {title}")
    image.file.save("ban-do.png", ImageFile(io.BytesIO(buffer.getvalue()), name="ban-do.png"))
    image.save()
    return image


def _figure_image(html):
    import re

    figure = re.search(r'<figure class="org-figure">\s*(<img [^>]+>)', html)
    assert figure, "the page shows its figure"
    return dict(re.findall(r'([a-z-]+)="([^"]*)"', figure.group(1)))


def test_map_and_chart_figures_offer_phone_sized_renditions(section, organization, client):
    # A phone must not fetch the 1200-pixel map (Lighthouse "uses-responsive-images" on the
    # introduction and contact pages): srcset with a width per rendition, sizes, and no
    # fetch before the reader scrolls to it (the figure is far below the first screen).
    intro = section("introduction")
    intro.admin_map = _large_image("Bản đồ hành chính")
    intro.save_revision().publish()
    contact = section("contact")
    contact.map_image = _large_image("Bản đồ trụ sở")
    contact.save_revision().publish()
    organization.chart_image = _large_image("Sơ đồ tổ chức")
    organization.save_revision().publish()
    for page in (intro, contact, organization):
        img = _figure_image(client.get(page.url).content.decode())
        widths = [int(candidate.split()[1][:-1]) for candidate in img["srcset"].split(", ")]
        assert widths == [480, 800, 1200], page.url
        assert img["src"].endswith(".webp") and img["src"] in img["srcset"]
        assert img["sizes"].startswith("(max-width: 72rem)")
        assert img["loading"] == "lazy"
        assert (img["width"], img["height"]) == ("480", "300")  # space kept: no layout shift
        assert img["alt"]

"""Demo content of the organisation app: introduction, organisation, leaders, contact, English.

The people are invented (``demo_people``) and their pictures drawn (``demo_drawings``).
"""

from __future__ import annotations

from component_sites.core.text import ascii_slug, to_ascii

from .demo_drawings import draw_map, draw_portrait
from .demo_people import (
    FAMILY,
    GIVEN_F,
    GIVEN_M,
    MIDDLE_F,
    MIDDLE_M,
    demo_leaders,
    english_name,
    unit_phrase,
)

DEPARTMENTS = {
    "commune": [
        (
            "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân",
            "Tham mưu tổng hợp, hành chính, văn thư – lưu trữ.",
        ),
        ("Phòng Kinh tế", "Nông nghiệp, tài nguyên – môi trường, xây dựng, giao thông."),
        ("Phòng Văn hoá – Xã hội", "Giáo dục, y tế, văn hoá, lao động, chính sách xã hội."),
        ("Trung tâm Phục vụ hành chính công", "Tiếp nhận hồ sơ, trả kết quả thủ tục hành chính."),
    ],
    "district": [
        (
            "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân",
            "Tham mưu tổng hợp, kiểm soát thủ tục hành chính.",
        ),
        ("Phòng Nội vụ", "Tổ chức bộ máy, cán bộ, thi đua – khen thưởng, tôn giáo."),
        ("Phòng Tài chính – Kế hoạch", "Ngân sách, đầu tư công, đăng ký kinh doanh."),
        ("Phòng Nông nghiệp và Môi trường", "Nông, lâm nghiệp, thuỷ lợi, đất đai, môi trường."),
        (
            "Phòng Văn hoá, Khoa học và Thông tin",
            "Văn hoá, thể thao, du lịch, thông tin – truyền thông.",
        ),
    ],
    "province": [
        (
            "Văn phòng Ủy ban nhân dân tỉnh",
            "Tham mưu tổng hợp, kiểm soát thủ tục hành chính, cổng thông tin điện tử.",
        ),
        ("Sở Nội vụ", "Tổ chức bộ máy, công chức, viên chức, lao động, người có công."),
        ("Sở Tài chính", "Ngân sách, đầu tư, quản lý giá, tài sản công."),
        (
            "Sở Nông nghiệp và Môi trường",
            "Nông nghiệp, lâm nghiệp, đất đai, tài nguyên, môi trường.",
        ),
        ("Sở Văn hoá, Thể thao và Du lịch", "Văn hoá, gia đình, thể thao, du lịch."),
    ],
}


def _p(*paragraphs):
    return "".join(f"<p>{text}</p>" for text in paragraphs)


def build_organization(context) -> None:
    """Introduction, organisation with leaders and departments, spokesperson, contact, English."""
    from .models import (
        ContactPage,
        Department,
        EnglishPage,
        EnglishSectionPage,
        IntroductionPage,
        LeaderPage,
        OrganizationPage,
        Spokesperson,
    )

    tenant, home, rng = context.tenant, context.home, context.rng
    intro = IntroductionPage.objects.child_of(home).first()
    contact = ContactPage.objects.child_of(home).first()
    if intro is None or contact is None:
        return
    level = getattr(tenant, "level", "commune")
    unit = unit_phrase(tenant)
    parent = getattr(tenant, "parent", None)
    where = f", {unit_phrase(parent)}" if parent is not None else ""
    area = {"commune": rng.randint(18, 60), "district": rng.randint(300, 700)}.get(
        level, rng.randint(4000, 5000)
    )
    people = {"commune": rng.randint(6, 15) * 1000, "district": rng.randint(60, 180) * 1000}.get(
        level, rng.randint(800, 900) * 1000
    )

    intro.intro = _p(
        f"{tenant.name}{where} có diện tích tự nhiên khoảng {area} km², dân số khoảng "
        + f"{people:,}".replace(",", ".")
        + " người."
    )
    intro.natural_conditions = _p(
        f"Địa hình {unit} chủ yếu là đồi núi thấp xen kẽ thung lũng và cánh đồng ven sông, "
        "khí hậu nhiệt đới gió mùa với mùa mưa từ tháng 5 đến tháng 10.",
        "Đất đai phù hợp trồng lúa, ngô, cây ăn quả có múi và rừng sản xuất; hệ thống suối, "
        "hồ chứa bảo đảm nước tưới cho phần lớn diện tích canh tác.",
    )
    intro.history = _p(
        f"Vùng đất {unit} có lịch sử lâu đời, gắn với quá trình khai phá của cộng đồng các "
        "dân tộc Mường, Kinh, Tày, Dao.",
        "Qua các thời kỳ, địa giới hành chính nhiều lần được điều chỉnh; ngày nay "
        f"{unit} là đơn vị hành chính theo Nghị quyết của Ủy ban Thường vụ Quốc hội.",
    )
    intro.culture = _p(
        "Đời sống văn hoá phong phú với lễ hội xuống đồng, hát ví, hát đúm, cồng chiêng Mường "
        "và nghề dệt thổ cẩm truyền thống.",
        "Phong trào toàn dân đoàn kết xây dựng đời sống văn hoá được duy trì; nhiều khu dân "
        "cư đạt danh hiệu khu dân cư văn hoá.",
    )
    intro.admin_map = draw_map(
        context,
        f"Bản đồ hành chính {unit}",
        f"Bản đồ hành chính (minh hoạ) {unit}: ranh giới, các khu vực và dòng sông chảy qua",
    )
    intro.admin_map_description = (
        f"Bản đồ minh hoạ ranh giới {unit}, chia thành các khu vực dân cư, có sông chảy qua; "
        "chấm đỏ là vị trí trụ sở Ủy ban nhân dân."
    )
    intro.save_revision().publish()

    leaders = demo_leaders(tenant)
    departments = DEPARTMENTS.get(level, DEPARTMENTS["commune"])
    organization = OrganizationPage(
        title="Cơ cấu tổ chức",
        slug="co-cau-to-chuc",
        # No picture: the page draws the chart, labelled, from its leaders and departments.
        chart_description=(
            f"<p>Ủy ban nhân dân {unit} gồm Chủ tịch và các Phó Chủ tịch; giúp việc có:</p><ul>"
            + "".join(f"<li>{name}</li>" for name, _duties in departments)
            + "</ul>"
        ),
        functions=_p(
            f"Ủy ban nhân dân {unit} là cơ quan chấp hành của Hội đồng nhân dân cùng cấp, "
            "cơ quan hành chính nhà nước ở địa phương, chịu trách nhiệm trước Hội đồng nhân "
            "dân và cơ quan hành chính nhà nước cấp trên.",
            "Tổ chức thi hành Hiến pháp, pháp luật; quyết định các vấn đề của địa phương "
            "trong phạm vi được phân quyền, phân cấp; quản lý nhà nước về kinh tế, văn hoá, "
            "xã hội, quốc phòng, an ninh trên địa bàn.",
        ),
    )
    phone_prefix = f"0218 3{rng.randint(600, 899)}"
    domain = getattr(tenant, "primary_domain", "") or "example.invalid"
    for number, (name, duties) in enumerate(departments):
        title = (
            "Chánh Văn phòng"
            if number == 0
            # A province's departments (Sở) and any centre are headed by a director.
            else ("Giám đốc" if name.startswith(("Sở ", "Trung tâm")) else "Trưởng phòng")
        )
        head_name = " ".join(
            [rng.choice(FAMILY), rng.choice(MIDDLE_M + MIDDLE_F), rng.choice(GIVEN_M + GIVEN_F)]
        )
        organization.departments.add(
            Department(
                name=name,
                duties=duties,
                head=f"{title} {head_name}",
                phone=f"{phone_prefix} {rng.randint(100, 999)}",
                email=f"{ascii_slug(name)[:30].strip('-')}@{domain}",
                address=f"Trụ sở Ủy ban nhân dân {unit}",
            )
        )
    intro.add_child(instance=organization)
    organization.save_revision().publish()
    for leader in leaders:
        page = LeaderPage(
            title=leader["name"],
            slug=ascii_slug(leader["name"]),
            position=leader["position"],
            photo=draw_portrait(context, leader),
            term="2021 – 2026",
            biography=_p(
                f"{leader['short']} sinh năm {leader['born']}, quê quán {unit}.",
                "Trình độ chuyên môn: Đại học; lý luận chính trị: Trung cấp.",
                "Trước khi giữ chức vụ hiện nay đã công tác tại nhiều vị trí trong hệ thống "
                "chính trị ở địa phương.",
            ),
            duties=_p(
                "Phụ trách chung, lãnh đạo, điều hành mọi hoạt động của Ủy ban nhân dân."
                if "Chủ tịch Ủy ban" in leader["position"]
                and not leader["position"].startswith("Phó")
                else "Giúp Chủ tịch theo dõi, chỉ đạo các lĩnh vực được phân công."
            ),
            phone=f"{phone_prefix} {rng.randint(100, 999)}",
        )
        organization.add_child(instance=page)
        page.save_revision().publish()
        context.count("leaders")

    spokesperson = leaders[1]
    Spokesperson.objects.create(
        name=spokesperson["name"],
        position=spokesperson["position"],
        phone=f"{phone_prefix} {rng.randint(100, 999)}",
        email=f"phatngon@{domain}",
        appointment=f"Quyết định số {rng.randint(5, 60)}/QĐ-UBND ngày 05/01/2026",
    )

    contact.address = f"Trụ sở Ủy ban nhân dân {unit}{where}"
    contact.phone = f"{phone_prefix} {rng.randint(100, 999)}"
    contact.fax = f"{phone_prefix} {rng.randint(100, 999)}"
    contact.email = f"ubnd@{domain}"
    contact.hours = (
        "Sáng: 7 giờ 30 – 11 giờ 30, thứ Hai đến thứ Sáu\n"
        "Chiều: 13 giờ 30 – 16 giờ 30, thứ Hai đến thứ Sáu\n"
        "Bộ phận một cửa làm việc thêm sáng thứ Bảy"
    )
    contact.map_image = draw_map(
        context, f"Vị trí trụ sở {unit}", f"Bản đồ minh hoạ vị trí trụ sở Ủy ban nhân dân {unit}"
    )
    contact.save_revision().publish()

    name_en = english_name(tenant)
    english = EnglishSectionPage(
        title="About us",
        slug="en",
        english_name=name_en,
        body=_p(
            f"Welcome to the website of the {name_en}. {to_ascii(tenant.name)} covers about "
            f"{area} square kilometres and has a population of about {people:,}.",
            "This English section presents the organisation, functions and contact details "
            "of the People's Committee, as required by law.",
        ),
        vietnamese_page=intro,
        show_in_menus=False,
    )
    home.add_child(instance=english)
    english.save_revision().publish()
    leaders_en = "".join(
        f"<li>{to_ascii(leader['name'])} – {leader['english_position']}</li>" for leader in leaders
    )
    pages = [
        (
            "Organisation",
            "organisation",
            EnglishPage.Topic.ORGANISATION,
            organization,
            _p(
                f"The {name_en} consists of a Chairman and Vice Chairmen, assisted by "
                f"{len(departments)} specialised offices."
            )
            + f"<h2>Leaders</h2><ul>{leaders_en}</ul>",
        ),
        (
            "Functions and duties",
            "functions",
            EnglishPage.Topic.FUNCTIONS,
            organization,
            _p(
                "The People's Committee is the executive body of the People's Council at the "
                "same level and the local state administrative authority.",
                "It organises the implementation of the Constitution and laws in its area and "
                "manages the economy, culture, society, defence and security there.",
            ),
        ),
        (
            "Contact",
            "contact",
            EnglishPage.Topic.CONTACT,
            contact,
            _p(
                "Office hours: 7:30–11:30 and 13:30–16:30, Monday to Friday. Citizens may "
                "submit administrative procedures at the one-stop service desk."
            ),
        ),
    ]
    for title, slug, topic, vietnamese, body in pages:
        page = EnglishPage(
            title=title, slug=slug, topic=topic, body=body, vietnamese_page=vietnamese
        )
        english.add_child(instance=page)
        page.save_revision().publish()
        context.count("english pages")

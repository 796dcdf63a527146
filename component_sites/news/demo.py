"""Demo news for every demo site: categories and a dozen articles about the unit."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from component_sites.core.demo_text import unit_words
from component_sites.core.text import ascii_slug

CATEGORIES = [
    # (title, parent title or None)
    ("Tin hoạt động", None),
    ("Kinh tế", None),
    ("Nông nghiệp – nông thôn", "Kinh tế"),
    ("Văn hóa – xã hội", None),
    ("Quốc phòng – an ninh", None),
    ("Chuyển đổi số", None),
]

AUTHORS = ["Minh Thu", "Quang Huy", "Bùi Thị Hạnh", "Đinh Văn Tùng", "Hoàng Lan", "Xa Văn Sơn"]

# (category, title, lead, body paragraphs, tags, featured, extras)
ARTICLES = [
    (
        "Tin hoạt động",
        "{ubnd} sơ kết công tác 6 tháng đầu năm, triển khai nhiệm vụ 6 tháng cuối năm",
        "Sáng nay, {ubnd} tổ chức hội nghị sơ kết tình hình thực hiện nhiệm vụ phát triển "
        "kinh tế – xã hội 6 tháng đầu năm và triển khai nhiệm vụ trọng tâm 6 tháng cuối năm.",
        [
            "Dự hội nghị có đại diện lãnh đạo {parent}, các đồng chí trong Ban Thường vụ, "
            "lãnh đạo {ubnd} cùng đại diện {subunits}.",
            "Báo cáo tại hội nghị cho biết, 6 tháng đầu năm, các chỉ tiêu chủ yếu đều đạt và "
            "vượt kế hoạch; công tác cải cách hành chính tiếp tục được quan tâm, tỷ lệ hồ sơ "
            "giải quyết đúng hạn đạt trên 98%.",
            "Phát biểu kết luận, đồng chí Chủ tịch {ubnd} đề nghị các bộ phận chuyên môn tập "
            "trung hoàn thành các chỉ tiêu còn lại, chú trọng thu ngân sách và phòng, chống "
            "thiên tai trong mùa mưa lũ.",
        ],
        ["sơ kết", "kinh tế – xã hội"],
        True,
        {"table": True},
    ),
    (
        "Tin hoạt động",
        "Tiếp công dân định kỳ: lắng nghe, giải quyết kịp thời kiến nghị của người dân",
        "Lãnh đạo {ubnd} đã tiếp công dân định kỳ tại Trụ sở tiếp công dân, tiếp nhận và "
        "trả lời trực tiếp nhiều ý kiến, kiến nghị.",
        [
            "Các ý kiến tập trung vào lĩnh vực đất đai, chính sách an sinh xã hội và đầu tư "
            "xây dựng hạ tầng giao thông nông thôn.",
            "Những nội dung thuộc thẩm quyền đã được giải thích, hướng dẫn ngay tại buổi "
            "tiếp; các nội dung cần xác minh được giao bộ phận chuyên môn giải quyết theo "
            "đúng thời hạn quy định.",
        ],
        ["tiếp công dân", "cải cách hành chính"],
        False,
        {},
    ),
    (
        "Nông nghiệp – nông thôn",
        "Nông dân {lower} thu hoạch lúa vụ xuân, năng suất ước đạt 60 tạ/ha",
        "Những ngày này, trên khắp các cánh đồng của {lower}, bà con nông dân đang tất bật "
        "thu hoạch lúa vụ xuân trong niềm vui được mùa.",
        [
            "Vụ xuân năm nay, toàn đơn vị gieo cấy theo đúng khung lịch thời vụ, sử dụng các "
            "giống lúa chất lượng cao, chủ động phòng trừ sâu bệnh.",
            "Cán bộ khuyến nông khuyến cáo bà con tranh thủ thời tiết thuận lợi để thu hoạch "
            "nhanh, gọn, đồng thời làm đất chuẩn bị cho vụ mùa.",
        ],
        ["nông nghiệp", "vụ xuân"],
        True,
        {"gallery": 3},
    ),
    (
        "Nông nghiệp – nông thôn",
        "Ra mắt hợp tác xã trồng cây ăn quả theo tiêu chuẩn VietGAP",
        "Hợp tác xã gồm 25 thành viên với diện tích gần 20 ha cây ăn quả có múi, được hỗ trợ "
        "xây dựng quy trình sản xuất theo tiêu chuẩn VietGAP.",
        [
            "Việc thành lập hợp tác xã giúp các hộ liên kết trong sản xuất, tiêu thụ, nâng "
            "cao giá trị sản phẩm và hướng tới xây dựng sản phẩm OCOP.",
            "{ubnd} cam kết tạo điều kiện thuận lợi về thủ tục, hỗ trợ quảng bá sản phẩm "
            "trên các sàn thương mại điện tử.",
        ],
        ["OCOP", "hợp tác xã"],
        False,
        {"quote": "Liên kết sản xuất là con đường để nông sản của bà con có chỗ đứng bền vững."},
    ),
    (
        "Kinh tế",
        "{name} đẩy mạnh các giải pháp thu ngân sách nhà nước",
        "Để hoàn thành dự toán thu ngân sách được giao, {ubnd} đã chỉ đạo triển khai đồng bộ "
        "nhiều giải pháp chống thất thu, nuôi dưỡng nguồn thu.",
        [
            "Cơ quan thuế phối hợp với {subunits} rà soát các hộ kinh doanh, đôn đốc thu nợ "
            "đọng và hướng dẫn người nộp thuế sử dụng dịch vụ thuế điện tử.",
        ],
        ["ngân sách", "thuế"],
        False,
        {"table": True},
    ),
    (
        "Văn hóa – xã hội",
        "Khai giảng lớp đào tạo nghề cho lao động nông thôn",
        "Lớp học kéo dài 3 tháng với 35 học viên là lao động nông thôn, trong đó có nhiều "
        "người thuộc hộ nghèo, hộ cận nghèo.",
        [
            "Học viên được học lý thuyết kết hợp thực hành, được hỗ trợ tiền ăn và tài liệu "
            "học tập theo quy định.",
            "Sau khóa học, học viên được cấp chứng chỉ và được giới thiệu việc làm tại các "
            "doanh nghiệp trên địa bàn.",
        ],
        ["đào tạo nghề", "việc làm"],
        False,
        {},
    ),
    (
        "Văn hóa – xã hội",
        "Ngày hội Đại đoàn kết toàn dân tộc tại {subunits}",
        "Hưởng ứng kỷ niệm Ngày truyền thống Mặt trận Tổ quốc Việt Nam, {subunits} trên địa "
        "bàn đồng loạt tổ chức Ngày hội Đại đoàn kết toàn dân tộc.",
        [
            "Ngày hội gồm phần lễ ôn lại truyền thống, biểu dương gia đình văn hóa tiêu biểu "
            "và phần hội với các trò chơi dân gian, giao lưu văn nghệ.",
        ],
        ["đại đoàn kết", "Mặt trận Tổ quốc"],
        True,
        {"gallery": 4},
    ),
    (
        "Quốc phòng – an ninh",
        "Ra quân huấn luyện dân quân năm {year}",
        "{ubnd} tổ chức lễ ra quân huấn luyện cho lực lượng dân quân thường trực, dân quân "
        "cơ động và dân quân tại chỗ.",
        [
            "Nội dung huấn luyện gồm chính trị, điều lệnh, kỹ thuật, chiến thuật và các bài "
            "tập phòng, chống thiên tai, tìm kiếm cứu nạn.",
        ],
        ["dân quân", "quốc phòng"],
        False,
        {},
    ),
    (
        "Quốc phòng – an ninh",
        "Cảnh giác với các thủ đoạn lừa đảo qua điện thoại và mạng xã hội",
        "Công an {lower} khuyến cáo người dân không cung cấp mã OTP, thông tin tài khoản ngân "
        "hàng cho bất kỳ ai qua điện thoại hay mạng xã hội.",
        [
            "Thời gian gần đây, các đối tượng giả danh cơ quan công an, ngân hàng, nhà mạng để "
            "yêu cầu người dân chuyển tiền hoặc cài đặt ứng dụng lạ.",
            "Khi nghi ngờ bị lừa đảo, người dân cần báo ngay cho công an nơi gần nhất.",
        ],
        ["phòng chống lừa đảo", "an ninh mạng"],
        True,
        {
            "quote": "Không chuyển tiền, không cung cấp mã OTP cho người lạ "
            "dưới bất kỳ hình thức nào."
        },
    ),
    (
        "Chuyển đổi số",
        "Tổ công nghệ số cộng đồng hỗ trợ người dân sử dụng dịch vụ công trực tuyến",
        "Các Tổ công nghệ số cộng đồng tại {subunits} đã hướng dẫn hàng trăm lượt người dân "
        "cài đặt, kích hoạt tài khoản định danh điện tử VNeID.",
        [
            "Tổ viên là đoàn viên thanh niên, công an viên và cán bộ thôn, xóm, trực tiếp đến "
            "từng hộ gia đình để hướng dẫn.",
            "Nhờ đó, tỷ lệ hồ sơ thủ tục hành chính nộp trực tuyến tăng rõ rệt so với cùng kỳ.",
        ],
        ["chuyển đổi số", "VNeID"],
        True,
        {},
    ),
    (
        "Chuyển đổi số",
        "Hướng dẫn nộp hồ sơ trực tuyến trên Cổng Dịch vụ công quốc gia",
        "Người dân có thể nộp hồ sơ, theo dõi kết quả và thanh toán phí, lệ phí trực tuyến "
        "mà không phải đến trụ sở {ubnd}.",
        [
            "Bước 1: Đăng nhập Cổng Dịch vụ công quốc gia bằng tài khoản định danh điện tử.",
            "Bước 2: Tìm thủ tục cần thực hiện, chọn cơ quan thực hiện là {ubnd}.",
            "Bước 3: Điền thông tin, đính kèm giấy tờ và nộp hồ sơ; kết quả được thông báo qua "
            "tin nhắn và thư điện tử.",
        ],
        ["dịch vụ công", "hướng dẫn"],
        False,
        {},
    ),
    (
        "Tin hoạt động",
        "Kiểm tra công tác phòng, chống thiên tai và tìm kiếm cứu nạn",
        "Đoàn kiểm tra của {ubnd} đã kiểm tra các điểm có nguy cơ sạt lở đất, ngập úng trên "
        "địa bàn trước mùa mưa bão.",
        [
            "Đoàn yêu cầu {subunits} rà soát phương án sơ tán dân, chuẩn bị lương thực, "
            "phương tiện theo phương châm “bốn tại chỗ”.",
        ],
        ["phòng chống thiên tai"],
        False,
        {"gallery": 2},
    ),
]

# A province's portal reports on provincial work (departments, the provincial budget),
# not a commune's: these replace the commune-sized articles of the same title.
PROVINCE_VARIANTS = {
    "Ra mắt hợp tác xã trồng cây ăn quả theo tiêu chuẩn VietGAP": (
        "Sở Nông nghiệp và Môi trường: toàn tỉnh có thêm 42 sản phẩm OCOP đạt 3 sao trở lên",
        "Sở Nông nghiệp và Môi trường vừa tổng kết chương trình Mỗi xã một sản phẩm (OCOP); "
        "các xã, phường trong tỉnh có thêm 42 sản phẩm được công nhận đạt 3 sao trở lên.",
        [
            "Giám đốc Sở Nông nghiệp và Môi trường cho biết, nhiều hợp tác xã đã liên kết sản "
            "xuất theo chuỗi, áp dụng tiêu chuẩn VietGAP và truy xuất nguồn gốc điện tử.",
            "{ubnd} giao Sở Công Thương hỗ trợ quảng bá sản phẩm trên các sàn thương mại điện tử "
            "và tại các hội chợ xúc tiến thương mại trong nước.",
        ],
    ),
    "{name} đẩy mạnh các giải pháp thu ngân sách nhà nước": (
        "HĐND tỉnh thông qua dự toán thu, chi ngân sách địa phương năm {year}",
        "Kỳ họp của Hội đồng nhân dân tỉnh đã thông qua nghị quyết về dự toán thu ngân sách "
        "nhà nước trên địa bàn, thu, chi ngân sách địa phương và phương án phân bổ ngân sách "
        "cấp tỉnh năm {year}.",
        [
            "Theo báo cáo của Sở Tài chính, dự toán bảo đảm chi thường xuyên của các sở, ban, "
            "ngành và các xã, phường, dành nguồn lực cho đầu tư công, an sinh xã hội.",
            "Giám đốc Sở Tài chính đề nghị các đơn vị dự toán thực hiện tiết kiệm chi, đẩy "
            "nhanh giải ngân vốn đầu tư công ngay từ đầu năm.",
        ],
    ),
    "Khai giảng lớp đào tạo nghề cho lao động nông thôn": (
        "Sở Nội vụ triển khai kế hoạch đào tạo nghề, giải quyết việc làm năm {year}",
        "Sở Nội vụ đã ban hành kế hoạch đào tạo nghề cho hơn 20.000 lao động, trong đó chú "
        "trọng lao động nông thôn, người thuộc hộ nghèo, hộ cận nghèo.",
        [
            "Các cơ sở giáo dục nghề nghiệp trên địa bàn tỉnh phối hợp với doanh nghiệp xây "
            "dựng chương trình đào tạo gắn với nhu cầu tuyển dụng.",
            "Giám đốc Sở Nội vụ yêu cầu các xã, phường rà soát nhu cầu học nghề, tổ chức các "
            "phiên giao dịch việc làm định kỳ hằng tháng.",
        ],
    ),
}

# The budget line of an article's table, in billion đồng, by level.
BUDGET_RANGE = {"commune": (3, 40), "district": (200, 900), "province": (15000, 24000)}

TABLE_ROWS = [
    ("Tổng thu ngân sách", "{a},{b} tỷ đồng"),
    ("Tỷ lệ so với dự toán", "{p}%"),
    ("Hồ sơ giải quyết đúng hạn", "98,{c}%"),
]


def _fill(text: str, words, year: int) -> str:
    return text.format(
        ubnd=words.ubnd,
        name=words.name,
        lower=words.lower,
        subunits=words.subunits,
        parent=words.parent,
        year=year,
    )


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def build_news(context) -> None:
    """Categories and 12 articles (images, tags, authors) dated over the last weeks."""
    from component_sites.core.models import SectionPage

    from .models import ArticleGalleryImage, ArticlePage, NewsCategoryPage, NewsIndexPage

    index = NewsIndexPage.objects.child_of(context.home).first()
    if index is None:
        # A site made before news pages existed: its news section is a plain section.
        section = SectionPage.objects.child_of(context.home).filter(section_key="news").first()
        if section is None:
            return
        index = section.specific
        if not isinstance(index, NewsIndexPage):
            return
    rng = context.rng
    words = unit_words(context.tenant)
    now = timezone.now().replace(minute=0, second=0, microsecond=0)

    categories = {}
    for title, parent_title in CATEGORIES:
        parent = categories[parent_title] if parent_title else index
        category = NewsCategoryPage(title=title, slug=ascii_slug(title), show_in_menus=True)
        parent.add_child(instance=category)
        categories[title] = category
        context.count("news categories")

    offsets = sorted(rng.sample(range(1, 40 * 24), len(ARTICLES)), reverse=True)
    level = getattr(context.tenant, "level", "commune")
    for (cat, title, lead, paragraphs, tags, featured, extras), hours_ago in zip(
        ARTICLES, offsets, strict=True
    ):
        if level == "province" and title in PROVINCE_VARIANTS:
            title, lead, paragraphs = PROVINCE_VARIANTS[title]
        title = _capital(_fill(title, words, now.year))
        lead = _capital(_fill(lead, words, now.year))
        image = context.image(title[:100], f"Ảnh minh hoạ: {title[:200]}", width=960)
        body = []
        for number, paragraph in enumerate(paragraphs):
            body.append(("paragraph", f"<p>{_capital(_fill(paragraph, words, now.year))}</p>"))
            if number == 0 and "quote" in extras:
                body.append(
                    (
                        "quote",
                        {"text": extras["quote"], "attribution": f"Lãnh đạo {words.ubnd}"},
                    )
                )
        if "table" in extras:
            low, high = BUDGET_RANGE.get(level, BUDGET_RANGE["commune"])
            budget = f"{rng.randint(low, high):,}".replace(",", ".")
            rows = [
                {
                    "key": key,
                    "value": value.format(
                        a=budget,
                        b=rng.randint(1, 9),
                        p=rng.randint(52, 68),
                        c=rng.randint(1, 9),
                    ),
                }
                for key, value in TABLE_ROWS
            ]
            body.append(("heading", {"text": "Một số chỉ tiêu chủ yếu", "level": "h2"}))
            body.append(("table", {"caption": "Kết quả 6 tháng đầu năm", "rows": rows}))
        article = ArticlePage(
            title=title,
            slug=ascii_slug(title),
            lead=lead,
            body=body,
            featured_image=image,
            featured_image_caption=f"{title[:120]} (Ảnh: {rng.choice(AUTHORS)})",
            author=rng.choice(AUTHORS),
            source=f"Trang thông tin điện tử {words.lower}",
            publication_date=now - timedelta(hours=hours_ago),
            featured=featured,
        )
        categories[cat].add_child(instance=article)
        article.tags.add(*tags)
        for number in range(extras.get("gallery", 0)):
            picture = context.image(
                f"{title[:80]} – ảnh {number + 1}",
                f"Ảnh {number + 1} của bài: {title[:150]}",
                width=960,
            )
            ArticleGalleryImage.objects.create(
                page=article, image=picture, sort_order=number, caption=f"Ảnh {number + 1}"
            )
        article.save_revision().publish()
        context.count("articles")

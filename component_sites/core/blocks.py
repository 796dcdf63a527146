"""StreamField blocks shared by every content app (articles, notices, introductions...)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock


class HeadingBlock(blocks.StructBlock):
    """A section heading inside a body (h2 or h3: the page title is the only h1)."""

    text = blocks.CharBlock(label=_("tiêu đề"), max_length=255)
    level = blocks.ChoiceBlock(
        label=_("cấp"),
        choices=[("h2", _("Tiêu đề mục (H2)")), ("h3", _("Tiêu đề mục con (H3)"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        template = "core/blocks/heading_block.html"
        label = _("Tiêu đề mục")
        description = _("Tiêu đề một đoạn trong bài (cấp 2 hoặc 3).")
        preview_value = {"text": "Kết quả thực hiện năm 2025", "level": "h2"}


class ParagraphBlock(blocks.RichTextBlock):
    """Body text with links and lists; no headings (use the heading block) and no images."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "features", ["bold", "italic", "link", "document-link", "ol", "ul", "superscript"]
        )
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        template = "core/blocks/paragraph_block.html"
        label = _("Đoạn văn")
        description = _("Đoạn văn bản có định dạng (đậm, nghiêng, liên kết, danh sách).")
        preview_value = "<p>Sáng nay, Ủy ban nhân dân xã đã tổ chức hội nghị tổng kết.</p>"


class ImageBlock(blocks.StructBlock):
    """An image with a caption; the image's own alt text is used unless overridden."""

    image = ImageChooserBlock(label=_("ảnh"))
    caption = blocks.CharBlock(label=_("chú thích"), required=False, max_length=500)
    alt_text = blocks.CharBlock(
        label=_("văn bản thay thế"),
        required=False,
        max_length=255,
        help_text=_("Để trống để dùng mô tả đã nhập cho ảnh."),
    )

    class Meta:
        icon = "image"
        template = "core/blocks/image_block.html"
        label = _("Ảnh có chú thích")
        description = _("Một ảnh kèm chú thích bên dưới.")


class QuoteBlock(blocks.StructBlock):
    """A quotation with its author (a leader's statement, a citizen's words)."""

    text = blocks.TextBlock(label=_("trích dẫn"))
    attribution = blocks.CharBlock(label=_("người nói / nguồn"), required=False, max_length=255)

    class Meta:
        icon = "openquote"
        template = "core/blocks/quote_block.html"
        label = _("Trích dẫn")
        description = _("Lời trích dẫn kèm tên người nói.")
        preview_value = {
            "text": "Chuyển đổi số phải lấy người dân làm trung tâm.",
            "attribution": "Chủ tịch UBND xã",
        }


class VideoEmbedBlock(blocks.StructBlock):
    """A video from a sharing site (YouTube...), embedded through oEmbed."""

    video = EmbedBlock(label=_("địa chỉ video"), help_text=_("Ví dụ: https://youtu.be/..."))
    caption = blocks.CharBlock(label=_("chú thích"), required=False, max_length=500)

    class Meta:
        icon = "media"
        template = "core/blocks/video_embed_block.html"
        label = _("Video nhúng")
        description = _("Video từ YouTube hoặc trang chia sẻ video khác.")


class DocumentLinkBlock(blocks.StructBlock):
    """A link to an uploaded file (form, report, decision) with its type and size."""

    document = DocumentChooserBlock(label=_("tệp"))
    title = blocks.CharBlock(
        label=_("tên hiển thị"),
        required=False,
        max_length=255,
        help_text=_("Để trống để dùng tên của tệp."),
    )

    class Meta:
        icon = "doc-full"
        template = "core/blocks/document_link_block.html"
        label = _("Tệp đính kèm")
        description = _("Liên kết tải về một tệp đã tải lên.")


class KeyValueRowBlock(blocks.StructBlock):
    key = blocks.CharBlock(label=_("mục"), max_length=255)
    value = blocks.CharBlock(label=_("nội dung"), max_length=1000)

    class Meta:
        icon = "list-ul"
        label = _("Dòng")


class KeyValueTableBlock(blocks.StructBlock):
    """A two-column table (figure → value), e.g. the results of a campaign."""

    caption = blocks.CharBlock(label=_("tên bảng"), max_length=255)
    rows = blocks.ListBlock(KeyValueRowBlock(), label=_("các dòng"), min_num=1)

    class Meta:
        icon = "table"
        template = "core/blocks/key_value_table_block.html"
        label = _("Bảng số liệu")
        description = _("Bảng hai cột: chỉ tiêu và giá trị.")
        preview_value = {
            "caption": "Kết quả thu ngân sách",
            "rows": [{"key": "Thu ngân sách", "value": "12,5 tỷ đồng"}],
        }

    def clean(self, value):
        value = super().clean(value)
        keys = [row["key"].strip().lower() for row in value["rows"]]
        if len(keys) != len(set(keys)):
            raise ValidationError(_("Mỗi mục trong bảng chỉ được xuất hiện một lần."))
        return value


class BodyStreamBlock(blocks.StreamBlock):
    """The body of an article or any long page."""

    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    image = ImageBlock()
    quote = QuoteBlock()
    video = VideoEmbedBlock()
    document = DocumentLinkBlock()
    table = KeyValueTableBlock()

    class Meta:
        block_counts = {}


__all__ = [
    "BodyStreamBlock",
    "DocumentLinkBlock",
    "HeadingBlock",
    "ImageBlock",
    "KeyValueTableBlock",
    "ParagraphBlock",
    "QuoteBlock",
    "VideoEmbedBlock",
]

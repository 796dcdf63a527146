"""Documents (văn bản): the documents section, document pages and their classifications.

Types, issuing bodies and fields are per-site snippets, so each site lists what it
publishes; their slugs are the values of the list's filters.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Orderable
from wagtail.search import index

from component_sites.core import counters
from component_sites.core.models import BasePage, SectionPage
from component_sites.core.text import AsciiSlugMixin, ascii_slug
from component_sites.core.uploads import clean_name
from component_sites.core.views import serve_document

from .listing import DocumentListing

DOWNLOADS = "document-download"


class Classification(index.Indexed, models.Model):
    """A named, ordered value with an ASCII slug (used in filter URLs)."""

    name = models.CharField(_("tên"), max_length=255, unique=True)
    slug = models.SlugField(
        _("mã trên đường dẫn"),
        max_length=100,
        unique=True,
        blank=True,
        help_text=_("Để trống để tạo tự động từ tên."),
    )
    sort_order = models.PositiveIntegerField(_("thứ tự"), default=100)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = ascii_slug(self.name, max_length=100)
        super().save(*args, **kwargs)


class DocumentType(Classification):
    """Loại văn bản: Luật, Nghị định, Quyết định, Công văn..."""

    class Meta(Classification.Meta):
        verbose_name = _("loại văn bản")
        verbose_name_plural = _("loại văn bản")


class IssuingBody(Classification):
    """Cơ quan ban hành: Quốc hội, Chính phủ, UBND tỉnh..."""

    class Meta(Classification.Meta):
        verbose_name = _("cơ quan ban hành")
        verbose_name_plural = _("cơ quan ban hành")


class DocumentField(Classification):
    """Lĩnh vực: Đất đai, Y tế, Giáo dục..."""

    class Meta(Classification.Meta):
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")


class DocumentIndexPage(SectionPage):
    """The documents section: a filterable, searchable list of the documents under it."""

    per_page = 20

    content_panels = SectionPage.content_panels
    search_fields = SectionPage.search_fields

    subpage_types = ["documents.LegalDocumentPage"]

    class Meta:
        verbose_name = _("trang văn bản")
        verbose_name_plural = _("trang văn bản")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["listing"] = DocumentListing(self, request)
        return context


class LegalDocumentPage(AsciiSlugMixin, RoutablePageMixin, BasePage):
    """One document (văn bản): its identification, summary and attached files."""

    number = models.CharField(
        _("số, ký hiệu"),
        max_length=100,
        help_text=_("Ví dụ: 42/2022/NĐ-CP, 125/QĐ-UBND."),
    )
    document_type = models.ForeignKey(
        DocumentType, verbose_name=_("loại văn bản"), on_delete=models.PROTECT, related_name="+"
    )
    issuing_body = models.ForeignKey(
        IssuingBody, verbose_name=_("cơ quan ban hành"), on_delete=models.PROTECT, related_name="+"
    )
    field = models.ForeignKey(
        DocumentField,
        verbose_name=_("lĩnh vực"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signer = models.CharField(_("người ký"), max_length=255, blank=True)
    issue_date = models.DateField(_("ngày ban hành"), db_index=True)
    effective_date = models.DateField(_("ngày có hiệu lực"), null=True, blank=True)
    expiry_date = models.DateField(
        _("ngày hết hiệu lực"),
        null=True,
        blank=True,
        help_text=_("Để trống khi văn bản còn hiệu lực (chưa bị thay thế, bãi bỏ)."),
    )
    abstract = models.TextField(_("trích yếu"))
    is_party_document = models.BooleanField(
        _("văn bản của Đảng"),
        default=False,
        help_text=_("Đánh dấu văn bản của cấp uỷ, tổ chức Đảng."),
    )
    # Kept from issue_date on save: the year facet groups and filters on it.
    issue_year = models.PositiveSmallIntegerField(editable=False, db_index=True, default=0)

    content_panels = [
        *BasePage.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("number"), FieldPanel("document_type")]),
                FieldRowPanel([FieldPanel("issuing_body"), FieldPanel("field")]),
                FieldRowPanel(
                    [
                        FieldPanel("issue_date"),
                        FieldPanel("effective_date"),
                        FieldPanel("expiry_date"),
                    ]
                ),
                FieldRowPanel([FieldPanel("signer"), FieldPanel("is_party_document")]),
            ],
            heading=_("Thông tin văn bản"),
        ),
        FieldPanel("abstract"),
        InlinePanel("attachments", label=_("Tệp đính kèm"), min_num=0),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("number"),
        index.AutocompleteField("number"),
        index.SearchField("abstract"),
        index.SearchField("signer"),
        index.FilterField("document_type"),
        index.FilterField("issuing_body"),
        index.FilterField("field"),
        index.FilterField("issue_year"),
        index.FilterField("issue_date"),
        index.FilterField("is_party_document"),
    ]

    parent_page_types = ["documents.DocumentIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản")

    def clean(self):
        super().clean()
        if self.effective_date and self.issue_date and self.effective_date < self.issue_date:
            raise ValidationError(
                {"effective_date": _("Ngày có hiệu lực không thể trước ngày ban hành.")}
            )
        start = self.effective_date or self.issue_date
        if self.expiry_date and start and self.expiry_date <= start:
            raise ValidationError(
                {
                    "expiry_date": _(
                        "Ngày hết hiệu lực phải sau ngày có hiệu lực (hoặc ngày ban hành)."
                    )
                }
            )

    def validity(self, today=None) -> tuple[str, str]:
        """(key, label): "con-hieu-luc" / "het-hieu-luc" / "chua-co-hieu-luc" on ``today``."""
        today = today or timezone.localdate()
        if self.expiry_date and self.expiry_date <= today:
            return "het-hieu-luc", "Hết hiệu lực"
        if self.effective_date and self.effective_date > today:
            return "chua-co-hieu-luc", "Chưa có hiệu lực"
        return "con-hieu-luc", "Còn hiệu lực"

    @property
    def validity_label(self) -> str:
        return self.validity()[1]

    @property
    def validity_key(self) -> str:
        return self.validity()[0]

    def save(self, *args, **kwargs):
        self.issue_year = self.issue_date.year if self.issue_date else 0
        return super().save(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        attachments = list(self.attachments.select_related("document"))
        downloads = counters.get_counts(DOWNLOADS, [a.document_id for a in attachments])
        for attachment in attachments:
            attachment.downloads = downloads.get(attachment.document_id, 0)
        context["attachments"] = attachments
        return context

    @path("tai-ve/<int:attachment_id>/", name="download")
    def download(self, request, attachment_id):
        """Count a download (in Redis) and serve the file through the one document view."""
        attachment = self.attachments.select_related("document__collection").filter(
            pk=attachment_id
        )
        attachment = attachment.first()
        if attachment is None:
            raise Http404(_("Không tìm thấy tệp đính kèm."))
        document = attachment.document
        for restriction in document.collection.get_view_restrictions():
            if not restriction.accept_request(request):
                # Wagtail's own view asks for the password or login of a private collection.
                return redirect(document.url)
        if not document.file.storage.exists(document.file.name):
            raise Http404(_("Tệp không còn trên máy chủ."))
        response = serve_document(request, document.pk, document.filename)
        if response.status_code == 200 and not getattr(request, "is_preview", False):
            counters.increment(DOWNLOADS, document.pk)
        return response


class LegalDocumentAttachment(Orderable):
    """A file of a document (the signed copy, appendices)."""

    page = ParentalKey(LegalDocumentPage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        settings.WAGTAILDOCS_DOCUMENT_MODEL,
        verbose_name=_("tệp"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    label = models.CharField(
        _("tên hiển thị"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: Bản ký số, Phụ lục I. Để trống để dùng tên tệp."),
    )

    panels = [FieldPanel("document"), FieldPanel("label")]

    class Meta(Orderable.Meta):
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")

    @property
    def display_name(self):
        return self.label or self.document.title

    def save(self, *args, **kwargs):
        self.label = clean_name(self.label)
        return super().save(*args, **kwargs)

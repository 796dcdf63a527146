"""Models every site has: custom image/document models, the base page and the home page."""

import contextlib

from django.apps import apps
from django.db import models
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import get_tenant_domain_model, get_tenant_model
from wagtail.admin.panels import FieldPanel
from wagtail.documents.models import AbstractDocument, Document
from wagtail.fields import RichTextField
from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtail.models import Page
from wagtail.search import index

from . import origin, page_routing, registry, renditions, site_cache, uploads
from .text import default_page_slug, fold, plain_text


class SiteImage(AbstractImage):
    """An image of one site; alt text is required (WCAG: every image needs a text alternative)."""

    alt_text = models.CharField(
        _("văn bản thay thế (alt)"),
        max_length=255,
        help_text=_("Mô tả ngắn nội dung ảnh cho người dùng trình đọc màn hình."),
    )
    caption = models.CharField(_("chú thích"), max_length=500, blank=True)
    credit = models.CharField(_("nguồn ảnh / tác giả"), max_length=255, blank=True)

    admin_form_fields = (*Image.admin_form_fields, "alt_text", "caption", "credit")

    class Meta(AbstractImage.Meta):
        verbose_name = _("hình ảnh")
        verbose_name_plural = _("hình ảnh")

    @property
    def default_alt_text(self):
        return self.alt_text or self.title

    def get_rendition(self, filter):
        # Without Wagtail 8.0's cache write on every call (core.renditions).
        return renditions.existing(self, filter) or super().get_rendition(filter)

    def save(self, *args, **kwargs):
        # Titles default to the uploaded file's name: no right-to-left overrides in them.
        self.title = uploads.clean_name(self.title)
        return super().save(*args, **kwargs)


class SiteRendition(AbstractRendition):
    image = models.ForeignKey(SiteImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


class SiteDocument(AbstractDocument):
    """A file attached to a site's content (văn bản, biểu mẫu...)."""

    description = models.TextField(_("mô tả"), blank=True)

    admin_form_fields = (*Document.admin_form_fields, "description")

    class Meta(AbstractDocument.Meta):
        verbose_name = _("tệp tài liệu")
        verbose_name_plural = _("tệp tài liệu")

    def clean(self):
        """Only the province's list of extensions, and bytes that match the extension."""
        from django.conf import settings
        from django.core.exceptions import ValidationError

        if not self.file:
            return
        extension = uploads.extension_of(self.file.name)
        allowed = [
            e.lower()
            for e in getattr(settings, "WAGTAILDOCS_EXTENSIONS", None) or []
            if e.lower() not in uploads.FORBIDDEN_EXTENSIONS
        ]
        if extension in uploads.FORBIDDEN_EXTENSIONS or (allowed and extension not in allowed):
            raise ValidationError(
                {
                    "file": _(
                        "Không được tải lên tệp .%(extension)s. Các loại tệp được phép: "
                        "%(allowed)s."
                    )
                    % {"extension": extension or "?", "allowed": ", ".join(allowed)}
                }
            )
        if not getattr(self.file, "_committed", True):
            try:
                uploads.check_document(self.file.file, self.file.name)
            except ValidationError as error:
                raise ValidationError({"file": error.messages}) from error

    def save(self, *args, **kwargs):
        self.title = uploads.clean_name(self.title)
        if self.file_size is None and self.file:
            # Wagtail's admin form fills it; files added by code (imports, demo) too.
            with contextlib.suppress(OSError):
                self.file_size = self.file.size
        return super().save(*args, **kwargs)


class BasePage(Page):
    """Fields every public page shares (metadata for sharing and Dublin Core)."""

    summary = models.TextField(
        _("tóm tắt"),
        blank=True,
        help_text=_("Dùng cho thẻ mô tả khi chia sẻ và trong kết quả tìm kiếm."),
    )

    promote_panels = [*Page.promote_panels, FieldPanel("summary")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        # The same words without diacritics, so that an unaccented query finds them.
        index.SearchField("folded_search_text"),
    ]

    class Meta:
        abstract = True

    def folded_search_text(self) -> str:
        """Every indexed text of this page, folded (``Hòa Bình`` → ``hoa binh``)."""
        parts = []
        for search_field in self.get_search_fields():
            if not isinstance(search_field, index.SearchField):
                continue
            if search_field.field_name == "folded_search_text":
                continue
            value = search_field.get_value(self)
            if isinstance(value, (list, tuple)):
                parts.extend(str(item) for item in value if item)
            elif value:
                parts.append(str(value))
        return fold(strip_tags(" ".join(parts)))

    # Where a page's meta description comes from when the editors wrote none, in order.
    DESCRIPTION_SOURCES = ("search_description", "summary", "lead", "abstract", "intro", "body")

    def meta_description(self) -> str:
        """Up to 160 characters of plain text saying what the page is (``""`` if nothing)."""
        for name in self.DESCRIPTION_SOURCES:
            value = getattr(self, name, None)
            if isinstance(value, str):
                text = plain_text(value)
                if text:
                    return Truncator(text).chars(160)
        return ""

    def get_view_restrictions(self):
        # Wagtail asks on every page served (two queries: ancestors, restrictions); a site
        # with no restriction at all has none to give (site_cache: forgotten on any change).
        if not site_cache.restricted_paths():
            from wagtail.models import PageViewRestriction

            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()

    def get_url_parts(self, request=None):
        # Absolute URLs on the site's public origin (component_sites.core.origin), not on
        # Wagtail's Site row (port 80, http): canonical, og:url, sitemap, RSS all use it.
        parts = super().get_url_parts(request)
        if not parts or parts[1] is None:
            return parts
        site_id, root_url, page_path = parts
        return site_id, origin.site_origin(request) or root_url, page_path

    def full_clean(self, *args, **kwargs):
        # Slugs are ASCII: Wagtail's fallback would drop "đ" and keep other letters' marks.
        # A title already used under the same parent gets Wagtail's "-2", "-3"... suffix.
        if not self.slug and self.title:
            self.slug = default_page_slug(self)
        super().full_clean(*args, **kwargs)


def member_sites(tenant):
    """The active sites directly under ``tenant`` (read from the public registry)."""
    tenant_model = get_tenant_model()
    if not isinstance(tenant, tenant_model):
        return []
    primary = get_tenant_domain_model().objects.filter(is_primary=True)
    return list(
        tenant.children.exclude(status=tenant_model.Status.SUSPENDED)
        .prefetch_related(Prefetch("domains", queryset=primary))
        .order_by("name")
    )


class SectionPage(BasePage):
    """A section of the portal (chuyên trang): introduction, news, documents, contact...

    Standard sections carry a ``section_key`` so that other parts of the platform (menus,
    scoring of mandatory sections) can find them whatever the editors rename them to.
    """

    class Key(models.TextChoices):
        INTRODUCTION = "introduction", _("Giới thiệu")
        NEWS = "news", _("Tin tức – sự kiện")
        DOCUMENTS = "documents", _("Văn bản")
        PROCEDURES = "procedures", _("Thủ tục hành chính")
        QUESTIONS = "questions", _("Hỏi – đáp")
        DRAFTS = "drafts", _("Lấy ý kiến dự thảo")
        NOTICES = "notices", _("Thông báo")
        MEDIA = "media", _("Thư viện ảnh – video")
        SCHEDULE = "schedule", _("Lịch công tác")
        CONTACT = "contact", _("Liên hệ")

    section_key = models.CharField(
        _("chuyên mục chuẩn"),
        max_length=32,
        choices=Key.choices,
        blank=True,
        help_text=_("Để trống với chuyên mục tự tạo."),
    )
    intro = RichTextField(_("lời giới thiệu"), blank=True)

    content_panels = [*BasePage.content_panels, FieldPanel("intro")]
    promote_panels = [*BasePage.promote_panels, FieldPanel("section_key")]
    search_fields = [*BasePage.search_fields, index.SearchField("intro")]

    parent_page_types = ["core.HomePage", "core.SectionPage"]

    class Meta:
        verbose_name = _("chuyên mục")
        verbose_name_plural = _("chuyên mục")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["subsections"] = site_cache.public(self.get_children().live()).specific()
        return context


# The standard section tree of a local portal, in menu order: (key, slug).
STANDARD_SECTIONS = [
    (SectionPage.Key.INTRODUCTION, "gioi-thieu"),
    (SectionPage.Key.NEWS, "tin-tuc"),
    (SectionPage.Key.DOCUMENTS, "van-ban"),
    (SectionPage.Key.PROCEDURES, "thu-tuc-hanh-chinh"),
    (SectionPage.Key.QUESTIONS, "hoi-dap"),
    (SectionPage.Key.DRAFTS, "lay-y-kien-du-thao"),
    (SectionPage.Key.NOTICES, "thong-bao"),
    (SectionPage.Key.MEDIA, "thu-vien"),
    (SectionPage.Key.SCHEDULE, "lich-cong-tac"),
    (SectionPage.Key.CONTACT, "lien-he"),
]


def section_page_model(key):
    """The page model that a new standard section ``key`` is created as.

    Content apps register their typed sections (``registry.register_section_page``); a key
    without one is served by a plain ``SectionPage``.
    """
    label = registry.SECTION_PAGE_TYPES.get(str(key))
    return apps.get_model(label) if label else SectionPage


def ensure_standard_sections(home) -> int:
    """Add the standard sections missing under ``home``; returns how many were added."""
    present = set(
        SectionPage.objects.child_of(home)
        .exclude(section_key="")
        .values_list("section_key", flat=True)
    )
    added = 0
    for key, slug in STANDARD_SECTIONS:
        if key in present:
            continue
        model = section_page_model(key)
        home.add_child(
            instance=model(title=str(key.label), slug=slug, section_key=key, show_in_menus=True)
        )
        added += 1
    return added


# The featured article at the top of a home page, and the national online service portal.
HERO_RENDITION = "fill-960x540-c100"
# The same crop for phones (srcset): the home page's largest paint on a phone.
HERO_RENDITIONS = ("fill-480x270-c100", HERO_RENDITION)
NATIONAL_SERVICE_PORTAL = "https://dichvucong.gov.vn"


class HomePage(BasePage):
    """The home page of a site (trang chủ): the root of its page tree."""

    intro = RichTextField(_("lời giới thiệu"), blank=True)

    content_panels = [*BasePage.content_panels, FieldPanel("intro")]
    search_fields = [*BasePage.search_fields, index.SearchField("intro")]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    @classmethod
    def clean_subpage_models(cls):
        """Only sections hang off the home page: ``SectionPage`` and the typed sections the
        content apps register (``registry.register_section_page``/``register_home_child``)."""
        return [apps.get_model(label) for label in registry.HOME_CHILD_TYPES]

    def _standard_sections(self) -> dict:
        return {
            section.section_key: section
            for section in SectionPage.objects.child_of(self)
            .live()
            .exclude(section_key="")
            .only("title", "url_path", "section_key")
        }

    def route(self, request, path_components):
        # The page of a URL in two queries, not two per level (core.page_routing).
        found = page_routing.route(self, request, path_components) if path_components else None
        return found if found is not None else super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(
            member_sites=member_sites(getattr(request, "tenant", None)),
            sections=site_cache.get(f"sections:{self.pk}", self._standard_sections, shared=True),
            national_service_portal=NATIONAL_SERVICE_PORTAL,
        )
        # Latest news, notices, documents, media...: from the apps that own them, kept in the
        # site cache (publishing renews it; per day: notices leave the list when they expire).
        today = timezone.localdate().isoformat()
        context.update(
            site_cache.get(
                f"home-context:{self.pk}:{today}",
                lambda: registry.home_context(self),
                shared=True,
            )
        )
        return context

    class Meta:
        verbose_name = _("trang chủ")
        verbose_name_plural = _("trang chủ")


class StoredCounter(models.Model):
    """The persisted value of one counter of this site (views of an article, downloads...).

    Views only increment Redis (``core.counters``); beat adds the increments here.
    ``kind`` names what is counted, ``object_id`` which object (0 for site-wide counters).
    """

    kind = models.CharField(_("loại"), max_length=64)
    object_id = models.BigIntegerField(_("đối tượng"))
    value = models.BigIntegerField(_("giá trị"), default=0)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("bộ đếm")
        verbose_name_plural = _("bộ đếm")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="core_counter_unique")
        ]

    def __str__(self):
        return f"{self.kind}#{self.object_id} = {self.value}"


class CounterBatch(models.Model):
    """A batch of counter increments already added to ``StoredCounter``.

    Written in the same transaction as the increments, so a flush retried after a crash
    recognises a batch it has applied and does not count it twice.
    """

    batch_id = models.CharField(max_length=64, unique=True)
    applied_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("đợt ghi bộ đếm")
        verbose_name_plural = _("đợt ghi bộ đếm")

    def __str__(self):
        return self.batch_id

"""Introduction of a site, its organisation (leaders, departments, spokesperson), contact
details, and the English versions of the pages the law asks for in English.

English versions: a site has one English branch, ``/en/`` (:class:`EnglishSectionPage`),
holding :class:`EnglishPage` pages (organisation, functions, contact), each pointing at the
Vietnamese page it translates.  We chose this over Wagtail's localisation
(``WAGTAIL_I18N_ENABLED`` with a locale tree per language) because only three or four pages
of a site are translated, not the site: localisation would give every site a second,
mostly empty page tree, language-prefixed URLs and an admin language chooser on every page,
for the sake of three pages.  English pages render with ``lang="en"`` on the ``html``
element (the ``html_lang`` block of ``base.html``), and a language switch links each
Vietnamese page to its English version and back.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from component_sites.core.models import BasePage, SectionPage, SiteImage

PORTRAIT_FILTER = "fill-240x300"


def image_field(verbose_name, **kwargs):
    return models.ForeignKey(
        "core.SiteImage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=verbose_name,
        **kwargs,
    )


class IntroductionPage(SectionPage):
    """The introduction section (giới thiệu): natural conditions, history, culture, map."""

    natural_conditions = RichTextField(_("điều kiện tự nhiên"), blank=True)
    history = RichTextField(_("lịch sử hình thành"), blank=True)
    culture = RichTextField(_("văn hoá – xã hội"), blank=True)
    admin_map = image_field(_("bản đồ hành chính"))
    admin_map_description = models.TextField(
        _("mô tả bản đồ"),
        blank=True,
        help_text=_("Ranh giới, các đơn vị giáp ranh: cho người không xem được ảnh bản đồ."),
    )

    content_panels = [
        *SectionPage.content_panels,
        FieldPanel("natural_conditions"),
        FieldPanel("history"),
        FieldPanel("culture"),
        MultiFieldPanel(
            [FieldPanel("admin_map"), FieldPanel("admin_map_description")],
            heading=_("Bản đồ hành chính"),
        ),
    ]
    search_fields = [
        *SectionPage.search_fields,
        index.SearchField("natural_conditions"),
        index.SearchField("history"),
        index.SearchField("culture"),
    ]

    parent_page_types = ["core.HomePage"]
    subpage_types = ["organization.OrganizationPage"]
    max_count = 1

    class Meta:
        verbose_name = _("trang giới thiệu")
        verbose_name_plural = _("trang giới thiệu")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = [
            (_("Điều kiện tự nhiên"), self.natural_conditions),
            (_("Lịch sử hình thành"), self.history),
            (_("Văn hoá – xã hội"), self.culture),
        ]
        return context


class OrganizationPage(BasePage):
    """Organisation of the body (cơ cấu tổ chức): chart, functions, leaders, departments."""

    chart_image = image_field(_("sơ đồ tổ chức"))
    chart_description = RichTextField(
        _("mô tả sơ đồ tổ chức"),
        blank=True,
        help_text=_("Nội dung của sơ đồ bằng chữ, cho người không xem được ảnh."),
    )
    functions = RichTextField(_("chức năng, nhiệm vụ"), blank=True)

    content_panels = [
        *BasePage.content_panels,
        MultiFieldPanel(
            [FieldPanel("chart_image"), FieldPanel("chart_description")],
            heading=_("Sơ đồ tổ chức"),
        ),
        FieldPanel("functions"),
        InlinePanel("departments", label=_("phòng, ban, đơn vị")),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("chart_description"),
        index.SearchField("functions"),
    ]

    # Under a SectionPage: a merged unit's organisation, kept under “Đơn vị cũ”.
    parent_page_types = ["organization.IntroductionPage", "core.SectionPage"]
    subpage_types = ["organization.LeaderPage"]
    max_count = 1

    class Meta:
        verbose_name = _("cơ cấu tổ chức")
        verbose_name_plural = _("cơ cấu tổ chức")

    def leaders(self):
        """Live leaders in page order, portraits prefetched (three queries)."""
        leaders = list(LeaderPage.objects.live().public().child_of(self).order_by("path"))
        portraits = {
            image.pk: image
            for image in SiteImage.objects.filter(
                pk__in=[leader.photo_id for leader in leaders if leader.photo_id]
            ).prefetch_renditions(PORTRAIT_FILTER)
        }
        for leader in leaders:
            leader.portrait = portraits.get(leader.photo_id)
        return leaders

    @staticmethod
    def chart(leaders, departments) -> dict | None:
        """The organisation chart as labelled rows, drawn in HTML (text, not a picture).

        Top: the head (the first leader); then the deputies (“Phó …”); then the
        departments with who leads them.  None without departments.
        """
        if not departments:
            return None
        head = leaders[0] if leaders else None
        deputies = [leader for leader in leaders[1:] if leader.position.startswith("Phó")]
        return {"head": head, "deputies": deputies, "departments": departments}

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["leaders"] = self.leaders()
        context["departments"] = list(self.departments.all())
        context["chart"] = self.chart(context["leaders"], context["departments"])
        context["spokespersons"] = list(Spokesperson.objects.all())
        return context


class Department(Orderable):
    """A department or unit (phòng, ban, đơn vị) with its contacts."""

    page = ParentalKey(OrganizationPage, on_delete=models.CASCADE, related_name="departments")
    name = models.CharField(_("tên đơn vị"), max_length=255)
    head = models.CharField(_("người đứng đầu"), max_length=255, blank=True)
    duties = models.TextField(_("chức năng, nhiệm vụ chính"), blank=True)
    phone = models.CharField(_("điện thoại"), max_length=50, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("head"),
        FieldPanel("duties"),
        FieldPanel("phone"),
        FieldPanel("email"),
        FieldPanel("address"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("phòng, ban, đơn vị")
        verbose_name_plural = _("phòng, ban, đơn vị")

    def __str__(self):
        return self.name


class LeaderPage(BasePage):
    """A leader (lãnh đạo): the page title is the full name."""

    position = models.CharField(_("chức vụ"), max_length=255)
    photo = image_field(_("ảnh chân dung"))
    term = models.CharField(_("nhiệm kỳ"), max_length=100, blank=True)
    biography = RichTextField(_("tiểu sử"), blank=True)
    duties = RichTextField(_("nhiệm vụ được phân công"), blank=True)
    phone = models.CharField(_("điện thoại công vụ"), max_length=50, blank=True)
    email = models.EmailField(_("thư điện tử công vụ"), blank=True)

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("position"),
        FieldPanel("photo"),
        FieldPanel("term"),
        FieldPanel("biography"),
        FieldPanel("duties"),
        FieldPanel("phone"),
        FieldPanel("email"),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("position"),
        index.SearchField("biography"),
    ]

    parent_page_types = ["organization.OrganizationPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("lãnh đạo")
        verbose_name_plural = _("lãnh đạo")


class Spokesperson(models.Model):
    """The spokesperson (người phát ngôn) and how the press reaches them."""

    name = models.CharField(_("họ và tên"), max_length=255)
    position = models.CharField(_("chức vụ"), max_length=255)
    phone = models.CharField(_("điện thoại"), max_length=50, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    appointment = models.CharField(
        _("quyết định giao nhiệm vụ"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: Quyết định số 12/QĐ-UBND ngày 05/01/2026."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("position"),
        FieldPanel("phone"),
        FieldPanel("email"),
        FieldPanel("appointment"),
    ]

    class Meta:
        verbose_name = _("người phát ngôn")
        verbose_name_plural = _("người phát ngôn")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.name} – {self.position}"


class ContactPage(SectionPage):
    """Contact details of the body (liên hệ): address, phone, e-mail, opening hours, map."""

    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=50, blank=True)
    fax = models.CharField(_("fax"), max_length=50, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    hours = models.TextField(_("giờ làm việc"), blank=True)
    map_image = image_field(_("bản đồ vị trí"))
    map_url = models.URLField(_("liên kết bản đồ trực tuyến"), blank=True)

    content_panels = [
        *SectionPage.content_panels,
        FieldPanel("address"),
        FieldPanel("phone"),
        FieldPanel("fax"),
        FieldPanel("email"),
        FieldPanel("hours"),
        MultiFieldPanel([FieldPanel("map_image"), FieldPanel("map_url")], heading=_("Bản đồ")),
    ]
    search_fields = [*SectionPage.search_fields, index.SearchField("address")]

    parent_page_types = ["core.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("trang liên hệ")
        verbose_name_plural = _("trang liên hệ")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["spokespersons"] = list(Spokesperson.objects.all())
        return context


class EnglishSectionPage(SectionPage):
    """The English branch of a site (``/en/``): "About us", parent of the English pages.

    A SectionPage so that the home page accepts it; it has no ``section_key`` and stays
    out of the Vietnamese menu (``show_in_menus`` off).
    """

    english_name = models.CharField(
        _("tên cơ quan bằng tiếng Anh"),
        max_length=255,
        help_text=_("Ví dụ: People's Committee of Nhuan Trach Commune."),
    )
    body = RichTextField(_("nội dung (tiếng Anh)"), blank=True)
    vietnamese_page = models.ForeignKey(
        Page,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("bản tiếng Việt"),
    )

    content_panels = [
        *SectionPage.content_panels,
        FieldPanel("english_name"),
        FieldPanel("body"),
        PageChooserPanel("vietnamese_page"),
    ]
    search_fields = [*SectionPage.search_fields, index.SearchField("body")]

    parent_page_types = ["core.HomePage"]
    subpage_types = ["organization.EnglishPage"]
    max_count = 1
    language = "en"

    class Meta:
        verbose_name = _("trang tiếng Anh")
        verbose_name_plural = _("trang tiếng Anh")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["english_root"] = self
        return context


class EnglishPage(BasePage):
    """An English version of the organisation, functions or contact page."""

    class Topic(models.TextChoices):
        ORGANISATION = "organisation", _("Cơ cấu tổ chức (Organisation)")
        FUNCTIONS = "functions", _("Chức năng, nhiệm vụ (Functions)")
        CONTACT = "contact", _("Liên hệ (Contact)")

    topic = models.CharField(_("nội dung"), max_length=20, choices=Topic.choices)
    body = RichTextField(_("nội dung (tiếng Anh)"))
    vietnamese_page = models.ForeignKey(
        Page,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("bản tiếng Việt"),
    )

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("topic"),
        FieldPanel("body"),
        PageChooserPanel("vietnamese_page"),
    ]
    search_fields = [*BasePage.search_fields, index.SearchField("body")]

    parent_page_types = ["organization.EnglishSectionPage"]
    subpage_types = []
    language = "en"

    class Meta:
        verbose_name = _("trang tiếng Anh (mục)")
        verbose_name_plural = _("trang tiếng Anh (mục)")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["english_root"] = self.get_parent().specific
        contact = None
        if self.topic == self.Topic.CONTACT:
            contact = ContactPage.objects.live().filter(section_key="contact").first()
        context["contact"] = contact
        context["spokespersons"] = (
            list(Spokesperson.objects.all()) if self.topic != self.Topic.FUNCTIONS else []
        )
        return context

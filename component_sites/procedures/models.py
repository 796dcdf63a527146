"""A site's local copy of the procedures (written by syndication tasks) and its index page."""

from django.contrib.postgres.fields import ArrayField
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path

from component_sites.core.models import SectionPage
from tenants.procedures.detail import quantity_label
from tenants.procedures.models import Level, Method, OnlineLevel
from tenants.procedures.text import search_terms

PAGE_SIZE = 20

# Fields of a master record that make up what the sites receive (in this order).
SYNDICATED_FIELDS = [
    "code",
    "name",
    "field",
    "levels",
    "procedure_type",
    "steps",
    "methods",
    "dossier",
    "processing_time",
    "fees",
    "agency",
    "result",
    "conditions",
    "legal_basis",
    "online_service_level",
    "online_url",
    "announcing_decision",
    "status",
    "subjects",
    "competent_body",
    "national_url",
    "step_list",
    "submission_ways",
    "dossier_items",
    "legal_documents",
]
# Syndicated fields held as JSON lists (written with ``Json`` by the upsert).
JSON_FIELDS = ["step_list", "submission_ways", "dossier_items", "legal_documents"]
ARRAY_FIELDS = ["levels", "methods"]
# Columns of a copy written by syndication; everything else on a copy is local.
MASTER_FIELDS = [
    *SYNDICATED_FIELDS,
    "master_id",
    "version",
    "forms",
    "origin",
    "search_text",
    "synced_at",
]
LOCAL_FIELDS = ["receiving_office", "address", "opening_hours", "local_notes"]


class ProcedureCopy(models.Model):
    """This site's copy of one procedure, at the version it last received.

    Master fields are overwritten by syndication (an upsert keyed by code that never
    goes back to an older version); the local fields are the site's own and survive it.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("Đang áp dụng")
        WITHDRAWN = "withdrawn", _("Đã bãi bỏ / thu hồi")

    code = models.CharField(_("mã thủ tục"), max_length=40, unique=True)
    master_id = models.BigIntegerField(_("mã bản gốc"))
    version = models.PositiveIntegerField(_("phiên bản"))
    name = models.CharField(_("tên thủ tục"), max_length=1000)
    field = models.CharField(_("lĩnh vực"), max_length=255)
    levels = ArrayField(models.CharField(max_length=16), verbose_name=_("cấp thực hiện"))
    procedure_type = models.CharField(_("loại thủ tục"), max_length=255, blank=True)
    steps = models.TextField(_("trình tự thực hiện"), blank=True)
    methods = ArrayField(models.CharField(max_length=16), verbose_name=_("cách thức"))
    dossier = models.TextField(_("thành phần hồ sơ"), blank=True)
    processing_time = models.TextField(_("thời hạn giải quyết"), blank=True)
    fees = models.TextField(_("phí, lệ phí"), blank=True)
    agency = models.CharField(_("cơ quan thực hiện"), max_length=1000, blank=True)
    result = models.TextField(_("kết quả thực hiện"), blank=True)
    conditions = models.TextField(_("yêu cầu, điều kiện"), blank=True)
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    online_service_level = models.CharField(_("mức độ DVC trực tuyến"), max_length=16, blank=True)
    online_url = models.URLField(_("địa chỉ dịch vụ công trực tuyến"), max_length=500, blank=True)
    announcing_decision = models.CharField(_("quyết định công bố"), max_length=500, blank=True)
    status = models.CharField(_("tình trạng"), max_length=16, choices=Status.choices)
    subjects = models.TextField(_("đối tượng thực hiện"), blank=True, default="")
    competent_body = models.CharField(
        _("cơ quan có thẩm quyền"), max_length=1000, blank=True, default=""
    )
    national_url = models.URLField(
        _("trang thủ tục trên Cổng Dịch vụ công quốc gia"), max_length=500, blank=True, default=""
    )
    step_list = models.JSONField(_("các bước thực hiện"), default=list)
    submission_ways = models.JSONField(_("cách thức nộp"), default=list)
    dossier_items = models.JSONField(_("giấy tờ trong hồ sơ"), default=list)
    legal_documents = models.JSONField(_("văn bản căn cứ pháp lý"), default=list)
    # [{"id": form id in the master catalogue, "title", "filename", "sha256", "size"}]
    forms = models.JSONField(_("biểu mẫu"), default=list)
    origin = models.CharField(_("ban hành bởi"), max_length=255, blank=True)
    search_text = models.TextField(default="", editable=False)
    synced_at = models.DateTimeField(_("đồng bộ lúc"))

    receiving_office = models.CharField(
        _("nơi tiếp nhận hồ sơ"),
        max_length=500,
        blank=True,
        help_text=_("Ví dụ: Bộ phận Một cửa UBND xã."),
    )
    address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    opening_hours = models.CharField(_("thời gian tiếp nhận"), max_length=500, blank=True)
    local_notes = models.TextField(_("ghi chú của địa phương"), blank=True)

    panels = [
        HelpPanel(
            content=_(
                "Nội dung thủ tục do tỉnh quản lý và được đồng bộ tự động; "
                "trang chỉ bổ sung thông tin tiếp nhận tại địa phương."
            )
        ),
        FieldPanel("receiving_office"),
        FieldPanel("address"),
        FieldPanel("opening_hours"),
        FieldPanel("local_notes"),
    ]

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["field", "code"]
        indexes = [models.Index(fields=["status", "field"], name="copy_status_field")]

    def __str__(self):
        return f"{self.code} – {self.name}"

    @property
    def url_slug(self):
        """The code as a URL segment: ``1.001193`` → ``1-001193`` (codes never hold "-")."""
        return self.code.replace(".", "-")

    def level_labels(self):
        return [str(Level(v).label) for v in self.levels if v in Level.values]

    def method_labels(self):
        return [str(Method(v).label) for v in self.methods if v in Method.values]

    def dossier_groups(self):
        """Dossier items grouped under their heading, in the source's order."""
        groups = []
        for item in self.dossier_items:
            heading = item.get("group", "")
            if not groups or groups[-1]["heading"] != heading:
                groups.append({"heading": heading, "items": []})
            groups[-1]["items"].append({**item, "quantity": quantity_label(item)})
        return groups

    def named_forms(self):
        """Form templates the dossier names (file or form number), in order, once each."""
        names = []
        for item in self.dossier_items:
            names += [name for name in item.get("forms", []) if name not in names]
        return names

    def submit_url(self):
        """Where a citizen submits online: the site's own address, else the national page."""
        return self.online_url or self.national_url

    def online_level_label(self):
        # No level recorded ("") says nothing about the service: the button gets no label
        # (it once read "Nộp hồ sơ trực tuyến… (Chưa cung cấp trực tuyến)").
        if self.online_service_level and self.online_service_level in OnlineLevel.values:
            return str(OnlineLevel(self.online_service_level).label)
        return ""


def active_copies():
    return ProcedureCopy.objects.filter(status=ProcedureCopy.Status.ACTIVE)


def filter_copies(queryset, *, query="", field="", level=""):
    """Apply the public list's filters: words of ``query`` (diacritics ignored), field, level."""
    for term in search_terms(query):
        queryset = queryset.filter(search_text__contains=term)
    if field:
        queryset = queryset.filter(field=field)
    if level:
        queryset = queryset.filter(levels__contains=[level])
    return queryset


class ProcedureIndexPage(RoutablePageMixin, SectionPage):
    """The procedures section of a site: the list, each procedure's page, its forms."""

    content_panels = SectionPage.content_panels
    parent_page_types = ["core.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("chuyên mục thủ tục hành chính")
        verbose_name_plural = _("chuyên mục thủ tục hành chính")

    def get_sitemap_urls(self, request=None):
        """The list, then every procedure in force (its own page)."""
        entries = super().get_sitemap_urls(request)
        base = self.get_full_url(request)
        if not entries or not base:
            return entries
        for code, synced_at in active_copies().order_by("code").values_list("code", "synced_at"):
            slug = code.replace(".", "-")
            entries.append({"location": f"{base}{slug}/", "lastmod": synced_at})
        return entries

    @path("")
    def procedure_list(self, request):
        query = (request.GET.get("q") or "").strip()[:200]
        field = (request.GET.get("linh-vuc") or "").strip()[:255]
        level = (request.GET.get("cap") or "").strip()
        if level not in Level.values:
            level = ""
        copies = filter_copies(active_copies(), query=query, field=field, level=level).defer(
            "steps", "dossier", "conditions", "legal_basis", "result", *JSON_FIELDS
        )
        page_obj = Paginator(copies, PAGE_SIZE).get_page(request.GET.get("trang"))
        fields = active_copies().order_by("field").values_list("field", flat=True).distinct("field")
        params = request.GET.copy()
        params.pop("trang", None)
        context = self.get_context(request)
        context.update(
            page_obj=page_obj,
            query=query,
            selected_field=field,
            selected_level=level,
            fields=list(fields),
            levels=Level.choices,
            querystring=params.urlencode(),
        )
        return render(request, "procedures/procedure_index_page.html", context)

    @path("<slug:slug>/")
    def procedure_detail(self, request, slug):
        copy = ProcedureCopy.objects.filter(code=slug.replace("-", ".")).first()
        if copy is None:
            raise Http404("Không có thủ tục này")
        context = self.get_context(request)
        context.update(procedure=copy)
        return render(request, "procedures/procedure_detail.html", context)

    @path("<slug:slug>/bieu-mau/<int:form_id>/")
    def procedure_form(self, request, slug, form_id):
        from .views import serve_form

        copy = ProcedureCopy.objects.filter(code=slug.replace("-", ".")).first()
        if copy is None:
            raise Http404("Không có thủ tục này")
        return serve_form(copy, form_id)

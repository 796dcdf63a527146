"""Photo albums, videos and audio programmes under the media section of a site."""

import hashlib
import logging

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable
from wagtail.search import index

from component_sites.core.models import BasePage, SectionPage, SiteImage
from component_sites.notices.models import paginate

logger = logging.getLogger(__name__)

MEDIA_PER_PAGE = 12
# Rendition of covers in listings and teasers (16:9).
COVER_FILTER = "fill-480x270"
# Seconds before an embed URL that could not be resolved is tried again.
EMBED_RETRY_AFTER = 600


class MediaItemPage(BasePage):
    """What albums, videos and audio programmes share: a date, a cover and a description."""

    date = models.DateField(_("ngày"), default=timezone.localdate)
    cover_image = models.ForeignKey(
        "core.SiteImage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("ảnh đại diện"),
    )
    description = RichTextField(_("mô tả"), blank=True)

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("date"),
        FieldPanel("cover_image"),
        FieldPanel("description"),
    ]
    search_fields = [*BasePage.search_fields, index.SearchField("description")]

    parent_page_types = ["media.MediaIndexPage"]
    subpage_types = []

    # The listing filter value (?loai=) of this kind.
    kind = ""
    # A common table (not abstract) so the listing sorts every kind by date in one query.
    is_creatable = False

    class Meta:
        verbose_name = _("mục thư viện")
        verbose_name_plural = _("mục thư viện")

    @property
    def duration_display(self):
        return format_duration(getattr(self, "duration", None))


class AlbumPage(MediaItemPage):
    """A photo album (album ảnh): ordered photos with captions; the cover defaults to the first."""

    content_panels = [
        *MediaItemPage.content_panels,
        InlinePanel("photos", label=_("ảnh"), min_num=1),
    ]
    kind = "album"

    class Meta:
        verbose_name = _("album ảnh")
        verbose_name_plural = _("album ảnh")

    def save(self, *args, **kwargs):
        if self.cover_image_id is None:
            first = next(iter(self.photos.all()), None)
            if first is not None:
                self.cover_image_id = first.image_id
        super().save(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        photos = list(self.photos.select_related("image"))
        images = SiteImage.objects.filter(pk__in=[p.image_id for p in photos])
        by_id = {
            image.pk: image for image in images.prefetch_renditions("fill-320x240", "max-1600x1200")
        }
        for photo in photos:
            photo.image = by_id.get(photo.image_id, photo.image)
        context["photos"] = photos
        return context


class AlbumPhoto(Orderable):
    """A photo of an album, with its own caption."""

    page = ParentalKey(AlbumPage, on_delete=models.CASCADE, related_name="photos")
    image = models.ForeignKey(
        "core.SiteImage", on_delete=models.CASCADE, related_name="+", verbose_name=_("ảnh")
    )
    caption = models.CharField(
        _("chú thích"), max_length=500, blank=True, help_text=_("Mặc định là chú thích của ảnh.")
    )

    panels = [FieldPanel("image"), FieldPanel("caption")]

    class Meta(Orderable.Meta):
        verbose_name = _("ảnh trong album")
        verbose_name_plural = _("ảnh trong album")

    @property
    def display_caption(self):
        return self.caption or self.image.caption


class VideoPage(MediaItemPage):
    """A video (video clip): an uploaded file played in the page, or a link to a video service.

    An uploaded file is played with the browser's own accessible ``<video>`` player; an
    embed URL goes through Wagtail's embed finders (only providers configured in
    ``WAGTAILEMBEDS_FINDERS``), and a URL that cannot be resolved is shown as a link.
    """

    video_file = models.ForeignKey(
        "core.SiteDocument",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("tệp video (MP4, WebM)"),
    )
    embed_url = models.URLField(
        _("đường dẫn video (YouTube...)"),
        blank=True,
        help_text=_("Dùng khi video được đăng trên dịch vụ khác thay vì tải tệp lên."),
    )
    duration = models.DurationField(
        _("thời lượng"), null=True, blank=True, help_text=_("Dạng giờ:phút:giây, ví dụ 00:04:30.")
    )
    transcript = RichTextField(_("lời thoại / tóm tắt nội dung"), blank=True)

    content_panels = [
        *MediaItemPage.content_panels,
        MultiFieldPanel(
            [FieldPanel("video_file"), FieldPanel("embed_url"), FieldPanel("duration")],
            heading=_("Video"),
        ),
        FieldPanel("transcript"),
    ]
    search_fields = [*MediaItemPage.search_fields, index.SearchField("transcript")]
    kind = "video"

    class Meta:
        verbose_name = _("video")
        verbose_name_plural = _("video")

    def clean(self):
        super().clean()
        if bool(self.video_file_id) == bool(self.embed_url):
            raise ValidationError(
                _("Chọn đúng một nguồn video: tải tệp lên hoặc nhập đường dẫn video.")
            )

    def get_embed_html(self):
        """The provider's player HTML, or "" when the URL cannot be resolved (never raises)."""
        if not self.embed_url:
            return ""
        from django.core.cache import cache
        from wagtail.embeds.embeds import get_embed
        from wagtail.embeds.exceptions import EmbedException

        # Wagtail stores resolved embeds; a failure is remembered here for a while so that an
        # unreachable provider does not cost every visitor a network timeout.
        failed_key = "media:embed-failed:" + hashlib.sha256(self.embed_url.encode()).hexdigest()
        if cache.get(failed_key):
            return ""
        try:
            return get_embed(self.embed_url).html or ""
        except EmbedException:
            pass
        except Exception:  # a provider answering garbage must not take the page down
            logger.warning("embed failed for %s", self.embed_url, exc_info=True)
        cache.set(failed_key, 1, EMBED_RETRY_AFTER)
        return ""

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["embed_html"] = self.get_embed_html()
        return context


class AudioPage(MediaItemPage):
    """A radio or audio programme (chương trình phát thanh): file, date, duration, transcript."""

    audio_file = models.ForeignKey(
        "core.SiteDocument",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("tệp âm thanh (MP3, OGG)"),
    )
    duration = models.DurationField(
        _("thời lượng"), null=True, blank=True, help_text=_("Dạng giờ:phút:giây, ví dụ 00:15:00.")
    )
    transcript = RichTextField(
        _("tóm tắt / bản ghi nội dung"),
        blank=True,
        help_text=_("Giúp người khiếm thính và công cụ tìm kiếm tiếp cận nội dung."),
    )

    content_panels = [
        *MediaItemPage.content_panels,
        FieldPanel("audio_file"),
        FieldPanel("duration"),
        FieldPanel("transcript"),
    ]
    search_fields = [*MediaItemPage.search_fields, index.SearchField("transcript")]
    kind = "audio"

    class Meta:
        verbose_name = _("chương trình phát thanh")
        verbose_name_plural = _("chương trình phát thanh")


MEDIA_KINDS = {
    "album": (AlbumPage, _("Album ảnh")),
    "video": (VideoPage, _("Video")),
    "audio": (AudioPage, _("Phát thanh")),
}


def format_duration(value):
    """``0:04:30`` → ``04:30``; ``1:02:03`` → ``1:02:03``."""
    if value is None:
        return ""
    seconds = int(value.total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes:02d}:{seconds:02d}"


def with_covers(pages):
    """Attach ``cover`` (a SiteImage with its listing rendition prefetched) to specific pages.

    Two queries whatever the number of pages.
    """
    pages = list(pages)
    ids = {page.cover_image_id for page in pages if getattr(page, "cover_image_id", None)}
    images = {}
    if ids:
        images = {
            image.pk: image
            for image in SiteImage.objects.filter(pk__in=ids).prefetch_renditions(COVER_FILTER)
        }
    for page in pages:
        page.cover = images.get(getattr(page, "cover_image_id", None))
    return pages


class MediaIndexPage(SectionPage):
    """The media section: albums, videos and audio programmes, newest first, filterable by kind."""

    parent_page_types = ["core.HomePage"]
    subpage_types = ["media.AlbumPage", "media.VideoPage", "media.AudioPage"]
    max_count = 1

    class Meta:
        verbose_name = _("thư viện ảnh – video")
        verbose_name_plural = _("thư viện ảnh – video")

    def media_items(self, kind=None):
        items = MediaItemPage.objects.live().public().child_of(self)
        if kind:
            items = items.type(MEDIA_KINDS[kind][0])
        return items.order_by("-date", "-pk")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        kind = request.GET.get("loai", "")
        if kind and kind not in MEDIA_KINDS:
            context["filter_message"] = _(
                "Không có loại “%(kind)s”; đang hiển thị tất cả ảnh, video và phát thanh."
            ) % {"kind": kind[:40]}
            kind = ""
        items, context["page_message"] = paginate(
            request, self.media_items(kind or None), MEDIA_PER_PAGE
        )
        # One query per kind for the specific pages (order kept), two for the covers.
        context["items"] = items
        context["media_items"] = with_covers(items.object_list.specific())
        context["kind"] = kind
        context["kinds"] = [(key, label) for key, (_model, label) in MEDIA_KINDS.items()]
        context["extra_query"] = f"loai={kind}" if kind else ""
        return context

"""What readers leave on the site: article comments and ratings, service satisfaction."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from component_sites.core.page_cache import purge_site


class ArticleComment(models.Model):
    """A reader's comment on a news article; shown under the article once staff approve it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ duyệt")
        PUBLISHED = "published", _("Đã đăng")
        REJECTED = "rejected", _("Không đăng")

    article = models.ForeignKey(
        "news.ArticlePage",
        verbose_name=_("bài viết"),
        on_delete=models.CASCADE,
        related_name="reader_comments",
    )
    author_name = models.CharField(_("họ và tên"), max_length=120)
    text = models.TextField(_("nội dung bình luận"))
    status = models.CharField(
        _("trạng thái"),
        max_length=16,
        choices=Status.choices,
        default=Status.PENDING,
        db_index=True,
    )
    created_at = models.DateTimeField(_("ngày gửi"), default=timezone.now)
    fingerprint = models.CharField(max_length=64, db_index=True, editable=False)

    panels = [
        FieldPanel("article", read_only=True),
        FieldPanel("author_name", read_only=True),
        FieldPanel("text", read_only=True),
        FieldPanel("status"),
    ]

    class Meta:
        verbose_name = _("bình luận bài viết")
        verbose_name_plural = _("bình luận bài viết")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.author_name} – {self.article.title}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # Published comments appear on the (cached) article page.
        if self.status == self.Status.PUBLISHED or getattr(self, "_was_published", False):
            purge_site()
        self._was_published = self.status == self.Status.PUBLISHED

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._was_published = getattr(instance, "status", None) == cls.Status.PUBLISHED
        return instance


class ArticleRating(models.Model):
    """One reader's 1–5 rating of an article; who rated is not stored (``guards.visitor_id``)."""

    article = models.ForeignKey(
        "news.ArticlePage",
        verbose_name=_("bài viết"),
        on_delete=models.CASCADE,
        related_name="reader_ratings",
    )
    value = models.PositiveSmallIntegerField(_("số sao"))
    created_at = models.DateTimeField(_("ngày đánh giá"), default=timezone.now)

    class Meta:
        verbose_name = _("đánh giá bài viết")
        verbose_name_plural = _("đánh giá bài viết")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(value__gte=1, value__lte=5), name="article_rating_1_to_5"
            )
        ]

    def __str__(self):
        return f"{self.value} sao – {self.article_id}"


class ServiceRating(models.Model):
    """A satisfaction rating of the site's service (Decree 224/2026, Article 10).

    Anonymous by design: no name, contact, address, browser or time of day is kept; only the
    level, the optional comment and the date.
    """

    class Level(models.TextChoices):
        VERY_SATISFIED = "very_satisfied", _("Rất hài lòng")
        SATISFIED = "satisfied", _("Hài lòng")
        NOT_SATISFIED = "not_satisfied", _("Không hài lòng")

    level = models.CharField(_("mức độ hài lòng"), max_length=16, choices=Level.choices)
    comment = models.TextField(_("góp ý"), blank=True)
    created_on = models.DateField(_("ngày đánh giá"), default=timezone.localdate, db_index=True)

    class Meta:
        verbose_name = _("đánh giá mức độ hài lòng")
        verbose_name_plural = _("đánh giá mức độ hài lòng")
        ordering = ["-created_on", "-id"]

    def __str__(self):
        return f"{self.get_level_display()} – {self.created_on:%d/%m/%Y}"

"""Template tags of the participation app used on other apps' pages."""

from django import template

from ..models import ArticleComment

register = template.Library()


@register.inclusion_tag("participation/includes/article_participation.html")
def article_participation(article):
    """Ratings (live counters) and approved comments of an article, without a CSRF token."""
    comments = list(
        ArticleComment.objects.filter(article=article, status=ArticleComment.Status.PUBLISHED)
        .only("author_name", "text", "created_at")
        .order_by("created_at")
    )
    return {"article": article, "comments": comments, "star_levels": [5, 4, 3, 2, 1]}

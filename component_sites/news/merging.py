"""Where a merged site's news go: a category of the survivor's news named after the unit."""

from __future__ import annotations

from .models import NewsCategoryPage


def former_unit_category(news_index, unit_name: str, unit_slug: str) -> NewsCategoryPage:
    """The survivor's category for ``unit_name`` (“Xã Hòa Sơn”), made on first use."""
    existing = NewsCategoryPage.objects.child_of(news_index).filter(title=unit_name).first()
    if existing is not None:
        return existing
    taken = set(news_index.get_children().values_list("slug", flat=True))
    slug, number = unit_slug, 2
    while slug in taken:
        slug, number = f"{unit_slug}-{number}", number + 1
    category = NewsCategoryPage(
        title=unit_name,
        slug=slug,
        intro=f"<p>Tin bài của {unit_name} trước khi sáp nhập.</p>",
        live=True,
        show_in_menus=False,
    )
    news_index.add_child(instance=category)
    category.save_revision(clean=False, log_action=False, changed=False).publish(log_action=False)
    return category

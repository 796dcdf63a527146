"""The pages of an absorbed site, moved section by section into the survivor's sections.

Each standard section of the source hands its pages to the survivor's section of the same
kind, as the content apps registered (``component_sites.core.section_moves``): news under
a category named after the former unit, documents among the documents, media in the
library, and so on.  Sections that are not copied (procedures: the survivor receives its
own) are stood for by the survivor's section.  The introduction, the organisation pages
and any section of the source's own go under “Đơn vị cũ” › <former unit>.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import schema_context
from wagtail.fields import RichTextField
from wagtail.models import Page, Revision, Site

from component_sites.core.models import SectionPage
from component_sites.core.section_moves import FORMER_UNIT, INTO, section_move

from .references import References, plain

FORMER_UNITS_TITLE = _("Đơn vị cũ")
FORMER_UNITS_SLUG = "don-vi-cu"
# Fields of a page that belong to its place in a tree or its history, not to its content.
PAGE_STATE_FIELDS = {
    "pk",
    "id",
    "path",
    "depth",
    "numchild",
    "url_path",
    "content_type",
    "live_revision",
    "latest_revision",
    "latest_revision_created_at",
    "locked",
    "locked_at",
    "locked_by",
    "owner",
    "alias_of",
    "translation_key",
    "draft_title",
    "has_unpublished_changes",
}


def relative(url_path: str, home_url_path: str) -> str:
    """A page's address on its site: its tree path below the site's home page."""
    return url_path[len(home_url_path) - 1 :]


def free_slug(parent: Page, slug: str) -> str:
    """``slug``, or ``slug-2``, ``slug-3``… when a child of ``parent`` already has it."""
    taken = set(parent.get_children().values_list("slug", flat=True))
    candidate, number = slug, 2
    while candidate in taken:
        candidate, number = f"{slug}-{number}", number + 1
    return candidate


def record_revision(page: Page) -> None:
    """Give a copied page its first revision (live pages live, drafts as drafts)."""
    revision = page.save_revision(clean=False, log_action=False, changed=False)
    Page.objects.filter(pk=page.pk).update(
        live_revision=revision if page.live else None, has_unpublished_changes=not page.live
    )


class PageMove:
    """Copies the source's pages where its sections' moves say; fills ``refs.page_map``.

    After :meth:`run`, ``old_paths`` holds every source page's address on the old site,
    ``home_url_path``/``source_home_path`` the two home pages' tree paths, ``branch`` the
    former unit's page and ``pages`` how many pages were copied.
    """

    def __init__(
        self,
        refs: References,
        *,
        branch_title: str,
        branch_slug: str,
        progress: Callable[[str], None],
    ):
        self.refs = refs
        self.branch_title = branch_title
        self.branch_slug = branch_slug
        self.progress = progress
        self.pages = 0
        self.branch: Page | None = None
        self.old_paths: dict[int, str] = {}
        self.home_url_path = "/"
        self.source_home_path = "/"
        # Source pages copied under a page of the survivor's own choosing (old id → new id).
        self._parents: dict[int, int] = {}
        self._copied: set[int] = set()

    def run(self) -> None:
        with schema_context(self.refs.target):
            ContentType.objects.clear_cache()
            target_home = Site.objects.get(is_default_site=True).root_page.specific
        with schema_context(self.refs.source):
            ContentType.objects.clear_cache()
            source_home = Site.objects.get(is_default_site=True).root_page.specific
        self._move_pages(source_home, target_home)

    def _read_pages(self, source_home: Page) -> list[dict]:
        """Every top-level page of the source with its descendants, read in its schema."""

        def record(page: Page) -> tuple:
            specific = page.specific
            draft = None
            if page.has_unpublished_changes and page.latest_revision_id:
                draft = Revision.objects.get(pk=page.latest_revision_id).content
            return (
                page.pk,
                page.get_parent().pk,
                type(specific),
                specific.serializable_data(),
                draft,
            )

        with schema_context(self.refs.source):
            self.source_home_path = source_home.url_path
            sections = []
            for page in source_home.get_children().order_by("path"):
                specific = page.specific
                sections.append(
                    {
                        "pk": page.pk,
                        "key": getattr(specific, "section_key", "") or "",
                        "path": relative(page.url_path, source_home.url_path),
                        "self": record(page),
                        "descendants": [record(p) for p in page.get_descendants().order_by("path")],
                        "rich_text": [
                            (str(f.verbose_name), getattr(specific, f.name))
                            for f in type(specific)._meta.concrete_fields
                            if isinstance(f, RichTextField) and getattr(specific, f.name)
                        ],
                    }
                )
            self.old_paths = {
                page.pk: relative(page.url_path, source_home.url_path)
                for page in source_home.get_descendants()
            }
            self.old_paths[source_home.pk] = "/"
        return sections

    def _move_pages(self, source_home: Page, target_home: Page) -> None:
        """Each section's pages into the survivor's section of the same kind."""
        page_map = self.refs.page_map
        sections = self._read_pages(source_home)
        with schema_context(self.refs.target):
            self.home_url_path = target_home.url_path
            unit_page = self._former_unit_page(target_home, sections)
            page_map[source_home.pk] = unit_page.pk
            self.branch = unit_page
            records: list[tuple] = []
            for section in sections:
                key = section["key"]
                move = section_move(key) if key else None
                survivor_section = (
                    SectionPage.objects.child_of(target_home).filter(section_key=key).first()
                    if key
                    else None
                )
                if move is None or (survivor_section is None and move.mode != FORMER_UNIT):
                    # A section of its own (or one the survivor lacks): kept whole, as an
                    # ordinary section under the former unit's page.
                    records.append(section["self"])
                    records.extend(section["descendants"])
                    self._parents[section["pk"]] = unit_page.pk
                    continue
                if move.mode == FORMER_UNIT:
                    page_map[section["pk"]] = unit_page.pk
                elif move.mode == INTO:
                    container = survivor_section.specific
                    if move.container is not None:
                        container = move.container(container, self.branch_title, self.branch_slug)
                    page_map[section["pk"]] = container.pk
                else:  # not copied: the survivor's own section stands for it and its pages
                    for old_id, *_rest in [section["self"], *section["descendants"]]:
                        page_map[old_id] = survivor_section.pk
                    continue
                records.extend(section["descendants"])
            self._copy_records(records)

    def _former_unit_page(self, target_home: Page, sections: list[dict]) -> Page:
        """“Đơn vị cũ” › the absorbed unit: its introduction, organisation and own sections."""
        remap = self.refs.remap_richtext
        folder = SectionPage.objects.child_of(target_home).filter(slug=FORMER_UNITS_SLUG).first()
        if folder is None:
            folder = SectionPage(
                title=str(FORMER_UNITS_TITLE),
                slug=free_slug(target_home, FORMER_UNITS_SLUG),
                intro="<p>Trang của các đơn vị hành chính đã sáp nhập vào đơn vị này: lịch sử, "
                "tổ chức bộ máy và nội dung riêng; tin tức, văn bản, hỏi – đáp, thư viện đã "
                "được chuyển vào các chuyên mục tương ứng.</p>",
                live=True,
                show_in_menus=False,
            )
            target_home.add_child(instance=folder)
        else:
            folder = folder.specific
        intro = "".join(
            remap(html)
            if label == "lời giới thiệu"
            else f"<h2>{escape(label[:1].upper() + label[1:])}</h2>{remap(html)}"
            for section in sections
            if section_move(section["key"]).mode == FORMER_UNIT
            for label, html in section["rich_text"]
        )
        page = SectionPage(
            title=self.branch_title,
            slug=free_slug(folder, self.branch_slug),
            intro=intro,
            live=True,
            show_in_menus=False,
        )
        folder.add_child(instance=page)
        record_revision(page)
        return page

    def _copy_records(self, records: list[tuple]) -> None:
        """Copy pages (parents before children) where ``page_map``/``_parents`` say."""
        page_map = self.refs.page_map
        revisit = []
        total = len(records)
        for number, (old_id, parent_id, model, data, draft) in enumerate(records, start=1):
            self.refs.unresolved = False
            content = self._page_content(model, data)
            page = model.from_serializable_data(content, check_fks=False)
            if hasattr(page, "section_key"):
                # Only the survivor's own sections are standard ones.
                page.section_key = ""
            parent = Page.objects.get(pk=self._parents.get(old_id) or page_map[parent_id])
            if old_id in self._parents or parent_id not in self._copied:
                # Lands among the survivor's own pages: its slug may be taken there.
                page.slug = free_slug(parent, page.slug)
            parent.add_child(instance=page)
            page_map[old_id] = page.pk
            self._copied.add(old_id)
            if self.refs.unresolved or draft:
                revisit.append((page.pk, model, data, draft))
            else:
                record_revision(page)
            self.pages = number
            if number % 20 == 0:
                self.progress(f"pages: {number}/{total}")
        # References to pages copied later in the tree are resolved now.
        for page_id, model, data, draft in revisit:
            page = model.objects.get(pk=page_id)
            page = page.with_content_json(self._page_content(model, data, page_id))
            page.save()
            record_revision(page)
            if draft:
                draft_page = page.with_content_json(self._page_content(model, draft, page_id))
                draft_page.save_revision(clean=False, log_action=False)

    def _page_content(self, model, data: dict, pk: int | None = None) -> dict:
        content = plain(data)
        parent_links = {
            f.name
            for f in model._meta.concrete_fields
            if f.remote_field is not None and getattr(f.remote_field, "parent_link", False)
        }
        for name in PAGE_STATE_FIELDS | parent_links:
            content.pop(name, None)
        content.pop("comments", None)
        content.pop("wagtail_admin_comments", None)
        self.refs.remap_fields(model, content)
        content["pk"] = pk
        return content

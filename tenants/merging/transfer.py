"""Moving one site's content into another site's schema (used when sites are merged).

Content moves kind by kind to where a citizen of the survivor looks for it: each standard
section of the source hands its pages to the survivor's section of the same kind, as the
content apps registered (:func:`register_section_move`): news under a category named after
the former unit, documents among the documents (their issuing body kept), media in the
library, and so on.  Sections that are not copied (procedures: the survivor receives its
own) are stood for by the survivor's section.  The introduction, the organisation pages and
any section of the source's own go under “Đơn vị cũ” › <former unit>.  Rows that are not
pages (questions and answers) are moved by the apps' row movers.  Images and documents go
with their files into a collection named after the source.  Every old page address is
recorded with its new one, so old URLs answer 301 to where their content now is.

Ids differ between schemas, so every reference is remapped on the way: foreign keys, rich
text (``<a linktype="page" id=…>``, ``<embed embedtype="image" …>``), StreamField blocks
(choosers inside streams, lists and structs), inline child objects and tags.  Snippets a
page points to are matched in the target by their values, or copied.  Content types,
locales and users never cross schemas as raw ids.

The caller holds one database transaction around :meth:`ContentTransfer.run`; files
written before a failure are listed in ``written_files`` so the caller can delete them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import schema_context
from modelcluster.models import ClusterableModel, get_all_child_relations
from wagtail import blocks
from wagtail.blocks.stream_block import StreamValue
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, Revision, Site

from component_sites.core.models import SectionPage

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
REFERENCE_RE = re.compile(r"<(a|embed)\b[^>]*>")
REF_TYPE_RE = re.compile(r'\b(linktype|embedtype)="([^"]*)"')
REF_ID_RE = re.compile(r'\bid="(\d+)"')


# How a standard section of an absorbed site moves (``SectionMove.mode``):
INTO = "into"  # its pages go under the survivor's section of the same kind
FORMER_UNIT = "former_unit"  # its pages go under “Đơn vị cũ” › <former unit>
NOT_COPIED = "not_copied"  # nothing copied; the survivor's own section stands for it
FORMER_UNITS_TITLE = _("Đơn vị cũ")
FORMER_UNITS_SLUG = "don-vi-cu"


@dataclass(frozen=True)
class SectionMove:
    """How the pages of one standard section move into the survivor when sites merge.

    ``container`` (for ``INTO``) is given the survivor's section, the former unit's name
    and slug, and returns the page the moved pages go under (a news category, say).
    """

    mode: str = NOT_COPIED
    container: Callable[[Page, str, str], Page] | None = None


_SECTION_MOVES: dict[str, SectionMove] = {}
_ROW_MOVERS: list[tuple[str, Callable[[ContentTransfer], None]]] = []


def register_section_move(
    key, mode: str, container: Callable[[Page, str, str], Page] | None = None
) -> None:
    """Say how section ``key`` moves in a merge; content apps call this in ``ready``.

    A key nobody registers is not copied (the survivor's own section stands for it).
    """
    _SECTION_MOVES[str(key)] = SectionMove(mode, container)


def register_row_mover(name: str, mover: Callable[[ContentTransfer], None]) -> None:
    """Add ``mover``, called with the transfer after the pages moved, to move rows that
    are not pages (it appends its old → new addresses to ``transfer.result.moved_paths``)."""
    if name not in {existing for existing, _mover in _ROW_MOVERS}:
        _ROW_MOVERS.append((name, mover))


class TransferError(Exception):
    """The content could not be moved; the message says why."""


@dataclass
class TransferResult:
    """What moved, and the old → new URL paths of the files (pages move with a prefix)."""

    branch_id: int = 0
    branch_path: str = "/"
    pages: int = 0
    images: int = 0
    documents: int = 0
    snippets: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    moved_paths: list[tuple[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "branch_path": self.branch_path,
            "pages": self.pages,
            "images": self.images,
            "documents": self.documents,
            "snippets": self.snippets,
            **self.rows,
            "moved_paths": len(self.moved_paths),
        }


class ContentTransfer:
    """Copies the pages, images and documents of ``source_schema`` into ``target_schema``."""

    def __init__(
        self,
        source_schema: str,
        target_schema: str,
        *,
        branch_title: str,
        branch_slug: str,
        progress: Callable[[str], None] | None = None,
        on_file_written: Callable[[str], None] | None = None,
    ):
        self.source = source_schema
        self.target = target_schema
        self.branch_title = branch_title
        self.branch_slug = branch_slug
        self.progress = progress or (lambda _message: None)
        # Told the storage name of every file right after it is written (a job journal:
        # files of a transfer that does not commit are deleted by its caller).
        self.on_file_written = on_file_written or (lambda _name: None)
        self.image_model = get_image_model()
        self.document_model = get_document_model()
        self.maps: dict[type, dict[Any, Any]] = {}
        self.page_map: dict[int, int] = {}
        self.written_files: list[str] = []
        self.result = TransferResult()
        self._unresolved = False
        # Source pages copied under a page of the survivor's own choosing (old id → new id).
        self._parents: dict[int, int] = {}
        self._copied: set[int] = set()
        self._old_paths: dict[int, str] = {}

    # -- entry point -------------------------------------------------------------------

    def run(self) -> TransferResult:
        with schema_context(self.target):
            ContentType.objects.clear_cache()
            self.collection = self._make_collection()
            target_home = Site.objects.get(is_default_site=True).root_page.specific
        with schema_context(self.source):
            ContentType.objects.clear_cache()
            source_home = Site.objects.get(is_default_site=True).root_page.specific
        self._copy_files(self.image_model, "images")
        self._copy_files(self.document_model, "documents")
        self._move_pages(source_home, target_home)
        self._record_page_paths()
        for _name, mover in _ROW_MOVERS:
            mover(self)
        self._copy_redirects()
        with schema_context(self.target):
            ContentType.objects.clear_cache()
            Site.clear_site_root_paths_cache()
        return self.result

    # -- media ---------------------------------------------------------------------------

    def _make_collection(self) -> Collection:
        root = Collection.get_first_root_node()
        existing = root.get_children().filter(name=self.branch_title).first()
        return existing or root.add_child(name=self.branch_title)

    def _copy_files(self, model, kind: str) -> None:
        """Copy every image or document, file included; record the old → new file URLs."""
        mapping = self.maps.setdefault(model, {})
        with schema_context(self.source):
            ids = list(model.objects.order_by("pk").values_list("pk", flat=True))
        for number, old_id in enumerate(ids, start=1):
            with schema_context(self.source):
                item = model.objects.get(pk=old_id)
                with item.file.open("rb") as handle:
                    content = handle.read()
                old_url = item.file.url
                tags = list(item.tags.names())
                renditions = [r.file.url for r in item.renditions.all()] if kind == "images" else []
                values = {
                    f.attname: getattr(item, f.attname)
                    for f in model._meta.concrete_fields
                    if not f.primary_key
                    and f.name not in ("file", "collection", "uploaded_by_user")
                }
            with schema_context(self.target):
                new = model(**values, collection=self.collection)
                new.file.save(PurePosixPath(item.file.name).name, ContentFile(content), save=False)
                self.written_files.append(new.file.name)
                self.on_file_written(new.file.name)
                for name, value in values.items():
                    # Saving the file reset its dimension fields: the source's are right.
                    setattr(new, name, value)
                new.save()
                if tags:
                    new.tags.add(*tags)
                mapping[old_id] = new.pk
                new_url = new.file.url
                if kind == "documents":
                    filename = item.filename
                    # The file's old /media/ address leads to the document view too: a
                    # document is only ever served there (collection privacy, headers).
                    new_url = reverse("wagtaildocs_serve", args=(new.pk, new.filename))
                    self.result.moved_paths.append(
                        (reverse("wagtaildocs_serve", args=(old_id, filename)), new_url)
                    )
            self.result.moved_paths.append((old_url, new_url))
            # A rendition is regenerated on demand; its old URL leads to the original.
            self.result.moved_paths.extend((url, new_url) for url in renditions)
            setattr(self.result, kind, number)
            if number % 20 == 0:
                self.progress(f"{kind}: {number}/{len(ids)}")

    # -- pages ---------------------------------------------------------------------------

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

        with schema_context(self.source):
            self._source_home_path = source_home.url_path
            sections = []
            for page in source_home.get_children().order_by("path"):
                specific = page.specific
                sections.append(
                    {
                        "pk": page.pk,
                        "key": getattr(specific, "section_key", "") or "",
                        "path": self._relative(page.url_path, source_home.url_path),
                        "self": record(page),
                        "descendants": [record(p) for p in page.get_descendants().order_by("path")],
                        "rich_text": [
                            (str(f.verbose_name), getattr(specific, f.name))
                            for f in type(specific)._meta.concrete_fields
                            if isinstance(f, RichTextField) and getattr(specific, f.name)
                        ],
                    }
                )
            self._old_paths = {
                page.pk: self._relative(page.url_path, source_home.url_path)
                for page in source_home.get_descendants()
            }
            self._old_paths[source_home.pk] = "/"
        return sections

    @staticmethod
    def _relative(url_path: str, home_url_path: str) -> str:
        return url_path[len(home_url_path) - 1 :]

    def old_address(self, url_path: str) -> str:
        """The address on the source site of a source page with tree path ``url_path``."""
        return self._relative(url_path, self._source_home_path)

    def new_address(self, url_path: str) -> str:
        """The address on the target site of a target page with tree path ``url_path``."""
        return self._relative(url_path, self._home_url_path)

    def count(self, kind: str, number: int) -> None:
        """Record how many rows of ``kind`` a row mover moved (kept in the audit trail)."""
        self.result.rows[kind] = self.result.rows.get(kind, 0) + number

    def _move_pages(self, source_home: Page, target_home: Page) -> None:
        """Each section's pages into the survivor's section of the same kind (see SECTION_MOVES)."""
        sections = self._read_pages(source_home)
        with schema_context(self.target):
            self._home_url_path = target_home.url_path
            unit_page = self._former_unit_page(target_home, sections)
            self.page_map[source_home.pk] = unit_page.pk
            self.result.branch_id = unit_page.pk
            self.result.branch_path = self._relative(unit_page.url_path, self._home_url_path)
            records: list[tuple] = []
            for section in sections:
                key = section["key"]
                move = _SECTION_MOVES.get(key, SectionMove()) if key else None
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
                    self.page_map[section["pk"]] = unit_page.pk
                elif move.mode == INTO:
                    container = survivor_section.specific
                    if move.container is not None:
                        container = move.container(container, self.branch_title, self.branch_slug)
                    self.page_map[section["pk"]] = container.pk
                else:  # not copied: the survivor's own section stands for it and its pages
                    for old_id, *_rest in [section["self"], *section["descendants"]]:
                        self.page_map[old_id] = survivor_section.pk
                    continue
                records.extend(section["descendants"])
            self._copy_records(records)

    def _former_unit_page(self, target_home: Page, sections: list[dict]) -> Page:
        """“Đơn vị cũ” › the absorbed unit: its introduction, organisation and own sections."""
        folder = SectionPage.objects.child_of(target_home).filter(slug=FORMER_UNITS_SLUG).first()
        if folder is None:
            folder = SectionPage(
                title=str(FORMER_UNITS_TITLE),
                slug=self._free_slug(target_home, FORMER_UNITS_SLUG),
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
            self._remap_richtext(html)
            if label == "lời giới thiệu"
            else f"<h2>{escape(label[:1].upper() + label[1:])}</h2>{self._remap_richtext(html)}"
            for section in sections
            if _SECTION_MOVES.get(section["key"], SectionMove()).mode == FORMER_UNIT
            for label, html in section["rich_text"]
        )
        page = SectionPage(
            title=self.branch_title,
            slug=self._free_slug(folder, self.branch_slug),
            intro=intro,
            live=True,
            show_in_menus=False,
        )
        folder.add_child(instance=page)
        self._record_revision(page)
        return page

    def _copy_records(self, records: list[tuple]) -> None:
        """Copy pages (parents before children) where ``page_map``/``_parents`` say."""
        revisit = []
        total = len(records)
        for number, (old_id, parent_id, model, data, draft) in enumerate(records, start=1):
            self._unresolved = False
            content = self._page_content(model, data)
            page = model.from_serializable_data(content, check_fks=False)
            if hasattr(page, "section_key"):
                # Only the survivor's own sections are standard ones.
                page.section_key = ""
            parent = Page.objects.get(pk=self._parents.get(old_id) or self.page_map[parent_id])
            if old_id in self._parents or parent_id not in self._copied:
                # Lands among the survivor's own pages: its slug may be taken there.
                page.slug = self._free_slug(parent, page.slug)
            parent.add_child(instance=page)
            self.page_map[old_id] = page.pk
            self._copied.add(old_id)
            if self._unresolved or draft:
                revisit.append((page.pk, model, data, draft))
            else:
                self._record_revision(page)
            self.result.pages = number
            if number % 20 == 0:
                self.progress(f"pages: {number}/{total}")
        # References to pages copied later in the tree are resolved now.
        for page_id, model, data, draft in revisit:
            page = model.objects.get(pk=page_id)
            page = page.with_content_json(self._page_content(model, data, page_id))
            page.save()
            self._record_revision(page)
            if draft:
                draft_page = page.with_content_json(self._page_content(model, draft, page_id))
                draft_page.save_revision(clean=False, log_action=False)

    def _record_page_paths(self) -> None:
        """Every old page address → where its page (or the section standing for it) now is."""
        with schema_context(self.target):
            url_paths = dict(
                Page.objects.filter(pk__in=set(self.page_map.values())).values_list(
                    "pk", "url_path"
                )
            )
        for old_id, new_id in self.page_map.items():
            old = self._old_paths.get(old_id)
            if old is not None and new_id in url_paths:
                self.result.moved_paths.append(
                    (old, self._relative(url_paths[new_id], self._home_url_path))
                )

    def _page_content(self, model, data: dict, pk: int | None = None) -> dict:
        content = json.loads(json.dumps(data, cls=DjangoJSONEncoder))
        parent_links = {
            f.name
            for f in model._meta.concrete_fields
            if f.remote_field is not None and getattr(f.remote_field, "parent_link", False)
        }
        for name in PAGE_STATE_FIELDS | parent_links:
            content.pop(name, None)
        content.pop("comments", None)
        content.pop("wagtail_admin_comments", None)
        self._remap_fields(model, content)
        content["pk"] = pk
        return content

    @staticmethod
    def _record_revision(page: Page) -> None:
        revision = page.save_revision(clean=False, log_action=False, changed=False)
        Page.objects.filter(pk=page.pk).update(
            live_revision=revision if page.live else None, has_unpublished_changes=not page.live
        )

    @staticmethod
    def _free_slug(parent: Page, slug: str) -> str:
        taken = set(parent.get_children().values_list("slug", flat=True))
        candidate, number = slug, 2
        while candidate in taken:
            candidate, number = f"{slug}-{number}", number + 1
        return candidate

    # -- redirects -------------------------------------------------------------------------

    def _copy_redirects(self) -> None:
        """The source's own Wagtail redirects keep working from its old domains."""
        with schema_context(self.source):
            redirects = list(
                Redirect.objects.values_list("old_path", "redirect_page_id", "redirect_link")
            )
        with schema_context(self.target):
            moved = [self.page_map[pk] for _old, pk, _link in redirects if pk in self.page_map]
            url_paths = dict(Page.objects.filter(pk__in=moved).values_list("pk", "url_path"))
            for old_path, page_id, link in redirects:
                if page_id and page_id in self.page_map:
                    # A page's path on the site: its tree path below the site's home page.
                    target = url_paths[self.page_map[page_id]][len(self._home_url_path) - 1 :]
                elif link:
                    target = link
                else:
                    continue
                self.result.moved_paths.append((old_path, target))

    # -- remapping ------------------------------------------------------------------------

    def _remap_fields(self, model, data: dict) -> None:
        for model_field in model._meta.concrete_fields:
            name = model_field.name
            if name not in data:
                continue
            value = data[name]
            if model_field.is_relation and (model_field.many_to_one or model_field.one_to_one):
                data[name] = (
                    None if value is None else self._map_fk(model_field.related_model, value)
                )
            elif isinstance(model_field, StreamField):
                data[name] = self._remap_stream(model_field.stream_block, value)
            elif isinstance(model_field, RichTextField) and value:
                data[name] = self._remap_richtext(value)
        for model_field in model._meta.many_to_many:
            if isinstance(data.get(model_field.name), list):
                mapped = (
                    self._map_fk(model_field.related_model, pk) for pk in data[model_field.name]
                )
                data[model_field.name] = [pk for pk in mapped if pk is not None]
        if issubclass(model, ClusterableModel):
            for relation in get_all_child_relations(model):
                name = relation.get_accessor_name()
                child_model = relation.related_model
                if name not in data:
                    continue
                if child_model._meta.app_label == "wagtailcore":
                    data.pop(name)  # comments and the like: tied to users of the old site
                    continue
                for child in data[name]:
                    child["pk"] = None
                    child.pop("id", None)
                    child[relation.field.name] = None
                    self._remap_fields(child_model, child)

    def _map_fk(self, model, old: Any) -> Any:
        if old is None or old == "":
            return None
        if issubclass(model, Page):
            if old in self.page_map:
                return self.page_map[old]
            self._unresolved = True
            return None
        if model in (self.image_model, self.document_model):
            return self.maps.get(model, {}).get(old)
        if model is Collection:
            return self.collection.pk
        if model is Locale:
            return self._map_locale(old)
        if model is ContentType:
            return self._map_content_type(old)
        if model is Site:
            with schema_context(self.target):
                return Site.objects.get(is_default_site=True).pk
        if model is get_user_model() or model._meta.app_label in ("wagtailcore", "auth"):
            return None  # accounts, revisions and workflow state stay with the old site
        if model._meta.app_label in ("tenants", "django_tenants"):
            return old  # control-plane rows live in public, the same for every site
        return self._copy_object(model, old)

    def _map_locale(self, old: int) -> int:
        mapping = self.maps.setdefault(Locale, {})
        if old not in mapping:
            with schema_context(self.source):
                code = Locale.objects.get(pk=old).language_code
            with schema_context(self.target):
                locale = Locale.objects.filter(language_code=code).first() or Locale.get_default()
            mapping[old] = locale.pk
        return mapping[old]

    def _map_content_type(self, old: int) -> int:
        mapping = self.maps.setdefault(ContentType, {})
        if old not in mapping:
            with schema_context(self.source):
                natural = ContentType.objects.values_list("app_label", "model").get(pk=old)
            with schema_context(self.target):
                mapping[old] = ContentType.objects.get(app_label=natural[0], model=natural[1]).pk
        return mapping[old]

    def _copy_object(self, model, old: Any) -> Any:
        """A snippet or other row a page points to: the target's equal row, or a copy."""
        mapping = self.maps.setdefault(model, {})
        if old in mapping:
            return mapping[old]
        with schema_context(self.source):
            item = model._base_manager.filter(pk=old).first()
            if item is None:
                mapping[old] = None
                return None
            if isinstance(item, ClusterableModel):
                data = json.loads(json.dumps(item.serializable_data(), cls=DjangoJSONEncoder))
            else:
                data = {
                    f.name: f.value_from_object(item)
                    for f in model._meta.concrete_fields
                    if not f.primary_key
                }
                data = json.loads(json.dumps(data, cls=DjangoJSONEncoder))
        data.pop("pk", None)
        data.pop(model._meta.pk.name, None)
        self._remap_fields(model, data)
        simple = {
            f.attname: data[f.name]
            for f in model._meta.concrete_fields
            if f.name in data
            and not f.primary_key
            and f.get_internal_type()
            in ("CharField", "SlugField", "IntegerField", "BooleanField", "ForeignKey", "TextField")
        }
        with schema_context(self.target):
            match = model._base_manager.filter(**simple).first() if simple else None
            if match is None:
                if issubclass(model, ClusterableModel):
                    instance = model.from_serializable_data({**data, "pk": None}, check_fks=False)
                else:
                    instance = model(
                        **{
                            f.attname: f.to_python(data[f.name])
                            for f in model._meta.concrete_fields
                            if f.name in data and not f.primary_key
                        }
                    )
                try:
                    with transaction.atomic():
                        instance.save()
                    match = instance
                    self.result.snippets += 1
                except IntegrityError:
                    match = self._match_unique(model, simple)
            mapping[old] = match.pk
        return mapping[old]

    @staticmethod
    def _match_unique(model, values: dict):
        for model_field in model._meta.concrete_fields:
            if model_field.unique and not model_field.primary_key and model_field.attname in values:
                match = model._base_manager.filter(
                    **{model_field.attname: values[model_field.attname]}
                ).first()
                if match is not None:
                    return match
        raise TransferError(
            f"Không chép được {model._meta.verbose_name}: trùng với dữ liệu của trang đích."
        )

    def _remap_stream(self, block, value):
        if isinstance(value, StreamValue):
            raw = value.get_prep_value()
        elif isinstance(value, str):
            raw = json.loads(value) if value else []
        else:
            raw = value or []
        raw = self._walk_block(block, json.loads(json.dumps(raw, cls=DjangoJSONEncoder)))
        return json.dumps(raw, cls=DjangoJSONEncoder)

    def _walk_block(self, block, value):
        if value is None:
            return None
        if isinstance(block, blocks.StreamBlock):
            for item in value:
                child = block.child_blocks.get(item.get("type"))
                if child is not None:
                    item["value"] = self._walk_block(child, item.get("value"))
            return value
        if isinstance(block, blocks.ListBlock):
            for index, item in enumerate(value):
                if isinstance(item, dict) and item.get("type") == "item" and "value" in item:
                    item["value"] = self._walk_block(block.child_block, item["value"])
                else:
                    value[index] = self._walk_block(block.child_block, item)
            return value
        if isinstance(block, blocks.StructBlock):
            if isinstance(value, dict):
                for name, child in block.child_blocks.items():
                    if name in value:
                        value[name] = self._walk_block(child, value[name])
                return value
            # An image block saved before it became a struct holds a bare id.
            image_child = block.child_blocks.get("image")
            return self._walk_block(image_child, value) if image_child else value
        if isinstance(block, blocks.RichTextBlock):
            return self._remap_richtext(value)
        if isinstance(block, blocks.ChooserBlock):
            return self._map_fk(block.model_class, value)
        if isinstance(block, blocks.PageChooserBlock):
            return self._map_fk(Page, value)
        return value

    def _remap_richtext(self, html: str) -> str:
        if not html:
            return html

        def replace(match: re.Match) -> str:
            tag = match.group(0)
            kind = REF_TYPE_RE.search(tag)
            ident = REF_ID_RE.search(tag)
            if not kind or not ident:
                return tag
            model = {
                "page": Page,
                "image": self.image_model,
                "document": self.document_model,
            }.get(kind.group(2))
            if model is None:
                return tag
            new = self._map_fk(model, int(ident.group(1)))
            if new is None:
                return "<a>" if match.group(1) == "a" else ""
            return tag[: ident.start(1)] + str(new) + tag[ident.end(1) :]

        return REFERENCE_RE.sub(replace, html)

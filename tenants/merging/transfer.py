"""Moving one site's content into another site's schema (used when sites are merged).

Content moves kind by kind to where a citizen of the survivor looks for it
(:mod:`.content_moves`); rows that are not pages (questions and answers) are moved by the
apps' row movers (``component_sites.core.section_moves``).  Images and documents go with
their files into a collection named after the source.  Ids are remapped on the way
(:mod:`.references`).  Every old address is recorded with its new one (:mod:`.redirects`),
so old URLs answer 301 to where their content now is.

The caller holds one database transaction around :meth:`ContentTransfer.run`; files
written before a failure are listed in ``written_files`` so the caller can delete them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.urls import reverse
from django_tenants.utils import schema_context
from wagtail.models import Collection, Site

from component_sites.core.section_moves import row_movers

from . import redirects
from .content_moves import PageMove, relative
from .references import References


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
    """Copies the pages, images and documents of ``source_schema`` into ``target_schema``.

    Row movers are given the transfer itself (``source``, ``target``, ``old_address``,
    ``new_address``, ``count``, ``written_files``, ``on_file_written``, ``result``).
    """

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
        self.refs = References(source_schema, target_schema)
        self.pages = PageMove(
            self.refs, branch_title=branch_title, branch_slug=branch_slug, progress=self.progress
        )
        self.written_files: list[str] = []
        self.result = TransferResult()

    def run(self) -> TransferResult:
        with schema_context(self.target):
            ContentType.objects.clear_cache()
            self.refs.collection = self._make_collection()
        # Files first: the pages' references to images and documents need their new ids.
        self._copy_files(self.refs.image_model, "images")
        self._copy_files(self.refs.document_model, "documents")
        self.pages.run()
        self.result.pages = self.pages.pages
        self.result.branch_id = self.pages.branch.pk
        self.result.branch_path = self.new_address(self.pages.branch.url_path)
        self.result.moved_paths.extend(
            redirects.page_paths(
                self.target, self.refs.page_map, self.pages.old_paths, self.pages.home_url_path
            )
        )
        for mover in row_movers():
            mover(self)
        self._copy_redirects()
        self.result.snippets = self.refs.snippets
        with schema_context(self.target):
            ContentType.objects.clear_cache()
            Site.clear_site_root_paths_cache()
        return self.result

    # -- what row movers use ---------------------------------------------------------------

    def old_address(self, url_path: str) -> str:
        """The address on the source site of a source page with tree path ``url_path``."""
        return relative(url_path, self.pages.source_home_path)

    def new_address(self, url_path: str) -> str:
        """The address on the target site of a target page with tree path ``url_path``."""
        return relative(url_path, self.pages.home_url_path)

    def count(self, kind: str, number: int) -> None:
        """Record how many rows of ``kind`` a row mover moved (kept in the audit trail)."""
        self.result.rows[kind] = self.result.rows.get(kind, 0) + number

    # -- media ---------------------------------------------------------------------------

    def _make_collection(self) -> Collection:
        root = Collection.get_first_root_node()
        existing = root.get_children().filter(name=self.branch_title).first()
        return existing or root.add_child(name=self.branch_title)

    def _copy_files(self, model, kind: str) -> None:
        """Copy every image or document, file included; record the old → new file URLs."""
        mapping = self.refs.maps.setdefault(model, {})
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
                new = model(**values, collection=self.refs.collection)
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

    # -- redirects -------------------------------------------------------------------------

    def _copy_redirects(self) -> None:
        """The source's own Wagtail redirects keep working from its old domains."""
        self.result.moved_paths.extend(
            redirects.source_redirects(
                self.source, self.target, self.refs.page_map, self.pages.home_url_path
            )
        )

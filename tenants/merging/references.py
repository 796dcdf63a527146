"""Ids differ between schemas: every reference a moved row holds is remapped on the way.

Foreign keys, rich text (``<a linktype="page" id=…>``, ``<embed embedtype="image" …>``),
StreamField blocks (choosers inside streams, lists and structs), inline child objects and
many-to-many lists.  Snippets a page points to are matched in the target by their values,
or copied.  Content types, locales and users never cross schemas as raw ids.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django_tenants.utils import schema_context
from modelcluster.models import ClusterableModel, get_all_child_relations
from wagtail import blocks
from wagtail.blocks.stream_block import StreamValue
from wagtail.documents import get_document_model
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, Site

REFERENCE_RE = re.compile(r"<(a|embed)\b[^>]*>")
REF_TYPE_RE = re.compile(r'\b(linktype|embedtype)="([^"]*)"')
REF_ID_RE = re.compile(r'\bid="(\d+)"')


class TransferError(Exception):
    """The content could not be moved; the message says why."""


def plain(value: Any) -> Any:
    """``value`` as plain JSON data (dates, decimals and the like as Django writes them)."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


class References:
    """Old id (source schema) → new id (target schema), for every kind of row.

    ``page_map`` is filled by whoever copies the pages; a page reference not in it yet
    sets ``unresolved`` so the copier comes back to it once every page exists.
    """

    def __init__(self, source_schema: str, target_schema: str):
        self.source = source_schema
        self.target = target_schema
        self.image_model = get_image_model()
        self.document_model = get_document_model()
        self.collection: Collection | None = None  # where moved images and documents go
        self.maps: dict[type, dict[Any, Any]] = {}
        self.page_map: dict[int, int] = {}
        self.unresolved = False
        self.snippets = 0  # rows a page pointed to that the target had no equal of

    def remap_fields(self, model, data: dict) -> None:
        """Rewrite, in place, every reference in ``data`` (a serialised ``model`` row)."""
        for model_field in model._meta.concrete_fields:
            name = model_field.name
            if name not in data:
                continue
            value = data[name]
            if model_field.is_relation and (model_field.many_to_one or model_field.one_to_one):
                data[name] = (
                    None if value is None else self.map_fk(model_field.related_model, value)
                )
            elif isinstance(model_field, StreamField):
                data[name] = self.remap_stream(model_field.stream_block, value)
            elif isinstance(model_field, RichTextField) and value:
                data[name] = self.remap_richtext(value)
        for model_field in model._meta.many_to_many:
            if isinstance(data.get(model_field.name), list):
                mapped = (
                    self.map_fk(model_field.related_model, pk) for pk in data[model_field.name]
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
                    self.remap_fields(child_model, child)

    def map_fk(self, model, old: Any) -> Any:
        """The target's id for the source's row ``old`` of ``model`` (``None``: dropped)."""
        if old is None or old == "":
            return None
        if issubclass(model, Page):
            if old in self.page_map:
                return self.page_map[old]
            self.unresolved = True
            return None
        if model in (self.image_model, self.document_model):
            return self.maps.get(model, {}).get(old)
        if model is Collection:
            return self.collection.pk if self.collection is not None else None
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
                data = plain(item.serializable_data())
            else:
                data = plain(
                    {
                        f.name: f.value_from_object(item)
                        for f in model._meta.concrete_fields
                        if not f.primary_key
                    }
                )
        data.pop("pk", None)
        data.pop(model._meta.pk.name, None)
        self.remap_fields(model, data)
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
                    self.snippets += 1
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

    def remap_stream(self, block, value) -> str:
        """A StreamField's value (any of its stored forms) with its references remapped."""
        if isinstance(value, StreamValue):
            raw = value.get_prep_value()
        elif isinstance(value, str):
            raw = json.loads(value) if value else []
        else:
            raw = value or []
        raw = self._walk_block(block, plain(raw))
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
            return self.remap_richtext(value)
        if isinstance(block, blocks.ChooserBlock):
            return self.map_fk(block.model_class, value)
        if isinstance(block, blocks.PageChooserBlock):
            return self.map_fk(Page, value)
        return value

    def remap_richtext(self, html: str) -> str:
        """Rich text with its page, image and document references remapped (or dropped)."""
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
            new = self.map_fk(model, int(ident.group(1)))
            if new is None:
                return "<a>" if match.group(1) == "a" else ""
            return tag[: ident.start(1)] + str(new) + tag[ident.end(1) :]

        return REFERENCE_RE.sub(replace, html)

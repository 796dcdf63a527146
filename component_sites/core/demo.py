"""Demo content for a newcomer's first run: each content app registers a builder.

``seed_demo`` calls :func:`build_demo_content` once for every demo site it creates, inside
that site's schema.  Builders add realistic Vietnamese content of their own kind and must
be deterministic for a given site (use ``context.rng``), so two runs look the same.
"""

from __future__ import annotations

import functools
import io
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.files.images import ImageFile

_BUILDERS: list[tuple[str, Callable[[DemoContext], None]]] = []


@dataclass
class DemoContext:
    """What a builder gets: the site (from the public registry), its home page and a seeded RNG."""

    tenant: object
    home: object
    rng: random.Random
    made: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, number: int = 1) -> None:
        """Record what a builder made (shown by ``seed_demo``)."""
        self.made[kind] = self.made.get(kind, 0) + number

    def image(self, title: str, alt_text: str, *, caption: str = "", width: int = 1200):
        """A landscape picture drawn locally (sky, hills, fields), saved as a site image."""
        from .models import SiteImage

        height = width * 9 // 16
        data = landscape(self.rng.randrange(LANDSCAPE_POOL), width, height)
        image = SiteImage(title=title, alt_text=alt_text, caption=caption, credit="Ảnh minh hoạ")
        slug = f"demo-{self.rng.randrange(10**8):08d}.png"
        image.file.save(slug, ImageFile(io.BytesIO(data), name=slug), save=False)
        image.save()
        self.count("images")
        return image


def register_demo_builder(name: str, builder: Callable[[DemoContext], None]) -> None:
    """Add ``builder`` (called with a :class:`DemoContext`); apps call this in ``ready``."""
    if name not in {existing for existing, _ in _BUILDERS}:
        _BUILDERS.append((name, builder))


def build_demo_content(tenant) -> dict[str, int]:
    """Run every registered builder in ``tenant``'s schema; returns what was made.

    Everything saved meanwhile is written in the tone style of the site's official name
    (“Phường Hòa Bình”: hòa, hóa, thủy; “Tỉnh Hoà Bình”: hoà, hoá, thuỷ), so one site's
    text never mixes the two.
    """
    from django.db import transaction
    from django.db.models.signals import pre_save
    from django_tenants.utils import schema_context
    from wagtail.models import Site

    from .text import tone_style

    receiver = _in_tone_style(tone_style(getattr(tenant, "name", "")), tenant.schema_name)
    pre_save.connect(receiver, dispatch_uid="demo-tone-style", weak=False)
    try:
        with schema_context(tenant.schema_name), transaction.atomic():
            home = Site.objects.get(is_default_site=True).root_page.specific
            context = DemoContext(tenant=tenant, home=home, rng=random.Random(tenant.code))
            for _name, builder in _BUILDERS:
                builder(context)
    finally:
        pre_save.disconnect(dispatch_uid="demo-tone-style")
    return context.made


# Official texts copied as they are: the procedure catalogue and its copies.
OFFICIAL_TEXT_APPS = {"procedures", "procedure_catalog"}


def _in_tone_style(style: str, schema_name: str):
    """A ``pre_save`` receiver rewriting an instance's text in ``style`` (see ``text``):
    only rows of the site's own schema, never the official catalogue's."""
    from django.db import connection, models
    from wagtail.fields import StreamField

    from .text import with_tone_style

    def rewrite(value):
        if isinstance(value, str):
            return with_tone_style(value, style)
        if isinstance(value, list):
            return [rewrite(item) for item in value]
        if isinstance(value, dict):
            return {key: rewrite(item) for key, item in value.items()}
        return value

    def receiver(sender, instance, raw=False, **kwargs):
        if raw or connection.schema_name != schema_name:
            return
        if instance._meta.app_label in OFFICIAL_TEXT_APPS:
            return
        for model_field in instance._meta.concrete_fields:
            if isinstance(model_field, models.SlugField | models.EmailField | models.URLField):
                continue
            value = getattr(instance, model_field.attname, None)
            if isinstance(model_field, StreamField):
                if value:
                    setattr(
                        instance, model_field.attname, rewrite(model_field.get_prep_value(value))
                    )
            elif isinstance(model_field, models.CharField | models.TextField):
                if value and not model_field.choices:
                    setattr(instance, model_field.attname, rewrite(value))
            elif isinstance(model_field, models.JSONField) and value:
                setattr(instance, model_field.attname, rewrite(value))

    return receiver


# Pictures are drawn once per process and shared by every demo site (drawing and
# compressing a PNG costs about 0.15 s; a site has about 40 pictures).
LANDSCAPE_POOL = 12


@functools.lru_cache(maxsize=LANDSCAPE_POOL * 4)
def landscape(index: int, width: int, height: int) -> bytes:
    """Landscape number ``index`` of the shared pool, at the given size."""
    return draw_landscape(random.Random(f"landscape-{index}"), width, height)


def draw_landscape(rng: random.Random, width: int, height: int) -> bytes:
    """A PNG of a simple landscape in a seeded palette (no text: fonts vary by machine)."""
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(picture)
    top = (rng.randint(90, 160), rng.randint(150, 200), rng.randint(210, 250))
    bottom = (rng.randint(200, 240), rng.randint(210, 235), rng.randint(220, 245))
    for y in range(height):
        share = y / height
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(int(a + (b - a) * share) for a, b in zip(top, bottom, strict=True)),
        )
    sun = rng.randint(width // 8, width * 7 // 8), rng.randint(height // 10, height // 3)
    radius = height // 12
    draw.ellipse(
        [sun[0] - radius, sun[1] - radius, sun[0] + radius, sun[1] + radius],
        fill=(255, rng.randint(200, 230), rng.randint(120, 160)),
    )
    for layer in range(3):
        base = height * (55 + layer * 12) // 100
        green = (rng.randint(40, 90), rng.randint(110, 170) - layer * 15, rng.randint(50, 90))
        points = [(0, height)]
        for x in range(0, width + 1, max(1, width // 12)):
            points.append((x, base - rng.randint(0, height // 6)))
        points.append((width, height))
        draw.polygon(points, fill=green)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()

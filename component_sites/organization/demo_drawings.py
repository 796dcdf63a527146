"""Pictures drawn for the demo (no real place or person): a unit's map, leaders' portraits."""

from __future__ import annotations

import io

from django.core.files.images import ImageFile


def save_drawing(context, picture, title, alt_text):
    from component_sites.core.models import SiteImage

    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", optimize=True)
    name = f"demo-{context.rng.randrange(10**8):08d}.png"
    image = SiteImage(title=title, alt_text=alt_text, credit="Ảnh minh hoạ")
    image.file.save(name, ImageFile(io.BytesIO(buffer.getvalue()), name=name), save=False)
    image.save()
    context.count("images")
    return image


def draw_map(context, title, alt_text):
    """An illustrative administrative map: an outline split into a few coloured areas."""
    import math

    from PIL import Image, ImageDraw

    rng, size = context.rng, (900, 700)
    picture = Image.new("RGB", size, (232, 240, 247))
    draw = ImageDraw.Draw(picture)
    centre, points = (450, 350), []
    for step in range(24):
        angle = 2 * math.pi * step / 24
        radius = rng.randint(230, 320)
        points.append(
            (centre[0] + radius * math.cos(angle), centre[1] + radius * 0.8 * math.sin(angle))
        )
    draw.polygon(points, fill=(246, 241, 222), outline=(120, 90, 60), width=4)
    areas = rng.randint(4, 7)
    palette = [(214, 234, 200), (250, 226, 200), (222, 214, 240), (206, 230, 236), (245, 214, 214)]
    for area in range(areas):
        start = area * len(points) // areas
        end = (area + 1) * len(points) // areas
        wedge = [centre, *points[start : end + 1]]
        draw.polygon(wedge, fill=palette[area % len(palette)], outline=(150, 120, 90))
    # A river across the unit.
    river = [(0, rng.randint(200, 500))]
    for x in range(100, 1000, 100):
        river.append((x, river[-1][1] + rng.randint(-60, 60)))
    draw.line(river, fill=(80, 140, 210), width=9)
    draw.ellipse(
        [centre[0] - 12, centre[1] - 12, centre[0] + 12, centre[1] + 12], fill=(163, 17, 26)
    )
    return save_drawing(context, picture, title, alt_text)


def draw_portrait(context, leader):
    """A neutral silhouette standing in for a leader's photo (no real person's picture)."""
    from PIL import Image, ImageDraw

    rng = context.rng
    background = (rng.randint(190, 225), rng.randint(205, 230), rng.randint(220, 245))
    picture = Image.new("RGB", (480, 600), background)
    draw = ImageDraw.Draw(picture)
    shade = (90, 100, 115)
    draw.ellipse([160, 110, 320, 290], fill=shade)
    draw.rounded_rectangle([80, 320, 400, 640], radius=120, fill=shade)
    draw.polygon([(240, 330), (215, 420), (240, 470), (265, 420)], fill=(163, 17, 26))
    return save_drawing(
        context,
        picture,
        f"Ảnh chân dung {leader['name']}",
        f"Ảnh chân dung (minh hoạ) của {leader['short']}",
    )

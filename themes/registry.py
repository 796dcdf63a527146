"""The themes a province can give its sites: same templates, different design tokens.

A theme is a stylesheet of CSS custom properties (colours, radii, header style) loaded
after the shared ``portal.css``; no template is forked.  No Django imports here, so the
registry can be read anywhere (settings, migrations, the launcher).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Theme:
    key: str
    label: str
    stylesheet: str
    # Colours the theme uses when a site sets none (checked for contrast by the tests).
    primary: str
    accent: str


THEMES: dict[str, Theme] = {
    theme.key: theme
    for theme in (
        Theme(
            key="quoc-gia",
            label="Quốc gia (đỏ – vàng)",
            stylesheet="themes/default/theme-quoc-gia.css",
            primary="#a3111a",
            accent="#ffd54a",
        ),
        Theme(
            key="lam-ngoc",
            label="Lam ngọc (xanh dương – trắng)",
            stylesheet="themes/default/theme-lam-ngoc.css",
            primary="#0b4a8b",
            accent="#f2b705",
        ),
    )
}
DEFAULT_THEME = "quoc-gia"


def theme_choices() -> list[tuple[str, str]]:
    return [(theme.key, theme.label) for theme in THEMES.values()]


def get_theme(key: str | None) -> Theme:
    """The theme called ``key``, or the default one for an unknown or empty key."""
    return THEMES.get(key or "", THEMES[DEFAULT_THEME])

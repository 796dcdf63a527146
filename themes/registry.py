"""The themes a province can give its sites: same templates, different design tokens.

A theme is a set of CSS custom properties (colours, header style) in the shared
``portal.css``, under ``:root[data-theme="KEY"]``: the page's ``<html>`` names its site's theme
(``data-theme``), so a page needs one render-blocking stylesheet whatever the theme.  No
template is forked.  No Django imports here, so the
registry can be read anywhere (settings, migrations, the launcher).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Theme:
    key: str
    label: str
    # Colours the theme uses when a site sets none (checked for contrast by the tests).
    primary: str
    accent: str


THEMES: dict[str, Theme] = {
    theme.key: theme
    for theme in (
        Theme(
            key="quoc-gia",
            label="Quốc gia (đỏ – vàng)",
            primary="#a3111a",
            accent="#ffd54a",
        ),
        Theme(
            key="lam-ngoc",
            label="Lam ngọc (xanh dương – trắng)",
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

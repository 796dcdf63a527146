"""What a provincial admin gives to create a site (no Django imports: usable before setup)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SiteSpec:
    """What a provincial admin gives to create a site."""

    name: str
    level: str
    code: str
    domain: str
    parent_code: str | None = None
    aliases: list[str] = field(default_factory=list)
    schema_name: str | None = None
    admin_username: str | None = None
    admin_email: str = ""
    unit_model: str = "two-level"
    # A key of themes.registry.THEMES; empty: the parent's theme, else the default one.
    theme: str = ""
    # None: generate one and return it; "": none yet (set later through a one-time link).
    admin_password: str | None = None

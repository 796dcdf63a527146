"""The lock files (requirements/*.txt, ``uv pip compile --generate-hashes``) against pyproject.toml.

``requirements/production.txt`` must pin every requirement of ``[project].dependencies``;
``requirements/dev.txt`` those and every requirement of the ``dev`` extra, with the extras it
names (``cong-thong-tin[embedded]``).  A pin must satisfy the declared range and carry its
hashes, or ``pip install --require-hashes`` on a clean machine refuses the file.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from tests.architecture.imports import ROOT

PYPROJECT = ROOT / "pyproject.toml"
LOCKS = {
    ROOT / "requirements" / "production.txt": (),
    ROOT / "requirements" / "dev.txt": ("dev",),
}
# The target the lock files are compiled for (Makefile, LOCK_TARGET).
ENVIRONMENT = {
    "python_version": "3.11",
    "python_full_version": "3.11.7",
    "sys_platform": "linux",
    "platform_system": "Linux",
    "platform_machine": "x86_64",
    "os_name": "posix",
    "implementation_name": "cpython",
    "platform_python_implementation": "CPython",
}
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def pins(lock: Path) -> dict[str, tuple[Version, int]]:
    """Canonical name → (pinned version, number of hashes) of a lock file."""
    found: dict[str, tuple[Version, int]] = {}
    current = None
    for line in lock.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            current = canonicalize_name(match[1])
            found[current] = (Version(match[2]), 0)
        elif current and line.strip().startswith("--hash=sha256:"):
            version, hashes = found[current]
            found[current] = (version, hashes + 1)
        elif not line.startswith(" "):
            current = None
    return found


def wanted(extras: tuple[str, ...], pyproject: Path = PYPROJECT) -> list[Requirement]:
    """The requirements an install of the project with ``extras`` needs (own extras expanded)."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    own = canonicalize_name(project["name"])
    optional = project.get("optional-dependencies", {})
    result: list[Requirement] = []
    seen: set[str] = set()
    todo = [(line, "") for line in project.get("dependencies", [])]
    todo += [(line, extra) for extra in extras for line in optional.get(extra, [])]
    while todo:
        line, extra = todo.pop(0)
        requirement = Requirement(line)
        if requirement.marker and not requirement.marker.evaluate({**ENVIRONMENT, "extra": extra}):
            continue
        if canonicalize_name(requirement.name) == own:
            for name in sorted(requirement.extras - seen):
                seen.add(name)
                todo += [(line, name) for line in optional.get(name, [])]
            continue
        result.append(requirement)
    return result


def problems(pyproject: Path = PYPROJECT, locks: dict | None = None) -> list[str]:
    found: list[str] = []
    for lock, extras in (locks if locks is not None else LOCKS).items():
        if not lock.exists():
            found.append(f"{lock.name}: missing (make lock)")
            continue
        pinned = pins(lock)
        for requirement in wanted(extras, pyproject):
            name = canonicalize_name(requirement.name)
            if name not in pinned:
                found.append(f"{lock.name}: {requirement} is not pinned (make lock)")
                continue
            version, hashes = pinned[name]
            if not requirement.specifier.contains(version, prereleases=True):
                found.append(f"{lock.name}: {name}=={version} is outside {requirement} (make lock)")
            if not hashes:
                found.append(f"{lock.name}: {name}=={version} has no --hash")
    return found

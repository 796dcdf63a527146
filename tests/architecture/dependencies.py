"""Third-party imports of the project's code and the distributions pyproject.toml declares.

Read from the source (no project code is imported): every ``import``/``from … import``
statement of the project's packages, migrations included, and in the settings modules the
strings that name a module Django imports for us (``INSTALLED_APPS``, middleware, backends).
Each top-level module is mapped to the installed distributions that provide it
(``importlib.metadata.packages_distributions()``); one of them must be declared:

- in ``[project].dependencies``: the module may be imported anywhere;
- in an optional extra other than ``dev`` (``embedded``): the production image does not
  install it, so each import must sit in a ``try`` whose handler catches ``ImportError``
  (or ``ModuleNotFoundError``) and says what to do instead.

A module that only arrives through another package (openpyxl through Wagtail) is undeclared:
the day Wagtail drops it the platform breaks.  ``python tests/architecture/dependencies.py``
prints every problem.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from dataclasses import dataclass
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.architecture.imports import PACKAGES, ROOT

PYPROJECT = ROOT / "pyproject.toml"
# Extras that never reach the production image's code paths: project code must not import them.
DEV_EXTRAS = {"dev"}
# Settings modules: their dotted strings name modules too ("corsheaders", "whitenoise.…").
SETTINGS_PARTS = ("portal", "settings")
DOTTED = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$")
IMPORT_ERRORS = {"ImportError", "ModuleNotFoundError"}


@dataclass(frozen=True)
class Use:
    """One place that needs a top-level module."""

    module: str  # top-level name, e.g. "openpyxl"
    path: Path
    line: int
    guarded: bool  # inside ``try: … except ImportError``
    how: str  # "import" or "setting"

    def where(self) -> str:
        try:
            shown = self.path.relative_to(ROOT)
        except ValueError:
            shown = self.path
        return f"{shown}:{self.line}"


def declared(pyproject: Path = PYPROJECT) -> tuple[set[str], dict[str, set[str]]]:
    """(required distributions, extra → its distributions), canonical names, own name left out."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    own = canonicalize_name(project["name"])

    def names(lines: list[str]) -> set[str]:
        found = {canonicalize_name(Requirement(line).name) for line in lines}
        return found - {own}

    required = names(project.get("dependencies", []))
    extras = {
        extra: names(lines) for extra, lines in project.get("optional-dependencies", {}).items()
    }
    return required, extras


def _guarded_lines(tree: ast.AST) -> set[int]:
    """Line numbers of statements inside a ``try`` body that catches an import error."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Try):
            continue
        caught: set[str] = set()
        for handler in node.handlers:
            kinds = handler.type
            elements = kinds.elts if isinstance(kinds, ast.Tuple) else [kinds]
            caught |= {e.id for e in elements if isinstance(e, ast.Name)}
        if caught & IMPORT_ERRORS:
            for statement in node.body:
                for inner in ast.walk(statement):
                    if hasattr(inner, "lineno"):
                        lines.add(inner.lineno)
    return lines


def uses_in(path: Path, is_settings: bool = False) -> list[Use]:
    """Every absolute import in ``path`` (and, for settings, every dotted-module string)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    guarded = _guarded_lines(tree)
    found: list[Use] = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            names = [node.module]
        for name in names:
            top = name.split(".")[0]
            found.append(Use(top, path, node.lineno, node.lineno in guarded, "import"))
        if (
            is_settings
            and isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and DOTTED.match(node.value)
        ):
            top = node.value.split(".")[0]
            found.append(Use(top, path, node.lineno, False, "setting"))
    return found


def project_uses(packages: dict[str, Path] | None = None) -> list[Use]:
    """The third-party uses of the project's packages (standard library and own code left out)."""
    packages = packages if packages is not None else PACKAGES
    own = set(packages) | set(PACKAGES)
    found: list[Use] = []
    for base in packages.values():
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*.py")):
            if "__pycache__" in path.parts:
                continue
            rel = path.relative_to(base.parent).parts
            is_settings = any(
                rel[i : i + len(SETTINGS_PARTS)] == SETTINGS_PARTS for i in range(len(rel))
            )
            for use in uses_in(path, is_settings):
                if use.module in own or use.module in sys.stdlib_module_names:
                    continue
                found.append(use)
    return found


def problems(
    packages: dict[str, Path] | None = None,
    pyproject: Path = PYPROJECT,
    providers: dict[str, list[str]] | None = None,
) -> list[str]:
    """What is wrong, one line per module and reason (empty when every use is declared)."""
    required, extras = declared(pyproject)
    optional = set().union(*(d for e, d in extras.items() if e not in DEV_EXTRAS)) - required
    dev_only = set().union(*(d for e, d in extras.items() if e in DEV_EXTRAS)) - required
    providers = providers if providers is not None else packages_distributions()
    by_module: dict[str, list[Use]] = {}
    for use in project_uses(packages):
        by_module.setdefault(use.module, []).append(use)
    found: list[str] = []
    for module, uses in sorted(by_module.items()):
        dists = {canonicalize_name(d) for d in providers.get(module, [])}
        imports = [u for u in uses if u.how == "import"]
        if not dists:
            # A setting string that names no installed module is just a string ("default").
            if imports:
                found.append(
                    f"{module}: imported at {imports[0].where()}, "
                    "but no installed distribution provides it"
                )
            continue
        if dists & required:
            continue
        if dists & optional:
            unguarded = [u for u in uses if not u.guarded]
            if unguarded:
                found.append(
                    f"{module}: in an optional extra ({', '.join(sorted(dists & optional))}) "
                    f"but used without an ImportError guard at {unguarded[0].where()}"
                )
            continue
        reason = "only in the dev extra" if dists & dev_only else "not declared in pyproject.toml"
        found.append(
            f"{module} ({' or '.join(sorted(dists))}): {reason}; used at {uses[0].where()}"
            + (f" and {len(uses) - 1} more" if len(uses) > 1 else "")
        )
    return found


if __name__ == "__main__":  # python tests/architecture/dependencies.py
    listed = problems()
    print("\n".join(listed) or "every third-party module the project uses is declared")
    sys.exit(1 if listed else 0)

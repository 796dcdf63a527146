"""The project's import graph, read from the source (no code is imported).

Every ``import``/``from … import`` statement counts, wherever it sits: at module level,
inside a function, under ``if TYPE_CHECKING``. An edge ``a → b`` means module ``a``
names module ``b`` (or a name defined in ``b``'s package ``__init__``). Cycles are the
strongly connected components with more than one module.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Top-level packages of the project and where each lives.
PACKAGES = {
    "component_sites": ROOT / "component_sites",
    "tenants": ROOT / "tenants",
    "tasks": ROOT / "tasks",
    "themes": ROOT / "themes",
    "accounts": ROOT / "accounts",
    "portal": ROOT / "platform" / "portal",
}
SKIP_PARTS = {"migrations", "__pycache__"}


def project_modules(packages: dict[str, Path] | None = None) -> dict[str, Path]:
    """Dotted module name → file, for every Python file of the project's packages."""
    modules: dict[str, Path] = {}
    for top, base in (packages or PACKAGES).items():
        if not base.is_dir():
            continue
        for path in base.rglob("*.py"):
            rel = path.relative_to(base)
            if SKIP_PARTS & set(rel.parts):
                continue
            parts = [top, *rel.with_suffix("").parts]
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The project module a dotted name refers to (the longest known prefix)."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in modules:
            return candidate
        parts.pop()
    return None


def _is_package(module: str, modules: dict[str, Path]) -> bool:
    return modules[module].name == "__init__.py"


def imports_of(module: str, modules: dict[str, Path]) -> set[str]:
    """The project modules that ``module`` imports, anywhere in its text."""
    tree = ast.parse(modules[module].read_text(encoding="utf-8"), filename=str(modules[module]))
    package = module if _is_package(module, modules) else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                target = _resolve(alias.name, modules)
                if target:
                    found.add(target)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")
                if node.level > 1:
                    base_parts = base_parts[: -(node.level - 1)]
                base = ".".join(base_parts)
                source = f"{base}.{node.module}" if node.module else base
            else:
                source = node.module or ""
            for alias in node.names:
                # ``from pkg import mod`` names a submodule when one exists.
                target = _resolve(f"{source}.{alias.name}", modules) or _resolve(source, modules)
                if target:
                    found.add(target)
    found.discard(module)
    return found


def import_graph(packages: dict[str, Path] | None = None) -> dict[str, set[str]]:
    modules = project_modules(packages)
    return {module: imports_of(module, modules) for module in modules}


# The rooms and the directions imports may not take (docs/architecture.md):
# (importer prefix, imported prefixes it must never name, exceptions, why).
FORBIDDEN = [
    (
        "component_sites.core",
        ("component_sites.", "tenants", "tasks", "accounts"),
        ("component_sites.core",),
        "core is the base of the site apps: it learns about them through core.registry",
    ),
    (
        "component_sites.accounts",
        ("tenants",),
        (),
        "the console uses the accounts app (tenants → accounts), never the reverse",
    ),
    (
        "component_sites.",
        ("tasks",),
        (),
        "background work calls domain code, never the reverse: queue tasks by name",
    ),
    (
        "tenants",
        ("tasks",),
        (),
        "background work calls domain code, never the reverse: queue tasks by name",
    ),
    (
        "tenants.scoring",
        ("component_sites.",),
        ("component_sites.core", "component_sites.editorial"),
        "scoring learns the figures from core.figures, which each content app fills "
        "in its figures.py (editorial: only the site roles allowed to self-assess)",
    ),
]


def _under(module: str, prefix: str) -> bool:
    return module == prefix.rstrip(".") or module.startswith(prefix.rstrip(".") + ".")


def forbidden_imports(graph: dict[str, set[str]] | None = None) -> list[tuple[str, str, str]]:
    """(importer, imported, rule) for every import going a forbidden direction."""
    graph = graph if graph is not None else import_graph()
    found = []
    for importer, imported in sorted(graph.items()):
        for rule_from, targets, allowed, why in FORBIDDEN:
            if not _under(importer, rule_from):
                continue
            for target in sorted(imported):
                if any(_under(target, a) for a in allowed):
                    continue
                if any(_under(target, t) for t in targets):
                    found.append((importer, target, why))
    return found


def _is_ancestor_package(a: str, b: str) -> bool:
    return b.startswith(a + ".")


def cycles(graph: dict[str, set[str]] | None = None) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative).

    A package's ``__init__`` that re-exports its own submodules is not a cycle by itself:
    edges from a package to its own descendants are left out.
    """
    graph = graph if graph is not None else import_graph()
    edges = {
        a: {b for b in bs if b in graph and not _is_ancestor_package(a, b)}
        for a, bs in graph.items()
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    result: list[list[str]] = []
    counter = 0
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    result.append(sorted(component))
    return sorted(result)


if __name__ == "__main__":  # python tests/architecture/imports.py: print the cycles
    graph = import_graph()
    found = cycles(graph)
    for component in found:
        print(f"cycle of {len(component)} modules:")
        members = set(component)
        for module in component:
            inside = sorted(graph[module] & members)
            print(f"  {module} → {', '.join(inside)}")
    print(f"{len(found)} cycle(s) among {len(graph)} modules")

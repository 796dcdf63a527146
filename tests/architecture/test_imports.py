"""The import structure: no cycle between the project's modules, no import the wrong way.

Every import statement counts, at module level or inside a function (a function-level
import hides a cycle from Python, not from this test).
"""

from __future__ import annotations

from pathlib import Path

from tests.architecture.imports import cycles, forbidden_imports, import_graph

GRAPH = import_graph()


def test_the_reader_sees_the_whole_project():
    assert len(GRAPH) > 200
    assert "component_sites.core.models" in GRAPH["component_sites.news.models"]


def test_no_import_cycle():
    found = cycles(GRAPH)
    described = [
        "; ".join(f"{m} → {', '.join(sorted(GRAPH[m] & set(c)))}" for m in c) for c in found
    ]
    assert not found, "import cycles:\n" + "\n".join(described)


def test_no_import_goes_the_forbidden_way():
    found = forbidden_imports(GRAPH)
    assert not found, "\n".join(f"{a} imports {b}: {why}" for a, b, why in found)


def write(root: Path, files: dict[str, str]) -> dict[str, Path]:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return {
        top: root / top for top in ("component_sites", "tenants", "tasks") if (root / top).is_dir()
    }


def test_the_checker_finds_a_cycle_hidden_in_a_function(tmp_path):
    packages = write(
        tmp_path,
        {
            "component_sites/__init__.py": "",
            "component_sites/news/__init__.py": "",
            "component_sites/news/models.py": "from .queries import latest\n",
            "component_sites/news/queries.py": (
                "def latest():\n    from component_sites.news import models\n    return models\n"
            ),
            "tasks/__init__.py": "",
        },
    )
    assert cycles(import_graph(packages)) == [
        ["component_sites.news.models", "component_sites.news.queries"]
    ]


def test_the_checker_finds_core_importing_an_app_and_an_app_importing_a_task(tmp_path):
    packages = write(
        tmp_path,
        {
            "component_sites/__init__.py": "",
            "component_sites/core/__init__.py": "",
            "component_sites/core/models.py": "import component_sites.news.queries\n",
            "component_sites/news/__init__.py": "",
            "component_sites/news/queries.py": "from component_sites.core import models\n",
            "component_sites/news/views.py": "def f():\n    from tasks.mail import send\n",
            "tasks/__init__.py": "",
            "tasks/mail.py": "from component_sites.news import views\n",
        },
    )
    graph = import_graph(packages)
    assert [(a, b) for a, b, _ in forbidden_imports(graph)] == [
        ("component_sites.core.models", "component_sites.news.queries"),
        ("component_sites.news.views", "tasks.mail"),
    ]
    assert len(cycles(graph)) == 2


def test_the_checker_finds_scoring_reading_a_content_app(tmp_path):
    packages = write(
        tmp_path,
        {
            "component_sites/__init__.py": "",
            "component_sites/core/__init__.py": "",
            "component_sites/core/figures.py": "",
            "component_sites/news/__init__.py": "",
            "component_sites/news/models.py": "",
            "component_sites/news/figures.py": "from component_sites.core import figures\n",
            "tenants/__init__.py": "",
            "tenants/scoring/__init__.py": "",
            "tenants/scoring/metrics.py": (
                "from component_sites.core.figures import registered\n"
                "def articles():\n    from component_sites.news.models import ArticlePage\n"
            ),
            "tenants/procedures/__init__.py": "",
            "tenants/procedures/figures.py": "import component_sites.news.models\n",
        },
    )
    assert [(a, b) for a, b, _ in forbidden_imports(import_graph(packages))] == [
        ("tenants.scoring.metrics", "component_sites.news.models"),
    ]

"""Security suite: the content apps' fixtures (counters cleared, site helpers) and the
isolation matrix's summary at the end of the run."""

from tests.component_sites.conftest import _clean_counters  # noqa: F401


def pytest_terminal_summary(terminalreporter):
    reports = [
        report
        for key in ("passed", "failed", "error")
        for report in terminalreporter.stats.get(key, [])
        if "test_matrix.py::test_cell[" in getattr(report, "nodeid", "")
        and getattr(report, "when", "call") == "call"
    ]
    if not reports:
        return
    held = sum(1 for report in reports if report.passed)
    terminalreporter.write_line(
        f"Isolation matrix: {len(reports)} (role, site, endpoint) cells, {held} hold, "
        f"{len(reports) - held} do not."
    )

"""The project's Vietnamese catalogue (``portal/locale/``): ``.po`` compiled to ``.mo`` by polib.

Wagtail's own Vietnamese catalogue covers a small part of its admin; ``locale/vi`` holds
the project's strings and the Wagtail/Django admin strings clerks meet (``LOCALE_PATHS``
comes before the apps' catalogues, so it also corrects theirs).  Compiled ``.mo`` files are
build output, not kept in git: ``make install`` (and ``make run``/``make test``), the
Dockerfile and the test session compile them; a system check (``core.checks``) fails when
one is missing or older than its ``.po``.

Run ``python -m portal.catalogue`` to compile by hand.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Inside the package, so the wheel carries the compiled catalogue (pyproject package-data).
LOCALE_DIR = Path(__file__).resolve().parent / "locale"


def stale_catalogues(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """The ``.po`` files whose ``.mo`` is missing or older."""
    stale = []
    for po in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            stale.append(po)
    return stale


def compile_catalogues(locale_dir: Path = LOCALE_DIR, only_stale: bool = True) -> list[Path]:
    """Compile the catalogues (the stale ones by default); returns the ``.mo`` files written."""
    import polib

    sources = stale_catalogues(locale_dir) if only_stale else locale_dir.glob("*/LC_MESSAGES/*.po")
    written = []
    for po in sources:
        catalogue = polib.pofile(str(po))
        mo = po.with_suffix(".mo")
        # Write next to it, then rename: a running server never reads half a file.
        partial = mo.with_suffix(".mo.partial")
        catalogue.save_as_mofile(str(partial))
        partial.replace(mo)
        written.append(mo)
    return written


if __name__ == "__main__":
    for path in compile_catalogues(only_stale="--all" not in sys.argv):
        print(f"biên dịch {path.relative_to(LOCALE_DIR.parent)}")

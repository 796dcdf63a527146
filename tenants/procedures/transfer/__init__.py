"""Import and export of the master catalogue as JSON, CSV and XLSX.

An import reads the whole file, validates every row with the console's form and
reports every problem (line, field, reason, in Vietnamese) before anything is written.
With errors, nothing changes unless the admin asks to import the valid rows only; the
rows are then written in one transaction and syndicated with one fan-out.

- ``columns``: the columns, ``ImportFileError``, ``RowError``, ``ImportReport``;
- ``reading``: ``detect_format``, ``read_rows``, ``gunzip``/``gzip_bytes``;
- ``validation``: ``validate``;
- ``importing``: ``import_rows``, ``import_file``;
- ``export``: ``export_records``, ``export_bytes``.
"""

from .columns import COLUMNS, FORMATS, MAX_BYTES, ImportFileError, ImportReport, RowError
from .export import export_bytes, export_records
from .importing import import_file, import_rows
from .reading import detect_format, gunzip, gzip_bytes, read_rows
from .validation import validate

__all__ = [
    "COLUMNS",
    "FORMATS",
    "MAX_BYTES",
    "ImportFileError",
    "ImportReport",
    "RowError",
    "detect_format",
    "export_bytes",
    "export_records",
    "gunzip",
    "gzip_bytes",
    "import_file",
    "import_rows",
    "read_rows",
    "validate",
]

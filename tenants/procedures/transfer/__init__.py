"""Import and export of the master catalogue as JSON, CSV and XLSX."""

from .validation import (
    COLUMNS,
    FORMATS,
    MAX_BYTES,
    ImportFileError,
    ImportReport,
    RowError,
    detect_format,
    export_bytes,
    export_records,
    gunzip,
    gzip_bytes,
    import_file,
    import_rows,
    read_rows,
    validate,
)

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

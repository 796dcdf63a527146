"""Uploaded files that are never run in a site's origin: content checks, names, headers.

Every site accepts files from its staff (Wagtail documents and images) and from citizens
(attachments).  Whatever the extension claims, the bytes are checked here before anything
is stored, and every response that carries an upload gets the same protective headers.
Messages are in Vietnamese: they are shown in the admin and on the citizen forms.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError

# -- names ------------------------------------------------------------------------------

# Right-to-left overrides and isolates make "tep\u202efdp.exe" show as "tepexe.pdf".
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e"  # embeddings and overrides
    "\u2066\u2067\u2068\u2069"  # isolates
    "\u200e\u200f\u061c"  # directional marks
)


def clean_name(name: str) -> str:
    """``name`` without bidirectional or other control characters, spaces collapsed.

    Used for every name of an upload that is stored or shown (titles, file names).
    Letters with diacritics (Vietnamese) are kept as they are.
    """
    kept = []
    for char in str(name or ""):
        if char in BIDI_CONTROLS:
            continue
        category = unicodedata.category(char)
        if category == "Cc" or category in ("Zl", "Zp"):
            # Tabs, line breaks, NUL, C1 controls: a name is one line.
            kept.append(" ")
        elif category == "Cf" and char not in "\u200c\u200d":
            # Other invisible format characters (zero-width space, BOM...); the zero-width
            # (non-)joiners stay, some scripts need them.
            continue
        else:
            kept.append(char)
    return " ".join("".join(kept).split())


# -- extensions -------------------------------------------------------------------------

# Never accepted as a document, whatever the province's list says: a browser may run them.
FORBIDDEN_EXTENSIONS = frozenset(
    {
        "html", "htm", "xhtml", "xht", "shtml", "mht", "mhtml", "svg", "svgz", "xml", "xsl",
        "xslt", "js", "mjs", "css", "swf", "hta", "php", "asp", "aspx", "jsp", "exe", "bat",
        "cmd", "com", "scr", "msi", "vbs", "ps1", "sh", "jar",
    }
)  # fmt: skip

# Raster images a browser may show inline (never SVG: it can carry scripts).
INLINE_IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp", "image/avif")
INLINE_IMAGE_EXTENSIONS = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "avif": "image/avif",
}


def extension_of(name: str) -> str:
    base = str(name or "").rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[-1].lower() if "." in base else ""


# -- content ----------------------------------------------------------------------------

# Markup a browser would render as a page (HTML, SVG, XML with scripts), looked for in the
# first kilobyte: where browsers sniff, and where a PDF/HTML polyglot puts its page.
MARKUP = re.compile(
    rb"<\s*(?:!doctype\s+html|html|head|body|script|svg|iframe|object|embed|meta|img|"
    rb"style|link|form|\?xml-stylesheet)",
    re.IGNORECASE,
)
SNIFF_BYTES = 1024


def holds_markup(head: bytes) -> bool:
    """True when ``head`` holds HTML/SVG markup (UTF-16 spellings included)."""
    if MARKUP.search(head):
        return True
    # "<\0s\0c\0r\0i\0p\0t" and the like: drop the NULs of UTF-16 and look again.
    return b"\x00" in head and bool(MARKUP.search(head.replace(b"\x00", b"")))


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .xls, .ppt
ZIP = (b"PK\x03\x04", b"PK\x05\x06")

# extension -> (label, accepted magic prefixes); None: checked by another rule below.
SIGNATURES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("PDF", (b"%PDF-",)),
    "doc": ("Word (DOC)", (OLE2,)),
    "xls": ("Excel (XLS)", (OLE2,)),
    "ppt": ("PowerPoint (PPT)", (OLE2,)),
    "docx": ("Word (DOCX)", ZIP),
    "xlsx": ("Excel (XLSX)", ZIP),
    "pptx": ("PowerPoint (PPTX)", ZIP),
    "odt": ("OpenDocument (ODT)", ZIP),
    "ods": ("OpenDocument (ODS)", ZIP),
    "odp": ("OpenDocument (ODP)", ZIP),
    "zip": ("ZIP", ZIP),
    "rar": ("RAR", (b"Rar!\x1a\x07",)),
    "7z": ("7z", (b"7z\xbc\xaf\x27\x1c",)),
    "gz": ("GZIP", (b"\x1f\x8b",)),
    "rtf": ("RTF", (b"{\\rtf",)),
    "png": ("PNG", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("JPEG", (b"\xff\xd8\xff",)),
    "jpeg": ("JPEG", (b"\xff\xd8\xff",)),
    "gif": ("GIF", (b"GIF87a", b"GIF89a")),
    "tif": ("TIFF", (b"II*\x00", b"MM\x00*")),
    "tiff": ("TIFF", (b"II*\x00", b"MM\x00*")),
    "mp3": ("MP3", (b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2")),
}
TEXT_EXTENSIONS = frozenset({"txt", "csv", "tsv"})

# Office Open XML and OpenDocument: the parts each one must have.
OOXML_PARTS = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
ODF_TYPES = {
    "odt": b"application/vnd.oasis.opendocument.text",
    "ods": b"application/vnd.oasis.opendocument.spreadsheet",
    "odp": b"application/vnd.oasis.opendocument.presentation",
}


@dataclass(frozen=True)
class ArchiveLimits:
    """What an office file (a zip) may declare in its central directory."""

    max_members: int = 2000
    max_total_bytes: int = 200 * 1024 * 1024
    max_ratio: int = 100


DEFAULT_LIMITS = ArchiveLimits()


def _read_head(fileobj, size: int = 8192) -> bytes:
    fileobj.seek(0)
    head = fileobj.read(size)
    fileobj.seek(0)
    return head


def inspect_zip(fileobj, label: str, limits: ArchiveLimits = DEFAULT_LIMITS) -> list[str]:
    """The member names of a zip, read from its central directory (nothing is extracted).

    Refuses a broken archive, too many members, or declared sizes that make it a
    compression bomb (total unpacked size, or any member / the whole packed far too tight).
    """
    try:
        fileobj.seek(0)
        with zipfile.ZipFile(fileobj) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise ValidationError(
            f"Tệp {label} bị hỏng hoặc không phải tệp nén hợp lệ.", code="archive_bad"
        ) from error
    finally:
        fileobj.seek(0)
    if len(members) > limits.max_members:
        raise ValidationError(
            f"Tệp {label} chứa quá nhiều thành phần ({len(members)}, tối đa {limits.max_members}).",
            code="archive_bomb",
        )
    total = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members)
    bomb = total > limits.max_total_bytes or total > max(packed, 1) * limits.max_ratio
    bomb = bomb or any(
        member.file_size > max(member.compress_size, 1) * limits.max_ratio
        and member.file_size > 1024 * 1024
        for member in members
    )
    if bomb:
        raise ValidationError(
            f"Tệp {label} bị từ chối: dung lượng khi giải nén bất thường "
            f"({total // (1024 * 1024)} MB, nén quá mức cho phép), có thể là tệp độc hại.",
            code="archive_bomb",
        )
    return [member.filename for member in members]


def _mismatch(extension: str, label: str) -> ValidationError:
    return ValidationError(
        f"Nội dung tệp không khớp với phần mở rộng .{extension}: tệp không phải {label} "
        f"hợp lệ. Vui lòng tải lên đúng tệp gốc.",
        code="content_mismatch",
    )


def markup_refusal() -> ValidationError:
    return ValidationError(
        "Tệp bị từ chối vì chứa mã trang web (HTML/SVG/script) ở phần đầu tệp.",
        code="content_markup",
    )


def check_office_structure(names: list[str], extension: str, fileobj, label: str) -> None:
    """An Office Open XML / OpenDocument file has the parts its type needs."""
    if extension in OOXML_PARTS:
        part = OOXML_PARTS[extension]
        if "[Content_Types].xml" not in names or not any(n.startswith(part) for n in names):
            raise _mismatch(extension, label)
    elif extension in ODF_TYPES:
        with zipfile.ZipFile(fileobj) as archive:
            try:
                mimetype = archive.read("mimetype") if "mimetype" in names else b""
            except (zipfile.BadZipFile, KeyError, OSError, ValueError):
                mimetype = b""
        fileobj.seek(0)
        if mimetype.strip() != ODF_TYPES[extension]:
            raise _mismatch(extension, label)


def check_content(fileobj, extension: str, limits: ArchiveLimits = DEFAULT_LIMITS) -> None:
    """Refuse a file whose bytes do not match ``extension`` (or that hold page markup).

    ``fileobj`` is any seekable binary file; it is left at its start.
    """
    extension = extension.lower()
    head = _read_head(fileobj)
    signature = SIGNATURES.get(extension)
    if signature is not None:
        label, magics = signature
        if not head.startswith(magics):
            raise _mismatch(extension, label)
        if magics == ZIP:
            names = inspect_zip(fileobj, label, limits)
            check_office_structure(names, extension, fileobj, label)
            return
        if magics == (OLE2,):
            return
    elif (
        extension in TEXT_EXTENSIONS
        and b"\x00" in head
        and not head.startswith((b"\xff\xfe", b"\xfe\xff"))
    ):
        raise _mismatch(extension, "văn bản thuần (" + extension.upper() + ")")
    if holds_markup(head[:SNIFF_BYTES]):
        raise markup_refusal()


def check_document(fileobj, name: str, limits: ArchiveLimits = DEFAULT_LIMITS) -> None:
    """A staff upload (Wagtail document): a permitted extension, content matching it."""
    extension = extension_of(name)
    if not extension or extension in FORBIDDEN_EXTENSIONS:
        raise ValidationError(
            f"Không được tải lên tệp .{extension or '(không có phần mở rộng)'}: loại tệp này "
            "có thể chạy mã trong trình duyệt.",
            code="extension_forbidden",
        )
    check_content(fileobj, extension, limits)


# -- headers ----------------------------------------------------------------------------

UPLOAD_CSP = "default-src 'none'; sandbox"


def harden(response, *, inline_image: bool):
    """Headers of every response that carries an uploaded file.

    nosniff and a sandboxing CSP always; anything that is not a raster image is a download
    (``Content-Disposition: attachment``), so no upload is ever a page of the site.
    """
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = UPLOAD_CSP
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    if not (inline_image and content_type in INLINE_IMAGE_TYPES):
        disposition = response.get("Content-Disposition", "")
        if not disposition.lower().startswith("attachment"):
            rest = disposition.partition(";")[2].strip()
            response["Content-Disposition"] = "attachment" + (f"; {rest}" if rest else "")
        if content_type.startswith(("text/html", "image/svg", "application/xhtml", "text/xml")):
            response["Content-Type"] = "application/octet-stream"
    return response

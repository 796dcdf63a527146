"""Checks of a citizen's attachment: size, sniffed type, DOCX and picture bombs, markup."""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError

from component_sites.core import uploads

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# Pictures larger than this are refused before decoding (decompression bombs).
MAX_IMAGE_PIXELS = 25_000_000

# (label shown to the citizen, magic bytes at the start of the file)
ALLOWED_SIGNATURES = [
    ("PDF", b"%PDF-"),
    ("PNG", b"\x89PNG\r\n\x1a\n"),
    ("JPEG", b"\xff\xd8\xff"),
    ("DOCX", b"PK\x03\x04"),
]
ALLOWED_LABEL = "PDF, DOCX, JPEG hoặc PNG"


# A DOCX of a citizen unpacks to at most this much (declared in its central directory).
ATTACHMENT_ARCHIVE_LIMITS = uploads.ArchiveLimits(
    max_members=1000, max_total_bytes=50 * 1024 * 1024, max_ratio=100
)


def check_upload(upload) -> str:
    """Validate an uploaded file by size and sniffed content; returns the detected type.

    The file's name is cleaned of bidirectional and other control characters in place.
    """
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError("Tệp đính kèm quá lớn (tối đa 5 MB).", code="file_too_large")
    if getattr(upload, "name", None):
        upload.name = uploads.clean_name(upload.name) or "tep-dinh-kem"
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    kind = next((label for label, magic in ALLOWED_SIGNATURES if head.startswith(magic)), None)
    if kind is None:
        raise ValidationError(
            f"Tệp đính kèm không đúng định dạng cho phép ({ALLOWED_LABEL}).", code="file_type"
        )
    if kind == "DOCX":
        _check_docx(upload)
    elif uploads.holds_markup(head[: uploads.SNIFF_BYTES]):
        # A PDF (or picture) that is also a web page: refused, whatever it claims to be.
        raise ValidationError(
            f"Tệp đính kèm bị từ chối: tệp {kind} có chứa mã trang web (HTML/script).",
            code="file_markup",
        )
    if kind in ("PNG", "JPEG"):
        _check_image(upload)
    return kind


def _check_docx(upload) -> None:
    """A DOCX is a zip: its central directory is read (never extracted) for bombs."""
    names = uploads.inspect_zip(upload, "DOCX", ATTACHMENT_ARCHIVE_LIMITS)
    if "[Content_Types].xml" not in names or not any(n.startswith("word/") for n in names):
        raise ValidationError(
            f"Tệp đính kèm không đúng định dạng cho phép ({ALLOWED_LABEL}).", code="file_type"
        )


def _check_image(upload) -> None:
    from PIL import Image

    data = upload.read()
    upload.seek(0)
    try:
        # Only the header is parsed here: the size is known before any pixel is decoded.
        with Image.open(io.BytesIO(data)) as picture:
            width, height = picture.size
            if width * height > MAX_IMAGE_PIXELS:
                raise ValidationError(
                    "Ảnh đính kèm có kích thước điểm ảnh quá lớn (tối đa 25 megapixel).",
                    code="image_bomb",
                )
            picture.verify()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(
            "Ảnh đính kèm có kích thước điểm ảnh quá lớn (tối đa 25 megapixel).",
            code="image_bomb",
        ) from error
    except Exception as error:  # noqa: BLE001
        raise ValidationError(
            "Ảnh đính kèm bị hỏng hoặc không đọc được.", code="image_bad"
        ) from error

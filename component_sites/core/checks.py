"""System checks of the upload settings: a province's list never lets a page be uploaded."""

from django.conf import settings
from django.core import checks

from . import uploads


@checks.register(checks.Tags.security)
def upload_extensions(app_configs=None, **kwargs):
    errors = []
    documents = {e.lower() for e in getattr(settings, "WAGTAILDOCS_EXTENSIONS", None) or []}
    if not documents:
        errors.append(
            checks.Error(
                "WAGTAILDOCS_EXTENSIONS trống: mọi loại tệp đều được tải lên làm tài liệu.",
                hint="Đặt danh sách phần mở rộng được phép (ví dụ pdf,docx,xlsx).",
                id="portal.E101",
            )
        )
    forbidden = sorted(documents & uploads.FORBIDDEN_EXTENSIONS)
    if forbidden:
        errors.append(
            checks.Error(
                "WAGTAILDOCS_EXTENSIONS có loại tệp trình duyệt có thể chạy: "
                + ", ".join(forbidden),
                hint="Bỏ các phần mở rộng này khỏi biến môi trường WAGTAILDOCS_EXTENSIONS.",
                id="portal.E102",
            )
        )
    images = {e.lower() for e in getattr(settings, "WAGTAILIMAGES_EXTENSIONS", None) or ["svg"]}
    if images - set(uploads.INLINE_IMAGE_EXTENSIONS):
        errors.append(
            checks.Error(
                "WAGTAILIMAGES_EXTENSIONS chỉ được gồm ảnh điểm (không SVG): "
                + ", ".join(sorted(images - set(uploads.INLINE_IMAGE_EXTENSIONS))),
                id="portal.E103",
            )
        )
    return errors


@checks.register()
def compiled_catalogues(app_configs=None, **kwargs):
    """A translation catalogue of LOCALE_PATHS whose .mo is missing or older than its .po."""
    from pathlib import Path

    errors = []
    for locale_dir in settings.LOCALE_PATHS:
        for po in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
            mo = po.with_suffix(".mo")
            if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
                errors.append(
                    checks.Warning(
                        f"Bản dịch {po} chưa được biên dịch (.mo thiếu hoặc cũ hơn .po): "
                        "giao diện quản trị sẽ hiện tiếng Anh.",
                        hint="Chạy `make install` hoặc `python -m portal.catalogue`.",
                        id="portal.W110",
                    )
                )
    return errors

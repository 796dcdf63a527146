"""The admin's image form (WAGTAILIMAGES_IMAGE_FORM_BASE): Vietnamese refusals, no markup.

Wagtail's image field checks the format, the size and the number of pixels, but its
messages have no Vietnamese translation; they are replaced here with the same checks'
meaning.  An image whose first kilobyte holds page markup (a JPEG/HTML polyglot) is refused.
"""

from django.core.exceptions import ValidationError
from wagtail.images.forms import BaseImageForm

from . import uploads


class SiteImageForm(BaseImageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        if field is None:
            return
        formats = getattr(field, "supported_formats_text", "")
        maximum = getattr(field, "max_upload_size_text", "")
        pixels = getattr(field, "max_image_pixels", None)
        field.error_messages.update(
            {
                "invalid_image": "Tệp tải lên không phải là ảnh hoặc ảnh bị hỏng.",
                "invalid_image_extension": (
                    f"Định dạng ảnh không được hỗ trợ. Các định dạng được phép: {formats}."
                ),
                "invalid_image_known_format": (
                    "Ảnh không hợp lệ: phần mở rộng .%(extension)s không khớp với định dạng "
                    "thật của tệp (%(image_format)s)."
                ),
                "file_too_large": (
                    "Tệp quá lớn (%(file_size)s). Dung lượng tối đa: %(max_filesize)s."
                ),
                "file_too_large_unknown_size": f"Tệp quá lớn. Dung lượng tối đa: {maximum}.",
                "file_too_many_pixels": (
                    "Ảnh có quá nhiều điểm ảnh (%(num_pixels)s). Tối đa %(max_pixels_count)s "
                    "điểm ảnh: hãy thu nhỏ ảnh trước khi tải lên."
                ),
            }
        )
        field.check_image_pixel_size = self._guarded(field, field.check_image_pixel_size)
        if pixels:
            field.help_text = (
                f"Định dạng được phép: {formats}. Dung lượng tối đa: {maximum}; "
                f"tối đa {pixels:,} điểm ảnh.".replace(",", ".")
            )
        elif maximum:
            field.help_text = f"Định dạng được phép: {formats}. Dung lượng tối đa: {maximum}."

    @staticmethod
    def _guarded(field, check):
        """Wagtail's pixel check decodes the header: a broken one (a truncated JPEG) raised
        an OSError there, a 500 page; it is the form's "not an image" refusal instead."""

        def guarded(upload):
            try:
                check(upload)
            except ValidationError:
                raise
            except Exception as error:  # noqa: BLE001 - whatever the decoder raises
                raise ValidationError(
                    field.error_messages["invalid_image"], code="invalid_image"
                ) from error

        return guarded

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is not None and hasattr(upload, "read") and "file" in self.changed_data:
            upload.seek(0)
            head = upload.read(uploads.SNIFF_BYTES)
            upload.seek(0)
            if uploads.holds_markup(head):
                raise uploads.markup_refusal()
        return upload

"""Wagtail's page create view, with a slug taken meanwhile reported on the form.

The form checks that the slug is free among the parent's children; when the same form is
posted twice at once (a double click), the second post passes that check and then fails
the model's own check inside ``add_child``, which Wagtail lets through as a 500.  Here
that failure is a form error like any other, and nothing is saved.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from wagtail.admin.views.pages.create import CreateView


class SlugSafeCreateView(CreateView):
    """Errors the model raises while saving come back on the form (nothing saved)."""

    def form_valid(self, form):
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except ValidationError as error:
            messages = getattr(error, "message_dict", None) or {None: error.messages}
            for field, errors in messages.items():
                form.add_error(field if field in form.fields else None, errors)
            return self.form_invalid(form)

"""The category assignment form: collaborators only, by full name (Vietnamese order)."""

from django.contrib.auth import get_user_model
from django.db.models import Case, IntegerField, Q, Value, When
from wagtail.admin.forms import WagtailAdminModelForm

from component_sites.core.text import fold

from .roles import COLLABORATOR


def person_label(user) -> str:
    """``Nguyễn Thị Lan (ctv.lan)``: family name first, as Vietnamese names are written."""
    name = " ".join(part for part in (user.last_name, user.first_name) if part).strip()
    return f"{name} ({user.username})" if name else user.username


def people_in_role(role: str, also=None):
    """Active accounts holding ``role``, ordered as a Vietnamese list is: by given name."""
    users = list(
        get_user_model()
        .objects.filter(Q(is_active=True, groups__name=role) | Q(pk=getattr(also, "pk", None)))
        .distinct()
    )
    users.sort(key=lambda u: (fold(u.first_name), fold(u.last_name), u.username))
    order = Case(
        *[When(pk=user.pk, then=Value(index)) for index, user in enumerate(users)],
        output_field=IntegerField(),
    )
    queryset = get_user_model().objects.filter(pk__in=[user.pk for user in users])
    return queryset.order_by(order) if users else queryset


class CategoryAssignmentForm(WagtailAdminModelForm):
    """Only collaborators are offered (the one already assigned stays listed)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        current = self.instance.user if self.instance.user_id else None
        field.queryset = people_in_role(COLLABORATOR, also=current)
        field.label_from_instance = person_label
        field.help_text = "Chỉ những tài khoản có vai trò “Cộng tác viên”."

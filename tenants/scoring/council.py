"""The province's editorial council: who belongs to it, and adding a member's account."""

from __future__ import annotations

from django.db import transaction

from .models import COUNCIL_GROUP


def is_council_member(user) -> bool:
    return bool(
        user.is_authenticated and user.is_active and user.groups.filter(name=COUNCIL_GROUP).exists()
    )


def create_council_member(username: str, full_name: str, password: str, email: str = ""):
    """A console account that scores (group "Hội đồng biên tập tỉnh", not staff).

    The full name is split the Vietnamese way: the given name is the last word, so that
    ``get_full_name()`` ("first last") reads it back unchanged.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    first, _, last = full_name.strip().rpartition(" ")
    with transaction.atomic():
        user = get_user_model().objects.create_user(
            username=username, email=email, password=password, first_name=first, last_name=last
        )
        user.groups.add(Group.objects.get_or_create(name=COUNCIL_GROUP)[0])
    return user

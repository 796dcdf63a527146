"""Invented people and names of the demo: leaders, their positions, English unit names.

Names are invented combinations of common Vietnamese family, middle and given names.
"""

from __future__ import annotations

import random

from component_sites.core.text import to_ascii

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Bùi", "Đinh", "Quách", "Xa", "Hà"]
MIDDLE_M = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Công"]
MIDDLE_F = ["Thị", "Thu", "Ngọc", "Thanh", "Minh"]
GIVEN_M = ["Hùng", "Tuấn", "Dũng", "Thắng", "Hải", "Long", "Sơn", "Trung", "Khánh", "Bình"]
GIVEN_F = ["Hoa", "Lan", "Hương", "Mai", "Thảo", "Hằng", "Yến", "Nga", "Loan", "Hạnh"]

ENGLISH_LEVEL = {
    "xã": "Commune",
    "phường": "Ward",
    "thị trấn": "Township",
    "đặc khu": "Special Zone",
    "huyện": "District",
    "thị xã": "Town",
    "thành phố": "City",
    "quận": "District",
    "tỉnh": "Province",
}


def unit_phrase(tenant) -> str:
    """ "Xã Nhuận Trạch" → "xã Nhuận Trạch" (to follow "UBND")."""
    name = tenant.name
    return name[:1].lower() + name[1:]


def english_name(tenant) -> str:
    """ "Xã Nhuận Trạch" → "People's Committee of Nhuan Trach Commune"."""
    lowered = tenant.name.lower()
    for prefix, word in sorted(ENGLISH_LEVEL.items(), key=lambda item: -len(item[0])):
        if lowered.startswith(prefix + " "):
            rest = to_ascii(tenant.name[len(prefix) + 1 :])
            return f"People's Committee of {rest} {word}"
    return f"People's Committee of {to_ascii(tenant.name)}"


def demo_leaders(tenant) -> list[dict]:
    """Four invented leaders of a site; the same for a site every time (own seed)."""
    rng = random.Random(f"leaders-{tenant.code}")
    unit = unit_phrase(tenant)
    positions = [
        (f"Chủ tịch Ủy ban nhân dân {unit}", "Chairman"),
        (f"Phó Chủ tịch Ủy ban nhân dân {unit}", "Vice Chairman"),
        (f"Phó Chủ tịch Ủy ban nhân dân {unit}", "Vice Chairman"),
        (f"Chủ tịch Hội đồng nhân dân {unit}", "Chairman of the People's Council"),
    ]
    leaders, used = [], set()
    for number, (position, english_position) in enumerate(positions):
        female = number == 2 or rng.random() < 0.3
        while True:
            name = " ".join(
                [
                    rng.choice(FAMILY),
                    rng.choice(MIDDLE_F if female else MIDDLE_M),
                    rng.choice(GIVEN_F if female else GIVEN_M),
                ]
            )
            if name not in used:
                used.add(name)
                break
        leaders.append(
            {
                "name": name,
                "position": position,
                "english_position": english_position,
                "female": female,
                "born": rng.randint(1968, 1985),
                "short": ("Bà " if female else "Ông ") + name,
            }
        )
    return leaders

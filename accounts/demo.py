"""Demo accounts (password ``demo``), created only by ``manage.py seed_demo``."""

from datetime import datetime

from accounts.models import User
from accounts.services import Roles, member_create

DEMO_PASSWORD = "demo"  # noqa: S105 - documented demo credential

DEMO_MEMBERS: list[tuple[str, str, str, Roles]] = [
    ("coordinator", "Kim Koordination", "de", Roles(resident=False, coordinator=True)),
    ("resident", "Rana Haddad", "de", Roles()),
    ("resident2", "Oleksandr Kovalenko", "en", Roles()),
    ("volunteer", "Vera Vogel", "de", Roles(volunteer=True)),
    # A Turkish name on purpose: names are not ASCII here.
    ("honorary", "Hakan Yıldız", "de", Roles(resident=False, honorary_worker=True)),
]

WALK_IN_NAME = "Amina (ohne E-Mail)"


def seed(*, now: datetime) -> list[str]:
    created: list[str] = []
    for username, name, language, roles in DEMO_MEMBERS:
        if User.objects.filter(username=username).exists():
            continue
        member_create(
            username=username,
            password=DEMO_PASSWORD,
            display_name=name,
            email=f"{username}@example.org",
            preferred_language=language,
            roles=roles,
        )
        created.append(username)
    if not User.objects.filter(username=None, display_name=WALK_IN_NAME).exists():
        coordinator = User.objects.get(username="coordinator")
        member_create(display_name=WALK_IN_NAME, phone="0170 0000000", managed_by=coordinator)
        created.append(WALK_IN_NAME)
    return created

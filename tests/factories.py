"""Factories build through the services, so that tests get what production gets."""

from typing import Any

import factory

from accounts.models import User
from accounts.services import Roles, member_create

PASSWORD = "correct horse battery"


class MemberFactory(factory.Factory):  # type: ignore[misc]
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"member{n}")
    display_name = factory.Faker("name", locale="de_DE")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org" if o.username else "")
    phone = ""
    preferred_language = "de"
    password = PASSWORD
    coordinator = False
    volunteer = False
    honorary_worker = False

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        roles = Roles(
            resident=not kwargs.get("coordinator", False),
            volunteer=kwargs.pop("volunteer"),
            honorary_worker=kwargs.pop("honorary_worker"),
            coordinator=kwargs.pop("coordinator"),
        )
        return member_create(roles=roles, **kwargs)

"""Privacy by design: a member's data exported, and anonymised, app by app.

Each app of ours may offer ``<app>.privacy``, found over INSTALLED_APPS the way seed_demo finds
``<app>.demo``, so that no app has to know the others:

- ``export(member) -> Contribution``: the member's own rows (``records``) and the rows of other
  people's things in which the member appears as the one who acted (``actions``, ids only),
  both keyed by model label (``"scheduling.booking"``), so that a test can walk every model
  with a foreign key to the member and find its rows;
- ``check(member) -> None`` (optional): raise a ``DomainError`` when the member cannot be
  anonymised now (a tool still out);
- ``anonymise(member, *, actor, now) -> None``: cancel what is still to come through the
  app's services and strip personal text from what stays for the statistics;
- ``active_since(since) -> Q`` and ``kept() -> Q`` (optional): conditions on the user model
  for members active since a moment, and for members whose data must stay for now (a tool
  still out), for the retention rule.

Anonymising runs from the top app down (garden first, accounts last), so that every app still
finds the member as they were; then ``sweep`` replaces the member's name, e-mail, phone and
username wherever free text of any table still holds them (a coordinator's note on a tool, the
admin's log), as a safety net for text that no foreign key leads to.

This module knows no app of ours: members are typed as Django's ``AbstractUser``.
"""

import json
import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path
from types import ModuleType
from typing import Any, TypedDict

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast
from django.utils import translation
from django.utils.translation import gettext_lazy as _

Row = dict[str, Any]
FORMAT = "werkhaus-garten-export/1"

# Stored (in the site's default language) instead of a deleted member's name, and instead of
# their name, e-mail, phone or username wherever free text mentioned them.
DELETED_MEMBER = _("Deleted member")
REMOVED = _("[removed]")
# Shorter identifiers would match inside ordinary words ("Al" in "Alte Säge").
MIN_IDENTIFIER_LENGTH = 4


class Contribution(TypedDict):
    records: dict[str, list[Row]]
    actions: dict[str, list[int]]


def contribution() -> Contribution:
    return {"records": {}, "actions": {}}


def label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def row(instance: models.Model, fields: Iterable[str], **extra: Any) -> Row:
    """The named fields of a row, JSON-ready (a foreign key as its id: ``<name>_id``)."""
    found: Row = {"id": instance.pk}
    for name in fields:
        found[name] = _plain(getattr(instance, name))
    found.update({key: _plain(value) for key, value in extra.items()})
    return found


def ids(queryset: models.QuerySet[Any]) -> list[int]:
    return sorted(queryset.values_list("pk", flat=True))


# --- Discovery --------------------------------------------------------------------------------


def privacy_modules() -> list[ModuleType]:
    """``<app>.privacy`` of our own apps, in the order of INSTALLED_APPS (bottom up)."""
    found = []
    for config in apps.get_app_configs():
        if Path(config.path).parent != Path(settings.BASE_DIR):
            continue  # a third-party app
        name = f"{config.name}.privacy"
        if config.name != __package__ and find_spec(name) is not None:
            found.append(import_module(name))
    return found


def member_export(*, member: AbstractUser, now: datetime) -> dict[str, Any]:
    """Everything stored about the member, as one JSON-ready document."""
    records: dict[str, list[Row]] = {}
    actions: dict[str, list[int]] = {}
    for module in privacy_modules():
        part: Contribution = module.export(member)
        for key, rows in part["records"].items():
            records.setdefault(key, []).extend(rows)
        for key, found in part["actions"].items():
            actions[key] = sorted(set(actions.get(key, [])) | set(found))
    return {
        "format": FORMAT,
        "exported_at": now.isoformat(),
        "member": member.pk,
        "records": records,
        "actions": actions,
    }


def member_check(*, member: AbstractUser) -> None:
    for module in privacy_modules():
        if hasattr(module, "check"):
            module.check(member)


def member_anonymise(*, member: AbstractUser, actor: AbstractUser, now: datetime) -> None:
    """Run every app's anonymisation, top app first, then sweep free text.

    Call inside a transaction (``accounts.services.member_delete`` does).
    """
    identifying = identifiers(member)
    for module in reversed(privacy_modules()):
        module.anonymise(member, actor=actor, now=now)
    sweep(identifying)


def inactive_members(*, since: datetime) -> models.QuerySet[Any]:
    """Members no app saw active since ``since`` and no app keeps, coordinators never."""
    queryset = get_user_model()._default_manager.filter(is_coordinator=False)
    for module in privacy_modules():
        if hasattr(module, "active_since"):
            queryset = queryset.exclude(module.active_since(since))
        if hasattr(module, "kept"):
            queryset = queryset.exclude(module.kept())
    return queryset


# --- Free text --------------------------------------------------------------------------------


def stored(text: Any) -> str:
    """A placeholder as it is stored: in the site's default language, whoever asked."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)


def identifiers(member: AbstractUser) -> list[str]:
    """What names the member in free text: name, e-mail, phone, username, longest first."""
    candidates = {
        str(getattr(member, field, "") or "").strip()
        for field in ("display_name", "first_name", "last_name", "email", "phone", "username")
    }
    placeholder = stored(DELETED_MEMBER)
    return sorted(
        (c for c in candidates if len(c) >= MIN_IDENTIFIER_LENGTH and c != placeholder),
        key=lambda c: (-len(c), c),
    )


def _pattern(identifying: list[str]) -> re.Pattern[str] | None:
    if not identifying:
        return None
    return re.compile("|".join(re.escape(i) for i in identifying), re.IGNORECASE)


def scrub_text(text: str, identifying: list[str]) -> str:
    pattern = _pattern(identifying)
    if pattern is None or not text:
        return text
    return pattern.sub(stored(REMOVED), text)


def scrub_json(value: Any, identifying: list[str]) -> Any:
    if isinstance(value, str):
        return scrub_text(value, identifying)
    if isinstance(value, list):
        return [scrub_json(v, identifying) for v in value]
    if isinstance(value, dict):
        return {k: scrub_json(v, identifying) for k, v in value.items()}
    return value


def _text_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField | models.JSONField)
        and not field.primary_key
        and not field.choices
    ]


def _containing(field: models.Field[Any, Any], identifying: list[str]) -> Q:
    if isinstance(field, models.JSONField):
        # As stored: PostgreSQL's jsonb text keeps non-ASCII letters, SQLite's has \u escapes.
        forms = {f for i in identifying for f in (i, json.dumps(i)[1:-1])}
        return Q.create([(f"_text_{field.attname}__icontains", f) for f in forms], connector="OR")
    return Q.create([(f"{field.attname}__icontains", i) for i in identifying], connector="OR")


def sweep(identifying: list[str]) -> int:
    """Replace the identifiers in every text and JSON column of every table; rows changed.

    Accounts are left alone: another member may share a name, and the member's own account is
    stripped by ``accounts.privacy``.
    """
    if not identifying:
        return 0
    changed = 0
    user_model = get_user_model()
    for model in apps.get_models():
        if model is user_model or model._meta.proxy or not model._meta.managed:
            continue
        for field in _text_fields(model):
            queryset = model._default_manager.all()
            if isinstance(field, models.JSONField):
                queryset = queryset.annotate(
                    **{f"_text_{field.attname}": Cast(field.attname, models.TextField())}
                )
            for pk, value in queryset.filter(_containing(field, identifying)).values_list(
                "pk", field.attname
            ):
                if isinstance(field, models.JSONField):
                    new = scrub_json(value, identifying)
                else:
                    new = scrub_text(value, identifying)
                    if field.max_length:
                        new = new[: field.max_length]
                if new != value:
                    model._default_manager.filter(pk=pk).update(**{field.attname: new})
                    changed += 1
    return changed

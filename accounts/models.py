from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class UserManager(DjangoUserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> "User":
        # Members without login have no username and can never log in.
        if username is None:
            raise self.model.DoesNotExist
        return super().get_by_natural_key(username)


class User(AbstractUser):
    """A member of the Werkhaus and garden.

    Roles are flags because one person can hold several (a resident who volunteers).
    A member without login (a walk-in resident registered by a coordinator) has no
    username and an unusable password; coordinators act on their behalf.
    """

    username = models.CharField(  # type: ignore[assignment]  # nullable, unlike the base
        _("username"),
        max_length=150,
        unique=True,
        null=True,
        blank=True,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Leave empty for a member without login."),
        error_messages={"unique": _("A member with that username already exists.")},
    )
    display_name = models.CharField(_("display name"), max_length=150)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    is_resident = models.BooleanField(_("resident"), default=True)
    is_volunteer = models.BooleanField(_("volunteer"), default=False)
    is_honorary_worker = models.BooleanField(_("honorary worker"), default=False)
    is_coordinator = models.BooleanField(
        _("coordinator"),
        default=False,
        help_text=_("Coordinators run the place and may use the administration."),
    )
    managed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("managed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_members",
        help_text=_("The coordinator who registered this member without login."),
    )

    objects: ClassVar[UserManager] = UserManager()

    REQUIRED_FIELDS = ["display_name", "email"]

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["display_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_coordinator=False) | Q(is_staff=True),
                name="accounts_user_coordinator_is_staff",
                violation_error_message=_("A coordinator must be staff."),
            ),
            models.CheckConstraint(
                condition=~Q(username=""),
                name="accounts_user_username_not_empty",
                violation_error_message=_("A username must not be empty; leave it unset."),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username or f"#{self.pk}"

    def get_short_name(self) -> str:
        return self.display_name or self.username or ""

    def get_full_name(self) -> str:
        return self.display_name

    @property
    def has_login(self) -> bool:
        return self.username is not None and self.has_usable_password()

    @property
    def roles(self) -> list[str]:
        flags = (
            ("resident", self.is_resident),
            ("volunteer", self.is_volunteer),
            ("honorary_worker", self.is_honorary_worker),
            ("coordinator", self.is_coordinator),
        )
        return [name for name, held in flags if held]

    def clean(self) -> None:
        super().clean()
        if self.username == "":
            self.username = None


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 digest is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    digest = models.CharField(_("digest"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(
        _("prefix"), max_length=8, editable=False, help_text=_("First characters, to recognise it.")
    )
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        indexes = [models.Index(fields=["expires_at"], name="accounts_token_expires_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="accounts_token_expires_after_creation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

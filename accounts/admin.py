import json
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import ApiToken, User
from accounts.services import Roles, member_create, member_delete, member_set_roles
from core.errors import DomainError
from core.privacy import member_export


class MemberCreationForm(forms.ModelForm[User]):
    """Add a member; username and password only for members who will log in themselves."""

    password1 = forms.CharField(
        label=_("Password"), required=False, strip=False, widget=forms.PasswordInput
    )

    class Meta:
        model = User
        fields = [
            "display_name",
            "username",
            "email",
            "phone",
            "preferred_language",
            "is_resident",
            "is_volunteer",
            "is_honorary_worker",
            "is_coordinator",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("username") and not data.get("password1"):
            self.add_error("password1", _("A member with a username needs a password."))
        if data.get("password1") and not data.get("username"):
            self.add_error("username", _("A password needs a username."))
        return data


class MemberChangeForm(UserChangeForm[User]):
    class Meta(UserChangeForm.Meta):
        model = User


@admin.register(User)
class MemberAdmin(UserAdmin[User]):
    form = MemberChangeForm
    add_form = MemberCreationForm
    list_display = [
        "display_name",
        "username",
        "email",
        "phone",
        "is_volunteer",
        "is_honorary_worker",
        "is_coordinator",
        "is_active",
    ]
    list_filter = [
        "is_resident",
        "is_volunteer",
        "is_honorary_worker",
        "is_coordinator",
        "is_active",
    ]
    search_fields = ["display_name", "username", "email", "phone"]
    ordering = ["display_name"]
    fieldsets = (
        (None, {"fields": ("display_name", "username", "password")}),
        (_("Contact"), {"fields": ("email", "phone", "preferred_language")}),
        (
            _("Roles"),
            {"fields": ("is_resident", "is_volunteer", "is_honorary_worker", "is_coordinator")},
        ),
        (_("Administration"), {"fields": ("is_active", "managed_by", "is_superuser", "groups")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"fields": ("display_name", "username", "password1")}),
        (_("Contact"), {"fields": ("email", "phone", "preferred_language")}),
        (
            _("Roles"),
            {"fields": ("is_resident", "is_volunteer", "is_honorary_worker", "is_coordinator")},
        ),
    )
    readonly_fields = ["last_login", "date_joined", "managed_by"]
    actions = ["export_personal_data", "delete_personal_data"]

    @admin.action(description=_("Export the personal data of one member (JSON)"))
    def export_personal_data(self, request: HttpRequest, queryset: QuerySet[User]) -> Any:
        if queryset.count() != 1:
            self.message_user(request, _("Choose exactly one member."), messages.WARNING)
            return None
        member = queryset.get()
        document = member_export(member=member, now=timezone.now())
        response = HttpResponse(
            json.dumps(document, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="member-{member.pk}.json"'
        return response

    @admin.action(
        description=_("Delete the personal data of the selected members (cannot be undone)")
    )
    def delete_personal_data(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        actor = request.user
        if not isinstance(actor, User) or not actor.is_coordinator:
            self.message_user(request, _("Only coordinators may do this."), messages.ERROR)
            return
        done = 0
        for member in queryset:
            try:
                member_delete(member=member, actor=actor, now=timezone.now())
            except DomainError as refusal:
                self.message_user(request, f"{member}: {refusal.message}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext(
                    "The personal data of %(count)d member was deleted.",
                    "The personal data of %(count)d members was deleted.",
                    done,
                )
                % {"count": done},
                messages.SUCCESS,
            )

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        roles = Roles(
            resident=obj.is_resident,
            volunteer=obj.is_volunteer,
            honorary_worker=obj.is_honorary_worker,
            coordinator=obj.is_coordinator,
        )
        if change:
            super().save_model(request, obj, form, change)
            member_set_roles(member=obj, roles=roles)
            return
        manager = request.user if isinstance(request.user, User) else None
        created = member_create(
            display_name=obj.display_name,
            username=obj.username,
            password=form.cleaned_data.get("password1") or None,
            email=obj.email,
            phone=obj.phone,
            preferred_language=obj.preferred_language,
            roles=roles,
            managed_by=None if obj.username else manager,
        )
        obj.pk = created.pk
        obj.refresh_from_db()


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ["prefix", "user", "created_at", "expires_at", "last_used_at"]
    search_fields = ["user__display_name", "user__username", "prefix"]
    readonly_fields = ("user", "prefix", "created_at", "expires_at", "last_used_at")
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

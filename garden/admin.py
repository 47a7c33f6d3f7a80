"""Administration of the garden for coordinators. Writes that have rules go through the
services: applications, priorities, decisions on hours and rates."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import ForeignKey, QuerySet
from django.forms import ModelChoiceField
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.errors import DomainError
from garden.models import (
    HourlyRate,
    HoursEntry,
    HoursStatus,
    Plot,
    PlotApplication,
    Season,
)
from garden.services.hours import hours_decide, rate_set
from garden.services.plots import application_prioritise, season_apply
from scheduling.models import Resource, ResourceKind


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # noqa: S101 - the admin requires a login
    return request.user


def _is_coordinator(request: HttpRequest) -> bool:
    user = request.user
    return isinstance(user, User) and (user.is_coordinator or user.is_superuser)


@admin.register(Plot)
class PlotAdmin(admin.ModelAdmin[Plot]):
    list_display = ["number", "resource", "size_m2", "sun", "water_access", "raised_bed", "x", "y"]
    list_filter = ["sun", "water_access", "raised_bed"]
    search_fields = ["number", "resource__name"]
    fieldsets = (
        (None, {"fields": ("resource", "number", "size_m2")}),
        (_("Conditions"), {"fields": ("sun", "water_access", "raised_bed")}),
        (_("Position on the garden map"), {"fields": (("x", "y"), ("width", "height"))}),
    )

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        if db_field.name == "resource":
            # A plot sits on a resource of kind "plot"; its units are the households.
            kwargs["queryset"] = Resource.objects.filter(kind=ResourceKind.PLOT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Season)
class SeasonAdmin(admin.ModelAdmin[Season]):
    list_display = [
        "name",
        "starts_on",
        "ends_on",
        "applications_open",
        "renewal_until",
        "max_plots_per_member",
        "offer_days",
    ]
    list_filter = ["applications_open"]


class PlotApplicationAddForm(forms.ModelForm[PlotApplication]):
    """Applies through the service while validating (e.g. for a walk-in resident), so a refusal
    shows as a form error; the admin's add view runs in one transaction."""

    actor: User
    application: PlotApplication | None = None

    class Meta:
        model = PlotApplication
        fields = ["season", "member", "wishes"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            self.application = season_apply(
                season=data["season"],
                member=data["member"],
                actor=self.actor,
                now=timezone.now(),
                wishes=data.get("wishes", ""),
            )
        except DomainError as exc:
            raise forms.ValidationError(str(exc.message), code=exc.code) from exc
        return data


@admin.register(PlotApplication)
class PlotApplicationAdmin(admin.ModelAdmin[PlotApplication]):
    """Filtered by season and status "waiting", the list is the waiting list in its order."""

    list_display = [
        "member",
        "season",
        "status",
        "priority",
        "priority_reason",
        "created_at",
        "offered_plot",
        "offer_expires_at",
    ]
    list_filter = ["season", "status"]
    search_fields = ["member__display_name", "member__username", "wishes", "priority_reason"]
    ordering = ["season", "-priority", "created_at", "pk"]
    autocomplete_fields = ["member"]
    readonly_fields = [
        "season",
        "member",
        "wishes",
        "status",
        "created_at",
        "offered_plot",
        "offer_expires_at",
        "allocation",
    ]

    def get_form(
        self,
        request: HttpRequest,
        obj: PlotApplication | None = None,
        change: bool = False,
        **kwargs: Any,
    ) -> Any:
        if obj is None:
            actor = _actor(request)
            kwargs["form"] = type("AddForm", (PlotApplicationAddForm,), {"actor": actor})
        return super().get_form(request, obj, change, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: PlotApplication | None = None) -> Any:
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request: HttpRequest, obj: PlotApplication | None = None) -> Any:
        if obj is None:
            return ["season", "member", "wishes"]
        return [*self.readonly_fields, "priority", "priority_reason"]

    def save_model(
        self, request: HttpRequest, obj: PlotApplication, form: Any, change: bool
    ) -> None:
        if not change:
            obj.pk = form.application.pk
            return
        application_prioritise(
            application=obj,
            priority=obj.priority,
            reason=obj.priority_reason,
            actor=_actor(request),
            now=timezone.now(),
        )


@admin.register(HoursEntry)
class HoursEntryAdmin(admin.ModelAdmin[HoursEntry]):
    list_display = ["day", "member", "activity", "minutes", "source", "paid", "status"]
    list_filter = ["status", "paid", "source"]
    search_fields = ["member__display_name", "member__username", "activity", "note"]
    date_hierarchy = "day"
    readonly_fields = [f.name for f in HoursEntry._meta.fields]
    actions = ["approve", "reject"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # shifts count themselves; other work is logged by the member

    def has_change_permission(self, request: HttpRequest, obj: HoursEntry | None = None) -> bool:
        return False  # decided through the actions below, so that it is recorded

    def _decide(self, request: HttpRequest, queryset: QuerySet[HoursEntry], approve: bool) -> None:
        done = 0
        actor, now = _actor(request), timezone.now()
        for entry in queryset.select_related("member"):
            try:
                hours_decide(entry=entry, actor=actor, now=now, approve=approve)
                done += 1
            except DomainError as exc:
                messages.error(request, f"{entry}: {exc.message}")
        if done:
            messages.success(request, _("%(count)d decided.") % {"count": done})

    @admin.action(description=_("Approve"), permissions=["view"])
    def approve(self, request: HttpRequest, queryset: QuerySet[HoursEntry]) -> None:
        self._decide(request, queryset.filter(status=HoursStatus.PENDING), approve=True)

    @admin.action(description=_("Reject"), permissions=["view"])
    def reject(self, request: HttpRequest, queryset: QuerySet[HoursEntry]) -> None:
        self._decide(request, queryset.filter(status=HoursStatus.PENDING), approve=False)


@admin.register(HourlyRate)
class HourlyRateAdmin(admin.ModelAdmin[HourlyRate]):
    """Rates are pay: coordinators only, whatever other permissions a staff member holds."""

    list_display = ["member", "valid_from", "euros"]
    search_fields = ["member__display_name", "member__username"]
    date_hierarchy = "valid_from"
    autocomplete_fields = ["member"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_coordinator(request) and super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: HourlyRate | None = None) -> bool:
        return _is_coordinator(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _is_coordinator(request) and super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: HourlyRate | None = None) -> bool:
        return _is_coordinator(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: HourlyRate | None = None) -> bool:
        return _is_coordinator(request) and super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: HourlyRate | None = None) -> Any:
        # A rate belongs to its member and day; a new day is a new rate, so history stays.
        return ["member", "valid_from"] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: HourlyRate, form: Any, change: bool) -> None:
        rate = rate_set(
            member=obj.member,
            valid_from=obj.valid_from,
            euros=obj.euros,
            actor=_actor(request),
            now=timezone.now(),
        )
        obj.pk = rate.pk

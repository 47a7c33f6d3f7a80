"""Administration for coordinators. Writes that have rules go through the services."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.errors import DomainError
from scheduling.models import (
    Activity,
    ActivityRole,
    AuditEntry,
    Booking,
    BookingStatus,
    Closure,
    FeedToken,
    MemberQualification,
    Notification,
    NotificationOptOut,
    Qualification,
    Refusal,
    Resource,
    ResourceGroup,
    SignUp,
    Slot,
    SlotRole,
    SwapOffer,
    Unit,
    WaitlistEntry,
)
from scheduling.services.bookings import (
    BookingRequest,
    booking_approve,
    booking_cancel,
    booking_create,
    booking_mark,
)
from scheduling.services.feeds import feed_token_revoke
from scheduling.services.signups import signup_cancel, signup_mark_attendance


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # noqa: S101 - the admin requires a login
    return request.user


class UnitInline(admin.TabularInline[Unit, Resource]):
    model = Unit
    extra = 1


@admin.register(ResourceGroup)
class ResourceGroupAdmin(admin.ModelAdmin[ResourceGroup]):
    list_display = ["name", "slug", "hours_calendar"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin[Resource]):
    list_display = ["name", "kind", "group", "is_active", "requires_approval"]
    list_filter = ["kind", "group", "is_active", "requires_approval"]
    search_fields = ["name", "description", "location"]
    inlines = [UnitInline]
    fieldsets = (
        (None, {"fields": ("kind", "name", "description", "location", "group", "is_active")}),
        (_("Opening hours"), {"fields": ("hours_calendar", "hours_policy")}),
        (
            _("Rules"),
            {
                "fields": (
                    "slot_minutes",
                    ("min_minutes", "max_minutes"),
                    ("horizon_days", "lead_minutes"),
                    "buffer_minutes",
                    "cancel_cutoff_minutes",
                    ("max_active_bookings", "max_hours_per_week"),
                    "requires_approval",
                    "required_qualification",
                    "waitlist_offer_hours",
                )
            },
        ),
    )


@admin.register(Qualification)
class QualificationAdmin(admin.ModelAdmin[Qualification]):
    list_display = ["name", "valid_days"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(MemberQualification)
class MemberQualificationAdmin(admin.ModelAdmin[MemberQualification]):
    list_display = ["member", "qualification", "granted_at", "valid_until", "revoked_at"]
    list_filter = ["qualification"]
    search_fields = ["member__display_name", "member__username"]
    autocomplete_fields = ["member"]
    readonly_fields = ["granted_by"]

    def save_model(
        self, request: HttpRequest, obj: MemberQualification, form: Any, change: bool
    ) -> None:
        if not change:
            obj.granted_by = _actor(request)
        super().save_model(request, obj, form, change)


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin[Closure]):
    list_display = ["reason", "start", "end", "group", "resource", "unit"]
    list_filter = ["group", "resource"]
    date_hierarchy = "start"


class BookingAddForm(forms.ModelForm[Booking]):
    """Books through the service while validating, so a refusal shows as a form error.

    The admin's add view runs in one transaction: the booking exists only if the form is saved.
    """

    override = forms.BooleanField(
        label=_("ignore opening hours, limits and notice"), required=False
    )
    actor: User
    booking: Booking | None = None

    class Meta:
        model = Booking
        fields = ["resource", "member", "start", "end", "note"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            self.booking = booking_create(
                request=BookingRequest(
                    resource=data["resource"],
                    member=data["member"],
                    start=data["start"],
                    end=data["end"],
                    note=data.get("note", ""),
                    override=data.get("override", False),
                ),
                actor=self.actor,
                now=timezone.now(),
            )
        except DomainError as exc:
            raise forms.ValidationError(str(exc.message), code=exc.code) from exc
        return data


def _run(
    request: HttpRequest, queryset: QuerySet[Any], service: Any, argument: str, **kwargs: Any
) -> None:
    """Run a service on each selected object (``service(<argument>=obj, actor, now)``)."""
    done = 0
    for obj in queryset:
        try:
            service(**{argument: obj}, actor=_actor(request), now=timezone.now(), **kwargs)
            done += 1
        except DomainError as exc:
            messages.error(request, f"{obj}: {exc.message}")
    if done:
        messages.success(request, _("%(count)d changed.") % {"count": done})


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin[Booking]):
    list_display = ["start", "end", "resource", "unit", "member", "status", "created_by"]
    list_filter = ["status", "resource__kind", "resource"]
    search_fields = ["member__display_name", "member__username", "resource__name", "note"]
    date_hierarchy = "start"
    autocomplete_fields = ["member"]
    actions = ["approve", "cancel", "mark_completed", "mark_no_show"]
    readonly_fields = [
        "unit",
        "resource",
        "member",
        "start",
        "end",
        "blocked_until",
        "status",
        "created_by",
        "rules_overridden",
        "created_at",
        "updated_at",
    ]

    def get_form(
        self, request: HttpRequest, obj: Booking | None = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            kwargs["form"] = type("BookingAddForm", (BookingAddForm,), {"actor": _actor(request)})
        return super().get_form(request, obj, change, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Booking | None = None) -> Any:
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request: HttpRequest, obj: Booking | None = None) -> Any:
        if obj is None:
            return ["resource", "member", "start", "end", "note", "override"]
        return [*self.readonly_fields, "note"]

    def save_model(self, request: HttpRequest, obj: Booking, form: Any, change: bool) -> None:
        if change:
            Booking.objects.filter(pk=obj.pk).update(note=obj.note)
        else:
            obj.pk = form.booking.pk

    @admin.action(description=_("Approve"))
    def approve(self, request: HttpRequest, queryset: QuerySet[Booking]) -> None:
        _run(request, queryset.filter(status=BookingStatus.REQUESTED), booking_approve, "booking")

    @admin.action(description=_("Cancel"))
    def cancel(self, request: HttpRequest, queryset: QuerySet[Booking]) -> None:
        _run(request, queryset, booking_cancel, "booking")

    @admin.action(description=_("Mark completed"))
    def mark_completed(self, request: HttpRequest, queryset: QuerySet[Booking]) -> None:
        _run(request, queryset, booking_mark, "booking", outcome=BookingStatus.COMPLETED)

    @admin.action(description=_("Mark no-show"))
    def mark_no_show(self, request: HttpRequest, queryset: QuerySet[Booking]) -> None:
        _run(request, queryset, booking_mark, "booking", outcome=BookingStatus.NO_SHOW)


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(admin.ModelAdmin[WaitlistEntry]):
    list_display = ["resource", "member", "start", "end", "status", "offer_expires_at"]
    list_filter = ["status", "resource"]
    readonly_fields = [f.name for f in WaitlistEntry._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = [
        "at",
        "actor",
        "action",
        "booking",
        "waitlist_entry",
        "from_status",
        "to_status",
    ]
    list_filter = ["action"]
    date_hierarchy = "at"


class NotificationStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            ("waiting", _("waiting")),
            ("sent", _("sent")),
            ("call", _("to call (no e-mail address)")),
            ("skipped", _("not sent, no longer applied")),
            ("failed", _("given up")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        filters: dict[str, dict[str, Any]] = {
            "waiting": {"sent_at": None, "failed_at": None, "skipped_at": None},
            "sent": {"sent_at__isnull": False, "channel": "email"},
            "call": {"channel": "call"},
            "skipped": {"skipped_at__isnull": False},
            "failed": {"failed_at__isnull": False},
        }
        wanted = filters.get(self.value() or "")
        return queryset.filter(**wanted) if wanted is not None else queryset


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """The outbox: what was told to whom and when; the "to call" filter is the coordinators'
    list of members without e-mail who should be phoned."""

    list_display = ["created_at", "member", "kind", "due_at", "sent_at", "channel", "attempts"]
    list_filter = [NotificationStateFilter, "kind", "channel"]
    search_fields = ["member__display_name", "member__phone", "kind"]
    date_hierarchy = "created_at"
    list_select_related = ["member"]


@admin.register(FeedToken)
class FeedTokenAdmin(admin.ModelAdmin[FeedToken]):
    """Calendar feed addresses: only their digests are stored, so nothing here can be copied;
    a coordinator switches one off when a member asks (a lost phone)."""

    list_display = ["member", "purpose", "created_at", "revoked_at"]
    list_filter = ["purpose", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["member__display_name", "member__username"]
    readonly_fields = ["member", "purpose", "created_at", "revoked_at"]
    exclude = ["digest"]
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Switch the calendar feed off"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[FeedToken]) -> None:
        live = list(queryset.filter(revoked_at__isnull=True).select_related("member"))
        for token in live:
            feed_token_revoke(
                member=token.member,
                actor=_actor(request),
                now=timezone.now(),
                purpose=token.purpose,
            )
        messages.success(request, _("%(count)d changed.") % {"count": len(live)})


@admin.register(NotificationOptOut)
class NotificationOptOutAdmin(admin.ModelAdmin[NotificationOptOut]):
    list_display = ["member", "kind", "created_at"]
    list_filter = ["kind"]
    search_fields = ["member__display_name"]
    readonly_fields = ["member", "kind", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


# --- sessions and shifts ------------------------------------------------------------------------


class ActivityRoleInline(admin.TabularInline[ActivityRole, Activity]):
    model = ActivityRole
    extra = 1


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin[Activity]):
    list_display = ["__str__", "kind", "eligibility", "paid", "min_staffing", "waitlist_mode"]
    list_filter = ["kind", "eligibility", "paid"]
    search_fields = ["event__title"]
    autocomplete_fields = ["event"]
    inlines = [ActivityRoleInline]


class SlotRoleInline(admin.TabularInline[SlotRole, Slot]):
    model = SlotRole
    extra = 0
    readonly_fields = ["role", "places", "taken"]
    can_delete = False


@admin.register(Slot)
class SlotAdmin(admin.ModelAdmin[Slot]):
    list_display = ["activity", "start", "end", "cancelled"]
    list_filter = ["cancelled", "activity__kind"]
    date_hierarchy = "start"
    readonly_fields = ["activity", "original_start", "start", "end", "cancelled"]
    inlines = [SlotRoleInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(SignUp)
class SignUpAdmin(admin.ModelAdmin[SignUp]):
    list_display = ["slot", "role", "member", "status", "created_at"]
    list_filter = ["status", "slot__activity__kind"]
    search_fields = ["member__display_name", "member__username", "slot__activity__event__title"]
    readonly_fields = [f.name for f in SignUp._meta.fields]
    actions = ["cancel", "mark_attended", "mark_no_show"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Cancel"))
    def cancel(self, request: HttpRequest, queryset: QuerySet[SignUp]) -> None:
        _run(request, queryset, signup_cancel, "signup")

    @admin.action(description=_("Mark attended"))
    def mark_attended(self, request: HttpRequest, queryset: QuerySet[SignUp]) -> None:
        _run(request, queryset, signup_mark_attendance, "signup", attended=True)

    @admin.action(description=_("Mark no-show"))
    def mark_no_show(self, request: HttpRequest, queryset: QuerySet[SignUp]) -> None:
        _run(request, queryset, signup_mark_attendance, "signup", attended=False)


@admin.register(SwapOffer)
class SwapOfferAdmin(ReadOnlyAdmin):
    list_display = ["signup", "status", "created_at"]
    list_filter = ["status"]


@admin.register(Refusal)
class RefusalAdmin(ReadOnlyAdmin):
    """Demand that could not be served, for the statistics; who was refused is not shown."""

    list_display = ["at", "code", "resource", "activity", "start", "end"]
    list_filter = ["code", "resource__kind"]
    date_hierarchy = "at"
    fields = ["at", "code", "resource", "activity", "start", "end"]

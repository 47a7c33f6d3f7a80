"""Administration of the Werkhaus: tools and rooms on the engine's resources, units with their
condition, loans, and the counter page (admin/werkhaus/counter/)."""

from datetime import datetime
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.errors import DomainError
from scheduling.admin import ResourceAdmin
from scheduling.models import Resource
from werkhaus.counter import counter_view
from werkhaus.models import Condition, Loan, LoanStatus, Room, RoomBooking, ToolType, ToolUnit
from werkhaus.services.loans import CheckIn, loan_check_in, unit_release


class ToolTypeInline(admin.StackedInline[ToolType, Resource]):
    model = ToolType
    extra = 0
    max_num = 1


class RoomInline(admin.StackedInline[Room, Resource]):
    model = Room
    extra = 0
    max_num = 1


class WerkhausResourceAdmin(ResourceAdmin):
    """The engine's resource, with what the Werkhaus knows about tools and rooms."""

    inlines = [*ResourceAdmin.inlines, ToolTypeInline, RoomInline]


admin.site.unregister(Resource)
admin.site.register(Resource, WerkhausResourceAdmin)


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # noqa: S101 - the admin requires a login
    return request.user


@admin.register(ToolType)
class ToolTypeAdmin(admin.ModelAdmin[ToolType]):
    list_display = ["__str__", "category", "deposit", "inspect_every_loans", "inspect_every_months"]
    list_filter = ["category"]
    search_fields = ["resource__name"]
    autocomplete_fields = ["resource"]


@admin.register(ToolUnit)
class ToolUnitAdmin(admin.ModelAdmin[ToolUnit]):
    list_display = ["__str__", "tool", "condition", "loans_since_inspection", "last_inspected_at"]
    list_filter = ["condition", "unit__resource__tool__category"]
    search_fields = ["unit__label", "unit__resource__name"]
    readonly_fields = ["unit", "loans_since_inspection", "last_inspected_at"]
    actions = ["release"]

    @admin.display(description=_("tool"))
    def tool(self, obj: ToolUnit) -> str:
        return str(obj.unit.resource)

    @admin.action(description=_("Inspected or repaired: lend again"))
    def release(self, request: HttpRequest, queryset: QuerySet[ToolUnit]) -> None:
        for tool_unit in queryset.select_related("unit"):
            try:
                unit_release(unit=tool_unit.unit, actor=_actor(request), now=timezone.now())
            except DomainError as exc:
                messages.error(request, f"{tool_unit}: {exc.message}")


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("overdue"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "yes":
            return queryset.filter(status=LoanStatus.CHECKED_OUT, booking__end__lt=timezone.now())
        return queryset


@admin.register(Loan)
class LoanAdmin(admin.ModelAdmin[Loan]):
    list_display = ["__str__", "tool", "status", "checked_out_at", "due", "deposit_taken"]
    list_filter = [OverdueFilter, "status"]
    search_fields = [
        "booking__unit__label",
        "booking__member__display_name",
        "booking__member__phone",
    ]
    readonly_fields = [f.name for f in Loan._meta.fields]
    actions = ["check_in_good"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # loans begin at the counter

    @admin.display(description=_("tool"))
    def tool(self, obj: Loan) -> str:
        return str(obj.booking.resource)

    @admin.display(description=_("due"))
    def due(self, obj: Loan) -> datetime:
        return obj.booking.end

    @admin.action(description=_("Check in: good condition, whole deposit back"))
    def check_in_good(self, request: HttpRequest, queryset: QuerySet[Loan]) -> None:
        for loan in queryset:
            try:
                loan_check_in(
                    loan=loan,
                    actor=_actor(request),
                    now=timezone.now(),
                    check=CheckIn(condition=Condition.GOOD),
                )
            except DomainError as exc:
                messages.error(request, f"{loan}: {exc.message}")

    def get_urls(self) -> list[URLPattern]:
        counter = path(
            "counter/",
            self.admin_site.admin_view(counter_view),
            name="werkhaus_counter",
        )
        return [counter, *super().get_urls()]


@admin.register(RoomBooking)
class RoomBookingAdmin(admin.ModelAdmin[RoomBooking]):
    list_display = ["purpose", "organisation", "expected_people", "booking"]
    search_fields = ["purpose", "organisation"]
    readonly_fields = ["booking"]


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin[Room]):
    list_display = ["__str__", "max_people"]

"""Coordinators act for members: sign a member up for a session or shift, and register a walk-in
member without login at the counter. Writes go through the services; refusals show in the page
with status 400. (Booking on behalf lives in core.coordination with the other pages.)"""

from datetime import date, datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts.models import User
from accounts.services import member_create
from core import coordination_selectors as reads
from core.coordination import _coordinator, coordinator_required
from core.errors import DomainError, InvalidInput
from core.pages import add_domain_error, parse_stamp, render_form, stamp
from scheduling.models import ActivityRole, SignUpStatus
from scheduling.selectors.occurrences import OccurrenceView
from scheduling.services.signups import SignupRequest, signup_create

# --- signing up on behalf of a member ---------------------------------------------------------


def _choice(occurrence: OccurrenceView, role_id: int) -> str:
    return f"{occurrence.activity.pk}:{stamp(occurrence.original_start)}:{role_id}"


def _label(occurrence: OccurrenceView, role_name: str, free: int, places: int) -> str:
    start = timezone.localtime(occurrence.start)
    when = "{} {} {}–{}".format(
        formats.date_format(start, "D"),
        formats.date_format(start, "SHORT_DATE_FORMAT"),
        formats.time_format(start, "H:i"),
        formats.time_format(timezone.localtime(occurrence.end), "H:i"),
    )
    parts = [when, occurrence.activity.event.title]
    if role_name:
        parts.append(role_name)
    parts.append(_("%(free)s of %(places)s places free") % {"free": free, "places": places})
    return " · ".join(parts)


def occurrence_choices(occurrences: list[OccurrenceView]) -> list[tuple[str, str]]:
    """One choice per date and role: ``<activity>:<original start stamp>:<role>``."""
    return [
        (_choice(o, r.role_id), _label(o, r.name, r.open, r.places))
        for o in occurrences
        for r in o.roles
    ]


class SignupForForm(forms.Form):
    member = forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True), widget=forms.HiddenInput
    )
    tag = forms.DateField(widget=forms.HiddenInput, required=False)
    date = forms.ChoiceField(label=gettext_lazy("Date and role"))
    waitlist = forms.BooleanField(
        label=gettext_lazy("Put on the waitlist if all places are taken"), required=False
    )

    def __init__(
        self,
        data: QueryDict | None,
        *,
        choices: list[tuple[str, str]],
        initial: dict[str, object],
    ) -> None:
        super().__init__(data, initial=initial)
        field = self.fields["date"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        field.choices = [("", "—"), *choices]
        if not choices:
            field.help_text = gettext_lazy("No sessions or shifts in these days.")


def _day(request: HttpRequest, today: date) -> date:
    raw = request.POST.get("tag") or request.GET.get("tag", "")
    try:
        return max(date.fromisoformat(raw), today)
    except ValueError:
        return today


def _sign_up(data: dict[str, object], actor: User, now: datetime) -> str:
    """Sign the member up for the chosen date and role; the success message."""
    activity_id, original, role_id = str(data["date"]).split(":")
    role = (
        ActivityRole.objects.select_related("activity__event")
        .filter(pk=int(role_id), activity_id=int(activity_id))
        .first()
    )
    start = parse_stamp(original)
    member = data["member"]
    assert isinstance(member, User)  # noqa: S101 - a ModelChoiceField of users
    if role is None or start is None:  # only a hand-made request gets here
        raise InvalidInput(_("Please choose a date from the list."))
    signup = signup_create(
        request=SignupRequest(
            activity=role.activity,
            start=start,
            member=member,
            role=role,
            waitlist=bool(data["waitlist"]),
        ),
        actor=actor,
        now=now,
    )
    values = {"member": member, "title": role.activity.event.title}
    if signup.status == SignUpStatus.WAITLISTED:
        return _("%(member)s is on the waitlist for %(title)s.") % values
    return _("%(member)s is signed up for %(title)s and gets a message.") % values


@require_http_methods(["GET", "POST"])
@coordinator_required
def signup_for_page(request: HttpRequest) -> HttpResponse:
    """Find a member by name or phone, then sign them up for a session or shift of the week
    from a chosen day, in a role; the coordinator may sign up after the cut-off."""
    actor, now = _coordinator(request), timezone.now()
    query = request.GET.get("q", "").strip()[:100]
    chosen_id = request.POST.get("member") or request.GET.get("mitglied", "")
    chosen = (
        User.objects.filter(pk=chosen_id, is_active=True).first() if chosen_id.isdigit() else None
    )
    day = _day(request, timezone.localdate(now))
    choices = occurrence_choices(reads.occurrences_to_sign_up(day=day, now=now)) if chosen else []
    form = SignupForForm(
        request.POST or None,
        choices=choices,
        initial={"member": chosen.pk if chosen else None, "tag": day},
    )
    if request.method == "POST" and form.is_valid():
        try:
            done = _sign_up(form.cleaned_data, actor, now)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, done)
            back = {"mitglied": form.cleaned_data["member"].pk, "tag": day.isoformat()}
            return HttpResponseRedirect(f"{reverse('coordination:signup')}?{urlencode(back)}")
    if request.method == "POST" and "member" in form.errors:
        form.add_error(None, _("Please find the member first."))
    context = {
        "form": form,
        "query": query,
        "found": list(reads.members_found(query=query)) if query and chosen is None else [],
        "chosen": chosen,
        "day": day,
        "days": reads.SIGNUP_DAYS,
        "then": "anmelden",
    }
    invalid = bool(form.errors)
    return render_form(request, "core/coordination/signup.html", context, invalid=invalid)


# --- a walk-in member without login -----------------------------------------------------------

# Where the new member's page goes on to, with the member chosen there.
THEN = {"ausgabe": "coordination:counter", "buchen": "coordination:book"}
THEN_SIGNUP = "anmelden"


class NewMemberForm(forms.Form):
    display_name = forms.CharField(label=gettext_lazy("Name"), max_length=150)
    phone = forms.CharField(label=gettext_lazy("Phone (optional)"), max_length=40, required=False)
    email = forms.EmailField(label=gettext_lazy("E-mail address (optional)"), required=False)
    preferred_language = forms.ChoiceField(
        label=gettext_lazy("Language for messages"),
        choices=settings.LANGUAGES,
        initial=settings.LANGUAGE_CODE,
    )
    weiter = forms.CharField(widget=forms.HiddenInput, required=False)
    q = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)


def _then(member: User, then: str, query: str) -> str:
    """The page to go on to with the new member chosen."""
    if then == "ausgabe":
        # Back to the tool looked up at the counter, lending it to the new member.
        found: dict[str, str | int] = (
            {"q": query, "mitglied": member.pk} if query else {"q": member.display_name}
        )
        return f"{reverse('coordination:counter')}?{urlencode(found)}"
    name = "coordination:signup" if then == THEN_SIGNUP else "coordination:book"
    return f"{reverse(name)}?{urlencode({'mitglied': member.pk})}"


@require_http_methods(["GET", "POST"])
@coordinator_required
def member_new_page(request: HttpRequest) -> HttpResponse:
    """Register a member without login (a walk-in): name, phone or e-mail if they have one,
    language; then on to the counter, booking or sign-up with them chosen."""
    actor = _coordinator(request)
    initial = {
        "display_name": request.GET.get("name", "")[:150],
        "weiter": request.GET.get("weiter", ""),
        "q": request.GET.get("q", "")[:100],
    }
    form = NewMemberForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member = member_create(
                display_name=data["display_name"],
                email=data["email"],
                phone=data["phone"].strip(),
                preferred_language=data["preferred_language"],
                managed_by=actor,
            )
        except ValidationError as error:  # the model's own checks, beyond the form's
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, _("%(member)s is registered.") % {"member": member})
            return HttpResponseRedirect(_then(member, data["weiter"], data["q"]))
    then = str(form["weiter"].value() or "")
    context = {"form": form, "back": reverse(THEN.get(then, "coordination:today"))}
    if then == THEN_SIGNUP:
        context["back"] = reverse("coordination:signup")
    return render_form(
        request, "core/coordination/member_new.html", context, invalid=bool(form.errors)
    )

"""My data, for every member who is logged in: download everything stored about me (the same
JSON as ``GET /api/v1/me/export/``) and delete my account (``DELETE /api/v1/me/``: anonymised,
what is still to come cancelled, refused while a tool is out). Refusals show in the page."""

import json

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import User
from accounts.services import member_delete
from core.errors import DomainError
from core.pages import add_domain_error, render_form
from core.privacy import member_export


class DeleteAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("Yes, delete my account. I cannot undo this."),
        error_messages={
            "required": gettext_lazy("Please tick the box if you really want to delete it.")
        },
    )


def _member(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):  # behind login_required
        raise PermissionDenied
    return user


@login_required
@require_http_methods(["GET", "POST"])
def my_data_page(request: HttpRequest) -> HttpResponse:
    """What we store and how to get it; deleting the account after a confirmation."""
    member = _member(request)
    # An empty POST (the box not ticked) is bound too: it must answer with the message.
    form = DeleteAccountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            member_delete(member=member, actor=member, now=timezone.now())
        except DomainError as error:
            add_domain_error(form, error)
        else:
            logout(request)  # the member's sessions are gone; start the visitor afresh
            messages.success(request, _("Your account is deleted. Goodbye, and thank you!"))
            return HttpResponseRedirect(reverse("core:start"))
    return render_form(request, "core/my_data.html", {"form": form}, invalid=bool(form.errors))


@login_required
@require_GET
def my_data_export(request: HttpRequest) -> HttpResponse:
    """Everything stored about me as a JSON file to download."""
    now = timezone.now()
    document = member_export(member=_member(request), now=now)
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    day = timezone.localdate(now).isoformat()
    response["Content-Disposition"] = f'attachment; filename="meine-daten-{day}.json"'
    return response

"""schemathesis against the OpenAPI schema, in-process, as a resident and as a coordinator.

Every operation of the schema gets generated requests, valid and invalid, and every answer must
pass schemathesis's checks: no server error, a status and a body the schema documents, invalid
input refused. One check is ours instead of schemathesis's own: a schema-valid request may still
be refused with 400 when a business rule says no (an unknown id, an end before the start, a time
outside the opening hours), which no schema can express. Such refusals carry their own machine
code; ``invalid`` is the code of a shape the validation refused, so a schema-valid request
answered ``invalid`` means that the schema and the validation disagree, and fails.

Each example runs in a savepoint that is rolled back, on a world where the member has bookings,
sign-ups, a loan, hours and a plot application, so that lists are not empty and the response
schemas are checked on real rows. Fixed seed, bounded examples: a few minutes in CI.
"""

import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.serializers.json import DjangoJSONEncoder
from django.db import close_old_connections, transaction
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.checks import CheckContext
from schemathesis.core.failures import Failure
from schemathesis.specs.openapi.checks import positive_data_acceptance

from accounts.models import User
from accounts.services import api_token_issue
from config.wsgi import application
from tests.accounts import privacy_world

EXAMPLES = 12

# Statuses a well-formed request may get without the API being wrong (schemathesis's own list).
ACCEPTED = {401, 403, 404, 409, 429}


def _document() -> dict[str, Any]:
    document = SchemaGenerator().get_schema(request=None, public=True)
    loaded: dict[str, Any] = json.loads(json.dumps(document, cls=DjangoJSONEncoder))
    return loaded


schema = schemathesis.openapi.from_dict(_document())
schema.app = application  # every request, schemathesis's own probes too, goes in-process


class RefusedValidInput(Failure):
    """A request the schema calls valid, refused as malformed."""

    kind_title = "Schema-valid request refused as invalid input"

    def __init__(self, *, operation: str, status: int, body: str) -> None:
        super().__init__(
            operation=operation,
            message=f"{status} for input the schema allows: {body}",
        )


def valid_input_accepted(ctx: CheckContext, response: Any, case: Any) -> bool | None:
    """schemathesis's positive_data_acceptance, with business refusals (400 with a code of their
    own) told apart from shape refusals (400 ``invalid``)."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return None
    status = response.status_code
    if status < 300 or status in ACCEPTED or status >= 500:
        return None  # 5xx is not_a_server_error's to report
    if status == 400:
        body = response.json()
        if body.get("code") != "invalid":
            return None
    raise RefusedValidInput(operation=case.operation.label, status=status, body=response.text[:500])


@pytest.fixture
def in_process() -> Iterator[None]:
    """Requests through the WSGI application inside the test's transaction: like Django's test
    client, keep the request signals from closing the connection the transaction lives on."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def members(in_process: None) -> dict[str, User]:
    world = privacy_world.build()
    return {"resident": world.member, "coordinator": world.coordinator}


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_generated_requests_as_its_schema_says(
    case: Any, members: dict[str, User]
) -> None:
    # Each example as each member, on one world: building it is most of a test's cost.
    for role, member in members.items():
        with transaction.atomic():
            # A fresh token each time: an example may end its own (logout, account deletion).
            _token, key = api_token_issue(user=member, now=timezone.now())
            try:
                case.call_and_validate(
                    headers={"Authorization": f"Token {key}"},
                    excluded_checks=[positive_data_acceptance],
                    additional_checks=[valid_input_accepted],
                )
            except BaseException as failure:
                failure.add_note(f"Sent as the {role}.")
                raise
            transaction.set_rollback(True)

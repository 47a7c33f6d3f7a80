"""drf-spectacular hooks: document the error format once for every operation."""

from typing import Any

ERROR_SCHEMA = {
    "type": "object",
    "required": ["code", "detail", "fields"],
    "properties": {
        "code": {"type": "string", "description": "Machine-readable reason, e.g. `conflict`."},
        "detail": {"type": "string", "description": "Readable text in the request's language."},
        "fields": {
            "type": "object",
            "additionalProperties": True,
            "description": "Per-field messages for invalid input; empty otherwise.",
        },
    },
}

_STANDARD = {
    "400": "Invalid input",
    "401": "Not authenticated",
    "403": "Not allowed",
    "404": "Not found",
    "429": "Too many requests",
    "503": "Briefly unavailable (the database is restarting); retry after Retry-After seconds",
}
# A write can meet a state that forbids it: taken, full, already done (`code` says which).
_WRITES = {"post", "put", "patch", "delete"}
_CONFLICT = "Conflicts with the current state, e.g. `conflict`, `full`, `invalid_transition`"


def add_error_responses(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    components = result.setdefault("components", {})
    components.setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    ref = {"$ref": "#/components/schemas/Error"}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            standard = {**_STANDARD, "409": _CONFLICT} if method in _WRITES else _STANDARD
            for status, description in standard.items():
                responses.setdefault(
                    status,
                    {"description": description, "content": {"application/json": {"schema": ref}}},
                )
    return result


def document_empty_query_values(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """An optional query parameter sent empty (``?category=``, as an HTML form sends an unset
    filter) counts as not sent: django-filter, DRF's serializers and the paginator all read it so.
    Say so in the schema (``allowEmptyValue``), so that clients and the API fuzzing know."""
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query" and not parameter.get("required"):
                    parameter["allowEmptyValue"] = True
    return result

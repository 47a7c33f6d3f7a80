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
}


def add_error_responses(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    components = result.setdefault("components", {})
    components.setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    ref = {"$ref": "#/components/schemas/Error"}
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            for status, description in _STANDARD.items():
                responses.setdefault(
                    status,
                    {"description": description, "content": {"application/json": {"schema": ref}}},
                )
    return result

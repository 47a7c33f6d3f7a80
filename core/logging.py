"""Secrets in URLs (calendar feed tokens) never reach a log line."""

import logging
import re
from typing import Any

SECRET_PATH = re.compile(r"(/ical/u/)[^/\s.?\"']+")


def redact(text: str) -> str:
    return SECRET_PATH.sub(r"\1***", text)


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if record.args:
            if isinstance(record.args, dict):
                # Keep the mapping's own type (gunicorn's access atoms answer "-" for gaps).
                for key, value in list(record.args.items()):
                    record.args[key] = _clean(value)
            else:
                record.args = tuple(_clean(a) for a in record.args)
        return True


def _clean(value: Any) -> Any:
    return redact(value) if isinstance(value, str) else value

"""A last guard on every log line: credentials are masked whatever logged them."""

from __future__ import annotations

import logging
import re

# Secret values as the SDKs spell them in headers, config, env dumps and parsed STS responses.
SECRET_FIELD = re.compile(
    r"(?i)(x-amz-security-token|aws_secret_access_key|aws_session_token|secretaccesskey"
    r"|sessiontoken|secret_key|session_token|token)"
    r"""(["']?\s*[:=>]\s*b?["']?)([A-Za-z0-9/+=_-]{16,})"""
)
MASK = "****"


def redact(text: str, secrets: tuple[str, ...]) -> str:
    for secret in secrets:
        text = text.replace(secret, MASK)
    return SECRET_FIELD.sub(lambda m: f"{m.group(1)}{m.group(2)}{MASK}", text)


class RedactSecrets(logging.Filter):
    """Rewrites each record's final text, so arguments and tracebacks are covered too."""

    def __init__(self, secrets: tuple[str, ...]) -> None:
        super().__init__()
        self._secrets = secrets

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.msg = redact(message, self._secrets)
        record.args = None
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self._secrets)
        return True

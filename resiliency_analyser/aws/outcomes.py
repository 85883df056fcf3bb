"""Naming why a (check, region) pair did not succeed, from the error that ended it."""

from __future__ import annotations

from botocore.exceptions import ClientError, ConnectTimeoutError, ReadTimeoutError

from resiliency_analyser.aws.endpoints import ServiceNotInRegion
from resiliency_analyser.model.report import Outcome

ACCESS_DENIED_CODES = frozenset(
    {
        "AccessDenied",
        "AccessDeniedException",
        "AuthorizationError",
        "AuthorizationErrorException",
        "Forbidden",
        "ForbiddenException",
        "UnauthorizedAccess",
        "UnauthorizedException",
        "UnauthorizedOperation",
    }
)

# The credentials were accepted in the home region before the scan started, so a token rejected
# now is rejected by this region: an opt-in region that is not enabled, or a global-endpoint STS
# token that opt-in regions do not accept.
REGION_DISABLED_CODES = frozenset(
    {
        "AuthFailure",
        "InvalidClientTokenId",
        "OptInRequired",
        "RegionDisabledException",
        "UnrecognizedClientException",
    }
)

# The codes botocore's standard retry mode treats as throttling: reaching us, they outlasted it.
THROTTLING_CODES = frozenset(
    {
        "BandwidthLimitExceeded",
        "EC2ThrottledException",
        "LimitExceededException",
        "PriorRequestNotComplete",
        "ProvisionedThroughputExceededException",
        "RequestLimitExceeded",
        "RequestThrottled",
        "RequestThrottledException",
        "SlowDown",
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "TooManyRequestsException",
        "TransactionInProgressException",
    }
)


MESSAGE_LIMIT = 300
"""Characters of an error message kept: a non-AWS endpoint may answer with a whole HTML page."""


def one_line(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """Whitespace runs (line breaks included) as one space, cut to ``limit`` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else f"{flat[: limit - 1].rstrip()}…"


def classify_client_error(error: ClientError) -> tuple[Outcome, str]:
    details = error.response.get("Error", {})
    code = str(details.get("Code", "Unknown"))
    message = one_line(f"{code}: {details.get('Message', '')}".strip())
    status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    if code in ACCESS_DENIED_CODES:
        return Outcome.ACCESS_DENIED, message
    if code in REGION_DISABLED_CODES:
        return Outcome.REGION_DISABLED, message
    if code in THROTTLING_CODES or status == 429:
        attempts = error.response.get("ResponseMetadata", {}).get("RetryAttempts", 0) + 1
        return Outcome.THROTTLED, f"{message} (after {attempts} attempts)"
    return Outcome.ERROR, message


def classify(error: BaseException) -> tuple[Outcome, str]:
    """The outcome an exception from a check's scan stands for, and the message to report."""
    if isinstance(error, ClientError):
        return classify_client_error(error)
    if isinstance(error, ServiceNotInRegion):
        return Outcome.NOT_AVAILABLE, str(error)
    if isinstance(error, ReadTimeoutError | ConnectTimeoutError):
        return Outcome.TIMEOUT, one_line(str(error))
    return Outcome.ERROR, one_line(f"{type(error).__name__}: {error}")

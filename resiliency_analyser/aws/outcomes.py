"""Classifying an error once: the outcome it stands for, its code and its message.

The engine names why a (check, region) pair did not succeed from it, the delivery sinks count
their failures by it, the S3 upload words its error with it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

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


@dataclass(frozen=True)
class Failure:
    """Why a call or a pair failed, classified once: everything downstream reads these fields."""

    outcome: Outcome
    code: str
    """AWS's error code, or the exception's class name for an error that is not AWS's answer."""
    message: str
    """One line."""
    self_explanatory: bool = False
    """The message names its cause on its own (no endpoint, a timeout): the text leaves out the
    code, a class name that would add nothing."""

    @property
    def text(self) -> str:
        """The words for the run report and the summary: ``Code: message``, or the message
        alone when it is self-explanatory."""
        if self.self_explanatory:
            return self.message
        return one_line(f"{self.code}: {self.message}".strip())


def classify_code(code: str, message: str, status: int | None = None) -> Failure:
    """An AWS error code (and HTTP status), from an exception or a batch API's failed entry."""
    if code in ACCESS_DENIED_CODES:
        outcome = Outcome.ACCESS_DENIED
    elif code in REGION_DISABLED_CODES:
        outcome = Outcome.REGION_DISABLED
    elif code in THROTTLING_CODES or status == 429:
        outcome = Outcome.THROTTLED
    else:
        outcome = Outcome.ERROR
    return Failure(outcome, code, one_line(message))


def classify_client_error(error: ClientError) -> Failure:
    details = error.response.get("Error", {})
    metadata = error.response.get("ResponseMetadata", {})
    failure = classify_code(
        str(details.get("Code", "Unknown")),
        str(details.get("Message", "")),
        metadata.get("HTTPStatusCode"),
    )
    if failure.outcome is Outcome.THROTTLED:
        attempts = metadata.get("RetryAttempts", 0) + 1
        return replace(failure, message=f"{failure.message} (after {attempts} attempts)".lstrip())
    return failure


def classify(error: BaseException) -> Failure:
    """The outcome an exception from a check's scan or a delivery's call stands for, its code
    and its message."""
    if isinstance(error, ClientError):
        return classify_client_error(error)
    code, message = type(error).__name__, one_line(str(error))
    if isinstance(error, ServiceNotInRegion):
        return Failure(Outcome.NOT_AVAILABLE, code, message, self_explanatory=True)
    if isinstance(error, ReadTimeoutError | ConnectTimeoutError):
        return Failure(Outcome.TIMEOUT, code, message, self_explanatory=True)
    return Failure(Outcome.ERROR, code, message)

"""A local endpoint in front of the moto server that misbehaves the way AWS can, reproducibly.

Every request is forwarded to moto unless a fault is chosen for it: the protocol's own throttling
or access-denied error, the error an opt-in region gives a token it does not accept, an answer that
never comes, or a connection closed without an answer. Random faults are drawn from a generator
seeded by (seed, request, how often that same request was seen), so a run meets the same faults
whatever order concurrent requests arrive in. Every request is recorded with the moment it arrived.
"""

from __future__ import annotations

import hashlib
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, unquote_plus, urlsplit

from resiliency_analyser.demo.standin import (
    THROTTLING,
    LocalEndpoint,
    credential_scope,
    error_response,
    forward,
    wire_protocol,
)

# (code, HTTP status) per fault and wire protocol, as the services themselves answer.
ERRORS: dict[str, dict[str, tuple[str, int]]] = {
    "throttle": THROTTLING,
    "deny": {
        "query": ("AccessDenied", 403),
        "ec2": ("UnauthorizedOperation", 403),
        "json": ("AccessDeniedException", 400),
        "rest-json": ("AccessDeniedException", 403),
        "rest-xml": ("AccessDenied", 403),
    },
    "region_disabled": {
        "query": ("InvalidClientTokenId", 403),
        "ec2": ("AuthFailure", 401),
        "json": ("UnrecognizedClientException", 400),
        "rest-json": ("UnrecognizedClientException", 403),
        "rest-xml": ("InvalidAccessKeyId", 403),
    },
}
MESSAGES = {
    "throttle": "Rate exceeded",
    "deny": "User is not authorized to perform this action",
    "region_disabled": "The security token included in the request is invalid",
}


@dataclass(frozen=True)
class Request:
    """Requests of one operation whose parameters contain ``naming`` (a resource's name or ARN)."""

    operation: str
    naming: str = ""

    def matches(self, operation: str, body: bytes) -> bool:
        return operation == self.operation and self.naming in unquote_plus(
            body.decode(errors="replace")
        )


@dataclass(frozen=True)
class Faults:
    seed: int = 0
    throttle: float = 0.0
    """Fraction of all requests answered with the protocol's throttling error."""
    drop: float = 0.0
    """Fraction of all requests whose connection is closed without an answer."""
    throttle_always: frozenset[str] = frozenset()
    """Signing names (``rds``, ``es``, ``lambda``...) whose every request is throttled."""
    deny: frozenset[str] = frozenset()
    """Signing names answered AccessDenied."""
    deny_in: frozenset[tuple[str, str]] = frozenset()
    """(signing name, region) pairs answered AccessDenied: one service in one region."""
    deny_requests: tuple[Request, ...] = ()
    """Single requests answered AccessDenied; the rest of their service is forwarded."""
    slow_requests: tuple[Request, ...] = ()
    """Requests forwarded only after ``slow_seconds``: an order of answers that a loaded machine
    cannot reshuffle."""
    slow_seconds: float = 0.25
    hang: frozenset[str] = frozenset()
    """Signing names whose requests get no answer until the endpoint closes."""
    disabled_regions: frozenset[str] = frozenset()
    """Regions that reject the request's token, as an opt-in region not enabled does."""


@dataclass(frozen=True)
class Seen:
    region: str
    service: str
    operation: str
    fault: str
    at: float
    """``time.monotonic()`` when the request arrived."""


def operation_name(protocol: str, headers: Any, body: bytes, method: str, path: str) -> str:
    if protocol == "json":
        return str(headers["X-Amz-Target"]).rpartition(".")[2]
    if protocol in {"query", "ec2"}:
        return parse_qs(body.decode()).get("Action", [""])[0]
    return f"{method} {urlsplit(path).path}"


class FaultProxy(LocalEndpoint):
    """Forwards to ``upstream`` (the moto server) unless ``faults`` picks a fault instead."""

    def __init__(self, upstream: str, faults: Faults | None = None) -> None:
        self.upstream = upstream
        self.faults = faults or Faults()
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        self._repeats: Counter[str] = Counter()
        self._released = threading.Event()
        super().__init__(self._handler_class())

    def __exit__(self, *exc: object) -> None:
        self._released.set()
        super().__exit__(*exc)

    def count(self, fault: str, service: str | None = None, operation: str | None = None) -> int:
        return sum(
            s.fault == fault and service in {None, s.service} and operation in {None, s.operation}
            for s in self.seen
        )

    def _draw(self, method: str, path: str, body: bytes) -> float:
        key = f"{method} {path} {hashlib.sha256(body).hexdigest()}"
        with self._lock:
            repeat = self._repeats[key]
            self._repeats[key] += 1
        return random.Random(f"{self.faults.seed}|{key}|{repeat}").random()

    def choose(
        self, region: str, service: str, operation: str, method: str, path: str, body: bytes
    ) -> str:
        faults = self.faults
        if service in faults.hang:
            return "hang"
        if (
            service in faults.deny
            or (service, region) in faults.deny_in
            or any(r.matches(operation, body) for r in faults.deny_requests)
        ):
            return "deny"
        if region in faults.disabled_regions:
            return "region_disabled"
        if service in faults.throttle_always:
            return "throttle"
        draw = self._draw(method, path, body)
        if draw < faults.throttle:
            return "throttle"
        if draw < faults.throttle + faults.drop:
            return "drop"
        return "forward"

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            # S3 clients send "Expect: 100-continue", which only an HTTP/1.1 handler answers.
            protocol_version = "HTTP/1.1"

            def handle_any(self) -> None:
                at = time.monotonic()
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                region, service = credential_scope(self.headers.get("Authorization", ""))
                protocol = wire_protocol(self.headers, body, service)
                operation = operation_name(protocol, self.headers, body, self.command, self.path)
                fault = proxy.choose(region, service, operation, self.command, self.path, body)
                with proxy._lock:
                    proxy.seen.append(Seen(region, service, operation, fault, at))
                if fault == "hang":
                    proxy._released.wait(60)
                    return
                if fault == "drop":
                    self.close_connection = True
                    return
                if fault == "forward":
                    if any(r.matches(operation, body) for r in proxy.faults.slow_requests):
                        time.sleep(proxy.faults.slow_seconds)
                    status, forwarded, data = forward(
                        proxy.upstream, self.command, self.path, self.headers, body
                    )
                    headers = list(forwarded)
                else:
                    code, status = ERRORS[fault][protocol]
                    status, answer, data = error_response(protocol, code, MESSAGES[fault], status)
                    headers = list(answer.items())
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = handle_any

            def log_message(self, format: str, *args: Any) -> None:
                return

        return Handler

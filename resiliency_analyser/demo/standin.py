"""A local HTTP endpoint answering chosen AWS operations in the service's real wire protocol.

moto does not serve every API the checks need (Storage Gateway, Global Accelerator, DocumentDB
clusters), nor page every listing the way AWS does. This endpoint answers those from Python handlers, serialising each response from
botocore's own service model so the real SDK client, parser and paginators run against it.
Operations it does not serve can be forwarded to the moto server, so a stand-in adds what moto
lacks to a service moto otherwise answers.
"""

from __future__ import annotations

import http.client
import json
import re
import threading
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from email.message import Message
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, unquote, urlsplit
from xml.etree import ElementTree

import botocore.session
from botocore.exceptions import DataNotFoundError

from resiliency_analyser.aws.models import add_model_extras
from resiliency_analyser.errors import AnalyserError

XML_PROTOCOLS = frozenset({"query", "ec2"})
"""Protocols whose requests are form-encoded and whose responses are XML."""

Handler = Callable[[dict[str, Any], str], dict[str, Any]]
"""Takes the request's parameters and its signed region; returns the operation's output."""

Listing = Callable[[dict[str, Any], str], list[Any]]
"""Takes the request's parameters and its signed region; returns every record of a listing."""


@cache
def _botocore_session() -> botocore.session.Session:
    session = botocore.session.get_session()
    add_model_extras(session)  # serve the fields our clients parse
    return session


@dataclass(frozen=True)
class PageKeys:
    """The member names one listing operation pages with."""

    input_token: str
    output_token: str
    result_key: str
    limit_key: str | None


@cache
def page_keys(service: str, operation: str) -> PageKeys:
    """From botocore's paginator config; for listings without one (Direct Connect), the model.

    Such listings carry one string member in both input and output (the token), one list in
    the output (the records) and an integer in the input (the page size).
    """
    session = _botocore_session()
    try:
        config = session.get_paginator_model(service).get_paginator(operation)
    except (DataNotFoundError, ValueError):
        config = None
    if config is not None:
        return PageKeys(
            config["input_token"],
            config["output_token"],
            config["result_key"],
            config.get("limit_key"),
        )
    model = session.get_service_model(service).operation_model(operation)
    inputs, outputs = model.input_shape.members, model.output_shape.members
    [token] = [n for n, s in inputs.items() if s.type_name == "string" and n in outputs]
    [result] = [n for n, s in outputs.items() if s.type_name == "list"]
    limits = [n for n, s in inputs.items() if s.type_name == "integer"]
    return PageKeys(token, token, result, limits[0] if limits else None)


def paged(service: str, operation: str, listing: Listing, page_size: int) -> Handler:
    """A handler serving ``listing`` a page at a time, with the operation's own token names."""
    keys = page_keys(service, operation)

    def handle(params: dict[str, Any], region: str) -> dict[str, Any]:
        records = listing(params, region)
        start = int(params.get(keys.input_token) or 0)
        asked = params.get(keys.limit_key) if keys.limit_key else None
        end = start + min(page_size, int(asked or page_size))
        output: dict[str, Any] = {keys.result_key: records[start:end]}
        if end < len(records):
            output[keys.output_token] = str(end)
        return output

    return handle


_answering = threading.local()
"""The request a stand-in thread is answering: its signing access key, for ``calling_account``."""


def calling_account() -> str:
    """The account of the request a handler is answering, as the moto server of this process
    maps its access key: a role assumed into another account answers as that account, whose AZ
    names or regions a handler may give differently (moto gives every account the same)."""
    from moto.iam.models import get_account_id_from

    return str(get_account_id_from(getattr(_answering, "access_key", "")))


def answering_key() -> str:
    """The access key id of the request this thread answers; '' outside a stand-in's request
    (while seeding)."""
    return str(getattr(_answering, "access_key", ""))


def answering_account() -> str:
    """The account of the request this thread answers; '' outside a stand-in's request."""
    return calling_account() if answering_key() else ""


def access_key(authorization: str) -> str:
    """The access key id of a SigV4 ``Authorization`` header."""
    return authorization.partition("Credential=")[2].split("/")[0]


def credential_scope(authorization: str) -> tuple[str, str]:
    """(region, signing name) from a SigV4 ``Authorization`` header's credential scope."""
    scope = authorization.partition("Credential=")[2].split(",")[0].split("/")
    return (scope[2], scope[3]) if len(scope) > 3 else ("", "")


def signed_region(authorization: str) -> str:
    return credential_scope(authorization)[0]


def error_response(
    protocol: str,
    code: str,
    message: str,
    status: int,
    json_type: str = "application/x-amz-json-1.1",
) -> tuple[int, dict[str, str], bytes]:
    """An AWS error as ``protocol`` puts it on the wire, where botocore's parser looks for it."""
    if protocol in {"query", "ec2", "rest-xml"}:
        if protocol == "ec2":
            root = ElementTree.Element("Response")
            node = ElementTree.SubElement(ElementTree.SubElement(root, "Errors"), "Error")
            request_id = ElementTree.SubElement(root, "RequestID")
        else:
            root = ElementTree.Element("ErrorResponse" if protocol == "query" else "Error")
            node = ElementTree.SubElement(root, "Error") if protocol == "query" else root
            if protocol == "query":
                ElementTree.SubElement(node, "Type").text = "Sender"
            request_id = ElementTree.SubElement(root, "RequestId")
        ElementTree.SubElement(node, "Code").text = code
        ElementTree.SubElement(node, "Message").text = message
        request_id.text = str(uuid.uuid4())
        return status, {"Content-Type": "text/xml"}, ElementTree.tostring(root)
    if protocol == "rest-json":
        headers = {"Content-Type": "application/json", "x-amzn-ErrorType": code}
        return status, headers, json.dumps({"message": message}).encode()
    body = json.dumps({"__type": code, "message": message}).encode()
    return status, {"Content-Type": json_type}, body


THROTTLING: dict[str, tuple[str, int]] = {
    "query": ("Throttling", 400),
    "ec2": ("RequestLimitExceeded", 503),
    "json": ("ThrottlingException", 400),
    "rest-json": ("TooManyRequestsException", 429),
    "rest-xml": ("SlowDown", 503),
}
"""Each wire protocol's throttling answer, (code, HTTP status), as the services give it."""


def wire_protocol(headers: Any, body: bytes, service: str) -> str:
    """The protocol a request was sent in, told from the request itself."""
    if headers.get("X-Amz-Target"):
        return "json"
    if headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded"):
        return "ec2" if service == "ec2" else "query"
    return "rest-xml" if service == "s3" else "rest-json"


HOP_BY_HOP = frozenset({"connection", "content-length", "transfer-encoding", "keep-alive", "host"})

Reply = tuple[int, Iterable[tuple[str, str]], bytes]
"""Status, headers and body of an HTTP answer."""


def forward(
    upstream: str, method: str, path: str, headers: Message[str, str], body: bytes
) -> Reply:
    """Sends a request on to ``upstream`` (the moto server) and returns its answer."""
    target = urlsplit(upstream)
    connection = http.client.HTTPConnection(target.hostname or "", target.port, timeout=30)
    try:
        kept = {k: v for k, v in headers.items() if k.lower() not in HOP_BY_HOP}
        kept["Host"] = target.netloc
        connection.request(method, path, body=body or None, headers=kept)
        response = connection.getresponse()
        data = response.read()
        answer = [(k, v) for k, v in response.getheaders() if k.lower() not in HOP_BY_HOP]
        return response.status, answer, data
    finally:
        connection.close()


class _Server(ThreadingHTTPServer):
    # A scan opens dozens of connections at once; the default backlog of 5 refuses some, and the
    # client's retries then show up as duplicate calls.
    request_queue_size = 256
    # A request still being answered must not hold up the end of a ``with`` block.
    daemon_threads = True


class StandinError(AnalyserError):
    """Raise from a handler to answer with an AWS error; the stand-in always catches it."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def _scalar(shape: Any, value: Any) -> str:
    if shape.type_name == "boolean":
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _xml(shape: Any, value: Any, name: str) -> ElementTree.Element:
    element = ElementTree.Element(name)
    if shape.type_name == "structure":
        for member_name, member in shape.members.items():
            if member_name in value:
                tag = member.serialization.get("name", member_name)
                element.append(_xml(member, value[member_name], tag))
    elif shape.type_name == "list":
        tag = shape.member.serialization.get("name", "member")
        for item in value:
            element.append(_xml(shape.member, item, tag))
    else:
        element.text = _scalar(shape, value)
    return element


def _wire_json(shape: Any, value: Any) -> Any:
    """A rest-json body: members under their wire names (``locationName``, often camelCase)."""
    if shape.type_name == "structure":
        return {
            member.serialization.get("name", name): _wire_json(member, value[name])
            for name, member in shape.members.items()
            if name in value
        }
    if shape.type_name == "list":
        return [_wire_json(shape.member, item) for item in value]
    if shape.type_name == "map":
        return {key: _wire_json(shape.value, item) for key, item in value.items()}
    return value


def _uri_labels(template: str, path: str) -> dict[str, str] | None:
    """The labels of a rest ``requestUri`` path that ``path`` matches (``{Key+}`` spans
    slashes, ``{broker-id}`` does not), or None when it does not match."""
    parts = re.split(r"\{([^}]+)\}", template)
    names = [label.rstrip("+") for label in parts[1::2]]
    pattern = "".join(
        re.escape(part) if i % 2 == 0 else ("(.+)" if part.endswith("+") else "([^/]+)")
        for i, part in enumerate(parts)
    )
    match = re.fullmatch(pattern, path)
    return None if match is None else dict(zip(names, map(unquote, match.groups()), strict=True))


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.timestamp()
    raise TypeError(type(value).__name__)


class LocalEndpoint:
    """An HTTP server on 127.0.0.1 (port 0 picks a free one), serving while in a ``with``."""

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self._server = _Server(("127.0.0.1", 0), handler)
        # A short poll, so leaving the ``with`` (the end of a demo) does not wait half a second
        # for each endpoint.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


class ServiceStandin(LocalEndpoint):
    """Serves one AWS service's chosen operations; with an ``upstream`` (the moto server), every
    other operation of the service is forwarded there."""

    def __init__(
        self, service: str, handlers: Mapping[str, Handler], upstream: str | None = None
    ) -> None:
        self.model = _botocore_session().get_service_model(service)
        self.protocol = self.model.protocol
        self.handlers = dict(handlers)
        self.upstream = upstream or ""
        self.requests: list[tuple[str, str, dict[str, Any]]] = []
        super().__init__(self._handler_class())

    @property
    def endpoint_variable(self) -> str:
        """The environment variable that points only this service's clients somewhere else."""
        return f"AWS_ENDPOINT_URL_{self.model.service_id.hyphenize().replace('-', '_').upper()}"

    def respond(self, body: bytes, target: str | None, region: str) -> Reply | None:
        """The answer to a JSON or query request, or None when it is for ``upstream``."""
        if self.protocol in XML_PROTOCOLS:
            form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
            operation, params = form.pop("Action", ""), form
        else:
            operation = (target or "").rpartition(".")[2]
            params = json.loads(body or b"{}")
        handler = self.handlers.get(operation)
        if handler is None and self.upstream:
            return None
        self.requests.append((region, operation, params))
        try:
            if handler is None:
                raise StandinError("InvalidAction", f"{operation} is not served here")
            result = handler(params, region)
        except StandinError as error:
            return self._error(error)
        content_type, encoded = self._encode(operation, result)
        return 200, {"Content-Type": content_type}.items(), encoded

    def respond_rest(
        self, method: str, path: str, headers: Message[str, str], body: bytes
    ) -> Reply | None:
        """Serves a served operation of a rest protocol (S3 PutObject path-style, rest-json
        listings), or None when it is for ``upstream``."""
        region = signed_region(headers.get("Authorization", ""))
        try:
            operation, params = self._rest_request(method, path, headers, body)
        except StandinError as error:
            return None if self.upstream else self._error(error)
        self.requests.append((region, operation, params))
        try:
            result = self.handlers[operation](params, region)
        except StandinError as error:
            return self._error(error)
        output = self.model.operation_model(operation).output_shape
        json_body = self.protocol == "rest-json"
        reply_headers = {"Content-Type": "application/json" if json_body else "application/xml"}
        body_members = {}
        for name, value in result.items():
            member = output.members[name]
            if member.serialization.get("location") == "header":
                reply_headers[member.serialization["name"]] = _scalar(member, value)
            else:
                body_members[name] = value
        if json_body:
            reply = json.dumps(_wire_json(output, body_members), default=_json_default).encode()
        elif body_members:
            reply = ElementTree.tostring(_xml(output, body_members, output.name))
        else:
            reply = b""
        return 200, reply_headers.items(), reply

    def _error(self, error: StandinError) -> Reply:
        status, headers, body = error_response(
            self.protocol, error.code, error.message, error.status, self._json_type
        )
        return status, headers.items(), body

    def _rest_request(
        self, method: str, path: str, headers: Message[str, str], body: bytes
    ) -> tuple[str, dict[str, Any]]:
        """The served operation whose method, path and required query keys the request has."""
        url = urlsplit(path)
        query = parse_qs(url.query, keep_blank_values=True)
        for operation in self.handlers:
            model = self.model.operation_model(operation)
            uri_path, _, uri_query = model.http["requestUri"].partition("?")
            required = {k.partition("=")[0] for k in uri_query.split("&") if k} - {"x-id"}
            labels = _uri_labels(uri_path, url.path)
            if model.http["method"] != method or labels is None or not required <= set(query):
                continue
            params: dict[str, Any] = {}
            shape = model.input_shape
            for name, member in shape.members.items():
                location = member.serialization.get("location")
                wire = member.serialization.get("name", name)
                if location == "uri" and wire in labels:
                    params[name] = labels[wire]
                elif location == "header" and wire in headers:
                    params[name] = headers[wire]
                elif location == "querystring" and wire in query:
                    params[name] = query[wire][0]
            payload = shape.serialization.get("payload")
            if payload and shape.members[payload].type_name == "blob":
                params[payload] = body
            elif self.protocol == "rest-json" and body:
                params.update(json.loads(body))
            return operation, params
        raise StandinError("MethodNotAllowed", f"{method} {url.path} is not served here", 405)

    def _encode(self, operation: str, result: dict[str, Any]) -> tuple[str, bytes]:
        if self.protocol not in XML_PROTOCOLS:
            return self._json_type, json.dumps(result, default=_json_default).encode()
        output = self.model.operation_model(operation).output_shape
        if self.protocol == "ec2":
            # EC2 puts the output's members straight under the response element.
            root = _xml(output, result, f"{operation}Response")
            ElementTree.SubElement(root, "requestId").text = str(uuid.uuid4())
            return "text/xml", ElementTree.tostring(root)
        root = ElementTree.Element(f"{operation}Response")
        wrapper = output.serialization.get("resultWrapper", f"{operation}Result")
        root.append(_xml(output, result, wrapper))
        metadata = ElementTree.SubElement(root, "ResponseMetadata")
        ElementTree.SubElement(metadata, "RequestId").text = str(uuid.uuid4())
        return "text/xml", ElementTree.tostring(root)

    @property
    def _json_type(self) -> str:
        return f"application/x-amz-json-{self.model.metadata.get('jsonVersion', '1.1')}"

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        standin = self

        class RequestHandler(BaseHTTPRequestHandler):
            # S3 clients send "Expect: 100-continue", which only an HTTP/1.1 handler answers.
            protocol_version = "HTTP/1.1" if standin.protocol.startswith("rest") else "HTTP/1.0"

            def answer(self, reply: Reply) -> None:
                status, headers, body = reply
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def read_body(self) -> bytes:
                _answering.access_key = access_key(self.headers.get("Authorization", ""))
                return self.rfile.read(int(self.headers.get("Content-Length", 0)))

            def do_rest(self) -> None:
                body = self.read_body()
                reply = standin.respond_rest(self.command, self.path, self.headers, body)
                self.answer(reply or self.forwarded(body))

            do_GET = do_PUT = do_rest

            def do_POST(self) -> None:
                body = self.read_body()
                if standin.protocol.startswith("rest"):
                    reply = standin.respond_rest(self.command, self.path, self.headers, body)
                else:
                    reply = standin.respond(
                        body,
                        self.headers.get("X-Amz-Target"),
                        signed_region(self.headers.get("Authorization", "")),
                    )
                self.answer(reply or self.forwarded(body))

            def forwarded(self, body: bytes) -> Reply:
                return forward(standin.upstream, self.command, self.path, self.headers, body)

            def log_message(self, format: str, *args: Any) -> None:
                return

        return RequestHandler

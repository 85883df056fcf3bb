"""A local HTTP endpoint answering chosen AWS operations in the service's real wire protocol.

moto does not serve every API the checks need (Storage Gateway, Global Accelerator, DocumentDB
clusters), nor page every listing the way AWS does. This endpoint answers those from Python handlers, serialising each response from
botocore's own service model so the real SDK client, parser and paginators run against it.
"""

from __future__ import annotations

import json
import re
import threading
import uuid
from collections.abc import Callable, Mapping
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

XML_PROTOCOLS = frozenset({"query", "ec2"})
"""Protocols whose requests are form-encoded and whose responses are XML."""

Handler = Callable[[dict[str, Any], str], dict[str, Any]]
"""Takes the request's parameters and its signed region; returns the operation's output."""

Listing = Callable[[dict[str, Any], str], list[dict[str, Any]]]
"""Takes the request's parameters and its signed region; returns every record of a listing."""


@cache
def _botocore_session() -> botocore.session.Session:
    return botocore.session.get_session()


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


class _Server(ThreadingHTTPServer):
    # A scan opens dozens of connections at once; the default backlog of 5 refuses some, and the
    # client's retries then show up as duplicate calls.
    request_queue_size = 256
    # A request still being answered must not hold up the end of a ``with`` block.
    daemon_threads = True


class StandinError(Exception):
    """Raise from a handler to answer with an AWS error."""

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


def _uri_pattern(template: str) -> re.Pattern[str]:
    """A rest ``requestUri`` path as a regex: ``{Key+}`` spans slashes, ``{Bucket}`` does not."""
    pattern = re.escape(template)
    pattern = re.sub(r"\\\{(\w+)\\\+\\\}", r"(?P<\1>.+)", pattern)
    return re.compile(re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", pattern))


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
    """Serves one AWS service's chosen operations."""

    def __init__(self, service: str, handlers: Mapping[str, Handler]) -> None:
        self.model = _botocore_session().get_service_model(service)
        self.protocol = self.model.protocol
        self.handlers = dict(handlers)
        self.requests: list[tuple[str, str, dict[str, Any]]] = []
        super().__init__(self._handler_class())

    @property
    def endpoint_variable(self) -> str:
        """The environment variable that points only this service's clients somewhere else."""
        return f"AWS_ENDPOINT_URL_{self.model.service_id.hyphenize().replace('-', '_').upper()}"

    def respond(
        self, body: bytes, target: str | None, region: str
    ) -> tuple[int, dict[str, str], bytes]:
        if self.protocol in XML_PROTOCOLS:
            form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
            operation, params = form.pop("Action", ""), form
        else:
            operation = (target or "").rpartition(".")[2]
            params = json.loads(body or b"{}")
        self.requests.append((region, operation, params))
        handler = self.handlers.get(operation)
        try:
            if handler is None:
                raise StandinError("InvalidAction", f"{operation} is not served here")
            result = handler(params, region)
        except StandinError as error:
            return error_response(
                self.protocol, error.code, error.message, error.status, self._json_type
            )
        content_type, encoded = self._encode(operation, result)
        return 200, {"Content-Type": content_type}, encoded

    def respond_rest(
        self, method: str, path: str, headers: Message[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        """Serves a served operation of a rest protocol (e.g. S3 PutObject, path-style)."""
        region = signed_region(headers.get("Authorization", ""))
        try:
            operation, params = self._rest_request(method, path, headers, body)
            self.requests.append((region, operation, params))
            result = self.handlers[operation](params, region)
        except StandinError as error:
            return error_response(self.protocol, error.code, error.message, error.status)
        output = self.model.operation_model(operation).output_shape
        reply_headers = {"Content-Type": "application/xml"}
        body_members = {}
        for name, value in result.items():
            member = output.members[name]
            if member.serialization.get("location") == "header":
                reply_headers[member.serialization["name"]] = _scalar(member, value)
            else:
                body_members[name] = value
        reply = (
            ElementTree.tostring(_xml(output, body_members, output.name)) if body_members else b""
        )
        return 200, reply_headers, reply

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
            match = _uri_pattern(uri_path).fullmatch(url.path)
            if model.http["method"] != method or match is None or not required <= set(query):
                continue
            labels = {k: unquote(v) for k, v in match.groupdict().items()}
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

            def do_PUT(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                status, headers, body = standin.respond_rest(
                    self.command, self.path, self.headers, self.rfile.read(length)
                )
                self.send_response(status)
                for name, value in {**headers, "Content-Length": str(len(body))}.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                status, headers, body = standin.respond(
                    self.rfile.read(length),
                    self.headers.get("X-Amz-Target"),
                    signed_region(self.headers.get("Authorization", "")),
                )
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                return

        return RequestHandler

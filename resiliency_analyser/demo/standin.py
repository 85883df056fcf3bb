"""A local HTTP endpoint answering chosen AWS operations in the service's real wire protocol.

moto does not serve every API the checks need (Storage Gateway, Global Accelerator, DocumentDB
clusters). This endpoint answers those from Python handlers, serialising each response from
botocore's own service model so the real SDK client, parser and paginators run against it.
"""

from __future__ import annotations

import json
import re
import threading
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit
from xml.etree import ElementTree

import botocore.session

Handler = Callable[[dict[str, Any], str], dict[str, Any]]
"""Takes the request's parameters and its signed region; returns the operation's output."""


def signed_region(authorization: str) -> str:
    """The region from a SigV4 ``Authorization`` header's credential scope."""
    scope = authorization.partition("Credential=")[2].split(",")[0].split("/")
    return scope[2] if len(scope) > 2 else ""


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


class ServiceStandin:
    """Serves one AWS service's chosen operations on 127.0.0.1 (port 0 picks a free one)."""

    def __init__(self, service: str, handlers: Mapping[str, Handler]) -> None:
        self.model = botocore.session.get_session().get_service_model(service)
        self.protocol = self.model.protocol
        self.handlers = dict(handlers)
        self.requests: list[tuple[str, str, dict[str, Any]]] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> ServiceStandin:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def respond(self, body: bytes, target: str | None, region: str) -> tuple[int, str, bytes]:
        if self.protocol == "query":
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
            return self._error(error)
        return 200, *self._encode(operation, result)

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
            root = ElementTree.Element("Error")
            ElementTree.SubElement(root, "Code").text = error.code
            ElementTree.SubElement(root, "Message").text = error.message
            return error.status, {"Content-Type": "application/xml"}, ElementTree.tostring(root)
        output = self.model.operation_model(operation).output_shape
        members = output.members if output is not None else {}
        reply_headers = {"Content-Type": "application/xml"}
        body_members = {}
        for name, value in result.items():
            member = members[name]
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
        if self.protocol != "query":
            return "application/x-amz-json-1.1", json.dumps(result, default=_json_default).encode()
        output = self.model.operation_model(operation).output_shape
        root = ElementTree.Element(f"{operation}Response")
        wrapper = output.serialization.get("resultWrapper", f"{operation}Result")
        root.append(_xml(output, result, wrapper))
        metadata = ElementTree.SubElement(root, "ResponseMetadata")
        ElementTree.SubElement(metadata, "RequestId").text = str(uuid.uuid4())
        return "text/xml", ElementTree.tostring(root)

    def _error(self, error: StandinError) -> tuple[int, str, bytes]:
        if self.protocol == "query":
            root = ElementTree.Element("ErrorResponse")
            node = ElementTree.SubElement(root, "Error")
            ElementTree.SubElement(node, "Type").text = "Sender"
            ElementTree.SubElement(node, "Code").text = error.code
            ElementTree.SubElement(node, "Message").text = error.message
            return error.status, "text/xml", ElementTree.tostring(root)
        body = json.dumps({"__type": error.code, "message": error.message}).encode()
        return error.status, "application/x-amz-json-1.1", body

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        standin = self

        class RequestHandler(BaseHTTPRequestHandler):
            # HTTP/1.1 so that S3 clients' "Expect: 100-continue" is answered.
            protocol_version = "HTTP/1.1"

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
                status, content_type, body = standin.respond(
                    self.rfile.read(length),
                    self.headers.get("X-Amz-Target"),
                    signed_region(self.headers.get("Authorization", "")),
                )
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                return

        return RequestHandler

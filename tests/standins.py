"""Stand-in handlers for tests: listings served in pages, the way AWS pages them."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import botocore.session
import pytest

from resiliency_analyser.demo.standin import Handler, ServiceStandin


def paged(service: str, operation: str, records: Sequence[Any], size: int) -> Handler:
    """Serves ``records`` ``size`` at a time, with the tokens botocore's paginator expects."""
    config = botocore.session.get_session().get_paginator_model(service).get_paginator(operation)
    input_token: str = config["input_token"]
    output_token: str = config["output_token"]
    result_key: str = config["result_key"]

    def handler(params: dict[str, Any], region: str) -> dict[str, Any]:
        start = int(params.get(input_token) or 0)
        page: dict[str, Any] = {result_key: list(records[start : start + size])}
        if start + size < len(records):
            page[output_token] = str(start + size)
        return page

    return handler


@contextmanager
def standin(
    monkeypatch: pytest.MonkeyPatch, service: str, handlers: Mapping[str, Handler]
) -> Iterator[ServiceStandin]:
    """Serves ``service`` from ``handlers``; every other service stays on the moto server."""
    with ServiceStandin(service, handlers) as server:
        service_id = server.model.service_id.hyphenize().replace("-", "_").upper()
        monkeypatch.setenv(f"AWS_ENDPOINT_URL_{service_id}", server.url)
        yield server

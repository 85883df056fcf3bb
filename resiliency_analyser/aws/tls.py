"""One TLS context for every client of the run.

aiobotocore builds a fresh SSL context and loads the whole CA bundle for each client it creates;
a full scan creates hundreds of clients, and that loading was half the scan's CPU and most of its
memory. Clients here share one context per CA bundle instead.
"""

from __future__ import annotations

import ssl
from functools import cache
from typing import Any

import aiohttp
from aiobotocore.httpsession import AIOHTTPSession
from botocore.httpsession import create_urllib3_context, get_cert_path


@cache
def verified_context(ca_bundle: str | None) -> ssl.SSLContext:
    context: ssl.SSLContext = create_urllib3_context()
    if ca_bundle:
        context.load_verify_locations(ca_bundle)
    return context


class SharedTlsHttpSession(AIOHTTPSession):  # type: ignore[misc]
    def _create_connector(self, proxy_url: str | None) -> Any:
        if proxy_url or self._cert_file or not self._verify:
            return super()._create_connector(proxy_url)
        return aiohttp.TCPConnector(
            limit=self._max_pool_connections,
            ssl=verified_context(get_cert_path(self._verify)),
            **self._connector_args,
        )

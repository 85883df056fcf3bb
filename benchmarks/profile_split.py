"""Splits py-spy's sampled stacks of the scan into where its CPU goes."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

CLIENT_CREATION = ("create_client", "_create_client")
SDK = ("botocore/", "aiobotocore/", "aiohttp/", "aioboto3/", "boto3/", "multidict/", "yarl/")
OURS = ("resiliency_analyser/", "pydantic", "csv", "rich/", "typer/")


def classify(stack: str) -> str:
    frames = stack.split(";")
    if any(f.split(" ")[0].rsplit(".", 1)[-1] in CLIENT_CREATION for f in frames):
        return "sdk_client_creation"
    if any("_find_and_load" in f for f in frames):
        return "imports"
    for frame in reversed(frames):
        if any(marker in frame for marker in SDK):
            return "sdk_requests_signing_parsing"
        if any(marker in frame for marker in OURS):
            return "our_code"
        if "asyncio/" in frame or "selectors" in frame or "ssl" in frame:
            return "event_loop_and_sockets"
    return "other"


def split_profile(path: Path) -> dict[str, float]:
    """Share of samples per category (py-spy's raw format: 'frame;frame;... count' per line)."""
    counts: Counter[str] = Counter()
    for line in path.read_text().splitlines():
        stack, _, number = line.rpartition(" ")
        if stack and number.isdigit():
            counts[classify(stack)] += int(number)
    total = sum(counts.values()) or 1
    return {name: round(100 * n / total, 1) for name, n in counts.most_common()}

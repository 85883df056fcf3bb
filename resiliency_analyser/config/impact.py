"""The ``impact`` command's values: the runs' files read and checked, the zone and format chosen."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from resiliency_analyser.aws.names import AZ_ID
from resiliency_analyser.config import values
from resiliency_analyser.config.runs import load_run_files
from resiliency_analyser.errors import UsageError
from resiliency_analyser.output.impact_text import ImpactFormat
from resiliency_analyser.output.run_text import Document


@dataclass(frozen=True)
class ImpactRequest:
    documents: list[Document]
    zone_id: str | None
    """Only this AZ ID's view; every AZ ID's when None."""
    format: ImpactFormat
    output: Path | None
    """The file to write; stdout when None."""


def impact_request(
    files: Sequence[Path], zone_id: str | None, fmt: str, output: Path | None
) -> ImpactRequest:
    if zone_id is not None and not AZ_ID.fullmatch(zone_id.strip()):
        raise UsageError(
            f"--az: not an AZ ID: {zone_id!r} (an ID such as use1-az4; AZ names such as "
            "us-east-1a name different zones in different accounts)"
        )
    chosen = values.choice(ImpactFormat, fmt, "--format", "format")
    return ImpactRequest(
        documents=load_run_files(files),
        zone_id=zone_id.strip() if zone_id else None,
        format=chosen,
        output=values.output_file(output),
    )

"""A small seeded moto account for the CI-gate tests, and readers for the files a scan writes."""

from __future__ import annotations

import json
from typing import Any

from tests.support.cli import CliRun
from tests.support.moto import Boto
from tests.support.seeding import create_db_instance

REGIONS = "us-east-1,eu-west-1"
SERVICES = "rds,opensearch"
SCAN = ("scan", "-r", REGIONS, "-s", SERVICES)
RISKS = {"dev-db", "orders-db", "eu-single", "logs-one"}


def seed(boto: Boto) -> None:
    """Risks: dev-db, orders-db (us-east-1), eu-single (RDS) and logs-one (OpenSearch, eu-west-1)."""
    create_db_instance(boto, "us-east-1", "orders-db", multi_az=False, env="prod", team="shop")
    create_db_instance(boto, "us-east-1", "dev-db", multi_az=False, env="dev", team="shop")
    create_db_instance(boto, "us-east-1", "prod-db", multi_az=True, env="prod")
    create_db_instance(boto, "eu-west-1", "eu-single", multi_az=False)
    opensearch = boto("opensearch", "eu-west-1")
    opensearch.create_domain(DomainName="logs-one", ClusterConfig={"InstanceCount": 1})
    opensearch.create_domain(
        DomainName="logs-ha",
        ClusterConfig={
            "InstanceCount": 3,
            "ZoneAwarenessEnabled": True,
            "ZoneAwarenessConfig": {"AvailabilityZoneCount": 3},
        },
    )


def jsonl(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


def written(run: CliRun, suffix: str) -> str:
    [path] = [p for p in run.output.iterdir() if p.name.endswith(suffix)]
    return path.read_text(encoding="utf-8")


def by_name(findings: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {f["resource_name"]: f for f in findings}

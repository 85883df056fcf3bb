"""OpenSearch: the rules on API-shaped DescribeDomains and BatchGetCollection records, and
collection of domains (moto) and serverless collections (a stand-in) through the CLI."""

from __future__ import annotations

from typing import Any

import pytest

from resiliency_analyser.checks import opensearch
from resiliency_analyser.demo.standin import paged
from tests.support.cli import RunCli
from tests.support.moto import Boto
from tests.support.standins import StartStandin, deny

ZONES = {
    "subnet-a1": "us-east-1a",
    "subnet-a2": "us-east-1a",
    "subnet-b1": "us-east-1b",
    "subnet-c1": "us-east-1c",
}


def domain(
    name: str, nodes: int, zones: int = 0, masters: int = 0, **fields: Any
) -> dict[str, Any]:
    """A domain with ``nodes`` data nodes, zone aware over ``zones`` AZs (0: not zone aware)
    and ``masters`` dedicated masters (0: none)."""
    config: dict[str, Any] = {"InstanceCount": nodes, "ZoneAwarenessEnabled": bool(zones)}
    if zones:
        config["ZoneAwarenessConfig"] = {"AvailabilityZoneCount": zones}
    if masters:
        config |= {"DedicatedMasterEnabled": True, "DedicatedMasterCount": masters}
    config |= fields.pop("config", {})
    return {
        "DomainName": name,
        "DomainId": f"111122223333/{name}",
        "ARN": f"arn:aws:es:us-east-1:111122223333:domain/{name}",
        "EngineVersion": "OpenSearch_2.11",
        "ClusterConfig": config,
        **fields,
    }


THREE_SUBNETS = {"SubnetIds": ["subnet-a1", "subnet-b1", "subnet-c1"]}


@pytest.mark.parametrize(
    ("record", "check_id", "risk", "message"),
    [
        (
            domain("public-single", 1),
            "opensearch.domain_multi_az",
            True,
            "Single-AZ domain: 1 data node; zone awareness disabled (public endpoint)",
        ),
        (
            domain("unaware", 3),
            "opensearch.domain_multi_az",
            True,
            "Single-AZ domain: zone awareness disabled (public endpoint)",
        ),
        (
            domain("three-az", 3, 3),
            "opensearch.domain_multi_az",
            False,
            "Multi-AZ domain: 3 data nodes, zone awareness across 3 AZs, no dedicated masters "
            "(public endpoint)",
        ),
        (
            domain("three-az-masters", 6, 3, 3, VPCOptions=THREE_SUBNETS),
            "opensearch.domain_multi_az",
            False,
            "Multi-AZ domain: 6 data nodes, zone awareness across 3 AZs, 3 dedicated masters "
            "(VPC AZs: us-east-1a, us-east-1b, us-east-1c)",
        ),
        (
            domain("three-az-two-nodes", 2, 3),
            "opensearch.domain_multi_az",
            True,
            "Single-AZ domain: 2 data nodes for 3 AZs (public endpoint)",
        ),
        (
            domain("two-masters", 3, 3, 2),
            "opensearch.domain_multi_az",
            True,
            "Single-AZ domain: 2 dedicated master node(s): the master quorum dies with one "
            "(public endpoint)",
        ),
        (
            domain("two-az", 4, 2),
            "opensearch.domain_two_az",
            True,
            "Two-AZ domain: 4 data nodes, zone awareness over 2 AZs without dedicated master "
            "nodes: AWS documents downtime when one of the two AZs fails (public endpoint)",
        ),
        (
            domain("two-az-masters", 4, 2, 3),
            "opensearch.domain_two_az",
            True,
            "Two-AZ domain: 4 data nodes, zone awareness over 2 AZs with 3 dedicated master "
            "nodes split between them: losing the AZ holding the majority stops the cluster "
            "(a 50/50 chance) (public endpoint)",
        ),
        (
            domain("standby", 3, 3, 3, config={"MultiAZWithStandbyEnabled": True}),
            "opensearch.domain_multi_az",
            False,
            "Multi-AZ with Standby: 3 data nodes, 3 dedicated masters (public endpoint)",
        ),
        (
            domain("vpc-one-az", 3, 3, VPCOptions={"SubnetIds": ["subnet-a1", "subnet-a2"]}),
            "opensearch.domain_multi_az",
            True,
            "Single-AZ domain: VPC subnets in 1 AZ(s) (us-east-1a), fewer than 3 "
            "(VPC AZs: us-east-1a)",
        ),
        (
            domain(
                "vpc-api-zones",
                3,
                3,
                VPCOptions={"SubnetIds": ["subnet-x"], "AvailabilityZones": ["us-east-1c"]},
            ),
            "opensearch.domain_multi_az",
            True,
            "Single-AZ domain: VPC subnets in 1 AZ(s) (us-east-1c), fewer than 3 "
            "(VPC AZs: us-east-1c)",
        ),
        (
            domain("zero-nodes", 0, 3),
            "opensearch.domain_multi_az",
            True,
            "Single-AZ domain: 0 data node (public endpoint)",
        ),
    ],
    ids=lambda v: v["DomainName"] if isinstance(v, dict) else None,
)
def test_opensearch_domains(
    record: dict[str, Any], check_id: str, risk: bool, message: str
) -> None:
    [result] = opensearch.assess([record], ZONES)
    assert (result.check_id, result.risk, result.message) == (check_id, risk, message)
    assert result.engine == record["EngineVersion"]


def test_opensearch_deleted_domains_give_no_finding() -> None:
    gone = [domain("gone", 1, Deleted=True), domain("going", 1, DomainProcessingStatus="Deleting")]
    assert opensearch.assess(gone, ZONES) == []


def test_opensearch_looks_up_subnets_only_when_the_api_lacks_zones() -> None:
    with_zones = domain("a", 2, 2, VPCOptions={"SubnetIds": ["s"], "AvailabilityZones": ["z"]})
    without = domain("b", 2, 2, VPCOptions={"SubnetIds": ["s"]})
    assert not opensearch.needs_subnet_lookup([with_zones, domain("c", 1)])
    assert opensearch.needs_subnet_lookup([with_zones, without])


def collection(name: str, standby: str, status: str = "ACTIVE") -> dict[str, Any]:
    return {
        "id": f"id{name}",
        "name": name,
        "arn": f"arn:aws:aoss:us-east-1:111122223333:collection/id{name}",
        "status": status,
        "type": "SEARCH",
        "standbyReplicas": standby,
    }


@pytest.mark.parametrize(
    ("record", "risk", "message"),
    [
        (
            collection("logs", "DISABLED"),
            True,
            "Serverless collection with standby replicas DISABLED: it runs in one AZ",
        ),
        (
            collection("search", "ENABLED"),
            False,
            "Serverless collection with standby replicas in another AZ",
        ),
    ],
)
def test_opensearch_serverless_collections(
    record: dict[str, Any], risk: bool, message: str
) -> None:
    [result] = opensearch.assess_collections([record])
    assert (result.check_id, result.risk, result.message) == (
        "opensearch.collection_standby",
        risk,
        message,
    )
    assert (result.resource_arn, result.resource_id, result.engine) == (
        record["arn"],
        record["id"],
        "SEARCH",
    )


@pytest.mark.parametrize("status", ["DELETING", "FAILED"])
def test_opensearch_collections_being_deleted_or_failed_give_no_finding(status: str) -> None:
    assert opensearch.assess_collections([collection("x", "DISABLED", status)]) == []


COLLECTIONS = [collection(f"c{i}", "ENABLED" if i % 2 else "DISABLED") for i in range(5)]


def test_opensearch_collection_reads_domains_and_every_page_of_collections(
    boto: Boto, run_cli: RunCli, standin: StartStandin
) -> None:
    boto("opensearch").create_domain(DomainName="single", ClusterConfig={"InstanceCount": 1})

    def batch_get(params: dict[str, Any], region: str) -> dict[str, Any]:
        return {"collectionDetails": [c for c in COLLECTIONS if c["id"] in params["ids"]]}

    server = standin(
        "opensearchserverless",
        {
            "ListCollections": paged(
                "opensearchserverless",
                "ListCollections",
                lambda p, r: [
                    {k: c[k] for k in ("id", "name", "arn", "status")} for c in COLLECTIONS
                ],
                2,
            ),
            "BatchGetCollection": batch_get,
        },
    )
    run = run_cli("scan", "-r", "us-east-1", "-s", "opensearch")
    assert run.code == 0, run.stderr
    got = {f["resource_name"]: f["potential_single_az_risk"] for f in run.findings}
    assert got == {
        "single": "True",
        "c0": "True",
        "c1": "False",
        "c2": "True",
        "c3": "False",
        "c4": "True",
    }
    calls = [(op, p.get("nextToken"), p.get("ids")) for _, op, p in server.requests]
    assert calls == [
        ("ListCollections", None, None),
        ("ListCollections", "2", None),
        ("ListCollections", "4", None),
        ("BatchGetCollection", None, [c["id"] for c in COLLECTIONS]),
    ]


def test_opensearch_skips_collections_where_the_region_has_no_serverless(
    boto: Boto, run_cli: RunCli, standin: StartStandin
) -> None:
    """af-south-1 offers OpenSearch but not OpenSearch Serverless: domains are still judged."""
    boto("opensearch", "af-south-1").create_domain(
        DomainName="single", ClusterConfig={"InstanceCount": 1}
    )
    server = standin("opensearchserverless", {"ListCollections": deny})
    run = run_cli("scan", "-r", "af-south-1", "-s", "opensearch")
    assert run.code == 0, run.stderr
    assert run.verdicts == {"single": True}
    assert server.requests == []

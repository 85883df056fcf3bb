"""How bad each kind of risk is and the one thing to do about it, keyed by the finding's check id.

Every ``check_id`` a check can emit must have an entry: tests/test_guidance.py finds the ids in
each check module and in a full demo scan and fails for any without one.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    NONE = "none"
    """For findings that are not risks."""


@dataclass(frozen=True)
class Guidance:
    severity: Severity
    remediation: str


GUIDANCE: dict[str, Guidance] = {
    "rds.instance_multi_az": Guidance(
        Severity.HIGH,
        "Convert the instance to a Multi-AZ deployment (modify-db-instance --multi-az); "
        "RDS adds a standby in another AZ with a brief I/O pause.",
    ),
    "rds.cluster_multi_az": Guidance(
        Severity.HIGH,
        "Add a reader instance in another AZ (Aurora) or use a Multi-AZ DB cluster, so a "
        "failover target exists outside the writer's AZ.",
    ),
    "docdb.cluster_multi_az": Guidance(
        Severity.HIGH,
        "Add a replica instance in another AZ (create-db-instance --db-cluster-identifier "
        "CLUSTER --availability-zone OTHER_AZ).",
    ),
    "lambda.vpc_multi_az": Guidance(
        Severity.MEDIUM,
        "Give the function subnets in at least two AZs "
        "(update-function-configuration --vpc-config SubnetIds=...).",
    ),
    "opensearch.domain_multi_az": Guidance(
        Severity.HIGH,
        "Enable zone awareness across 2 or 3 AZs with data nodes in each (VPC domains: one "
        "subnet per AZ).",
    ),
    "vpce.interface_multi_az": Guidance(
        Severity.MEDIUM,
        "Add subnets in at least two AZs to the endpoint (modify-vpc-endpoint --add-subnet-ids).",
    ),
    "dms.instance_multi_az": Guidance(
        Severity.MEDIUM,
        "Make the replication instance Multi-AZ (modify-replication-instance --multi-az) so a "
        "standby in another AZ takes over.",
    ),
    "dms.task_instance_multi_az": Guidance(
        Severity.MEDIUM,
        "Run the task on a Multi-AZ replication instance: make its instance Multi-AZ or move the "
        "task to one.",
    ),
    "efs.file_system_multi_az": Guidance(
        Severity.HIGH,
        "Use Regional (Standard) storage, replicating a One Zone file system to a new one, with "
        "a mount target in every AZ your clients use.",
    ),
    "fsx.file_system_multi_az": Guidance(
        Severity.HIGH,
        "Move the data to a MULTI_AZ_* deployment (the type cannot change in place; Lustre is "
        "single-AZ by design, so keep its data in S3).",
    ),
    "elasticache.cluster_multi_az": Guidance(
        Severity.MEDIUM,
        "Use a Redis or Valkey replication group with a replica in another AZ and automatic "
        "failover (Memcached cannot replicate).",
    ),
    "elasticache.replication_group_multi_az": Guidance(
        Severity.MEDIUM,
        "Give every shard a replica in another AZ and turn on automatic failover and Multi-AZ.",
    ),
    "memorydb.cluster_multi_az": Guidance(
        Severity.HIGH,
        "Give every shard at least one replica (update-cluster --replica-configuration) so its "
        "nodes span two or more AZs.",
    ),
    "redshift.cluster_multi_az": Guidance(
        Severity.HIGH,
        "Enable Multi-AZ on the cluster (modify-cluster --multi-az, RA3 node types) so compute "
        "runs in a second AZ.",
    ),
    "neptune.cluster_multi_az": Guidance(
        Severity.HIGH,
        "Add a read replica instance in another AZ so the cluster can fail over to it.",
    ),
    "sgw.gateway_on_ec2": Guidance(
        Severity.MEDIUM,
        "Plan for the gateway's AZ failing: keep its data in S3 and a tested way to recreate the "
        "gateway in another AZ.",
    ),
    "dax.cluster_multi_az": Guidance(
        Severity.MEDIUM,
        "Run at least three nodes spread over several AZs (add nodes with increase-replication-"
        "factor and spread --availability-zones).",
    ),
    "globalaccelerator.endpoint_zones": Guidance(
        Severity.HIGH,
        "Add endpoints in another AZ (or an endpoint group in another region) so traffic has "
        "somewhere to go.",
    ),
    "dx.region_connections": Guidance(
        Severity.HIGH,
        "Add a second Direct Connect connection at a different location (or a Site-to-Site VPN "
        "as backup).",
    ),
    "dx.gateway_vifs": Guidance(
        Severity.HIGH,
        "Attach a second virtual interface on a different connection (ideally another location) "
        "to the gateway.",
    ),
    "cloudhsm.cluster_hsm_zones": Guidance(
        Severity.HIGH,
        "Add HSMs in at least two AZs (create-hsm --availability-zone) so keys stay available.",
    ),
}


def guidance_for(check_id: str, *, risk: bool) -> Guidance:
    """A finding that is not a risk needs no action: severity ``none``, no remediation."""
    if not risk:
        return Guidance(Severity.NONE, "")
    return GUIDANCE[check_id]

"""How other systems name a finding: a stable id across runs, a title, the AWS resource type.

Security Hub (ASFF) and OCSF outputs share these, so one risk has the same id in both.
"""

from __future__ import annotations

import hashlib

from resiliency_analyser.checks.registry import BY_KEY
from resiliency_analyser.gate.records import risk_key
from resiliency_analyser.model.findings import Finding

TOOL = "resiliency-analyser"

RESOURCE_TYPES = {
    "beanstalk.environment_load_balanced": "AwsElasticBeanstalkEnvironment",
    "clientvpn.target_networks_multi_az": "AwsEc2ClientVpnEndpoint",
    "dms.instance_multi_az": "AwsDmsReplicationInstance",
    "dms.task_instance_multi_az": "AwsDmsReplicationTask",
    "docdb.cluster_multi_az": "AwsRdsDbCluster",
    "ecs.service_single_task": "AwsEcsService",
    "ecs.service_subnet_zones": "AwsEcsService",
    "ecs.service_task_zones": "AwsEcsService",
    "endpointservice.service_multi_az": "AwsEc2VpcEndpointService",
    "lambda.vpc_multi_az": "AwsLambdaFunction",
    "mq.broker_multi_az": "AwsAmazonMqBroker",
    "msk.broker_zones": "AwsMskCluster",
    "neptune.cluster_multi_az": "AwsRdsDbCluster",
    "opensearch.domain_multi_az": "AwsOpenSearchServiceDomain",
    "rds.cluster_multi_az": "AwsRdsDbCluster",
    "rds.instance_multi_az": "AwsRdsDbInstance",
    "redshift.cluster_multi_az": "AwsRedshiftCluster",
}
"""Check id -> the resource type of what it judges, as Security Hub names resource types; any
other is ``Other``. DocumentDB and Neptune clusters are RDS clusters to Security Hub."""
OTHER_TYPE = "Other"


def resource_type(check_id: str) -> str:
    return RESOURCE_TYPES.get(check_id, OTHER_TYPE)


def finding_id(finding: Finding) -> str:
    """The same for the same risk in every run, so a re-import updates instead of adding."""
    check_id, account_id, region, resource = risk_key(finding)
    digest = hashlib.sha256(resource.encode()).hexdigest()
    return f"{TOOL}/{account_id}/{region}/{check_id}/{digest}"


def finding_title(finding: Finding) -> str:
    """E.g. ``Amazon RDS db-1: single-AZ risk``."""
    check = BY_KEY.get(finding.service)
    service = check.service if check else finding.service
    name = finding.resource_name or finding.resource_id or finding.resource_arn
    state = "single-AZ risk" if finding.potential_single_az_risk else "no single-AZ risk"
    return f"{service} {name}: {state}"

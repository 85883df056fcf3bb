"""The stand-in endpoint: served operations answer from handlers, the rest reach the upstream."""

from __future__ import annotations

from tests.support.cli import RunCli
from tests.support.moto import Boto
from tests.support.seeding import make_subnets
from tests.support.standins import serve_standin

REGION = "eu-west-1"


def test_unserved_operations_reach_the_upstream(boto: Boto, run_cli: RunCli, moto_url: str) -> None:
    """A VPC endpoint lives in moto; the stand-in serves only the subnets, with another AZ name,
    so the finding shows which server answered which call."""
    ec2 = boto("ec2", REGION)
    subnets = make_subnets(boto, REGION)
    vpc = ec2.describe_subnets(SubnetIds=subnets[:1])["Subnets"][0]["VpcId"]
    ec2.create_vpc_endpoint(
        VpcId=vpc,
        ServiceName=f"com.amazonaws.{REGION}.sqs",
        VpcEndpointType="Interface",
        SubnetIds=subnets[:1],
        TagSpecifications=[
            {"ResourceType": "vpc-endpoint", "Tags": [{"Key": "Name", "Value": "queue"}]}
        ],
    )
    served = [{"SubnetId": subnets[0], "AvailabilityZone": "eu-west-1c"}]
    handlers = {"DescribeSubnets": lambda params, region: {"Subnets": served}}
    with serve_standin("ec2", handlers, upstream=moto_url) as server:
        run = run_cli("scan", "-r", REGION, "-s", "vpce")
    assert run.code == 0, run.stderr
    assert run.verdicts == {"queue": True}
    assert "1 AZ(s): eu-west-1c" in run.finding("queue")["message"]
    assert [operation for _, operation, _ in server.requests] == ["DescribeSubnets"]

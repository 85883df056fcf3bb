"""NAT and inspection routes: the rule on DescribeRouteTables records, and collection through the
CLI.

moto serves route tables, NAT gateways, Gateway Load Balancer endpoints, instances and network
interfaces; stand-ins serve a regional NAT gateway (moto has no availability mode), the firewall's
endpoint per AZ (moto's DescribeFirewall has no sync states) and paged listings; a raw endpoint
answers DescribeNatGateways with the bytes AWS sends, for the model extras to parse.
"""

from __future__ import annotations

from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any, ClassVar

import pytest

from resiliency_analyser.checks import nat
from resiliency_analyser.checks.nat import Target
from resiliency_analyser.demo.standin import Handler, Listing, LocalEndpoint, paged
from tests.support.cli import RunCli
from tests.support.moto import ACCOUNT_ID, Boto
from tests.support.network import (
    described_firewall,
    firewall_handlers,
    region_subnets,
    routing_handlers,
    subnet,
    tagged,
)
from tests.support.seeding import AMI
from tests.support.standins import StartStandin, region_zone_listing

SUBNETS = [
    subnet("subnet-a", "a"),
    subnet("subnet-b", "b"),
    subnet("subnet-c", "c"),
    subnet("subnet-other-vpc", "b", vpc="vpc-2"),
]
NAT_A = Target("NAT gateway", "nat-a", "us-east-1a")
REGIONAL = Target("regional NAT gateway", "nat-r", None)
GWLB_A = Target("Gateway Load Balancer endpoint", "vpce-gwlb", "us-east-1a")
FIREWALL_B = Target("Network Firewall endpoint", "vpce-fw", "us-east-1b")
INSTANCE_A = Target("instance", "i-nat", "us-east-1a")
INTERFACE_C = Target("network interface", "eni-appliance", "us-east-1c")
TARGETS = [NAT_A, REGIONAL, GWLB_A, FIREWALL_B, INSTANCE_A, INTERFACE_C]


def arn_of(service: str, resource: str) -> str:
    return f"arn:aws:{service}:us-east-1:111122223333:{resource}"


def route(target: str, destination: str = "0.0.0.0/0", **fields: Any) -> dict[str, Any]:
    """A route as DescribeRouteTables gives it: one to an instance names its interface too."""
    kinds = {"nat-": "NatGatewayId", "i-": "InstanceId", "eni-": "NetworkInterfaceId"}
    kind = next((k for prefix, k in kinds.items() if target.startswith(prefix)), "GatewayId")
    field = "DestinationIpv6CidrBlock" if ":" in destination else "DestinationCidrBlock"
    extra = (
        {"NetworkInterfaceId": "eni-of-nat-instance", "InstanceOwnerId": "111122223333"}
        if kind == "InstanceId"
        else {}
    )
    return {
        field: destination,
        kind: target,
        **extra,
        "Origin": "CreateRoute",
        "State": "active",
        **fields,
    }


LOCAL = {"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local", "State": "active"}


def table(
    table_id: str, routes: list[dict[str, Any]], subnets: list[str], *, main: bool = False
) -> dict[str, Any]:
    associations: list[dict[str, Any]] = [
        {"SubnetId": s, "Main": False, "AssociationState": {"State": "associated"}} for s in subnets
    ]
    if main:
        associations.append({"Main": True, "AssociationState": {"State": "associated"}})
    return {
        "RouteTableId": table_id,
        "VpcId": "vpc-1",
        "Routes": [LOCAL, *routes],
        "Associations": associations,
        "Tags": tagged(table_id),
    }


@pytest.mark.parametrize(
    ("tables", "risk", "zones", "texts"),
    [
        pytest.param(
            [table("rtb-main", [route("nat-a")], [], main=True)],
            True,
            ("us-east-1a", "us-east-1b", "us-east-1c"),
            [
                "serves 3 subnet(s) in us-east-1a, us-east-1b, us-east-1c",
                "NAT gateway nat-a in us-east-1a: subnets in us-east-1b, us-east-1c lose the "
                "path when us-east-1a fails",
            ],
            id="main table serves every subnet of its VPC",
        ),
        pytest.param(
            [
                table("rtb-main", [route("nat-a")], [], main=True),
                table("rtb-c", [], ["subnet-c"]),
            ],
            True,
            ("us-east-1a", "us-east-1b"),
            ["serves 2 subnet(s) in us-east-1a, us-east-1b", "subnets in us-east-1b lose"],
            id="shared main table serving two AZs, the third associated elsewhere",
        ),
        pytest.param(
            [table("rtb-main", [route("nat-a")], ["subnet-a"])],
            False,
            ("us-east-1a",),
            ["in us-east-1a, the AZ of every subnet it serves"],
            id="explicit association in the target's AZ",
        ),
        pytest.param(
            [table("rtb-main", [route("nat-r")], ["subnet-a", "subnet-b"])],
            False,
            ("us-east-1a", "us-east-1b"),
            ["regional NAT gateway nat-r, which spans AZs"],
            id="regional NAT gateway",
        ),
        pytest.param(
            [table("rtb-main", [route("vpce-gwlb")], ["subnet-b"])],
            True,
            ("us-east-1a", "us-east-1b"),
            ["Gateway Load Balancer endpoint vpce-gwlb in us-east-1a: subnets in us-east-1b"],
            id="GWLB endpoint route",
        ),
        pytest.param(
            [table("rtb-main", [route("vpce-fw")], ["subnet-a", "subnet-b"])],
            True,
            ("us-east-1a", "us-east-1b"),
            ["Network Firewall endpoint vpce-fw in us-east-1b: subnets in us-east-1a"],
            id="firewall endpoint route",
        ),
        pytest.param(
            [table("rtb-main", [route("nat-r"), route("vpce-gwlb", "::/0")], ["subnet-b"])],
            True,
            ("us-east-1a", "us-east-1b"),
            ["0.0.0.0/0 goes to regional", "::/0 goes to Gateway Load Balancer endpoint"],
            id="IPv6 default route to a zonal target",
        ),
        pytest.param(
            [table("rtb-main", [route("i-nat")], ["subnet-a", "subnet-b"])],
            True,
            ("us-east-1a", "us-east-1b"),
            ["instance i-nat in us-east-1a: subnets in us-east-1b lose the path"],
            id="NAT instance: the route's instance, not its interface",
        ),
        pytest.param(
            [table("rtb-main", [route("i-nat")], ["subnet-a"])],
            False,
            ("us-east-1a",),
            ["instance i-nat in us-east-1a, the AZ of every subnet it serves"],
            id="NAT instance in the AZ it serves",
        ),
        pytest.param(
            [table("rtb-main", [route("eni-appliance", "::/0")], ["subnet-b", "subnet-c"])],
            True,
            ("us-east-1b", "us-east-1c"),
            ["::/0 goes to network interface eni-appliance in us-east-1c: subnets in us-east-1b"],
            id="appliance network interface",
        ),
        pytest.param(
            [table("rtb-main", [route("nat-a")], ["subnet-a", "subnet-gone"])],
            False,
            ("us-east-1a",),
            ["subnets not found in the region: subnet-gone"],
            id="associated subnet the lookup cannot find",
        ),
        pytest.param(
            [
                {
                    **table("rtb-main", [route("nat-a")], ["subnet-a"], main=True),
                    "Associations": [
                        {"SubnetId": "subnet-a", "Main": False},
                        {"SubnetId": "subnet-b", "AssociationState": {"State": "associating"}},
                        {"SubnetId": "subnet-c", "AssociationState": {"State": "disassociated"}},
                    ],
                }
            ],
            True,
            ("us-east-1a", "us-east-1b"),
            ["serves 2 subnet(s) in us-east-1a, us-east-1b"],
            id="association states",
        ),
    ],
)
def test_route_tables(
    tables: list[dict[str, Any]], risk: bool, zones: tuple[str, ...], texts: list[str]
) -> None:
    [result] = [
        r for r in nat.assess(tables, SUBNETS, TARGETS, arn_of) if r.resource_id == "rtb-main"
    ]
    assert (result.risk, result.availability_zones) == (risk, zones)
    for text in texts:
        assert text in result.message
    assert result.check_id == "nat.default_route_same_az"
    assert result.resource_arn == "arn:aws:ec2:us-east-1:111122223333:route-table/rtb-main"
    assert result.resource_name == "rtb-main"


@pytest.mark.parametrize(
    "tables",
    [
        pytest.param([table("rtb-1", [route("nat-a")], [])], id="serves no subnet"),
        pytest.param(
            [
                table("rtb-1", [route("nat-a")], [], main=True),
                table("rtb-2", [], ["subnet-a", "subnet-b", "subnet-c"]),
            ],
            id="main table whose subnets are all associated elsewhere",
        ),
        pytest.param([table("rtb-1", [route("igw-1")], ["subnet-a"])], id="internet gateway"),
        pytest.param(
            [table("rtb-1", [route("nat-a", "10.1.0.0/16")], ["subnet-b"])], id="not default"
        ),
        pytest.param(
            [table("rtb-1", [route("nat-a", State="blackhole")], ["subnet-b"])], id="blackhole"
        ),
        pytest.param(
            [table("rtb-1", [route("nat-pending")], ["subnet-b"])], id="unknown or unready target"
        ),
        pytest.param(
            [table("rtb-1", [route("i-gone", State="blackhole")], ["subnet-b"])],
            id="stopped NAT instance (blackhole)",
        ),
        pytest.param(
            [table("rtb-1", [route("eni-unplaced")], ["subnet-b"])], id="interface not found"
        ),
        pytest.param([table("rtb-1", [route("tgw-1")], ["subnet-b"])], id="transit gateway"),
    ],
)
def test_tables_without_a_judged_default_route_give_no_finding(
    tables: list[dict[str, Any]],
) -> None:
    assert nat.assess(tables, SUBNETS, TARGETS, arn_of) == []


ZONES = {"subnet-a": "us-east-1a", "subnet-b": "us-east-1b"}


def test_nat_gateway_targets_by_mode_and_state() -> None:
    gateways = [
        {"NatGatewayId": "nat-a", "State": "available", "SubnetId": "subnet-a"},
        {
            "NatGatewayId": "nat-z",
            "State": "available",
            "SubnetId": "subnet-b",
            "AvailabilityMode": "zonal",
        },
        {"NatGatewayId": "nat-r", "State": "available", "AvailabilityMode": "regional"},
        *(
            {"NatGatewayId": f"nat-{state}", "State": state, "SubnetId": "subnet-a"}
            for state in ("pending", "deleting", "deleted", "failed")
        ),
        {"NatGatewayId": "nat-gone-subnet", "State": "available", "SubnetId": "subnet-x"},
    ]
    assert nat.nat_targets(gateways, ZONES) == [
        Target("NAT gateway", "nat-a", "us-east-1a"),
        Target("NAT gateway", "nat-z", "us-east-1b"),
        Target("regional NAT gateway", "nat-r", None),
    ]


def test_endpoint_targets_are_available_gateway_load_balancer_endpoints() -> None:
    def endpoint(endpoint_id: str, kind: str, state: str = "available") -> dict[str, Any]:
        return {
            "VpcEndpointId": endpoint_id,
            "VpcEndpointType": kind,
            "State": state,
            "SubnetIds": ["subnet-b"],
        }

    endpoints = [
        endpoint("vpce-1", "GatewayLoadBalancer", "Available"),
        endpoint("vpce-2", "Interface"),
        endpoint("vpce-3", "GatewayLoadBalancer", "pending"),
    ]
    assert nat.load_balancer_endpoint_targets(endpoints, ZONES) == [
        Target("Gateway Load Balancer endpoint", "vpce-1", "us-east-1b")
    ]


def test_instances_and_interfaces_are_placed_in_their_own_az() -> None:
    placed = [
        {"InstanceId": "i-1", "Placement": {"AvailabilityZone": "us-east-1a"}},
        {"InstanceId": "i-unplaced", "Placement": {}},
    ]
    interfaces = [
        {"NetworkInterfaceId": "eni-1", "AvailabilityZone": "us-east-1b"},
        {"NetworkInterfaceId": "eni-2"},
    ]
    assert nat.instance_targets(placed) == [Target("instance", "i-1", "us-east-1a")]
    assert nat.interface_targets(interfaces) == [Target("network interface", "eni-1", "us-east-1b")]
    tables = [
        table("rtb-1", [route("i-1"), route("eni-1", "::/0"), route("igw-1", "10.9.0.0/16")], [])
    ]
    assert (nat.routed_to(tables, "i-"), nat.routed_to(tables, "eni-")) == (["i-1"], ["eni-1"])


def sync_state(endpoint_id: str, status: str = "READY") -> dict[str, Any]:
    return {"Attachment": {"SubnetId": "subnet-x", "EndpointId": endpoint_id, "Status": status}}


def test_firewall_targets_are_endpoints_in_service_per_zone() -> None:
    described: list[dict[str, Any]] = [
        {
            "Firewall": {"FirewallName": "fw"},
            "FirewallStatus": {
                "Status": "READY",
                "SyncStates": {
                    "us-east-1a": sync_state("vpce-a"),
                    "us-east-1b": sync_state("vpce-b", "SCALING"),
                    "us-east-1c": sync_state("vpce-c", "CREATING"),
                },
            },
        },
        {"Firewall": {"FirewallName": "moto"}, "FirewallStatus": {"Status": "READY"}},
    ]
    assert nat.firewall_endpoint_targets(described) == [
        Target("Network Firewall endpoint", "vpce-a", "us-east-1a"),
        Target("Network Firewall endpoint", "vpce-b", "us-east-1b"),
    ]


REGION = "eu-west-1"


def network(ec2: Any) -> tuple[str, list[str]]:
    """A VPC with subnets in AZs a, b and c of the region."""
    vpc = ec2.create_vpc(CidrBlock="10.7.0.0/16")["Vpc"]["VpcId"]
    return vpc, [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.7.{i}.0/24", AvailabilityZone=f"{REGION}{z}")[
            "Subnet"
        ]["SubnetId"]
        for i, z in enumerate("abc")
    ]


def route_table(ec2: Any, vpc: str, name: str, subnets: list[str], **target: str) -> str:
    table_id: str = ec2.create_route_table(
        VpcId=vpc,
        TagSpecifications=[{"ResourceType": "route-table", "Tags": tagged(name)}],
    )["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=table_id, DestinationCidrBlock="0.0.0.0/0", **target)
    for subnet_id in subnets:
        ec2.associate_route_table(RouteTableId=table_id, SubnetId=subnet_id)
    return table_id


def test_moto_route_tables_nat_gateways_and_endpoints(
    boto: Boto, run_cli: RunCli, standin: StartStandin
) -> None:
    ec2 = boto("ec2", REGION)
    vpc, (a, b, c) = network(ec2)
    nat_a = ec2.create_nat_gateway(SubnetId=a, ConnectivityType="private")["NatGateway"]
    nat_c = ec2.create_nat_gateway(SubnetId=c, ConnectivityType="private")["NatGateway"]
    gwlb = ec2.create_vpc_endpoint(
        VpcId=vpc,
        ServiceName=f"com.amazonaws.vpce.{REGION}.vpce-svc-1",
        VpcEndpointType="GatewayLoadBalancer",
        SubnetIds=[b],
    )["VpcEndpoint"]["VpcEndpointId"]
    shared = route_table(ec2, vpc, "via-a", [a, b], NatGatewayId=nat_a["NatGatewayId"])
    route_table(ec2, vpc, "own-c", [c], NatGatewayId=nat_c["NatGatewayId"])
    route_table(ec2, vpc, "unused", [], NatGatewayId=nat_c["NatGatewayId"])
    main = ec2.describe_route_tables(
        Filters=[
            {"Name": "vpc-id", "Values": [vpc]},
            {"Name": "association.main", "Values": ["true"]},
        ]
    )["RouteTables"][0]["RouteTableId"]
    ec2.create_tags(Resources=[main], Tags=tagged("main-inspected"))
    ec2.create_route(RouteTableId=main, DestinationCidrBlock="0.0.0.0/0", VpcEndpointId=gwlb)
    # The main table now serves no subnet; a fourth subnet gives it one, in a.
    ec2.create_subnet(VpcId=vpc, CidrBlock="10.7.9.0/24", AvailabilityZone=f"{REGION}a")

    firewalls = standin("network-firewall", {})

    run = run_cli("scan", "-r", REGION, "-s", "nat")
    assert run.code == 0, run.stderr
    assert run.verdicts == {"via-a": True, "own-c": False, "main-inspected": True}
    risky = run.finding("via-a")
    assert risky["resource_arn"] == f"arn:aws:ec2:{REGION}:{ACCOUNT_ID}:route-table/{shared}"
    assert f"subnets in {REGION}b lose the path when {REGION}a fails" in risky["message"]
    assert (
        f"Gateway Load Balancer endpoint {gwlb} in {REGION}b"
        in run.finding("main-inspected")["message"]
    )
    # No route leads to an endpoint that is not a Gateway Load Balancer one: no firewall lookup.
    assert firewalls.requests == []
    assert run.pair_results == {("nat", REGION): "Success"}


def test_moto_routes_to_a_nat_instance_and_an_appliance_interface(
    boto: Boto, run_cli: RunCli
) -> None:
    ec2 = boto("ec2", REGION)
    vpc, (a, b, c) = network(ec2)
    instance = ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1, SubnetId=a)["Instances"][0]
    appliance = ec2.create_network_interface(SubnetId=c)["NetworkInterface"]["NetworkInterfaceId"]
    route_table(ec2, vpc, "via-nat-instance-a", [a, b], InstanceId=instance["InstanceId"])
    route_table(ec2, vpc, "via-appliance-c", [c], NetworkInterfaceId=appliance)

    run = run_cli("scan", "-r", REGION, "-s", "nat")
    assert run.code == 0, run.stderr
    assert run.verdicts == {"via-nat-instance-a": True, "via-appliance-c": False}
    assert (
        f"instance {instance['InstanceId']} in {REGION}a: subnets in {REGION}b lose the path"
        in run.finding("via-nat-instance-a")["message"]
    )
    assert (
        f"network interface {appliance} in {REGION}c" in run.finding("via-appliance-c")["message"]
    )
    assert run.pair_results == {("nat", REGION): "Success"}


NAT_GATEWAYS_XML = f"""<?xml version="1.0" encoding="UTF-8"?>
<DescribeNatGatewaysResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
    <requestId>5a7c9a0e-1b2c-4d3e-8f90-123456789abc</requestId>
    <natGatewaySet>
        <item>
            <createTime>2025-11-20T10:04:11.000Z</createTime>
            <natGatewayAddressSet>
                <item>
                    <allocationId>eipalloc-0a1b2c3d4e5f60001</allocationId>
                    <networkInterfaceId>eni-0a1b2c3d4e5f60001</networkInterfaceId>
                    <privateIp>10.7.0.10</privateIp>
                    <publicIp>203.0.113.10</publicIp>
                    <associationId>eipassoc-0a1b2c3d4e5f60001</associationId>
                    <isPrimary>true</isPrimary>
                    <status>succeeded</status>
                    <availabilityZone>{REGION}a</availabilityZone>
                    <availabilityZoneId>euw1-az1</availabilityZoneId>
                </item>
                <item>
                    <allocationId>eipalloc-0a1b2c3d4e5f60002</allocationId>
                    <networkInterfaceId>eni-0a1b2c3d4e5f60002</networkInterfaceId>
                    <privateIp>10.7.1.10</privateIp>
                    <publicIp>203.0.113.11</publicIp>
                    <associationId>eipassoc-0a1b2c3d4e5f60002</associationId>
                    <isPrimary>false</isPrimary>
                    <status>succeeded</status>
                    <availabilityZone>{REGION}b</availabilityZone>
                    <availabilityZoneId>euw1-az2</availabilityZoneId>
                </item>
            </natGatewayAddressSet>
            <natGatewayId>nat-0regional000000001</natGatewayId>
            <state>available</state>
            <vpcId>vpc-1</vpcId>
            <tagSet/>
            <connectivityType>public</connectivityType>
            <availabilityMode>regional</availabilityMode>
            <autoScalingIps>enabled</autoScalingIps>
            <autoProvisionZones>enabled</autoProvisionZones>
            <routeTableId>rtb-0natgw0000000001</routeTableId>
        </item>
        <item>
            <createTime>2024-03-02T08:00:00.000Z</createTime>
            <natGatewayAddressSet>
                <item>
                    <allocationId>eipalloc-0a1b2c3d4e5f60003</allocationId>
                    <networkInterfaceId>eni-0a1b2c3d4e5f60003</networkInterfaceId>
                    <privateIp>10.7.0.20</privateIp>
                    <publicIp>203.0.113.20</publicIp>
                    <associationId>eipassoc-0a1b2c3d4e5f60003</associationId>
                    <isPrimary>true</isPrimary>
                    <status>succeeded</status>
                </item>
            </natGatewayAddressSet>
            <natGatewayId>nat-0zonal00000000001</natGatewayId>
            <state>available</state>
            <subnetId>subnet-a</subnetId>
            <vpcId>vpc-1</vpcId>
            <tagSet/>
            <connectivityType>public</connectivityType>
            <availabilityMode>zonal</availabilityMode>
        </item>
    </natGatewaySet>
</DescribeNatGatewaysResponse>
""".encode()


class RawNatGateways(BaseHTTPRequestHandler):
    """Answers every request with ``NAT_GATEWAYS_XML``, byte for byte: what AWS sends, not what
    a model (ours included) would serialise."""

    asked: ClassVar[list[bytes]] = []

    def do_POST(self) -> None:
        self.asked.append(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        self.send_response(200)
        self.send_header("Content-Type", "text/xml;charset=UTF-8")
        self.send_header("Content-Length", str(len(NAT_GATEWAYS_XML)))
        self.end_headers()
        self.wfile.write(NAT_GATEWAYS_XML)

    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture
def raw_nat_gateways() -> Iterator[LocalEndpoint]:
    RawNatGateways.asked = []
    with LocalEndpoint(RawNatGateways) as endpoint:
        yield endpoint


def test_a_regional_nat_gateway_is_read_from_the_wire_through_the_model_extras(
    run_cli: RunCli, standin: StartStandin, raw_nat_gateways: LocalEndpoint
) -> None:
    """DescribeNatGateways goes on to a raw endpoint answering AWS's bytes, with
    ``availabilityMode``; the real client parses it through the project's model extras, so the
    regional gateway spans AZs and only the zonal one's route table is a risk."""
    tables = [
        table("rtb-regional", [route("nat-0regional000000001")], ["subnet-a", "subnet-b"]),
        table("rtb-zonal", [route("nat-0zonal00000000001")], ["subnet-a", "subnet-b"]),
    ]
    for t in tables:
        t["Tags"] = tagged(t["RouteTableId"])
    standin("ec2", routing_handlers(REGION, region_subnets(REGION), tables), raw_nat_gateways.url)

    run = run_cli("scan", "-r", REGION, "-s", "nat")
    assert run.code == 0, run.stderr
    assert [b"Action=DescribeNatGateways" in asked for asked in RawNatGateways.asked] == [True]
    assert run.verdicts == {"rtb-regional": False, "rtb-zonal": True}
    assert (
        "regional NAT gateway nat-0regional000000001, which spans AZs"
        in (run.finding("rtb-regional")["message"])
    )
    assert f"NAT gateway nat-0zonal00000000001 in {REGION}a" in run.finding("rtb-zonal")["message"]


def ec2_handlers(listings: dict[str, list[dict[str, Any]]]) -> dict[str, Handler]:
    """DescribeRegions, and each listing operation's records two a page."""
    handlers: dict[str, Handler] = {
        "DescribeRegions": lambda params, region: {"Regions": [{"RegionName": REGION}]},
        "DescribeAvailabilityZones": region_zone_listing(REGION),
    }
    for operation, records in listings.items():
        handlers[operation] = paged("ec2", operation, serving(records), 2)
    return handlers


def serving(records: list[dict[str, Any]]) -> Listing:
    def listing(params: dict[str, Any], region: str) -> list[dict[str, Any]]:
        return records

    return listing


def test_paged_listings_are_read_once_and_shared(run_cli: RunCli, standin: StartStandin) -> None:
    """nat, vpce and networkfirewall together: every page of each listing is asked for once."""
    subnets = [
        {"SubnetId": f"subnet-{z}", "AvailabilityZone": f"{REGION}{z}", "VpcId": "vpc-1"}
        for z in "abc"
    ]
    tables = [
        {
            "RouteTableId": f"rtb-{i}",
            "VpcId": "vpc-1",
            "Routes": [
                {"DestinationCidrBlock": "0.0.0.0/0", "State": "active", **target},
            ],
            "Associations": [{"SubnetId": s, "Main": False} for s in served],
            "Tags": tagged(f"table-{i}"),
        }
        for i, (target, served) in enumerate(
            [
                ({"NatGatewayId": "nat-a"}, ["subnet-a", "subnet-b"]),
                ({"NatGatewayId": "nat-r"}, ["subnet-c"]),
                ({"GatewayId": "vpce-fw-a"}, ["subnet-a"]),
            ]
        )
    ]
    tables.append(
        {
            "RouteTableId": "rtb-main",
            "VpcId": "vpc-1",
            "Routes": [{"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "vpce-fw-b"}],
            "Associations": [{"Main": True}],
            "Tags": tagged("main-without-subnets"),
        }
    )
    gateways = [
        {"NatGatewayId": "nat-a", "State": "available", "SubnetId": "subnet-a"},
        {"NatGatewayId": "nat-r", "State": "available", "AvailabilityMode": "regional"},
        {"NatGatewayId": "nat-old", "State": "deleted", "SubnetId": "subnet-b"},
    ]
    endpoints = [
        {
            "VpcEndpointId": f"vpce-{i}",
            "VpcEndpointType": "Interface",
            "State": "available",
            "SubnetIds": ["subnet-a"],
            "Tags": tagged(f"endpoint-{i}"),
        }
        for i in range(3)
    ]
    listings: dict[str, list[dict[str, Any]]] = {
        "DescribeSubnets": subnets,
        "DescribeRouteTables": tables,
        "DescribeNatGateways": gateways,
        "DescribeVpcEndpoints": endpoints,
    }
    ec2 = standin("ec2", ec2_handlers(listings))
    firewalls = [
        described_firewall(REGION, "fw-1", {"a": "vpce-fw-a", "b": "vpce-fw-b"}),
        described_firewall(REGION, "fw-2", {"c": "vpce-fw-c"}),
        described_firewall(REGION, "fw-3", {"a": "vpce-fw-3a", "c": "vpce-fw-3c"}),
    ]
    firewall = standin("network-firewall", firewall_handlers(firewalls))

    run = run_cli("scan", "-r", REGION, "-s", "nat,vpce,networkfirewall")
    assert run.code == 0, run.stderr
    verdicts = {name: risk for name, risk in run.verdicts.items() if name.startswith("table-")}
    assert verdicts == {"table-0": True, "table-1": False, "table-2": False}
    assert "regional NAT gateway nat-r, which spans AZs" in run.finding("table-1")["message"]
    assert f"Network Firewall endpoint vpce-fw-a in {REGION}a" in run.finding("table-2")["message"]
    assert {f["resource_name"] for f in run.findings} >= {"endpoint-0", "fw-1", "fw-3"}
    for operation, records in listings.items():
        tokens = [p.get("NextToken") for _, op, p in ec2.requests if op == operation]
        assert tokens == [None, *(str(i) for i in range(2, len(records), 2))], operation
    asked = [
        (op, p.get("FirewallType"), p.get("NextToken") or p.get("FirewallArn", ""))
        for _, op, p in firewall.requests
    ]
    assert sorted(asked) == sorted(
        [
            ("ListFirewalls", "FIREWALL", ""),
            ("ListFirewalls", "FIREWALL", "2"),
            ("ListFirewalls", "IGW_FIREWALL", ""),
        ]
        + [("DescribeFirewall", "FIREWALL", f["Firewall"]["FirewallArn"]) for f in firewalls]
    )


def test_a_region_without_network_firewall_still_has_its_routes_judged(
    run_cli: RunCli, standin: StartStandin
) -> None:
    """botocore lists no Network Firewall endpoint in ap-southeast-6: its endpoints cannot be
    route targets there, so nat judges what it can and only networkfirewall is NotAvailable."""
    region = "ap-southeast-6"
    tables = [
        {
            "RouteTableId": "rtb-1",
            "VpcId": "vpc-1",
            "Routes": [
                {"DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": "nat-a"},
                {"DestinationIpv6CidrBlock": "::/0", "GatewayId": "vpce-unknown"},
            ],
            "Associations": [{"SubnetId": "subnet-b"}],
            "Tags": tagged("via-a"),
        }
    ]
    gateways = [{"NatGatewayId": "nat-a", "State": "available", "SubnetId": "subnet-a"}]
    standin("ec2", routing_handlers(region, region_subnets(region), tables, gateways))
    run = run_cli("scan", "-r", region, "-s", "nat,networkfirewall")
    assert run.verdicts == {"via-a": True}
    assert run.pair_results == {
        ("nat", region): "Success",
        ("networkfirewall", region): "NotAvailable",
    }

"""Global Accelerator: the rule on listing records, and collection through the CLI."""

from __future__ import annotations

from typing import Any

import pytest

from resiliency_analyser.checks import globalaccelerator as ga
from resiliency_analyser.demo.standin import Handler, Listing, paged
from tests.support.cli import RunCli
from tests.support.moto import ACCOUNT_ID, Boto
from tests.support.seeding import make_subnets
from tests.support.standins import StartStandin

AMI = "ami-12c6146b"  # an image id moto ships
ALB = f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT_ID}:loadbalancer/app/web/1"
NLB = f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT_ID}:loadbalancer/net/tcp/2"

PLACES = ga.EndpointPlaces.of(
    [
        {"InstanceId": "i-a1", "Placement": {"AvailabilityZone": "us-east-1a"}},
        {"InstanceId": "i-a2", "Placement": {"AvailabilityZone": "us-east-1a"}},
        {"InstanceId": "i-b1", "Placement": {"AvailabilityZone": "us-east-1b"}},
    ],
    [
        {
            "LoadBalancerArn": ALB,
            "AvailabilityZones": [{"ZoneName": "us-east-1a"}, {"ZoneName": "us-east-1b"}],
        },
        {"LoadBalancerArn": NLB, "AvailabilityZones": [{"ZoneName": "us-east-1a"}]},
    ],
    [
        {"AllocationId": "eipalloc-1", "NetworkInterfaceId": "eni-1", "PublicIp": "192.0.2.1"},
        {"AllocationId": "eipalloc-free", "PublicIp": "192.0.2.2"},
    ],
    [{"NetworkInterfaceId": "eni-1", "AvailabilityZone": "us-east-1b"}],
)


def group(region: str, *endpoint_ids: str) -> dict[str, Any]:
    return {
        "EndpointGroupArn": f"arn:aws:globalaccelerator::{ACCOUNT_ID}:accelerator/x/eg/{region}",
        "EndpointGroupRegion": region,
        "EndpointDescriptions": [{"EndpointId": e, "Weight": 128} for e in endpoint_ids],
        "TrafficDialPercentage": 100.0,
    }


def accelerator(name: str) -> dict[str, Any]:
    return {
        "AcceleratorArn": f"arn:aws:globalaccelerator::{ACCOUNT_ID}:accelerator/{name}-id",
        "Name": name,
        "Enabled": True,
        "Status": "DEPLOYED",
    }


def weighted(endpoint_group: dict[str, Any], weight: int) -> dict[str, Any]:
    endpoints = [{**e, "Weight": weight} for e in endpoint_group["EndpointDescriptions"]]
    return {**endpoint_group, "EndpointDescriptions": endpoints}


def listener(
    number: int = 0, protocol: str = "TCP", ports: tuple[int, int] = (443, 443)
) -> dict[str, Any]:
    return {
        "ListenerArn": f"arn:aws:globalaccelerator::{ACCOUNT_ID}:accelerator/x/listener/{number}",
        "Protocol": protocol,
        "PortRanges": [{"FromPort": ports[0], "ToPort": ports[1]}],
    }


@pytest.mark.parametrize(
    ("groups", "risk", "message"),
    [
        (
            [group("us-east-1", "i-a1", "i-a2")],
            True,
            "Listener TCP 443: 2 endpoint(s) in us-east-1, in 1 AZ(s): us-east-1a",
        ),
        (
            [group("us-east-1", "i-a1", "i-b1")],
            False,
            "Listener TCP 443: 2 endpoint(s) in us-east-1, in 2 AZ(s): us-east-1a, us-east-1b",
        ),
        (
            [group("us-east-1", ALB)],
            False,
            "Listener TCP 443: 1 endpoint(s) in us-east-1, in 2 AZ(s): us-east-1a, us-east-1b",
        ),
        (
            [group("us-east-1", NLB)],
            True,
            "Listener TCP 443: 1 endpoint(s) in us-east-1, in 1 AZ(s): us-east-1a",
        ),
        (
            [group("us-east-1", "eipalloc-1", "i-a1")],
            False,
            "Listener TCP 443: 2 endpoint(s) in us-east-1, in 2 AZ(s): us-east-1a, us-east-1b",
        ),
        (
            [group("us-east-1", "eipalloc-free")],
            True,
            "Listener TCP 443: 1 endpoint(s) in us-east-1, in 0 AZ(s): none; "
            "AZ unknown (not found) for eipalloc-free",
        ),
        (
            [group("us-east-1", "i-gone", "i-a1", "something-else")],
            True,
            "Listener TCP 443: 3 endpoint(s) in us-east-1, in 1 AZ(s): us-east-1a; "
            "AZ unknown (not found) for i-gone, something-else",
        ),
        (
            [group("us-east-1", "i-a1"), group("eu-west-1", "i-elsewhere")],
            False,
            "Listener TCP 443: 2 endpoints in 2 regions (eu-west-1, us-east-1); AZs: us-east-1a; "
            "AZ unknown (not found) for i-elsewhere",
        ),
        (
            [group("us-east-1", "i-a1"), group("eu-west-1")],
            True,
            "Listener TCP 443: 1 endpoint(s) in us-east-1, in 1 AZ(s): us-east-1a",
        ),
        (
            [group("us-east-1", "i-a1"), weighted(group("us-east-1", "i-b1"), 0)],
            True,
            "Listener TCP 443: 1 endpoint(s) in us-east-1, in 1 AZ(s): us-east-1a; "
            "weight 0, so no traffic: i-b1",
        ),
        (
            [group("us-east-1", "i-a1"), weighted(group("eu-west-1", "i-b1"), 0)],
            True,
            "Listener TCP 443: 1 endpoint(s) in us-east-1, in 1 AZ(s): us-east-1a; "
            "weight 0, so no traffic: i-b1",
        ),
        ([], False, "Accelerator has no endpoint receiving traffic (1 listener(s))"),
        (
            [weighted(group("us-east-1", "i-a1"), 0)],
            False,
            "Accelerator has no endpoint receiving traffic (1 listener(s))",
        ),
    ],
    ids=[
        "one-az",
        "two-az",
        "alb",
        "nlb",
        "eip",
        "eip-free",
        "unknown",
        "two-regions",
        "empty-region",
        "weight-0",
        "weight-0-region",
        "no-groups",
        "only-weight-0",
    ],
)
def test_globalaccelerator_rule(groups: list[dict[str, Any]], risk: bool, message: str) -> None:
    record = accelerator("web")
    [result] = ga.assess([(record, [(listener(), groups)])], PLACES)
    assert (result.risk, result.message) == (risk, message)
    assert (result.resource_arn, result.resource_name, result.resource_id) == (
        record["AcceleratorArn"],
        "web",
        "web-id",
    )


def test_globalaccelerator_judges_each_listener_on_its_own_groups() -> None:
    """Two listeners, each in one region: other listeners' groups are no redundancy."""
    listeners = [
        (listener(0), [group("us-east-1", "i-a1")]),
        (listener(1, "UDP", (4000, 4010)), [group("eu-west-1", "i-elsewhere")]),
        (listener(2), [group("us-east-1", "i-a1", "i-b1")]),
    ]
    [result] = ga.assess([(accelerator("games"), listeners)], PLACES)
    assert result.risk is True
    assert result.message == (
        "Listener TCP 443: 1 endpoint(s) in us-east-1, in 1 AZ(s): us-east-1a; "
        "listener UDP 4000-4010: 1 endpoint(s) in eu-west-1, in 0 AZ(s): none; "
        "AZ unknown (not found) for i-elsewhere"
    )
    assert result.availability_zones == ("us-east-1a", "us-east-1b")


def test_globalaccelerator_disabled_is_not_a_risk() -> None:
    record = {**accelerator("off"), "Enabled": False}
    [result] = ga.assess([(record, [(listener(), [group("us-east-1", "i-a1")])])], PLACES)
    assert (result.risk, result.message) == (
        False,
        "Accelerator is disabled: it carries no traffic",
    )


SUBNET_ZONES = {"subnet-a": "us-east-1a", "subnet-a2": "us-east-1a", "subnet-b": "us-east-1b"}


def custom_listener(number: int = 0) -> dict[str, Any]:
    return {**listener(number, ports=(5000, 6000)), "Protocol": None}


@pytest.mark.parametrize(
    ("groups", "risk", "message"),
    [
        (
            [group("us-east-1", "subnet-a", "subnet-a2")],
            True,
            "Listener ports 5000-6000: 2 endpoint(s) in us-east-1, in 1 AZ(s): us-east-1a",
        ),
        (
            [group("us-east-1", "subnet-a", "subnet-b")],
            False,
            "Listener ports 5000-6000: 2 endpoint(s) in us-east-1, in 2 AZ(s): us-east-1a, "
            "us-east-1b",
        ),
        (
            [group("us-east-1", "subnet-a"), group("eu-west-1", "subnet-gone")],
            False,
            "Listener ports 5000-6000: 2 endpoints in 2 regions (eu-west-1, us-east-1); AZs: "
            "us-east-1a; AZ unknown (not found) for subnet-gone",
        ),
    ],
    ids=["one-az", "two-az", "two-regions"],
)
def test_globalaccelerator_custom_routing_rule(
    groups: list[dict[str, Any]], risk: bool, message: str
) -> None:
    custom = [{k: v for k, v in g.items() if k != "TrafficDialPercentage"} for g in groups]
    for g in custom:
        g["EndpointDescriptions"] = [
            {"EndpointId": e["EndpointId"]} for e in g["EndpointDescriptions"]
        ]
    [result] = ga.assess_custom_routing(
        [(accelerator("routing"), [(custom_listener(), custom)])], SUBNET_ZONES
    )
    assert (result.check_id, result.risk, result.message) == (
        "globalaccelerator.custom_routing_zones",
        risk,
        message,
    )


def launch(boto: Boto, subnet: str, region: str, count: int = 1) -> list[str]:
    reservation = boto("ec2", region).run_instances(
        ImageId=AMI, MinCount=count, MaxCount=count, SubnetId=subnet
    )
    return [i["InstanceId"] for i in reservation["Instances"]]


class Accelerators:
    """Stand-in data: accelerators of each kind, their listeners, and each listener's endpoint
    groups; ``kind`` is ``CustomRouting`` for custom routing ones."""

    def __init__(self) -> None:
        self.accelerators: dict[str, list[dict[str, Any]]] = {"": [], "CustomRouting": []}
        self.listeners: dict[str, list[dict[str, Any]]] = {}
        self.groups: dict[str, list[dict[str, Any]]] = {}

    def add(self, name: str, *listeners: list[dict[str, Any]], kind: str = "") -> None:
        record = accelerator(name)
        self.accelerators[kind].append(record)
        arn = record["AcceleratorArn"]
        self.listeners[arn] = []
        for i, groups in enumerate(listeners):
            listener_arn = f"{arn}/listener/{i}"
            ports = [{"FromPort": 443 + i, "ToPort": 443 + i}]
            protocol = {} if kind else {"Protocol": "TCP"}
            self.listeners[arn].append(
                {"ListenerArn": listener_arn, "PortRanges": ports, **protocol}
            )
            self.groups[listener_arn] = groups

    def accelerators_of(self, kind: str) -> Listing:
        return lambda params, region: self.accelerators[kind]

    def handlers(self) -> dict[str, Handler]:
        service = "globalaccelerator"
        handlers: dict[str, Handler] = {}
        for kind in self.accelerators:
            handlers |= {
                f"List{kind}Accelerators": paged(
                    service, f"List{kind}Accelerators", self.accelerators_of(kind), 2
                ),
                f"List{kind}Listeners": paged(
                    service,
                    f"List{kind}Listeners",
                    lambda p, r: self.listeners[p["AcceleratorArn"]],
                    1,
                ),
                f"List{kind}EndpointGroups": paged(
                    service,
                    f"List{kind}EndpointGroups",
                    lambda p, r: self.groups[p["ListenerArn"]],
                    1,
                ),
            }
        return handlers


def destinations(region: str, *subnets: str) -> dict[str, Any]:
    """A custom routing endpoint group: destination subnets, no weights."""
    return {
        "EndpointGroupArn": f"arn:aws:globalaccelerator::{ACCOUNT_ID}:accelerator/c/eg/{region}",
        "EndpointGroupRegion": region,
        "DestinationDescriptions": [{"FromPort": 80, "ToPort": 80, "Protocols": ["TCP"]}],
        "EndpointDescriptions": [{"EndpointId": s} for s in subnets],
    }


MISSING = [f"i-{n:017x}" for n in range(1, 199)]


def seed(boto: Boto) -> Accelerators:
    # make_subnets gives subnets in AZs a, a, b: keep one in a and one in b.
    east = make_subnets(boto, "us-east-1")[1:]
    west = make_subnets(boto, "eu-west-1")[1:]
    # More ids than one EC2 filter takes, real ones (two sharing a reservation) straddling the
    # batch boundary: each must be found. The made-up ids sort first and do not exist.
    pair = launch(boto, east[0], "us-east-1", 2)
    [in_b] = launch(boto, east[1], "us-east-1")
    ec2 = boto("ec2", "us-east-1")
    interface = ec2.create_network_interface(SubnetId=east[1])["NetworkInterface"]
    address = ec2.allocate_address(Domain="vpc")["AllocationId"]
    ec2.associate_address(AllocationId=address, NetworkInterfaceId=interface["NetworkInterfaceId"])
    elbv2 = boto("elbv2", "eu-west-1")
    alb = elbv2.create_load_balancer(Name="web", Subnets=west)["LoadBalancers"][0]
    nlb = elbv2.create_load_balancer(Name="tcp", Subnets=west[:1], Type="network")["LoadBalancers"][
        0
    ]

    data = Accelerators()
    data.add("crowd", [group("us-east-1", *MISSING, *pair, in_b)])
    data.add(
        "two-listeners",
        [group("us-east-1", pair[0])],
        [group("us-east-1", address), group("us-east-1")],
    )
    data.add("alb", [group("eu-west-1", alb["LoadBalancerArn"])])
    data.add("nlb", [group("eu-west-1", nlb["LoadBalancerArn"])])
    data.add("two-regions", [group("us-east-1", in_b), group("eu-west-1", nlb["LoadBalancerArn"])])
    data.add("no-listeners")
    data.add("stale", [group("us-east-1", "i-0123456789abcdef0")])
    data.add("routing-one-az", [destinations("us-east-1", east[0])], kind="CustomRouting")
    data.add(
        "routing-two-az",
        [destinations("us-east-1", *east), destinations("eu-west-1")],
        kind="CustomRouting",
    )
    data.add(
        "routing-gone",
        [destinations("eu-west-1", "subnet-0123456789abcdef0")],
        kind="CustomRouting",
    )
    return data


def test_globalaccelerator_collection_runs_once_in_us_west_2_and_locates_endpoints(
    boto: Boto, run_cli: RunCli, standin: StartStandin
) -> None:
    data = seed(boto)
    server = standin("globalaccelerator", data.handlers())
    run = run_cli("scan", "-r", "eu-west-1,ap-southeast-2", "-s", "globalaccelerator,dax")
    assert run.code == 0, run.stderr

    pairs = {(r["service"], r["region"]) for r in run.report if r["region"] != "Overall"}
    assert pairs == {
        ("globalaccelerator", "us-west-2"),
        ("dax", "eu-west-1"),
        ("dax", "ap-southeast-2"),
    }
    assert {r["result"] for r in run.report if r["region"] != "Overall"} == {"Success"}
    assert {region for region, _, _ in server.requests} == {"us-west-2"}

    findings = {f["resource_name"]: f for f in run.findings}
    assert {f["region"] for f in findings.values()} == {"us-west-2"}
    got = {name: (f["potential_single_az_risk"], f["message"]) for name, f in findings.items()}
    assert got == {
        "crowd": (
            "False",
            "Listener TCP 443: 201 endpoint(s) in us-east-1, in 2 AZ(s): us-east-1a, us-east-1b; "
            f"AZ unknown (not found) for {', '.join(MISSING)}",
        ),
        "two-listeners": (
            "True",
            "Listener TCP 443: 1 endpoint(s) in us-east-1, in 1 AZ(s): us-east-1a; "
            "listener TCP 444: 1 endpoint(s) in us-east-1, in 1 AZ(s): us-east-1b",
        ),
        "alb": (
            "False",
            "Listener TCP 443: 1 endpoint(s) in eu-west-1, in 2 AZ(s): eu-west-1a, eu-west-1b",
        ),
        "nlb": ("True", "Listener TCP 443: 1 endpoint(s) in eu-west-1, in 1 AZ(s): eu-west-1a"),
        "two-regions": (
            "False",
            "Listener TCP 443: 2 endpoints in 2 regions (eu-west-1, us-east-1); "
            "AZs: eu-west-1a, us-east-1b",
        ),
        "no-listeners": ("False", "Accelerator has no endpoint receiving traffic (0 listener(s))"),
        "stale": (
            "True",
            "Listener TCP 443: 1 endpoint(s) in us-east-1, in 0 AZ(s): none; "
            "AZ unknown (not found) for i-0123456789abcdef0",
        ),
        "routing-one-az": (
            "True",
            "Listener ports 443: 1 endpoint(s) in us-east-1, in 1 AZ(s): us-east-1a",
        ),
        "routing-two-az": (
            "False",
            "Listener ports 443: 2 endpoint(s) in us-east-1, in 2 AZ(s): us-east-1a, us-east-1b",
        ),
        "routing-gone": (
            "True",
            "Listener ports 443: 1 endpoint(s) in eu-west-1, in 0 AZ(s): none; "
            "AZ unknown (not found) for subnet-0123456789abcdef0",
        ),
    }
    for kind in ("", "CustomRouting"):
        operation = f"List{kind}Accelerators"
        listed = [p.get("NextToken") for _, op, p in server.requests if op == operation]
        assert listed == ([None, "2", "4", "6"] if not kind else [None, "2"])

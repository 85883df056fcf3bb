"""Direct Connect: a region's connections and each virtual private gateway's virtual interfaces
(VIFs), sharing a fate; the Direct Connect gateways those connections serve are judged once per
scan (``dxgw``), and a region they make redundant is not a risk."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from resiliency_analyser.checks.api import (
    AccountInfo,
    Assessment,
    Batches,
    Check,
    Fails,
    Guidance,
    Record,
    RegionScope,
    Severity,
    arn,
    concurrently,
)
from resiliency_analyser.checks.lookups import (
    DX_GATEWAYS,
    DX_VIRTUAL_INTERFACES,
    GATEWAY_GONE,
    GatewayRecords,
    dx_records,
)

AVAILABLE = "available"
"""The one state in which a connection or VIF carries traffic."""
GONE = frozenset({"deleted", "rejected"})
"""States of records that no longer exist: a resource with nothing else gets no finding."""


def owned_arn(account: AccountInfo, owner: str, region: str, service: str, resource: str) -> str:
    """An ARN in the owner's account: hosted VIFs and shared gateways belong to another one."""
    owning = account.model_copy(update={"account_id": owner}) if owner else account
    return arn(owning, region, service, resource)


def left_out_text(left_out: Sequence[str]) -> str:
    return f"; left out: {', '.join(left_out)}" if left_out else ""


def available(records: Sequence[Record], state_key: str) -> list[Record]:
    return [r for r in records if r.get(state_key) == AVAILABLE]


def not_available(records: Sequence[Record], id_key: str, state_key: str) -> list[str]:
    """``<id> (<state>)`` of each record that is not a path, for the message."""
    return [
        f"{r.get(id_key, '')} ({r.get(state_key) or 'no state'})"
        for r in records
        if r.get(state_key) != AVAILABLE
    ]


def assess_paths(
    vifs: Sequence[Record], left_out: Sequence[str] = (), *, with_region: bool = False
) -> tuple[bool, str]:
    """(risk, message) for a gateway's VIFs: a risk with fewer than two available VIFs, or when
    all of them are on one connection (or LAG) or at one location. ``left_out`` names paths
    already set aside, with why."""
    ordered = sorted(vifs, key=lambda v: v.get("virtualInterfaceId", ""))
    paths = available(ordered, "virtualInterfaceState")
    skipped = not_available(ordered, "virtualInterfaceId", "virtualInterfaceState")
    connections = sorted({v.get("connectionId", "") for v in paths})
    locations = sorted({v.get("location") or "unknown location" for v in paths})

    def where(v: Record) -> str:
        text = f"{v.get('virtualInterfaceId', '')} on {v.get('connectionId', '')} at "
        text += v.get("location") or "unknown location"
        return f"{text} in {v.get('region', '')}" if with_region else text

    listed = ", ".join(map(where, paths))
    if not paths:
        message = "No available virtual interface"
    elif len(paths) == 1:
        message = f"Only one available virtual interface: {listed}"
    elif len(connections) == 1:
        message = (
            f"All {len(paths)} available virtual interfaces are on one connection "
            f"({connections[0]}): {listed}"
        )
    elif len(locations) == 1:
        message = (
            f"All {len(paths)} available virtual interfaces are at one location "
            f"({locations[0]}): {listed}"
        )
    else:
        message = (
            f"{len(paths)} available virtual interfaces on {len(connections)} connections at "
            f"{len(locations)} locations: {listed}"
        )
    risk = len(paths) < 2 or len(connections) < 2 or len(locations) < 2
    return risk, message + left_out_text([*left_out, *skipped])


def assess_virtual_gateways(
    vifs: Sequence[Record], account: AccountInfo, region: str
) -> list[Assessment]:
    """One finding per virtual private gateway the region's VIFs attach to."""
    by_gateway: dict[str, list[Record]] = defaultdict(list)
    for vif in vifs:
        if vif.get("virtualGatewayId"):
            by_gateway[vif["virtualGatewayId"]].append(vif)
    results = []
    for gateway_id, members in sorted(by_gateway.items()):
        if all(v.get("virtualInterfaceState") in GONE for v in members):
            continue
        risk, message = assess_paths(members)
        owner = next((v.get("ownerAccount", "") for v in members if v.get("ownerAccount")), "")
        results.append(
            Assessment(
                check_id="dx.gateway_vifs",
                resource_arn=owned_arn(account, owner, region, "ec2", f"vpn-gateway/{gateway_id}"),
                resource_name=gateway_id,
                resource_id=gateway_id,
                risk=risk,
                engine="virtual gateway",
                message=message,
            )
        )
    return results


def assess_dx_gateway(
    gateway: Record, attachments: Sequence[Record], vifs: Mapping[str, Record], account: AccountInfo
) -> Assessment:
    left_out: list[str] = []
    members: list[Record] = []
    for attachment in sorted(attachments, key=lambda a: a.get("virtualInterfaceId", "")):
        vif_id = attachment.get("virtualInterfaceId", "")
        state = attachment.get("attachmentState", "")
        if state != "attached":
            left_out.append(f"{vif_id} (attachment {state or 'state unknown'})")
        elif vif_id in vifs:
            members.append(vifs[vif_id])
        else:
            region = attachment.get("virtualInterfaceRegion", "")
            left_out.append(f"{vif_id} (not found in {region or 'its region'})")
    if attachments:
        risk, message = assess_paths(members, left_out, with_region=True)
    else:
        risk, message = False, "No virtual interface attached: the gateway carries no traffic"
    gateway_id = gateway.get("directConnectGatewayId", "")
    return Assessment(
        check_id="dxgw.gateway_vifs",
        resource_arn=owned_arn(
            account,
            gateway.get("ownerAccount", ""),
            "",
            "directconnect",
            f"dx-gateway/{gateway_id}",
        ),
        resource_name=gateway.get("directConnectGatewayName") or gateway_id,
        resource_id=gateway_id,
        risk=risk,
        engine="Direct Connect gateway",
        message=message,
    )


def assess_dx_gateways(records: GatewayRecords, account: AccountInfo) -> list[Assessment]:
    """Gateways being deleted, or deleted, carry no traffic and get no finding."""
    return [
        assess_dx_gateway(
            g,
            records.attachments.get(g.get("directConnectGatewayId", ""), []),
            records.vifs,
            account,
        )
        for g in records.gateways
        if g.get("directConnectGatewayState") not in GATEWAY_GONE
    ]


def connection_text(connection: Record) -> str:
    return f"{connection.get('connectionId', '')} at {connection.get('location') or 'unknown location'}"


def serving_vifs(connections: Sequence[Record], vifs: Sequence[Record]) -> list[Record]:
    """The available VIFs on these connections (or their LAGs)."""
    ids = {c.get("connectionId") for c in connections} | {
        c["lagId"] for c in connections if c.get("lagId")
    }
    return [v for v in available(vifs, "virtualInterfaceState") if v.get("connectionId") in ids]


def served_gateways(connections: Sequence[Record], vifs: Sequence[Record]) -> list[str]:
    """Gateways the connections serve: those an available VIF on one of them attaches to."""
    served = {
        v.get("virtualGatewayId") or v.get("directConnectGatewayId")
        for v in serving_vifs(connections, vifs)
    }
    return sorted(g for g in served if g)


def region_shortfall(connections: Sequence[Record]) -> str | None:
    """Why the region's available connections are not redundant on their own, or None."""
    paths = available(connections, "connectionState")
    locations = sorted({c.get("location") or "unknown location" for c in paths})
    listed = ", ".join(map(connection_text, paths))
    if not paths:
        return "No available connection in the region"
    if len(paths) == 1:
        return f"Only one available connection in the region: {listed}"
    if len(locations) == 1:
        return (
            f"All {len(paths)} available connections are at one location ({locations[0]}): {listed}"
        )
    return None


def needs_dx_gateways(connections: Sequence[Record], vifs: Sequence[Record]) -> bool:
    """Whether the region's verdict hangs on Direct Connect gateways' verdicts."""
    serving = serving_vifs(available(connections, "connectionState"), vifs)
    return region_shortfall(connections) is not None and any(
        v.get("directConnectGatewayId") for v in serving
    )


def assess_connections(
    connections: Sequence[Record],
    vifs: Sequence[Record],
    gateways: Mapping[str, Assessment],
    region: str,
) -> Assessment | None:
    """One finding for the region's connections, or none when it has none. ``gateways`` holds
    the verdicts of the gateways (virtual and Direct Connect) known, by id."""
    ordered = sorted(connections, key=lambda c: c.get("connectionId", ""))
    if all(c.get("connectionState") in GONE for c in ordered):
        return None
    paths = available(ordered, "connectionState")
    skipped = not_available(ordered, "connectionId", "connectionState")
    shortfall = region_shortfall(ordered)
    served = served_gateways(paths, vifs)
    failing = [g for g in served if g not in gateways or gateways[g].risk]
    if shortfall is None:
        locations = {c.get("location") or "unknown location" for c in paths}
        message = (
            f"{len(paths)} available connections at {len(locations)} locations: "
            f"{', '.join(map(connection_text, paths))}"
        )
        risk = False
    elif served and not failing:
        message = (
            f"{shortfall}; not a risk: the gateways these connections serve are redundant "
            f"on their own ({', '.join(served)})"
        )
        risk = False
    else:
        unjudged = [g for g in failing if g not in gateways]
        message = shortfall
        if served:
            message += f"; gateways served that are not redundant: {', '.join(failing)}"
        if unjudged:
            message += f" (not judged, not listed in this account: {', '.join(unjudged)})"
        risk = True
    return Assessment(
        check_id="dx.region_connections",
        resource_name=f"{region} connections",
        resource_id=region,
        risk=risk,
        engine="connections",
        message=message + left_out_text(skipped),
    )


def assess(
    connections: Sequence[Record],
    vifs: Sequence[Record],
    dx_gateways: Mapping[str, Assessment],
    account: AccountInfo,
    region: str,
) -> list[Assessment]:
    """The region's connections and virtual gateways; ``dx_gateways`` are the Direct Connect
    gateways' verdicts by id (needed only when ``needs_dx_gateways``)."""
    virtual = assess_virtual_gateways(vifs, account, region)
    verdicts = {**dx_gateways, **{a.resource_id: a for a in virtual}}
    region_finding = assess_connections(connections, vifs, verdicts, region)
    return [*([region_finding] if region_finding else []), *virtual]


async def scan(scope: RegionScope) -> Batches:
    connections, vifs = await concurrently(
        dx_records(scope, "describe_connections", "connections"),
        scope.shared(DX_VIRTUAL_INTERFACES),
    )
    dx_gateways: dict[str, Assessment] = {}
    if needs_dx_gateways(connections, vifs):
        records = await scope.shared(DX_GATEWAYS)
        dx_gateways = {a.resource_id: a for a in assess_dx_gateways(records, scope.account)}
    yield assess(connections, vifs, dx_gateways, scope.account, scope.region)


GATEWAY_ACTIONS = (
    "directconnect:DescribeDirectConnectGateways",
    "directconnect:DescribeDirectConnectGatewayAttachments",
    "directconnect:DescribeVirtualInterfaces",
)

CHECK = Check(
    key="dx",
    service="AWS Direct Connect",
    rule=(
        "A region is a risk when it has fewer than two available connections or all of them at "
        "one location, unless every gateway they serve is redundant; a virtual private gateway "
        "is a risk when it has fewer than two available virtual interfaces, or all of them on "
        "one connection or at one location."
    ),
    actions=("directconnect:DescribeConnections", *GATEWAY_ACTIONS),
    scan=scan,
    guidance={
        "dx.region_connections": Guidance(
            Severity.HIGH,
            "Add a second Direct Connect connection at a different location (or a Site-to-Site VPN "
            "as backup).",
            "Other",
            fails=Fails.PATH,
            well_architected=("REL02-BP02",),
        ),
        "dx.gateway_vifs": Guidance(
            Severity.HIGH,
            "Attach a second virtual interface on a different connection at another location to "
            "the virtual private gateway.",
            "Other",
            fails=Fails.PATH,
            well_architected=("REL02-BP02",),
        ),
    },
    notes=(
        (
            "Only connections and virtual interfaces in state `available` count as paths; the "
            "message names the others it left out, with their state (`down`, `ordering`, "
            "`deleting`, …). A region or gateway whose every record is `deleted` or "
            "`rejected` gets no finding."
        ),
        (
            "One finding per region that has connections (`resource_name` `<region> "
            "connections`, `engine` `connections`); the message lists each available "
            "connection and its location."
        ),
        (
            "A region with fewer than two available connections, or all at one location, is "
            "not a risk when its connections serve gateways (a VIF on the connection or its "
            "LAG attaches to them) and every one of them passes the gateway rule: AWS's "
            "recommended layout homes one connection in each of two regions, both reaching one "
            "Direct Connect gateway. The message names those gateways, or the ones that are "
            "not redundant. Direct Connect gateways' verdicts come from the `dxgw` check's "
            "lookup, run once per scan whatever `-s` says."
        ),
        (
            "One finding per virtual private gateway (`resource_arn` the `vpn-gateway` ARN, "
            "in the VIF owner's account for hosted VIFs) with VIFs in the region; the message "
            "lists each VIF with its connection (or LAG) and location. Public VIFs attach to "
            "no gateway and are not judged; Direct Connect gateways are the `dxgw` check's."
        ),
        (
            "API: `DescribeConnections`, `DescribeVirtualInterfaces` (in parallel; all pages "
            "through `nextToken`, which botocore has no paginator for; the VIF listing is shared "
            "with `dxgw`)."
        ),
    ),
)

"""Direct Connect gateways whose virtual interfaces share one connection or one location.

A Direct Connect gateway is global: it is judged once per scan, in us-east-1, on every VIF
attached to it, each read in its own region whatever ``--regions`` says.
"""

from __future__ import annotations

from resiliency_analyser.checks.api import Batches, Check, Fails, Guidance, RegionScope, Severity
from resiliency_analyser.checks.dx import GATEWAY_ACTIONS, assess_dx_gateways
from resiliency_analyser.checks.lookups import DX_GATEWAYS, DX_HOME_REGION


async def scan(scope: RegionScope) -> Batches:
    yield assess_dx_gateways(await scope.shared(DX_GATEWAYS), scope.account)


CHECK = Check(
    key="dxgw",
    service="AWS Direct Connect gateways",
    rule=(
        "A Direct Connect gateway is a risk when fewer than two of its attached virtual "
        "interfaces are available, or all of them are on one connection or at one location; "
        "a gateway with none attached gets a finding that is not a risk."
    ),
    actions=GATEWAY_ACTIONS,
    scan=scan,
    home_region=DX_HOME_REGION,
    guidance={
        "dxgw.gateway_vifs": Guidance(
            Severity.HIGH,
            "Attach virtual interfaces on two connections at two locations (ideally homed in two "
            "regions) to the Direct Connect gateway.",
            "Other",
            fails=Fails.PATH,
            well_architected=("REL02-BP02",),
        ),
    },
    notes=(
        (
            "Global: Direct Connect gateways are listed once per scan in us-east-1, whatever "
            "`--regions` says, and their findings carry region `us-east-1`. The VIFs attached "
            "to a gateway are read in the regions its attachments name, also whatever "
            "`--regions` says, so scanning some regions never makes a gateway look less "
            "redundant than it is."
        ),
        (
            "Only attachments in state `attached` whose VIF is `available` count; the message "
            "lists each VIF with its connection (or LAG), location and region, and names the "
            "ones left out and why (attachment state, VIF state, or a VIF its region does not "
            "list, such as one owned by another account)."
        ),
        (
            "`resource_arn` is `arn:<partition>:directconnect::<owner account>:dx-gateway/<id>`"
            " (the gateway's `ownerAccount`), `resource_name` the gateway's name. Gateways "
            "`deleting` or `deleted` get no finding."
        ),
        (
            "API: `DescribeDirectConnectGateways`, `DescribeDirectConnectGatewayAttachments` "
            "per gateway (all pages, in parallel), `DescribeVirtualInterfaces` in each region "
            "the attachments name (all pages through `nextToken`; shared with `dx`)."
        ),
    ),
)

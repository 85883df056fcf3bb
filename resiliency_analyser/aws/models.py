"""Fields AWS returns that the installed botocore does not model yet, merged into its models.

botocore parses only the members its service model names, so a newer field (EC2's NAT gateway
``AvailabilityMode``, a Network Firewall proxy's ``VpcEndpoint``) would be dropped before a check
could read it, and sends only the parameters it names (Network Firewall's ``FirewallType``). The
``models`` folder next to this module holds botocore "extras" files that add such members; where
botocore already models them, the merge changes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

MODELS = Path(__file__).with_name("models")
EXTRAS_TYPE = "resiliency"
"""Our files are ``service-2.resiliency-extras.json``: a name no botocore extras file uses."""


def add_model_extras(botocore_session: Any) -> None:
    """Makes every client ``botocore_session`` creates from now on parse the extra members."""
    loader = botocore_session.get_component("data_loader")
    if str(MODELS) not in loader.search_paths:
        loader.search_paths.append(str(MODELS))
    if EXTRAS_TYPE not in loader.extras_types:
        loader.extras_types.append(EXTRAS_TYPE)

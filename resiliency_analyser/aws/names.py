"""What AWS names look like: regions, account ids, partitions, AZ IDs. No SDK import."""

from __future__ import annotations

import re

REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d+$")
ACCOUNT_ID = re.compile(r"^\d{12}$")
PARTITIONS = ("aws", "aws-us-gov", "aws-cn")
AZ_ID = re.compile(r"^[a-z]{2,}\d+-[a-z0-9-]+$")
"""``use1-az4``, ``usw2-lax1-az1``; an AZ name such as ``us-east-1a`` does not match."""
ORGANIZATIONAL_UNIT = re.compile(r"^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})$")
"""An organizational unit id, or the organization's root id (``r-...``), which holds them all."""
ROLE_SESSION_NAME = re.compile(r"^[\w+=,.@-]{2,64}$")
EXTERNAL_ID = re.compile(r"^[\w+=,.@:/-]{2,1224}$")
SESSION_NAME = "resiliency-analyser"
"""The session name of every role the scan assumes, unless ``--role-session-name`` says else."""
ZONE_REGION = re.compile(r"^[a-z]{2}(?:-[a-z]+)+-\d+")
"""The region an AZ name (``us-east-1a``, Local Zone ``us-east-1-bos-1a``) starts with."""


def zone_region(zone_name: str) -> str:
    """The region of an AZ, Local Zone or Wavelength Zone name; '' for anything else."""
    found = ZONE_REGION.match(zone_name)
    return found.group(0) if found else ""

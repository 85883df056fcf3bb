"""What AWS names look like: regions, account ids, partitions. No SDK import."""

from __future__ import annotations

import re

REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d+$")
ACCOUNT_ID = re.compile(r"^\d{12}$")
PARTITIONS = ("aws", "aws-us-gov", "aws-cn")

"""Importing the run's findings into Security Hub, in each finding's own account and region.

Per (account, region): read back the findings this tool imported earlier (GetFindings), import
this run's (BatchImportFindings: at most 100 findings and 6 MB a call, under the API's rate), then
archive the earlier ones the run no longer produces for the checks that finished there. Security
Hub accepts default-product findings only from the account that owns them, so each account's
findings go through that account's clients.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from resiliency_analyser.aws.clients import AwsClients
from resiliency_analyser.aws.endpoints import ServiceNotInRegion
from resiliency_analyser.aws.outcomes import Failure, classify, classify_code
from resiliency_analyser.checks.registry import BY_KEY
from resiliency_analyser.delivery.asff import (
    MAX_FINDING_BYTES,
    Asff,
    archived,
    asff_finding,
    asff_size,
    description_trimmed,
    product_arn,
    timestamp,
)
from resiliency_analyser.delivery.tally import DeliveryStats, RetryPolicy
from resiliency_analyser.gate.identity import TOOL, finding_id
from resiliency_analyser.gate.records import FindingRecord
from resiliency_analyser.model.report import Outcome, PairResult

log = logging.getLogger(__name__)

SERVICE = "securityhub"
"""The ``service`` of the run-report rows counting what was imported, per account and region."""

MAX_FINDINGS = 100
# 6 MB a call, read as 10**6 bytes to stay under either reading.
MAX_REQUEST_BYTES = 6_000_000

RETRYABLE = frozenset(
    {
        "InternalException",
        "InternalFailure",
        "LimitExceededException",
        "ThrottlingException",
        "TooManyRequestsException",
    }
)
NOT_ENABLED = "InvalidAccessException"
"""What Security Hub answers in a region where the account has not enabled it."""
TOO_LARGE = "FindingTooLarge"
NO_CREDENTIALS = "NoCredentialsForAccount"
NO_ENDPOINT = "NoSecurityHubEndpoint"
CALL_ERRORS = (ClientError, BotoCoreError, ServiceNotInRegion)
"""What a call can end with: AWS's answer, no answer, or no Security Hub endpoint there."""
FINISHED = frozenset({Outcome.SUCCESS, Outcome.NOT_AVAILABLE})
"""Pair outcomes that prove the check saw everything there: only they may archive."""


@dataclass(frozen=True)
class Target:
    """One (account, region) the run covered, and the check ids whose pairs finished there."""

    account_id: str
    region: str
    finished: frozenset[str]


def targets(covered: Iterable[PairResult], records: Iterable[FindingRecord]) -> list[Target]:
    """Every (account, region) with a pair or a finding, sorted."""
    finished: dict[tuple[str, str], set[str]] = defaultdict(set)
    for result in covered:
        check_ids = finished[(result.account_id, result.region)]
        check = BY_KEY.get(result.service)
        if check is not None and result.outcome in FINISHED:
            check_ids.update(check.guidance)
    for record in records:
        finished.setdefault((record.finding.account_id, record.finding.region), set())
    return [Target(a, r, frozenset(ids)) for (a, r), ids in sorted(finished.items())]


@dataclass
class ImportStats(DeliveryStats):
    """Importing into one account and region; its row is that account's and region's."""

    service = SERVICE
    account_id: str
    done: Counter[str] = field(default_factory=Counter)
    """Findings Security Hub accepted: ``imported`` (new), ``updated``, ``archived``."""
    trimmed: int = 0
    retried: int = 0
    not_enabled: bool = False

    @property
    def outcome(self) -> Outcome:
        return Outcome.ERROR if self.not_enabled else super().outcome

    @property
    def unsuccessful(self) -> bool:
        return self.not_enabled or bool(self.failed)

    def summary(self) -> str:
        text = f"{counts(self.done, self.failed)} trimmed={self.trimmed} retried={self.retried}"
        if self.not_enabled:
            text = f"Security Hub is not enabled in {self.region}; {text}"
        return text + self.failure_text()

    def line(self) -> str:
        """What the user reads on stderr about this account and region."""
        if self.not_enabled:
            return (
                f"Security Hub is not enabled in {self.region} for account {self.account_id}: "
                f"{self.failed} findings not imported; enable it there or leave the region out"
            )
        return f"securityhub failed in {self.account_id} {self.region}: {self.summary()}"


def counts(done: Counter[str], failed: int) -> str:
    return (
        f"imported={done['imported']} updated={done['updated']} archived={done['archived']}"
        f" failed={failed}"
    )


def totals(every: Sequence[ImportStats]) -> str:
    """The counts over every account and region, for the one summary line."""
    done = sum((stats.done for stats in every), Counter[str]())
    failed = sum(stats.failed for stats in every)
    return f"{counts(done, failed)} in {len(every)} account-region(s)"


def batches(findings: Sequence[Asff]) -> list[list[Asff]]:
    """Consecutive calls' worth: at most 100 findings and 6 MB each."""
    calls: list[list[Asff]] = []
    size = 0
    for finding in findings:
        finding_size = asff_size(finding)
        if not calls or len(calls[-1]) == MAX_FINDINGS or size + finding_size > MAX_REQUEST_BYTES:
            calls.append([])
            size = 0
        calls[-1].append(finding)
        size += finding_size
    return calls


def _ours(finding: Asff, target: Target, product: str) -> bool:
    """The query's filters, checked again: a hub aggregating regions or member accounts
    answers for them too, and other custom integrations share the default product."""
    return (
        finding.get("ProductArn") == product
        and finding.get("AwsAccountId") == target.account_id
        and finding.get("Region") == target.region
        and finding.get("RecordState") == "ACTIVE"
        and finding.get("ProductFields", {}).get("ProviderName") == TOOL
    )


def _failure(error: BaseException) -> Failure:
    if isinstance(error, ServiceNotInRegion):
        # Named for this delivery: the findings of such a region cannot go anywhere.
        return Failure(Outcome.ERROR, NO_ENDPOINT, str(error))
    return classify(error)


class AccountRegionImport:
    """Everything sent to Security Hub in one account and region, within its quotas (the
    clients pace each call to its published budget, ``aws/budgets``)."""

    def __init__(
        self, clients: AwsClients, target: Target, partition: str, retry: RetryPolicy
    ) -> None:
        self._clients = clients
        self._target = target
        self._partition = partition
        self._retry = retry
        self._broken: Failure | None = None
        self.stats = ImportStats(account_id=target.account_id, region=target.region)

    async def run(self, records: Sequence[FindingRecord]) -> ImportStats:
        try:
            existing = await self._existing()
        except CALL_ERRORS as error:
            failure = _failure(error)
            self.stats.not_enabled = failure.code == NOT_ENABLED
            self.stats.record_failure(len(records), failure)
            return self._finish()
        kinds: dict[str, str] = {}
        findings: list[Asff] = []
        for record in records:
            finding = self._asff(record, existing)
            if finding is not None:
                kinds[finding["Id"]] = "updated" if finding["Id"] in existing else "imported"
                findings.append(finding)
        await self._send(findings, kinds)
        at = timestamp(datetime.now(UTC))
        produced = {finding_id(r.finding) for r in records}
        stale = [
            archived(finding, at)
            for key, finding in sorted(existing.items())
            if key not in produced and finding.get("GeneratorId") in self._target.finished
        ]
        await self._send(stale, dict.fromkeys((f["Id"] for f in stale), "archived"))
        return self._finish()

    def _finish(self) -> ImportStats:
        # What went wrong is on stderr once, from the run's delivery lines.
        self.stats.ended = datetime.now(UTC)
        return self.stats

    def _asff(self, record: FindingRecord, existing: Mapping[str, Asff]) -> Asff | None:
        before = existing.get(finding_id(record.finding), {})
        finding = asff_finding(record, partition=self._partition, created=before.get("CreatedAt"))
        if description_trimmed(record):
            self.stats.trimmed += 1
            log.warning("Security Hub description of %s trimmed", record.finding.resource_arn)
        if asff_size(finding) > MAX_FINDING_BYTES:
            self.stats.record_failure(
                1,
                Failure(
                    Outcome.ERROR,
                    TOO_LARGE,
                    f"{finding['Resources'][0]['Id'][:200]} exceeds 240 KB",
                ),
            )
            return None
        return finding

    async def _existing(self) -> dict[str, Asff]:
        """This tool's active findings in the account and region, by Id."""
        target = self._target
        product = product_arn(self._partition, target.region, target.account_id)

        def equals(value: str) -> list[dict[str, str]]:
            return [{"Value": value, "Comparison": "EQUALS"}]

        filters = {
            "ProductArn": equals(product),
            "AwsAccountId": equals(target.account_id),
            "Region": equals(target.region),
            "RecordState": equals("ACTIVE"),
            "ProductFields": [{"Key": "ProviderName", "Value": TOOL, "Comparison": "EQUALS"}],
        }
        found: dict[str, Asff] = {}
        params: dict[str, Any] = {"Filters": filters, "MaxResults": MAX_FINDINGS}
        while True:
            page = await self._clients.call(SERVICE, target.region, "get_findings", **params)
            found.update(
                (f["Id"], f) for f in page.get("Findings", []) if _ours(f, target, product)
            )
            if not page.get("NextToken"):
                return found
            params["NextToken"] = page["NextToken"]

    async def _send(self, findings: Sequence[Asff], kinds: Mapping[str, str]) -> None:
        await asyncio.gather(*(self._send_call(batch, kinds) for batch in batches(findings)))

    async def _send_call(self, batch: list[Asff], kinds: Mapping[str, str]) -> None:
        for attempt in range(self._retry.attempts):
            if self._broken is not None:
                self.stats.record_failure(len(batch), self._broken)
                return
            try:
                response = await self._clients.call(
                    SERVICE, self._target.region, "batch_import_findings", Findings=batch
                )
            except CALL_ERRORS as error:
                # botocore has already retried what it could; further calls would fail alike.
                self._broken = _failure(error)
                self.stats.record_failure(len(batch), self._broken)
                return
            batch = self._settle(batch, response, kinds, last=attempt + 1 == self._retry.attempts)
            if not batch:
                return
            self.stats.retried += len(batch)
            await asyncio.sleep(self._retry.delay(attempt))

    def _settle(
        self,
        batch: list[Asff],
        response: Mapping[str, Any],
        kinds: Mapping[str, str],
        *,
        last: bool,
    ) -> list[Asff]:
        """Counts what the call imported or finally failed; returns the findings to send again."""
        failures = {f.get("Id"): f for f in response.get("FailedFindings", [])}
        again: list[Asff] = []
        for finding in batch:
            failure = failures.get(finding["Id"])
            if failure is None:
                self.stats.done[kinds[finding["Id"]]] += 1
            elif failure.get("ErrorCode") in RETRYABLE and not last:
                again.append(finding)
            else:
                code = str(failure.get("ErrorCode", "Unknown"))
                self.stats.record_failure(
                    1, classify_code(code, str(failure.get("ErrorMessage", "")))
                )
        return again


class SecurityHubImporter:
    """Imports into every (account, region) the run covered, all at once, each within quota.

    ``clients`` holds each account's clients: one for a single-account run, each member's (its
    role's session) for an organization run.
    """

    def __init__(
        self,
        clients: Mapping[str, AwsClients],
        partition: str,
        *,
        include_passed: bool,
        retry: RetryPolicy | None = None,
    ) -> None:
        self._clients = clients
        self._partition = partition
        self._include_passed = include_passed
        self._retry = retry or RetryPolicy()

    async def run(
        self, records: Iterable[FindingRecord], covered: Iterable[PairResult]
    ) -> list[ImportStats]:
        chosen = [r for r in records if r.finding.potential_single_az_risk or self._include_passed]
        groups: dict[tuple[str, str], list[FindingRecord]] = defaultdict(list)
        for record in chosen:
            groups[(record.finding.account_id, record.finding.region)].append(record)
        return list(
            await asyncio.gather(
                *(
                    self._import(target, groups.get((target.account_id, target.region), []))
                    for target in targets(covered, chosen)
                )
            )
        )

    async def _import(self, target: Target, records: list[FindingRecord]) -> ImportStats:
        clients = self._clients.get(target.account_id)
        if clients is None:
            stats = ImportStats(account_id=target.account_id, region=target.region)
            stats.record_failure(
                len(records),
                Failure(
                    Outcome.ERROR, NO_CREDENTIALS, f"no session for account {target.account_id}"
                ),
            )
            stats.ended = datetime.now(UTC)
            return stats
        job = AccountRegionImport(clients, target, self._partition, self._retry)
        return await job.run(records)

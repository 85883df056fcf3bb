"""Which accounts and which regions a run scans: pure functions of what AWS listed and what the
user asked for, apart from the scan itself (which may then run the accounts anywhere)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from resiliency_analyser.checks.api import Check
from resiliency_analyser.errors import UsageError
from resiliency_analyser.model.accounts import ACTIVE, OrgAccount
from resiliency_analyser.model.findings import AccountInfo
from resiliency_analyser.model.shards import Shard, ShardMark, ShardOf, run_fingerprint
from resiliency_analyser.run.engine import Pair
from resiliency_analyser.run.request import AccountScope


@dataclass(frozen=True)
class SelectedAccount:
    info: AccountInfo
    status: str = ACTIVE

    @property
    def active(self) -> bool:
        return self.status == ACTIVE


@dataclass(frozen=True)
class Selection:
    caller: AccountInfo
    """The scanning account, named from the listing."""
    accounts: tuple[SelectedAccount, ...]
    """Every account chosen, in account id order; those not ``ACTIVE`` are skipped."""
    notes: tuple[str, ...] = ()
    """Filters that chose or left out nothing: said, never silently ignored."""

    @property
    def active(self) -> list[SelectedAccount]:
        return [a for a in self.accounts if a.active]


def select_accounts(
    scope: AccountScope,
    caller: AccountInfo,
    listing: Sequence[OrgAccount] | None,
    under: Mapping[str, frozenset[str]],
) -> Selection:
    """The accounts ``scope`` chooses.

    ``listing``: the organization's accounts (``None`` when the caller may not list them, for
    ``--accounts`` without ``--organization``: the ids are then taken as given, without names).
    ``under``: each organizational unit ``scope`` names -> the accounts under it.

    ``--ou`` and ``--accounts`` add up; without either, ``--organization`` is every account;
    then ``--exclude-ou`` and ``--exclude-accounts`` leave accounts out. An id the listing does
    not hold, or a selection left empty, is a ``UsageError`` naming it.
    """
    known = {a.account_id: a for a in listing} if listing is not None else None
    named = (*scope.accounts, *scope.exclude_accounts)
    if known is not None:
        unknown = [i for i in dict.fromkeys(named) if i not in known]
        if unknown:
            raise UsageError(f"no such account in the organization: {', '.join(unknown)}")
    if scope.ous or scope.accounts:
        chosen = {i for unit in scope.ous for i in under[unit]} | set(scope.accounts)
    elif scope.organization and known is not None:
        chosen = set(known)
    else:
        chosen = {caller.account_id}
    left_out = {i for unit in scope.exclude_ous for i in under[unit]} | set(scope.exclude_accounts)
    notes = [f"--ou {unit}: no account under it" for unit in scope.ous if not under[unit]]
    notes += [
        f"--exclude-ou {unit}: none of the chosen accounts is under it"
        for unit in scope.exclude_ous
        if not under[unit] & chosen
    ]
    notes += [
        f"--exclude-accounts {i}: not among the chosen accounts"
        for i in scope.exclude_accounts
        if i not in chosen
    ]
    ids = sorted(chosen - left_out)
    if not ids:
        raise UsageError("no account left to scan: the --ou, --accounts and exclusions choose none")
    names = {i: a.name for i, a in (known or {}).items()}
    names.setdefault(caller.account_id, caller.account_name)
    payer = caller.payer_account_id
    return Selection(
        caller=caller.model_copy(
            update={
                "account_name": names[caller.account_id],
                "payer_account_name": names.get(payer, caller.payer_account_name),
            }
        ),
        accounts=tuple(
            SelectedAccount(
                AccountInfo(
                    account_id=i,
                    account_name=names.get(i, ""),
                    payer_account_id=payer,
                    payer_account_name=names.get(payer, caller.payer_account_name),
                    partition=caller.partition,
                ),
                known[i].status if known is not None else ACTIVE,
            )
            for i in ids
        ),
        notes=tuple(notes),
    )


def account_regions(
    requested: Sequence[str] | None, enabled: Sequence[str]
) -> tuple[list[str], list[str]]:
    """(regions to scan, regions named but not enabled in the account). ``None`` is every
    region the account has enabled."""
    if requested is None:
        return sorted(enabled), []
    return [r for r in requested if r in enabled], [r for r in requested if r not in enabled]


def disabled_pairs(checks: Sequence[Check], regions: Sequence[str]) -> list[Pair]:
    """The pairs a region not enabled in the account would have held: each gets a
    ``RegionDisabled`` row, without a call (global checks run in their API's region)."""
    return [Pair(c, r) for c in checks if not c.home_region for r in regions]


def shard_accounts(
    selection: Selection, shard: Shard, checks: Sequence[Check]
) -> tuple[Selection, ShardMark]:
    """The accounts of the selection ``shard`` owns (by a hash of the account id, so an account
    added to the organization moves no other one), and the mark its files carry."""
    ids = [a.info.account_id for a in selection.accounts]
    mark = ShardMark(shard, ShardOf.ACCOUNTS, run_fingerprint(ShardOf.ACCOUNTS, ids, _keys(checks)))
    owned = tuple(a for a in selection.accounts if shard.owns(a.info.account_id))
    return replace(selection, accounts=owned), mark


def shard_regions(
    account_id: str, regions: Sequence[str], shard: Shard, checks: Sequence[Check]
) -> tuple[list[str], ShardMark]:
    """The regions of a single account's run ``shard`` owns (by a hash of the region's name; a
    global check goes with its API's region, see ``owned_pairs``), and the mark its files carry."""
    keys = [account_id, *regions]
    mark = ShardMark(shard, ShardOf.REGIONS, run_fingerprint(ShardOf.REGIONS, keys, _keys(checks)))
    return [r for r in regions if shard.owns(r)], mark


def owned_pairs(pairs: Sequence[Pair], shard: Shard | None) -> list[Pair]:
    """The pairs of a region shard: a global check's pair is in the shard owning its region."""
    return [p for p in pairs if shard is None or shard.owns(p.region)]


def _keys(checks: Sequence[Check]) -> list[str]:
    return [c.key for c in checks]

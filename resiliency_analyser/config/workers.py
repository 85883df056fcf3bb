"""How many worker processes a scan uses: ``--workers``, else one per core that memory allows."""

from __future__ import annotations

import os
from pathlib import Path

from resiliency_analyser.errors import UsageError
from resiliency_analyser.run.request import WorkerChoice

WORKER_MEMORY = 512 * 2**20
"""Bytes one worker process may need at its peak: a full single-account scan in one process
peaks near 600 MB (benchmarks/README.md), and each worker holds a share of its cells."""


def cores() -> int:
    """The cores this process may run on (a container's CPU set, not the host's count)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def available_memory(meminfo: Path = Path("/proc/meminfo")) -> int | None:
    """Bytes the kernel says new processes can use without swapping; ``None`` where unknown."""
    try:
        text = meminfo.read_text()
    except OSError:
        return None
    for line in text.splitlines():
        name, _, value = line.partition(":")
        if name == "MemAvailable":
            return int(value.split()[0]) * 1024
    return None


def default_workers(cpus: int, memory: int | None) -> int:
    """One worker per core, as many as memory holds, at least one."""
    fits = cpus if memory is None else memory // WORKER_MEMORY
    return max(1, min(cpus, fits))


def workers(option: int | None, *, single_threaded: bool) -> WorkerChoice:
    """``--workers``: as typed; else the default, which a scan of few cells may lower to 1."""
    if option is not None:
        if option < 1:
            raise UsageError("--workers must be at least 1")
        if single_threaded and option > 1:
            raise UsageError("--single-threaded and --workers above 1 contradict each other")
        return WorkerChoice(option)
    if single_threaded:
        return WorkerChoice(1)
    return WorkerChoice(default_workers(cores(), available_memory()), auto=True)

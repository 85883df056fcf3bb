"""Ctrl-C and SIGTERM: the first stops the scan cleanly, a second ends the process at once."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from types import FrameType

from resiliency_analyser.errors import ExitCode

log = logging.getLogger(__name__)

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def stop_on_signals(stop: Callable[[], None]) -> Iterator[None]:
    """While inside, the first SIGINT or SIGTERM calls ``stop``; the next one exits with 130.

    The handlers run on the event loop between callbacks, never inside a CSV write, so even the
    immediate exit leaves only whole rows in the files.
    """
    loop = asyncio.get_running_loop()
    previous = {sig: signal.getsignal(sig) for sig in STOP_SIGNALS}
    received = False

    def on_signal() -> None:
        nonlocal received
        if received:
            sys.stderr.write("resiliency-analyser: interrupted again: exiting now\n")
            sys.stderr.flush()
            os._exit(ExitCode.INTERRUPTED)
        received = True
        log.warning("interrupted: writing what is done; interrupt again to exit at once")
        stop()

    installed: list[signal.Signals] = []
    try:
        for sig in STOP_SIGNALS:
            loop.add_signal_handler(sig, on_signal)
            installed.append(sig)
    except (NotImplementedError, RuntimeError, ValueError):
        # No loop signal handling here (Windows, a loop off the main thread): Ctrl-C stays a
        # KeyboardInterrupt, which the CLI still turns into exit 130.
        pass
    try:
        yield
    finally:
        for sig in installed:
            loop.remove_signal_handler(sig)
            # None: a handler not set from Python, which cannot be put back; the default stays.
            if previous[sig] is not None:
                signal.signal(sig, previous[sig])


@contextmanager
def blocked(signals: Sequence[signal.Signals]) -> Iterator[None]:
    """The signals held back while inside (a process started now inherits them blocked), then
    delivered."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, signals)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def ignored(signals: Sequence[signal.Signals]) -> None:
    """A worker's: the parent decides when the scan stops."""
    for sig in signals:
        signal.signal(sig, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, signals)


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


@contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """Outside the scan proper (sign-in, region discovery, uploads), SIGTERM ends the run the
    way Ctrl-C does, through the CLI's exit 130, instead of killing it mid-step."""
    try:
        previous = signal.signal(signal.SIGTERM, _terminate)
    except ValueError:  # not the main thread: leave signals to whoever owns it
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)

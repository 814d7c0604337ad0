"""SIGTERM (a CI runner's cancel, ``kill``) unwinds like Ctrl-C, so clean-up code runs; and
signals held back while steps that belong together run."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType

from .errors import InterruptedAfter


@contextlib.contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """Within the block, SIGTERM raises ``KeyboardInterrupt``; the previous handler comes back
    after it. Outside the main thread (where Python cannot set handlers) it does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def interrupts_deferred(caught: list[int] | None = None) -> Iterator[None]:
    """Hold SIGINT and SIGTERM back while a few steps run, then deliver them (or, given
    ``caught``, record them there for the caller to act on).

    Python runs signal handlers between bytecodes; one that raised between two system calls
    that belong together (making a folder and recording it, moving two refs) would leave a
    state between them.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[int] = [] if caught is None else caught

    def defer(signum: int, frame: FrameType | None) -> None:
        held.append(signum)

    previous = {number: signal.signal(number, defer) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for number, handler in previous.items():
            if handler is not None:
                signal.signal(number, handler)
        if held and caught is None:
            signal.raise_signal(held[0])


@contextlib.contextmanager
def reported_as_done(what: str | None) -> Iterator[None]:
    """Within the block the work is already in place: an interrupt ends the run with exit
    130 and ``what`` (where the finished work is), not with "nothing was written".
    ``None``: nothing was done (a dry run); the interrupt stays one."""
    try:
        yield
    except KeyboardInterrupt:
        if what is None:
            raise
        raise InterruptedAfter(f"interrupted once {what}") from None

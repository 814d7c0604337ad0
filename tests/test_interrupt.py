"""SIGTERM unwinds like Ctrl-C inside ``terminate_as_interrupt``, and only there; signals
held back by ``interrupts_deferred`` come after its block."""

from __future__ import annotations

import os
import signal
import threading
from types import FrameType

import pytest

from stackpick.interrupt import interrupts_deferred, terminate_as_interrupt


def test_sigterm_inside_raises_keyboard_interrupt_and_the_handler_comes_back() -> None:
    received: list[int] = []

    def record(signum: int, frame: FrameType | None) -> None:
        received.append(signum)

    before = signal.signal(signal.SIGTERM, record)
    try:
        cleaned_up = False
        with pytest.raises(KeyboardInterrupt):
            try:
                with terminate_as_interrupt():
                    os.kill(os.getpid(), signal.SIGTERM)
                    raise AssertionError("SIGTERM did not interrupt")
            finally:
                cleaned_up = True
        assert cleaned_up and received == []
        assert signal.getsignal(signal.SIGTERM) == record
        os.kill(os.getpid(), signal.SIGTERM)  # after the block: the previous handler again
        assert received == [signal.SIGTERM]
    finally:
        signal.signal(signal.SIGTERM, before)


def test_outside_the_main_thread_nothing_changes() -> None:
    seen: list[object] = []

    def run() -> None:
        with terminate_as_interrupt():
            seen.append(signal.getsignal(signal.SIGTERM))

    before = signal.getsignal(signal.SIGTERM)
    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert seen == [before]


def test_held_signals_are_delivered_after_the_block_or_handed_to_the_caller() -> None:
    steps = []
    with pytest.raises(KeyboardInterrupt), interrupts_deferred():
        os.kill(os.getpid(), signal.SIGINT)
        steps.append("finished")  # not cut short
    assert steps == ["finished"]
    caught: list[int] = []
    with interrupts_deferred(caught):
        os.kill(os.getpid(), signal.SIGINT)
    assert caught == [signal.SIGINT]  # the caller decides; nothing raised

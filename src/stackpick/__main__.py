"""``python -m stackpick`` and the ``stackpick`` command.

SIGTERM (a CI runner's cancel) becomes an interrupt on the program's first line, before
anything heavy is imported, so it ends as Ctrl-C does (exit 130, clean-ups run).
"""

import signal
import sys
from types import FrameType


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main() -> None:
    """Console entry point."""
    signal.signal(signal.SIGTERM, _interrupt)
    started = False
    try:
        from stackpick.cli import main as cli_main

        started = True
        cli_main()
    except KeyboardInterrupt:  # before click took over, or after it was done
        sys.stderr.write("error: interrupted" + ("\n" if started else "; nothing was written\n"))
        sys.exit(130)
    finally:
        # The work is done: a signal from here on has nothing left to stop, and during
        # Python's shutdown (which restores the default handlers) it would end the
        # process as a bare -15 instead of with the exit code already decided.
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})


if __name__ == "__main__":
    main()

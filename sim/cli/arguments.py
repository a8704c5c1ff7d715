"""Validators for numeric command-line flags, shared by every subcommand.

argparse turns an ``ArgumentTypeError`` into one line naming the flag, which the CLI
prints with exit status 2; keeping the checks here gives every subcommand the same
wording for the same mistake.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path


def whole_number(text: str) -> int:
    """Parse an integer flag value."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None


def number(text: str) -> float:
    """Parse a finite real flag value."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be a finite number, got {text}")
    return value


def nonneg_int(text: str) -> int:
    """An integer >= 0 (seeds, tick counts)."""
    value = whole_number(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative, got {value}")
    return value


def pos_int(text: str) -> int:
    """An integer >= 1 (workers)."""
    value = whole_number(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def thread_count(text: str) -> int:
    """An integer from 1 to the threads numba can use here (``NUMBA_NUM_THREADS``)."""
    from sim.kernels.threads import max_threads

    value = pos_int(text)
    if value > max_threads():
        raise argparse.ArgumentTypeError(
            f"at most {max_threads()} here (NUMBA_NUM_THREADS, by default the cores), "
            f"got {value}")
    return value


def add_threads(p: argparse.ArgumentParser) -> None:
    """The ``--threads N`` option of ``run`` and ``bench``."""
    p.add_argument("--threads", type=thread_count, default=None, metavar="N",
                   help="threads of the parallel kernels (default: numba's, one per core; "
                        "results are the same for any N)")


def apply_threads(args: argparse.Namespace) -> None:
    """Set this thread's kernel threads from ``--threads`` (if given)."""
    if getattr(args, "threads", None):
        from sim.kernels.threads import set_threads

        set_threads(args.threads)


def nonneg_float(text: str) -> float:
    """A finite number >= 0 (days)."""
    value = number(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be a finite number >= 0, got {text}")
    return value


def pos_float(text: str) -> float:
    """A finite number > 0 (days of a comparison, ring widths)."""
    value = number(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a finite number > 0, got {text}")
    return value


def positive_list(text: str) -> list[float]:
    """Comma-separated finite numbers > 0, at least one (``--scales 1,10``)."""
    items = [item.strip() for item in str(text).split(",") if item.strip()]
    if not items:
        raise argparse.ArgumentTypeError(f"expected numbers > 0 separated by commas, "
                                         f"got {text!r}")
    values = []
    for item in items:
        try:
            values.append(pos_float(item))
        except argparse.ArgumentTypeError as exc:
            raise argparse.ArgumentTypeError(f"{item!r}: {exc}") from None
    return values


def agent_sizes_text(text: str) -> str:
    """A list of benchmark sizes, ``agents[:days]`` separated by commas, checked now.

    Each agent count must be a whole number >= 1 (``1e4`` is fine) and each number
    of days finite and > 0. The text itself is returned: each benchmark reads it with
    its own default days (:func:`sim.bench.sizes.agent_sizes`).
    """
    from sim.bench.sizes import agent_sizes

    try:
        agent_sizes(text, {}, 1.0)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def writable_folder(path: str, flag: str = "--out") -> Path:
    """Create an output folder now, so a bad ``--out`` fails before the runs, not after.

    Raises:
        UsageError: The folder cannot be created or written to.
    """
    from sim.errors import UsageError

    out = Path(path)
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".crimesim-write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise UsageError(f"{flag} {path}: cannot write there ({exc.strerror or exc})") from None
    return out

"""Helpers for tests of the command line: run it in-process, check its one-line errors."""

from __future__ import annotations

from sim.cli.main import main


def crimesim(capsys, *args: str) -> tuple[int, str, str]:
    """Run ``crimesim ARGS`` in-process; returns (exit status, stdout, stderr)."""
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def assert_usage_error(code: int, err: str, *fragments: str) -> None:
    """Exit status 2 and exactly one ``crimesim: error:`` line holding every fragment."""
    assert code == 2
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("crimesim: error:"), err
    for fragment in fragments:
        assert fragment in lines[0], (fragment, err)

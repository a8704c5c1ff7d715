"""Every numeric flag of every ``crimesim`` command refuses a bad value: one line, exit 2.

The flags are read from the CLI's own parser, so a flag added later is covered (and
the last test fails if it takes a number without one of the validators below). The
bad values per kind of number are written here by hand: words, NaN and infinities,
and the first values outside each range (0 for "at least 1", -1 for "not negative").
Each case must fail while the arguments are parsed -- before anything runs -- with
one ``crimesim: error:`` line naming the flag (``--days nan`` used to end in a
traceback from ``crimesim bench``, and ``--days -1`` used to run).
"""

from __future__ import annotations

import argparse

import pytest
from cli_support import assert_usage_error, crimesim

from sim.cli import arguments
from sim.cli.compare import _reps
from sim.cli.dashboard import port_number
from sim.cli.main import build_parser
from sim.cli.sensitivity import _step

#: Bad values for each kind of numeric flag (the validator's own name in the parser).
BAD_VALUES: dict[object, tuple[str, ...]] = {
    arguments.pos_int: ("abc", "1.5", "nan", "0", "-2"),
    arguments.nonneg_int: ("abc", "1.5", "-1"),
    arguments.thread_count: ("abc", "1.5", "nan", "0", "-2", "100000"),  # > NUMBA_NUM_THREADS
    arguments.pos_float: ("abc", "nan", "inf", "-inf", "0", "-1"),
    arguments.nonneg_float: ("abc", "nan", "inf", "-1"),
    arguments.positive_list: ("abc", "0", "-2", "1,nan", "1,inf", ","),
    arguments.agent_sizes_text: ("abc", "0", "-5", "1.5", "1e4:-3", "1e4:0", "1e4:nan",
                                 "inf", "1e4:x"),
    port_number: ("http", "0", "99999"),
    _reps: ("abc", "1", "0"),
    _step: ("abc", "nan", "0", "1", "2"),
}


def options() -> list[tuple[tuple[str, ...], argparse.Action]]:
    """(command words, action) for every option of every subcommand of the parser."""
    found = []

    def walk(parser: argparse.ArgumentParser, words: tuple[str, ...]) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    walk(sub, (*words, name))
            elif action.option_strings:
                found.append((words, action))

    walk(build_parser(), ())
    return found


def numeric_flags() -> list[tuple[tuple[str, ...], str, object]]:
    """(command words, flag, validator) for every option checked by a validator."""
    return [(words, action.option_strings[-1], action.type) for words, action in options()
            if action.type in BAD_VALUES]


CASES = [pytest.param(words, flag, bad, id=f"{' '.join(words)} {flag} {bad}")
         for words, flag, kind in numeric_flags() for bad in BAD_VALUES[kind]]


def test_the_flags_were_found():
    flags = {(" ".join(words), flag) for words, flag, _ in numeric_flags()}
    # a few by hand: the bench's flags of the issue, and one of each other command
    assert {("bench", "--days"), ("bench", "--scales"), ("bench", "--scaling-sizes"),
            ("bench", "--big-days"), ("bench", "--reference-sizes"), ("run", "--days"),
            ("run", "--threads"), ("bench", "--threads"),
            ("compare", "--reps"), ("sweep", "--retries"), ("calibrate", "--trials"),
            ("city import", "--cell-size-m"), ("dashboard", "--port"),
            ("sensitivity", "--step")} <= flags
    assert len(CASES) > 150


@pytest.mark.parametrize(("words", "flag", "bad"), CASES)
def test_a_bad_number_is_one_line_and_exit_2(capsys, words, flag, bad):
    code, out, err = crimesim(capsys, *words, f"{flag}={bad}")
    assert_usage_error(code, err, flag)
    assert out == ""


def test_every_flag_that_takes_a_number_is_checked():
    """No option parses a number with bare int/float, or keeps a number unchecked."""
    unchecked = [f"{' '.join(words)} {action.option_strings[-1]}"
                 for words, action in options()
                 if action.nargs != 0 and (action.type in (int, float) or (
                     action.type not in BAD_VALUES and action.choices is None
                     and isinstance(action.default, int | float)
                     and not isinstance(action.default, bool)))]
    assert unchecked == []


@pytest.mark.parametrize(("text", "expected"), [
    ("1,10", [1.0, 10.0]), ("0.5", [0.5]), (" 2 , 3 ", [2.0, 3.0])])
def test_good_scales_parse(text, expected):
    assert arguments.positive_list(text) == expected


@pytest.mark.parametrize("text", ["1e4:40,1e6:4", "1000,10000:2", ""])
def test_good_sizes_pass_unchanged(text):
    assert arguments.agent_sizes_text(text) == text

"""Hooks for the lesson tests.

Every test that takes a ``lesson`` argument runs once per notebook in ``notebooks/``
whose name starts with two digits; the seconds each execution took are printed at the
end of the run.
"""

from __future__ import annotations

from lesson_tools import LESSONS, TIMINGS


def pytest_generate_tests(metafunc):
    if "lesson" in metafunc.fixturenames:
        metafunc.parametrize("lesson", LESSONS, ids=[p.stem for p in LESSONS])


def pytest_terminal_summary(terminalreporter):
    if not TIMINGS:
        return
    terminalreporter.section("lesson execution times (nbclient, fresh kernel)")
    for name, seconds in TIMINGS.items():
        terminalreporter.write_line(f"{seconds:7.2f} s  {name}")

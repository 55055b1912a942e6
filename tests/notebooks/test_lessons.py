"""The lessons in notebooks/: committed executed, run end to end, exercises solvable.

nbval (test_nbval.py) compares each lesson's stored outputs with a fresh run, but
it skips cells that were never executed and lets a failing magic (a UsageError)
through. These tests close both gaps: every code cell must carry an execution
count from one top-to-bottom run, and a fresh nbclient run must raise exactly in
the cells tagged ``raises-exception``, nowhere else.
"""

from __future__ import annotations

import re

import nbformat
from lesson_tools import (
    LESSONS,
    NBVAL_COMMENT,
    ROOT,
    TIMINGS,
    cell_label,
    code_cells,
    errors_of,
    read,
    run_notebook,
    stderr_of,
    unexpected_outcomes,
)

KERNEL_NAME = "python3"  # the kernel ipykernel installs everywhere, Binder included


def test_there_are_lessons():
    assert len(LESSONS) >= 3, f"expected the lessons in {ROOT / 'notebooks'}, found {LESSONS}"


def test_lesson_is_a_valid_notebook_for_the_python3_kernel(lesson):
    nb = read(lesson)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == KERNEL_NAME
    assert nb.metadata.kernelspec.language == "python"


def test_lesson_is_committed_executed_top_to_bottom(lesson):
    nb = read(lesson)
    counts = [c.execution_count for c in code_cells(nb)]
    not_run = [cell_label(nb, c) for c in code_cells(nb) if c.execution_count is None]
    assert not not_run, (
        f"{lesson.name}: cells never executed (nbval would not check them): {not_run}"
    )
    assert counts == list(range(1, len(counts) + 1)), (
        f"{lesson.name}: execution counts {counts} are not one top-to-bottom run; "
        f"regenerate with: jupyter nbconvert --to notebook --execute --inplace {lesson.name}"
    )


def test_committed_outputs_raise_only_in_marked_cells(lesson):
    nb = read(lesson)
    assert not unexpected_outcomes(nb), unexpected_outcomes(nb)


def test_lesson_text_never_shows_test_markers(lesson):
    """nbval's ``# NBVAL_*`` comments would sit in the code a learner reads and copies;
    the lessons say the same with cell tags (``raises-exception``, ``nbval-ignore-output``)."""
    nb = read(lesson)
    shown = [cell_label(nb, c) for c in nb.cells if NBVAL_COMMENT in c.source]
    assert not shown, f"{lesson.name}: use a cell tag instead of the comment in {shown}"


def test_lesson_has_the_parts_of_a_lesson(lesson):
    """Title, goal, a prediction prompt, an exercise with its check, a summary."""
    nb = read(lesson)
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    number = int(lesson.name[:2])
    assert nb.cells[0].cell_type == "markdown"
    assert nb.cells[0].source.startswith(f"# Lesson {number} · ")
    assert "**Goal:**" in markdown
    assert "**Predict.**" in markdown
    assert "## Summary" in markdown
    assert exercises(nb), f"{lesson.name} has no cell tagged 'exercise' with a solution"


def test_lesson_loads_the_extension_itself(lesson):
    """A learner's kernel has no profile that loads tfteach: the first cell must."""
    first = code_cells(read(lesson))[0]
    assert first.source.splitlines()[0] == "%load_ext tfteach"


def test_readme_lists_every_lesson(lesson):
    readme = (ROOT / "README.md").read_text()
    assert f"notebooks/{lesson.name}" in readme


# -- executed -----------------------------------------------------------------------------


def test_lesson_runs_end_to_end_in_a_fresh_kernel(lesson, tmp_path):
    run = run_notebook(read(lesson), lesson.parent, tmp_path)
    TIMINGS[lesson.name] = run.seconds
    print(f"{lesson.name}: executed in {run.seconds:.2f} s")
    problems = unexpected_outcomes(run.nb, run.errors)
    assert not problems, problems
    noisy = {cell_label(run.nb, c): stderr_of(c) for c in code_cells(run.nb) if stderr_of(c)}
    assert not noisy, (
        f"{lesson.name}: cells wrote to stderr (warnings a learner would see): {noisy}"
    )


def exercises(nb) -> list[tuple[int, int]]:
    """(exercise cell index, index of the check cell after it) for each exercise."""
    found = []
    for i, cell in enumerate(nb.cells):
        if "exercise" in cell.metadata.get("tags", []):
            assert cell.metadata.get("tfteach", {}).get("solution"), f"cell {i} has no solution"
            check = next(j for j in range(i + 1, len(nb.cells)) if nb.cells[j].cell_type == "code")
            found.append((i, check))
    return found


def check_output(cell) -> str:
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


def test_committed_exercises_are_unsolved_and_their_checks_give_a_hint(lesson):
    nb = read(lesson)
    for _, check in exercises(nb):
        out = check_output(nb.cells[check])
        assert not errors_of(nb.cells[check])
        assert re.match(r"Not yet: \S", out), f"{lesson.name} cell {check} printed {out!r}"


def test_exercise_solutions_pass_their_checks(lesson, tmp_path):
    nb = read(lesson)
    found = exercises(nb)
    for i, _ in found:
        nb.cells[i].source = nb.cells[i].metadata["tfteach"]["solution"]
    run = run_notebook(nb, lesson.parent, tmp_path)
    for i, check in found:
        out = check_output(run.nb.cells[check])
        assert i not in run.errors and check not in run.errors, run.errors
        assert out.startswith("Correct: "), f"{lesson.name}: the solution of cell {i} gave {out!r}"

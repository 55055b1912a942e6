"""The README's interactive examples print what the README says (run as doctests)."""

import doctest
import pathlib

import tfteach as tf

README = pathlib.Path(__file__).parent.parent / "README.md"


def test_readme_examples_run_as_shown():
    # a code fence ends an example's expected output
    text = "\n".join(
        "" if line.startswith("```") else line for line in README.read_text().splitlines()
    )
    parser = doctest.DocTestParser()
    test = parser.get_doctest(text, {"tf": tf}, "README.md", str(README), 0)
    assert test.examples, "README.md has no >>> examples"
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    assert runner.failures == 0, f"{runner.failures} README example(s) print something else"

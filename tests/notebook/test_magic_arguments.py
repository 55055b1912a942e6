"""Malformed argument strings to the magics: a one-line UsageError, never a traceback from
inside tfteach (issue 15, D11/D12), and nothing changed in the graph."""

import random

import pytest

import tfteach as tf

MAGICS = ("%init", "%vars", "%%graph", "%tfteach_explain")


def run_magic(nb, magic: str, line: str):
    """Runs ``magic line`` (a cell magic with a small cell); the cell's error."""
    source = f"{magic} {line}\nx = 1" if magic.startswith("%%") else f"{magic} {line}"
    return nb.run(source).error


def assert_one_line_usage_error(error, magic, line):
    assert type(error).__name__ == "UsageError", (magic, line[:80], repr(error)[:300])
    assert "\n" not in str(error), (magic, line[:80], str(error)[:300])


@pytest.mark.parametrize("magic", MAGICS)
@pytest.mark.parametrize(
    "line",
    ["'", '"', "a 'b", "--scope 'layer", "'" + "x" * 2_000],
    ids=["quote", "double-quote", "quote-after-name", "quote-in-option", "long"],
)
def test_an_unbalanced_quote_is_a_usage_error(nb, magic, line):
    nb.ok("v = tf.Variable(1.0, name='v')")
    graph = tf.get_default_graph()
    operations = graph.get_operations()
    error = run_magic(nb, magic, line)
    assert_one_line_usage_error(error, magic, line)
    assert "No closing quotation" in str(error)
    assert len(str(error)) < 300  # the line is quoted shortened, not whole
    assert tf.get_default_graph() is graph
    assert graph.get_operations() == operations


@pytest.mark.parametrize(
    "line",
    [
        "(" * 50_000,
        "--scope " + "(" * 50_000,
        "(?:a|" * 5_000,
        "x{99999999999}",
        "x{2,1}",
        "[",
        "--scope *",
    ],
    ids=[
        "50000-parens",
        "scope-50000-parens",
        "deep-groups",
        "huge-repeat",
        "bad-repeat",
        "bracket",
        "star",
    ],
)
def test_a_pattern_that_is_no_regular_expression_is_a_usage_error(nb, line):
    nb.ok("v = tf.Variable(1.0, name='v')")
    error = run_magic(nb, "%vars", line)
    assert_one_line_usage_error(error, "%vars", line)
    assert "regular expression" in str(error)


def test_a_pattern_is_not_expanded_as_python_variables(nb):
    nb.ok("v = tf.Variable(1.0, name='v')\nvv = tf.Variable(1.0, name='vv')\nn = 5")
    assert "1 variable matching 'v{2}'" in nb.ok("%vars v{2}").text  # not v5: the regex {2}
    assert "2 variables matching 'v$'" in nb.ok("%vars v$").text


def test_fifty_thousand_parens_to_init_name_no_variable(nb):
    nb.ok("v = tf.Variable(1.0, name='v')")
    error = run_magic(nb, "%init", "(" * 5_000)  # IPython expands $x in it: quadratic time
    assert_one_line_usage_error(error, "%init", "(")
    assert "no variable or scope named" in str(error)


def random_lines(seed: int, count: int) -> list[str]:
    """Argument strings assembled from quotes, escapes, regex syntax, options and numbers."""
    pieces = [
        "'", '"', "\\", "(", ")", "[", "]", "{", "}", "*", "+", "?", "|", "^", "$", ".",
        " ", "v", "layer/w", ":0", "-", "--", "--scope", "--collection", "-c", "--limit",
        "--seed", "--keep", "--plot", "--widget", "on", "off", "0", "-1", "1e999",
        "9" * 30, "\t", "é", "\x00", "{99999999999}", "=",
    ]  # fmt: skip
    rng = random.Random(seed)
    return ["".join(rng.choices(pieces, k=rng.randint(1, 12))) for _ in range(count)]


@pytest.mark.parametrize("magic", MAGICS)
def test_random_argument_strings_succeed_or_are_usage_errors(nb, magic):
    nb.ok("v = tf.Variable(1.0, name='v')")
    for line in random_lines(seed=sum(map(ord, magic)), count=150):
        error = run_magic(nb, magic, line)
        if error is not None:
            assert_one_line_usage_error(error, magic, line)
        if magic == "%%graph":  # each success starts a fresh graph: make `v` again
            nb.ok("%%graph\nv = tf.Variable(1.0, name='v')")

"""%vars: a deterministic table of the default graph's variables, their state and values."""

import math

MODEL = """%%graph --seed 1
with tf.variable_scope("layer1"):
    w = tf.get_variable("w", [2, 3])
    b = tf.get_variable("b", [3], initializer=tf.zeros_initializer())
with tf.variable_scope("layer10"):
    w10 = tf.get_variable("w", [3, 1])
step = tf.Variable(0, trainable=False, name="step")
r = tf.Variable(tf.random_normal([5], mean=1.0, stddev=0.1), name="r")
"""
COLUMNS = ["name", "shape", "dtype", "trainable", "collections", "initializer", "state", "value"]


def table(ran) -> list[dict[str, str]]:
    """The %vars text table as dicts (columns found from the dashed rule's gaps)."""
    lines = ran.text.splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith("name"))
    starts = [
        i
        for i, ch in enumerate(lines[head + 1])
        if ch == "-" and (i == 0 or lines[head + 1][i - 1] == " ")
    ]
    out = []
    for line in lines[head + 2 :]:
        if not line or line.startswith(("…", "No default", "The default")):
            break
        cells = [line[a:b].strip() for a, b in zip(starts, [*starts[1:], None])]
        out.append(dict(zip(COLUMNS, cells)))
    return out


def by_name(ran) -> dict[str, dict[str, str]]:
    return {row["name"]: row for row in table(ran)}


def test_vars_shows_what_each_variable_is(nb):
    nb.ok(MODEL)
    ran = nb.ok("%vars")
    assert ran.text.splitlines()[0] == "5 variables in the default graph"
    rows = by_name(ran)
    assert list(rows) == ["layer1/w", "layer1/b", "layer10/w", "step", "r"]
    w = rows["layer1/w"]
    assert (w["shape"], w["dtype"], w["trainable"]) == ("(2, 3)", "float32", "yes")
    assert w["collections"] == "trainable_variables, variables"
    limit = math.sqrt(6 / (2 + 3))
    assert w["initializer"] == f"glorot_uniform: limit = sqrt(6 / (2 + 3)) = {limit:.3g}"
    assert rows["step"]["trainable"] == "no"
    assert rows["step"]["collections"] == "variables"
    assert rows["step"]["initializer"] == "constant: value=0"
    assert rows["r"]["initializer"] == "random_normal: mean=1, stddev=0.1"


def test_before_init_there_is_no_session_and_no_value(nb):
    nb.ok(MODEL)
    ran = nb.ok("%vars")
    assert {row["state"] for row in table(ran)} == {"no session"}
    assert {row["value"] for row in table(ran)} == {""}
    assert "No default session: `%init` opens one and runs the initializers." in ran.text


def test_after_init_states_and_values_show(nb):
    nb.ok(MODEL)
    nb.ok("%init")
    nb.ok("tf.get_default_session().run(step.assign(5))")
    rows = by_name(nb.ok("%vars"))
    assert rows["step"]["state"] == "assigned"
    assert rows["step"]["value"] == "5"
    assert rows["layer1/b"]["state"] == "initialized"
    assert rows["layer1/b"]["value"] == "all 0"
    r = nb.ok("r.eval()").result.result
    assert rows["r"]["value"] == (
        f"mean {r.mean():.4g}, std {r.std():.4g}, min {r.min():.4g}, max {r.max():.4g}"
    )


def test_a_partly_initialized_graph(nb):
    nb.ok(MODEL)
    nb.ok("%init layer1")
    states = {name: row["state"] for name, row in by_name(nb.ok("%vars")).items()}
    assert states == {
        "layer1/w": "initialized",
        "layer1/b": "initialized",
        "layer10/w": "uninitialized",
        "step": "uninitialized",
        "r": "uninitialized",
    }


def test_pattern_scope_and_collection_filter(nb):
    nb.ok(MODEL)
    assert list(by_name(nb.ok("%vars /w$"))) == ["layer1/w", "layer10/w"]
    assert list(by_name(nb.ok("%vars '^(step|r)$'"))) == ["step", "r"]
    # --scope matches as tf.get_collection(key, scope) does: a prefix of the name
    assert list(by_name(nb.ok("%vars --scope layer1"))) == ["layer1/w", "layer1/b", "layer10/w"]
    assert list(by_name(nb.ok("%vars --scope layer1/"))) == ["layer1/w", "layer1/b"]
    trainable = ["layer1/w", "layer1/b", "layer10/w", "r"]
    assert list(by_name(nb.ok("%vars --collection trainable_variables"))) == trainable
    assert list(by_name(nb.ok("%vars -c TRAINABLE_VARIABLES"))) == trainable
    ran = nb.ok("%vars b --scope layer1/")
    assert ran.text.splitlines()[0] == (
        "1 variable matching 'b' under scope 'layer1/' in the default graph"
    )


def test_a_variable_outside_global_variables_is_listed(nb):
    nb.ok("mine = tf.Variable(1.0, collections=['mine'], name='mine')")
    rows = by_name(nb.ok("%vars"))
    assert rows["mine"]["collections"] == "mine, trainable_variables"


def test_text_and_html_are_deterministic(nb):
    nb.ok(MODEL)
    nb.ok("%init")
    first, second = nb.ok("%vars"), nb.ok("%vars")
    assert first.outputs == second.outputs
    assert set(first.outputs[0]) == {"text/plain", "text/html"}
    assert "0x" not in first.text and "0x" not in first.html


def test_html_escapes_names_and_values(nb):
    nb.ok("a = tf.Variable(1.0, name='a>b')\ns = tf.Variable('<b>bold</b>', name='s')")
    nb.ok("%init")
    html = nb.ok("%vars").html
    assert "a&gt;b" in html and "a>b" not in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html and "<b>bold" not in html


def test_a_long_list_is_cut_and_says_how_many_more(nb):
    nb.ok("vs = [tf.Variable(float(i), name=f'v{i}') for i in range(120)]")
    ran = nb.ok("%vars")
    assert len(table(ran)) == 50
    assert "… and 70 more (narrow with PATTERN, --scope or --collection" in ran.text
    assert len(table(nb.ok("%vars --limit 0"))) == 120
    assert len(table(nb.ok("%vars --limit 3"))) == 3


def test_no_match_and_an_empty_graph(nb):
    assert nb.ok("%vars").text.splitlines()[0] == "0 variables in the default graph"
    nb.ok(MODEL)
    assert nb.ok("%vars nothing").text.splitlines()[0] == (
        "0 variables matching 'nothing' in the default graph"
    )


def test_bad_arguments_are_usage_errors(nb):
    nb.ok(MODEL)
    for line, message in [
        ("%vars '['", "is not a regular expression"),
        ("%vars --collection trainable", "has no collection 'trainable'; its collections are"),
        ("%vars --limit -1", "--limit must be 0 (all) or more, not -1"),
        ("%vars --limit many", "invalid int value"),
        ("%vars a b", "unrecognized arguments"),
    ]:
        ran = nb.run(line)
        assert type(ran.error).__name__ == "UsageError", line
        assert message in str(ran.error), line


def test_help_shows_the_arguments(nb):
    ran = nb.ok("%vars?")
    usage = "%vars [--collection KEY] [--scope PREFIX] [--limit N] [--widget] [PATTERN]"
    assert usage in " ".join(ran.stdout.split())  # argparse wraps the usage line
    assert "regular expression searched in names" in ran.stdout

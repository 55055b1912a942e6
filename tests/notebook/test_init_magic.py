"""%init: runs initializers in the default session and shows each variable before → after."""

import numpy as np

import tfteach as tf

MODEL = """%%graph --seed 1
with tf.variable_scope("layer1"):
    w = tf.get_variable("w", [3, 4], initializer=tf.random_normal_initializer(stddev=0.5))
    b = tf.get_variable("b", [4], initializer=tf.zeros_initializer())
with tf.variable_scope("layer2"):
    w2 = tf.get_variable("w", [4, 1])
c = tf.Variable(1.0, name="c")
"""


def rows(ran) -> dict[str, tuple[str, str]]:
    """variable -> (before, after) cells of the %init table."""
    lines = ran.text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("variable")) + 2
    table = {}
    for line in lines[start:]:
        parts = [p for p in line.split("  ") if p.strip()]
        if len(parts) != 3:
            break
        table[parts[0].strip()] = (parts[1].strip(), parts[2].strip())
    return table


def test_without_a_session_init_opens_one_and_says_so(nb):
    nb.ok(MODEL)
    ran = nb.ok("%init")
    assert "Opened an InteractiveSession on the default graph" in ran.text
    assert isinstance(tf.get_default_session(), tf.InteractiveSession)
    assert nb.ok("c.eval()").result.result == 1.0


def test_first_initialization_goes_from_uninitialized_to_initialized(nb):
    nb.ok(MODEL)
    ran = nb.ok("%init")
    assert ran.text.splitlines()[0] == "%init: ran the initializers of 4 variables"
    table = rows(ran)
    assert list(table) == ["layer1/w", "layer1/b", "layer2/w", "c"]
    assert table["c"] == ("uninitialized", "initialized: 1")
    assert table["layer1/b"] == ("uninitialized", "initialized: all 0")
    value = nb.ok("w.eval()").result.result
    expected = (
        f"initialized: mean {value.mean():.4g}, std {value.std():.4g}, "
        f"min {value.min():.4g}, max {value.max():.4g}"
    )
    assert table["layer1/w"] == ("uninitialized", expected)


def test_reinitializing_resets_an_assigned_value(nb):
    nb.ok(MODEL)
    nb.ok("%init")
    nb.ok("tf.get_default_session().run(c.assign(2.0))")
    ran = nb.ok("%init c")
    assert rows(ran) == {"c": ("assigned: 2", "initialized: 1")}
    assert "resets an assigned value" in ran.text
    assert nb.ok("c.eval()").result.result == 1.0


def test_reinitializing_draws_random_values_again(nb):
    nb.ok(MODEL)
    nb.ok("%init")
    old = nb.ok("w.eval()").result.result
    ran = nb.ok("%init layer1/w")
    new = nb.ok("w.eval()").result.result
    assert not np.array_equal(old, new)
    before, after = rows(ran)["layer1/w"]
    assert before == f"initialized: mean {old.mean():.4g}, std {old.std():.4g}, " + (
        f"min {old.min():.4g}, max {old.max():.4g}"
    )
    assert after.startswith(f"initialized: mean {new.mean():.4g}")


def test_names_and_scopes_select_variables(nb):
    nb.ok(MODEL)
    ran = nb.ok("%init layer1 c:0")
    assert list(rows(ran)) == ["layer1/w", "layer1/b", "c"]
    session = tf.get_default_session()
    states = {v.op.name: session.variable_state(v) for v in tf.global_variables()}
    assert states == {
        "layer1/w": "initialized",
        "layer1/b": "initialized",
        "layer2/w": "uninitialized",
        "c": "initialized",
    }


def test_init_uses_the_users_default_session(nb):
    nb.ok(MODEL)
    nb.ok("sess = tf.InteractiveSession()")
    ran = nb.ok("%init")
    assert "Opened" not in ran.text
    assert nb.shell.user_ns["sess"].variable_state(nb.shell.user_ns["c"]) == "initialized"


def test_an_unknown_name_is_a_usage_error_listing_close_matches(nb):
    nb.ok(MODEL)
    ran = nb.run("%init layer1/ww")
    assert type(ran.error).__name__ == "UsageError"
    assert "no variable or scope named 'layer1/ww' (close matches: layer1/w" in str(ran.error)
    assert tf.get_default_session() is None  # nothing was opened or run


def test_init_refuses_a_users_session_on_another_graph(nb):
    nb.ok("old = tf.InteractiveSession()")
    nb.ok(MODEL.replace("%%graph --seed 1\n", "tf.reset_default_graph()\n"))
    ran = nb.run("%init")
    assert type(ran.error).__name__ == "UsageError"
    assert "runs another graph than the default graph" in str(ran.error)


def test_init_replaces_its_own_session_from_an_earlier_graph(nb):
    nb.ok("v = tf.Variable(1.0, name='v')")
    nb.ok("%init")
    nb.ok("tf.reset_default_graph()\nu = tf.Variable(2.0, name='u')")
    ran = nb.ok("%init")
    assert "Closed the InteractiveSession that %init had opened on an earlier graph." in ran.text
    assert nb.ok("u.eval()").result.result == 2.0


def test_an_empty_graph_has_nothing_to_initialize(nb):
    ran = nb.ok("%init")
    assert ran.text.startswith(
        "%init: the default graph has no global variables: nothing to initialize"
    )


def test_an_unknown_option_is_a_usage_error(nb):
    assert type(nb.run("%init --bogus").error).__name__ == "UsageError"


def test_a_long_list_is_cut_but_everything_is_initialized(nb):
    nb.ok("vs = [tf.Variable(float(i), name=f'v{i}') for i in range(60)]")
    ran = nb.ok("%init")
    assert ran.text.splitlines()[0] == "%init: ran the initializers of 60 variables"
    assert len(rows(ran)) == 50
    assert "… and 10 more." in ran.text
    assert nb.ok("vs[-1].eval()").result.result == 59.0


def test_init_plot_shows_the_drawn_values_of_variables_with_an_initializer(nb):
    nb.ok(
        "%%graph --seed 1\n"
        "w = tf.get_variable('w', [784, 200])\n"
        "b = tf.Variable(tf.zeros([3]), name='b')\n"
    )
    ran = nb.ok("%init --plot")
    pictures = [o for o in ran.outputs if "image/png" in o]
    assert len(pictures) == 1 and pictures[0]["image/png"]
    assert "%init: ran the initializers of 2 variables" in ran.text
    assert "not plotted (no initializer object to compare with" in ran.stdout
    assert "b" in ran.stdout.rsplit(":", 1)[1] and "w" not in ran.stdout.rsplit(":", 1)[1]


def test_init_plot_without_plottable_variables_only_says_so(nb):
    nb.ok("%%graph\nc = tf.Variable(1.0, name='c')\n")
    ran = nb.ok("%init --plot")
    assert not [o for o in ran.outputs if "image/png" in o]
    assert "not plotted" in ran.stdout and "c" in ran.stdout

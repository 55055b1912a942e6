"""The widgets, on their model state (no frontend): the inspector's rows, states, collections,
scope filter, pages and buttons, how it follows other cells through the event hook, its
static table for frontends without widgets, escaping; and the initializer explorer."""

import re

import comm
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tfteach as tf
from tfteach.core import events
from tfteach.core import graph as graph_module
from tfteach.notebook.display import WIDGET_MISSING
from tfteach.notebook.explorer import explore_initializers, parse_shape
from tfteach.notebook.inspector import EVERY_VARIABLE, PAGE_SIZE, inspect
from tfteach.notebook.summary import InitTracker, missing_from_initializers, session_label

EVIL = "<img src=x onerror=alert(1)>"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


class RecordingComm:
    """A comm that keeps what a widget sends to the frontend (as ipywidgets' own tests do)."""

    comm_id = "recording"
    kernel = "a kernel"

    def __init__(self, **kwargs):
        self.messages = []

    def open(self, *args, **kwargs):
        pass

    def on_msg(self, *args, **kwargs):
        pass

    def send(self, data=None, buffers=None, **kwargs):
        self.messages.append(data)

    def close(self, *args, **kwargs):
        pass


@pytest.fixture
def frontend(monkeypatch):
    """Widgets made from now on talk to a `RecordingComm`."""
    monkeypatch.setattr(comm, "create_comm", lambda **kwargs: RecordingComm())


def updates(widget, key: str) -> int:
    """How many times ``widget`` sent a new ``key`` to the frontend."""
    return sum(1 for m in widget.comm.messages if m.get("method") == "update" and key in m["state"])


def closed_after(factory):
    """Yields ``factory``; closes every widget it made once the test is over (so no observer
    outlives the test)."""
    made = []

    def make(*args, **kwargs):
        made.append(factory(*args, **kwargs))
        return made[-1]

    yield make
    for widget in made:
        widget.close()


@pytest.fixture
def opened():
    """inspect(), closed after the test."""
    yield from closed_after(inspect)


def states(widget) -> dict[str, str]:
    return {row[0]: row[4] for row in widget.rows}


def two_layers():
    with tf.variable_scope("layer1"):
        w1 = tf.get_variable("w", [784, 200])
        b1 = tf.get_variable("b", [200], initializer=tf.zeros_initializer())
    with tf.variable_scope("layer2"):
        w2 = tf.get_variable("w", [200, 10])
    return w1, b1, w2


# -- rows and states --------------------------------------------------------------------------


def test_rows_show_shape_dtype_initializer_and_the_state_in_the_session(opened):
    two_layers()
    sess = tf.Session()
    widget = opened(session=sess)
    rows = {r[0]: r for r in widget.rows}
    assert list(rows) == ["layer1/w", "layer1/b", "layer2/w"]
    _, shape, dtype, initializer, state, value, missing = rows["layer1/w"]
    assert (shape, dtype, state, value, missing) == (
        "(784, 200)",
        "float32",
        "uninitialized",
        "",
        "",
    )
    assert initializer == "glorot_uniform: limit = sqrt(6 / (784 + 200)) = 0.0781"
    assert rows["layer1/b"][3].startswith("zeros")
    assert "3 uninitialized" in widget.text().splitlines()[0]


def test_running_init_in_any_cell_updates_the_states_and_values(opened):
    w1, _, _ = two_layers()
    init = tf.global_variables_initializer()
    sess = tf.Session()
    widget = opened(session=sess)
    sess.run(init)  # not through the widget: the event hook tells it
    assert set(states(widget).values()) == {"initialized"}
    values = {r[0]: r[5] for r in widget.rows}
    assert values["layer1/b"] == "all 0"
    drawn = sess.run(w1)  # the values the session holds, summarized
    assert f"min {drawn.min():.4g}, max {drawn.max():.4g}" in values["layer1/w"]
    assert "3 initialized" in widget.status.value


def test_assigned_and_restored_variables_say_so(opened, tmp_path):
    _, b1, w2 = two_layers()
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    saver = tf.train.Saver([w2])
    path = saver.save(sess, str(tmp_path / "model"))
    widget = opened(session=sess)
    sess.run(b1.assign(tf.ones([200])))
    saver.restore(sess, path)
    assert states(widget) == {
        "layer1/w": "initialized",
        "layer1/b": "assigned",
        "layer2/w": "restored",
    }
    assert {r[0]: r[5] for r in widget.rows}["layer1/b"] == "all 1"


def test_a_closed_session_shows_its_values_are_gone(opened):
    two_layers()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        widget = opened(session=sess)
        assert set(states(widget).values()) == {"initialized"}
    assert set(states(widget).values()) == {"session closed"}
    assert "is closed: its values are gone" in widget.status.value


# -- variables created later, and initializer ops built before them ----------------------------


def test_new_variables_appear_and_an_earlier_init_is_named_as_missing_them(opened):
    two_layers()
    init = tf.global_variables_initializer()
    sess = tf.Session()
    widget = opened(session=sess)
    late = tf.Variable(3.0, name="late")
    rows = {r[0]: r for r in widget.rows}
    assert rows["late"][6] == "init" and rows["layer1/w"][6] == ""
    assert "`init` was built before 1 variable of this list existed (late)" in widget.text()
    sess.run(init)
    assert states(widget)["late"] == "uninitialized"  # as the table warned
    assert states(widget)["layer1/w"] == "initialized"
    sess.run(late.initializer)
    assert states(widget)["late"] == "initialized"


def test_an_init_built_before_any_variable_misses_them_all():
    init = tf.global_variables_initializer()  # a NoOp named init, with nothing to run
    two_layers()
    missing = missing_from_initializers(tf.get_default_graph())
    assert missing == {v.op: (init.name,) for v in tf.global_variables()}


def test_local_and_global_initializers_are_checked_against_their_own_variables():
    a = tf.Variable(1.0, name="a")
    tf.global_variables_initializer()
    counter = tf.Variable(0, name="counter", collections=[tf.GraphKeys.LOCAL_VARIABLES])
    tf.local_variables_initializer()  # init_1: runs counter only
    b = tf.Variable(2.0, name="b")
    later = tf.Variable(0, name="later", collections=[tf.GraphKeys.LOCAL_VARIABLES])
    missing = missing_from_initializers(tf.get_default_graph())
    assert missing == {b.op: ("init",), later.op: ("init_1",)}
    assert a.op not in missing and counter.op not in missing


def test_groups_of_initializers_count_what_their_members_run():
    tf.Variable(1.0, name="a")
    tf.Variable(1.0, name="b", collections=[tf.GraphKeys.LOCAL_VARIABLES])
    tf.group(tf.global_variables_initializer(), tf.local_variables_initializer(), name="init_all")
    assert missing_from_initializers(tf.get_default_graph()) == {}
    c = tf.Variable(1.0, name="c")
    assert missing_from_initializers(tf.get_default_graph()) == {c.op: ("init", "init_all")}


def _failing_build(look):
    """A get_variable whose initializer makes ops (an init op among them), calls ``look``,
    then raises: the graph rolls the ops back."""

    def initializer(shape, dtype=None, partition_info=None):
        tf.constant(1.0, name="made_then_removed")
        tf.global_variables_initializer()
        look()
        raise ValueError("no")

    with pytest.raises(ValueError, match="no"):
        tf.get_variable("failed", [2], initializer=initializer)


_GRAPH_STEPS = {
    "global variable": lambda i: tf.Variable(1.0, name=f"g{i}"),
    "local variable": lambda i: tf.Variable(
        0, name=f"l{i}", collections=[tf.GraphKeys.LOCAL_VARIABLES]
    ),
    "variable in no collection": lambda i: tf.Variable(1.0, name=f"n{i}", collections=[]),
    "get_variable in a scope": lambda i: tf.get_variable(f"s{i}/w", [2]),
    "global initializer": lambda i: tf.global_variables_initializer(),
    "local initializer": lambda i: tf.local_variables_initializer(),
    "group of both": lambda i: tf.group(
        tf.global_variables_initializer(), tf.local_variables_initializer(), name=f"init_g{i}"
    ),
    "other ops": lambda i: tf.add(tf.constant(1.0), 2.0),
}


@settings(max_examples=60, deadline=None, database=None)
@given(st.lists(st.sampled_from([*_GRAPH_STEPS, "failed build, looked at halfway"]), max_size=12))
def test_the_tracker_kept_up_to_date_says_what_a_fresh_look_says(steps):
    """The inspector's InitTracker reads only the ops added since its last look; after any
    sequence of changes it holds what reading the whole graph afresh finds."""
    with tf.Graph().as_default() as graph:
        tracker = InitTracker(graph)
        for i, step in enumerate(steps):
            if step == "failed build, looked at halfway":
                _failing_build(look=tracker.update)
            else:
                _GRAPH_STEPS[step](i)
            assert tracker.update() == missing_from_initializers(graph)
            assert tracker.update() == missing_from_initializers(graph)  # nothing new


# -- collections, scope filter, pages ---------------------------------------------------------


def test_the_menu_lists_every_collection_and_the_table_follows_the_choice(opened):
    with tf.variable_scope("layer1", regularizer=lambda w: tf.reduce_sum(w * w)):
        tf.get_variable("w", [3, 2])
    step = tf.Variable(0, name="step", trainable=False)
    tf.add_to_collection("my_keys", step)
    widget = opened()
    keys = [key for _, key in widget.collection_menu.options]
    for key in ("variables", "trainable_variables", "local_variables", "regularization_losses"):
        assert key in keys
    assert "my_keys" in keys and EVERY_VARIABLE in keys
    assert [r[0] for r in widget.rows] == ["layer1/w", "step"]
    widget.collection_menu.value = "trainable_variables"  # as a click in the menu does
    assert widget.collection == "trainable_variables"
    assert [r[0] for r in widget.rows] == ["layer1/w"]
    widget.collection_menu.value = "regularization_losses"
    (loss,) = widget.rows
    assert loss[0].startswith("layer1/w/Regularizer") and loss[4] == "a tensor, not a variable"
    assert widget.initialize_all_button.disabled
    widget.collection = "my_keys"
    assert [r[0] for r in widget.rows] == ["step"]


def test_every_variable_includes_variables_in_no_collection(opened):
    tf.Variable(1.0, name="listed")
    tf.Variable(2.0, name="hidden", collections=[])
    widget = opened(collection=EVERY_VARIABLE)
    assert [r[0] for r in widget.rows] == ["listed", "hidden"]


def test_an_unknown_collection_is_refused_with_the_known_ones():
    tf.Variable(1.0, name="a")
    with pytest.raises(ValueError, match=r"no collection 'trainables'.*'trainable_variables'"):
        inspect(collection="trainables")


def test_the_scope_filter_matches_the_start_of_names_as_get_collection_does(opened):
    two_layers()
    widget = opened()
    widget.scope_filter.value = "layer1"
    assert [r[0] for r in widget.rows] == ["layer1/w", "layer1/b"]
    assert "under scope 'layer1'" in widget.text().splitlines()[0]
    widget.scope_filter.value = "w"  # re.match: names must start with it
    assert widget.rows == []
    widget.scope_filter.value = ""
    assert len(widget.rows) == 3


def test_a_bad_scope_filter_is_explained_in_the_widget(opened):
    two_layers()
    widget = opened()
    widget.scope_filter.value = "layer["
    assert widget.rows == []
    assert "is not a regular expression" in widget.status.value


def test_pages_of_fifty_rows_with_previous_and_next(opened):
    for i in range(120):
        tf.Variable(float(i), name=f"v{i:03d}")
    widget = opened()
    assert len(widget.rows) == PAGE_SIZE == 50
    assert widget.rows[0][0] == "v000" and widget.previous_button.disabled
    widget.next_button.click()
    assert widget.rows[0][0] == "v050" and widget.page_label.value == "rows 51 to 100 of 120"
    widget.next_button.click()
    assert len(widget.rows) == 20 and widget.next_button.disabled
    widget.next_button.click()  # on the last page: stays
    assert widget.rows[0][0] == "v100"
    widget.previous_button.click()
    assert widget.rows[0][0] == "v050"
    assert len(widget.selection.options) == 50  # the page's variables, selectable
    widget.scope_filter.value = "v1"  # another list starts on its first page
    assert widget.rows[0][0] == "v100" and widget.page == 0


# -- buttons ----------------------------------------------------------------------------------


def test_initialize_selected_runs_only_the_selected_initializers(opened):
    two_layers()
    sess = tf.Session()
    widget = opened(session=sess)
    widget.selection.value = ("layer1/b", "layer2/w")
    widget.initialize_selected_button.click()
    assert states(widget) == {
        "layer1/w": "uninitialized",
        "layer1/b": "initialized",
        "layer2/w": "initialized",
    }
    assert "Ran the initializers of 2 variables" in widget.message.value


def test_initialize_all_runs_every_listed_initializer_again(opened):
    w1, _, _ = two_layers()
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    sess.run(w1.assign(tf.zeros([784, 200])))
    widget = opened(session=sess)
    assert states(widget)["layer1/w"] == "assigned"
    widget.initialize_all_button.click()
    assert set(states(widget).values()) == {"initialized"}
    assert not np.all(sess.run(w1) == 0)


def test_without_a_session_the_buttons_say_so_and_change_nothing(opened):
    two_layers()
    widget = opened()
    n_ops = len(tf.get_default_graph().get_operations())
    assert "no session" in widget.status.value
    widget.initialize_all_button.click()
    assert "There is no session to run the initializers in" in widget.message.value
    widget.selection.value = ()
    widget.initialize_selected_button.click()
    assert "Select one or more variables" in widget.message.value
    assert len(tf.get_default_graph().get_operations()) == n_ops


def test_an_initializer_that_fails_is_reported_in_the_widget(opened):
    x = tf.placeholder(tf.float32, [2], name="x")
    tf.Variable(x * 2.0, name="needs_x", validate_shape=True)
    sess = tf.Session()
    widget = opened(session=sess)
    widget.initialize_all_button.click()
    assert "Running the initializers raised InvalidArgumentError" in widget.message.value
    assert states(widget) == {"needs_x": "uninitialized"}


# -- following sessions and graphs; closing ----------------------------------------------------


def test_a_session_opened_when_none_was_shown_is_taken_and_named(opened):
    two_layers()
    widget = opened()
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    assert set(states(widget).values()) == {"initialized"}
    name = session_label(sess)
    assert f"states in {name} with 3 variable values" in widget.status.value
    assert f"Now showing {name}, which opened after this inspector (no session before)" in (
        widget.text()
    )
    assert widget.switch_button.layout.display == "none"


def test_a_new_session_never_replaces_the_shown_one_silently(opened):
    two_layers()
    first = tf.InteractiveSession()
    try:
        first.run(tf.global_variables_initializer())
        widget = opened()
        assert f"states in {session_label(first)}" in widget.status.value
        second = tf.Session()
        # still the first session's states, and a note and a button say what opened
        assert set(states(widget).values()) == {"initialized"}
        assert f"states in {session_label(first)}" in widget.status.value
        note = (
            f"{session_label(second)} opened on this graph after this inspector; "
            f"the states shown are still those of {session_label(first)}."
        )
        assert note in widget.text()
        assert widget.switch_button.layout.display is None
        assert widget.switch_button.description == f"show {session_label(second)} instead"
        widget.switch_button.click()
        assert widget.session is second
        assert set(states(widget).values()) == {"uninitialized"}
        assert f"states in {session_label(second)}" in widget.status.value
        assert note not in widget.text() and widget.switch_button.layout.display == "none"
    finally:
        first.close()


def test_an_offered_session_that_closes_is_no_longer_offered(opened):
    two_layers()
    first = tf.InteractiveSession()
    try:
        widget = opened()
        with tf.Session() as passing:
            passing.run(tf.global_variables_initializer())
            assert widget.offered is passing
        assert widget.offered is None and widget.switch_button.layout.display == "none"
        assert "opened on this graph after this inspector" not in widget.text()
        assert widget.session is first
    finally:
        first.close()


def test_a_given_session_is_kept_when_another_opens(opened):
    two_layers()
    mine = tf.Session()
    widget = opened(session=mine)
    other = tf.Session()
    other.run(tf.global_variables_initializer())
    assert set(states(widget).values()) == {"uninitialized"}


def test_the_default_graph_is_followed_when_it_is_replaced(opened):
    two_layers()
    widget = opened()
    tf.reset_default_graph()
    assert widget.rows == []
    tf.Variable(1.0, name="fresh")
    assert [r[0] for r in widget.rows] == ["fresh"]


def test_closing_unsubscribes_from_the_runtime():
    two_layers()
    before = {e: len(events._observers[e]) for e in events.EVENTS}
    widget = inspect()
    assert all(len(events._observers[e]) == before[e] + 1 for e in events.EVENTS)
    widget.close()
    assert {e: len(events._observers[e]) for e in events.EVENTS} == before
    shown = widget.status.value
    tf.Session().run(tf.global_variables_initializer())
    assert widget.status.value == shown


# -- what the frontend receives ------------------------------------------------------------------


def test_a_write_off_the_page_updates_the_counts_but_not_the_rows(frontend, opened):
    variables = [tf.Variable(float(i), name=f"v{i:03d}") for i in range(60)]
    sess = tf.Session()
    widget = opened(session=sess)
    rows_sent, status_sent = updates(widget.table, "value"), updates(widget.status, "value")
    sess.run(variables[55].initializer)  # on page 2; page 1 is shown
    assert updates(widget.table, "value") == rows_sent
    assert updates(widget.status, "value") == status_sent + 1
    assert "1 initialized, 59 uninitialized" in widget.status.value
    sess.run(variables[3].initializer)  # on the page shown
    assert updates(widget.table, "value") == rows_sent + 1


def test_a_cell_that_creates_many_variables_updates_the_widget_once(frontend, nb):
    nb.ok("from tfteach.notebook import inspect\nw = inspect()")
    widget = nb.shell.user_ns["w"]
    try:
        sent = updates(widget.status, "value")
        nb.ok("for i in range(200):\n    tf.Variable(float(i), name=f'v{i}')")
        assert updates(widget.status, "value") == sent + 1
        assert "200 variables" in widget.status.value
        nb.ok("sess = tf.Session()\nsess.run(tf.global_variables_initializer())")
        assert "200 initialized" in widget.status.value
        # read within the cell that changed things, it is up to date all the same
        ran = nb.ok("extra = tf.Variable(0.0, name='extra')\nprint(w.text().splitlines()[0])")
        assert "201 variables (200 initialized, 1 uninitialized)" in ran.stdout
    finally:
        widget.close()


def test_frontends_without_widgets_get_the_table_as_text_and_html(opened):
    two_layers()
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    bundle = opened(session=sess)._repr_mimebundle_()
    assert WIDGET_VIEW in bundle
    text, page = bundle["text/plain"], bundle["text/html"]
    assert text.splitlines()[0].startswith("collection 'variables': 3 variables (3 initialized)")
    assert re.search(r"layer1/w +\(784, 200\) +float32 +glorot_uniform.*initialized", text)
    assert "<table>" in page and "layer2/w" in page and "initialized" in page
    # where the widget cannot load, what shows instead says it is a stand-in
    assert text.endswith(WIDGET_MISSING)
    assert "did not load here" in page and "ipywidgets" in page


def test_vars_magic_shows_the_inspector_with_its_filters(nb):
    nb.ok(
        "with tf.variable_scope('layer1'):\n    tf.get_variable('w', [2, 2])\n"
        "tf.Variable(1.0, name='other')"
    )
    ran = nb.ok("%vars --widget --scope layer1")
    (output,) = ran.outputs
    assert WIDGET_VIEW in output
    assert "layer1/w" in output["text/plain"] and "other" not in output["text/plain"]
    from ipywidgets import Widget

    Widget.close_all()
    ran = nb.run("%vars other --widget")
    assert "not by PATTERN" in str(ran.error)


# -- escaping -------------------------------------------------------------------------------------


def test_names_and_keys_are_escaped_everywhere(opened, monkeypatch):
    # tfteach refuses such names as TF does; a graph imported from elsewhere could hold them
    anything = re.compile(r".+", re.DOTALL)
    monkeypatch.setattr(graph_module, "_VALID_OP_NAME", anything)
    monkeypatch.setattr(graph_module, "_VALID_SCOPE_NAME", anything)
    with tf.name_scope(EVIL):
        v = tf.Variable(1.0, name=EVIL)
    tf.add_to_collection(EVIL, v)
    sess = tf.Session()
    widget = opened(session=sess, collection=EVIL, scope=EVIL[:4])
    escaped = "&lt;img src=x onerror=alert(1)&gt;"
    bundle = widget._repr_mimebundle_()
    for page in (widget.table.value, widget.status.value, bundle["text/html"]):
        assert "<img" not in page
        assert escaped in page
    assert v.op.name in widget.selection.options  # option labels are text, never HTML
    widget.initialize_all_button.click()
    assert "<img" not in widget.message.value and "Ran the initializers" in widget.message.value


# -- the initializer explorer ----------------------------------------------------------------


@pytest.fixture
def explorer():
    """explore_initializers(), closed after the test."""
    yield from closed_after(explore_initializers)


def png(widget) -> bytes:
    return bytes(widget.histogram.value)


def facts(widget) -> dict[str, str]:
    lines = widget._repr_mimebundle_()["text/plain"].splitlines()[3:-1]
    return dict(re.split(r"\s{2,}", line.strip(), maxsplit=1) for line in lines if "  " in line)


def test_the_explorer_shows_glorots_arithmetic_and_a_histogram(explorer):
    widget = explorer()
    shown = facts(widget)
    assert shown["fan_in"] == "784 (rows)" and shown["fan_out"] == "200 (columns)"
    assert shown["formula"] == "limit = sqrt(6 / (784 + 200)) = 0.0781"
    assert float(shown["limit"]) == pytest.approx(np.sqrt(6 / 984), rel=1e-3)
    assert png(widget).startswith(b"\x89PNG")
    assert widget.mode_menu.disabled and widget.mode_menu.value == "fan_avg"
    assert widget.distribution_menu.value == "uniform"


def test_variance_scaling_on_a_convolution_kernel(explorer):
    widget = explorer("variance_scaling")
    assert not widget.mode_menu.disabled and widget.parameter_box.description == "scale"
    widget.shape_choice.value = "conv 5x5x32x64"
    widget.mode_menu.value = "fan_avg"
    widget.distribution_menu.value = "uniform"
    widget.parameter_box.value = 3.0
    shown = facts(widget)
    assert shown["receptive field"] == "5 · 5 = 25"
    assert shown["fan_in"].startswith("25 · 32 = 800")
    assert shown["fan_out"].startswith("25 · 64 = 1600")
    assert widget.explanation["n"] == 1200
    assert widget.explanation["limit"] == pytest.approx(np.sqrt(3 * 3.0 / 1200))


def test_presets_show_their_fixed_mode_and_scale(explorer):
    widget = explorer()
    widget.initializer_menu.value = "he_normal"
    assert (widget.mode_menu.value, widget.distribution_menu.value) == (
        "fan_in",
        "truncated_normal",
    )
    assert widget.parameter_box.value == 2.0 and widget.parameter_box.disabled
    assert widget.explanation["stddev"] == pytest.approx(np.sqrt(2 / 784))


def test_normal_initializers_take_a_stddev(explorer):
    widget = explorer("truncated_normal")
    assert widget.parameter_box.description == "stddev"
    assert widget.mode_menu.layout.display == "none"  # no fans in its formula
    widget.parameter_box.value = 0.5
    assert widget.explanation["param_stddev"] == 0.5
    assert widget.explanation["stddev"] == pytest.approx(0.5 * 0.8796, rel=1e-3)


def test_a_custom_shape(explorer):
    widget = explorer()
    widget.shape_choice.value = "custom"
    assert not widget.shape_text.disabled
    widget.shape_text.value = "3, 4"
    assert widget.shape == (3, 4) and facts(widget)["fan_in"] == "3 (rows)"
    widget.shape_text.value = "3, four"
    assert "is not a list of positive integers" in widget.message.value
    assert widget.shape == (3, 4)  # the last good shape stays
    widget.shape = (5, 5, 32, 64)  # the controls follow the model
    assert widget.shape_choice.value == "conv 5x5x32x64" and widget.shape_text.disabled
    assert widget.shape_text.value == "5, 5, 32, 64"
    widget.shape = (7, 3)
    assert widget.shape_choice.value == "custom" and widget.shape_text.value == "7, 3"
    assert widget.message.value == ""


def test_bad_settings_are_explained_in_the_widget(explorer):
    widget = explorer("variance_scaling")
    widget.parameter_box.value = 0.0
    assert "Argument `scale` must be a positive float. Received: 0.0" in widget.message.value
    assert png(widget) == b"" and widget.histogram.layout.display == "none"
    widget.parameter_box.value = 1.0
    assert widget.message.value == "" and png(widget).startswith(b"\x89PNG")
    assert widget.histogram.layout.display is None
    widget.initializer = "identity"
    widget.shape_choice.value = "conv 5x5x32x64"
    assert "two-dimensional" in widget.message.value or "2-D" in widget.message.value


def test_a_huge_shape_keeps_its_arithmetic_without_drawing(explorer):
    widget = explorer(shape=(4096, 4096))
    assert "draws at most" in widget.message.value and png(widget) == b""
    assert facts(widget)["fan_in"] == "4096 (rows)"


def test_the_seed_fixes_the_draw(explorer):
    first, again = explorer(seed=3), explorer(seed=3)
    assert png(first) == png(again)
    again.seed_box.value = 4
    assert png(first) != png(again)


def test_an_unknown_initializer_is_refused():
    with pytest.raises(ValueError, match="unknown initializer 'xavier'.*glorot_uniform"):
        explore_initializers("xavier")


@pytest.mark.parametrize(
    "text, shape",
    [
        ("784, 200", (784, 200)),
        ("5x5x32x64", (5, 5, 32, 64)),
        ("5 x 5 \u00d7 32 * 64", (5, 5, 32, 64)),  # a multiplication sign
        ("[784, 200]", (784, 200)),
        ("(3,)", (3,)),
        ("  7 3 ", (7, 3)),
    ],
)
def test_parse_shape_reads_the_usual_spellings(text, shape):
    assert parse_shape(text) == shape


@pytest.mark.parametrize(
    "text", ["3, x", "x3", "3x", "3,,4", "0, 2", "-1, 2", "", "[]", "3.5", "\u0663"]
)
def test_parse_shape_refuses_anything_else(text):
    with pytest.raises(ValueError, match="is not a list of positive integers"):
        parse_shape(text)


def test_the_explorer_refuses_a_shape_with_a_letter(explorer):
    widget = explorer()
    widget.shape_choice.value = "custom"
    widget.shape_text.value = "3, x"
    assert "is not a list of positive integers" in widget.message.value
    assert widget.shape == (784, 200)


def png_facts(data: bytes) -> tuple[int, float]:
    """(width in pixels, dots per inch) read from a PNG's IHDR and pHYs chunks."""
    import struct

    width = struct.unpack(">I", data[16:20])[0]
    at = data.index(b"pHYs")
    per_metre = struct.unpack(">I", data[at + 4 : at + 8])[0]
    return width, per_metre * 0.0254


def test_the_histogram_is_sharp_and_its_text_is_not_shrunk(explorer):
    widget = explorer()
    width, dpi = png_facts(png(widget))
    shown = int(widget.histogram.layout.width.removesuffix("px"))
    # at least two image pixels per CSS pixel: sharp on a HiDPI screen
    assert width >= 2 * shown
    # the figure is shown at 96 CSS px per inch or more: 9 pt text is 12 px, not 72-dpi 9 px
    inches = width / dpi
    assert shown / inches >= 96 - 0.5

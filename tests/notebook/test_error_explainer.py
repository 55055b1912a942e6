"""The error explainer: after a classic TF1 error, a note on what happened here and the fix."""

import pytest

import tfteach as tf


def explained(ran) -> str:
    """The one explainer note a failed cell showed."""
    assert ran.error is not None, "the cell did not fail"
    panels = ran.panels()
    assert len(panels) == 1, ran.outputs
    return panels[0]


def test_a_cell_run_twice_that_creates_the_same_variable(nb):
    cell = "w = tf.get_variable('w', [2])"
    nb.ok(cell)
    note = explained(nb.run(cell))
    assert note.startswith("tfteach: `w` already exists")
    assert "This cell was run twice and creates the same variable: its first run (In [2])" in note
    assert "Start the cell with `%%graph`" in note
    assert "reuse=tf.AUTO_REUSE" in note


def test_a_cell_that_creates_a_variable_twice(nb):
    note = explained(
        nb.run("def layer():\n    return tf.get_variable('h1', [2])\nlayer()\nlayer()")
    )
    assert "This cell creates `h1` twice" in note


def test_another_cell_created_the_variable(nb):
    nb.ok("a = tf.get_variable('shared', [2])")
    note = explained(nb.run("b = tf.get_variable('shared', [2])"))
    assert "In [2] created `shared`; this cell asks `get_variable` to create" in note


def test_reuse_of_a_missing_variable(nb):
    nb.ok("with tf.variable_scope('test'):\n    tf.get_variable('mode1', [2])")
    ran = nb.run("with tf.variable_scope('test', reuse=True):\n    tf.get_variable('mode1w', [2])")
    note = explained(ran)
    assert note.startswith("tfteach: `test/mode1w` does not exist")
    assert "Variables with similar names: `test/mode1`." in note
    assert "`reuse=tf.AUTO_REUSE` creates the variable the first time" in note


def test_reuse_of_a_tf_variable(nb):
    nb.ok("v = tf.Variable(1.0, name='plain')")
    note = explained(
        nb.run("with tf.variable_scope('', reuse=True):\n    tf.get_variable('plain')")
    )
    assert "made by `tf.Variable(...)`: `get_variable` reuses only variables" in note


def test_reuse_of_a_variable_from_a_replaced_graph(nb):
    nb.ok("%%graph\nwith tf.variable_scope('s'):\n    tf.get_variable('w', [1])")
    nb.ok("%%graph\nx = tf.constant(1.0)")
    ran = nb.run("with tf.variable_scope('s', reuse=True):\n    tf.get_variable('w', [1])")
    assert "In [2] created `s/w` in an earlier graph (replaced by `%%graph`)" in explained(ran)


def test_uninitialized_variable_in_a_new_session(nb):
    nb.ok("v = tf.Variable(1.0, name='v')\ninit = tf.global_variables_initializer()")
    note = explained(nb.run("tf.Session().run(v)"))
    assert note.startswith("tfteach: `v` is uninitialized")
    assert "`init` initializes `v`, but this session has not run it." in note
    assert "there is no default session, so `%init` would open a new one" in note
    assert "`%init` runs" not in note  # it would not initialize the session that failed
    assert "`sess.run(tf.global_variables_initializer())`" in note
    assert "`sess.run(v.initializer)`" in note


def label(nb, name: str) -> str:
    from tfteach.notebook.summary import session_label

    return session_label(nb.shell.user_ns[name])


def test_the_default_session_gets_the_init_magic_advice(nb):
    nb.ok("v = tf.Variable(1.0, name='v')\nisess = tf.InteractiveSession()")
    note = explained(nb.run("v.eval()"))
    assert "`%init` runs the initializers in the default session" in note
    assert "The run that failed was in" not in note


def test_after_init_magic_a_failure_in_another_session_names_both_sessions(nb):
    nb.ok("v = tf.Variable(1.0, name='v')")
    nb.ok("%init")  # In [3]: opens an InteractiveSession, the default session
    nb.ok("opened = tf.get_default_session()\nsess = tf.Session()")
    note = explained(nb.run("sess.run(v)"))
    opened, sess = label(nb, "opened"), label(nb, "sess")
    assert opened.endswith("(InteractiveSession)") and sess.endswith("(Session)")
    assert opened != sess
    assert f"The run that failed was in {sess[:-1]}, `sess`)" in note
    assert f"`%init` initializes the default session, {opened}" in note
    assert f"`%init` in In [3] initialized {opened}, which is why this session" in note
    # the advice that did not work is not given again; the one that works is
    assert "`%init` runs" not in note
    assert "`sess.run(tf.global_variables_initializer())`" in note
    nb.ok("sess.run(tf.global_variables_initializer())\nsess.run(v)")


def test_session_labels_are_stable_and_hold_no_address(nb):
    nb.ok("a = tf.Session()\nb = tf.InteractiveSession()")
    first, second = label(nb, "a"), label(nb, "b")
    assert first.startswith("session ") and "0x" not in first
    assert int(second.split()[1]) == int(first.split()[1]) + 1  # numbered as they open
    nb.ok("a.close()")
    assert label(nb, "a") == first


def test_an_uninitialized_metric_counter_advises_the_local_initializer(nb):
    nb.ok(
        "acc, acc_op = tf.metrics.accuracy(tf.constant([1, 0]), tf.constant([1, 1]))\n"
        "sess = tf.Session()\n"
        "sess.run(tf.global_variables_initializer())"
    )
    note = explained(nb.run("sess.run(acc_op)"))
    assert note.startswith("tfteach: `accuracy/count` is uninitialized")
    assert "`accuracy/count` is a LOCAL variable" in note
    assert "`sess.run(tf.local_variables_initializer())`" in note
    nb.ok("sess.run(tf.local_variables_initializer())\nsess.run(acc_op)")


def test_a_variable_created_after_the_init_op(nb):
    nb.ok(
        "w = tf.Variable(tf.zeros([2]), name='w')\n"
        "init = tf.global_variables_initializer()\n"
        "slot = tf.Variable(tf.zeros([2]), name='w/Adam')\n"
        "slot2 = tf.Variable(tf.zeros([2]), name='w/Adam_1')\n"
        "sess = tf.Session()\n"
        "sess.run(init)"
    )
    note = explained(nb.run("sess.run(slot)"))
    assert "`init` was built before `w/Adam` existed, so it does not initialize it" in note
    assert "Missing from `init`: `w/Adam`, `w/Adam_1`." in note
    assert "Build the init op after the last variable is created" in note


def test_an_optimizers_slots_after_the_init_op(nb):
    if not hasattr(tf.train, "AdamOptimizer"):
        pytest.skip("tf.train.AdamOptimizer is not there yet")
    nb.ok(
        "w = tf.Variable([1.0, 2.0], name='w')\n"
        "loss = tf.reduce_sum(tf.square(w))\n"
        "init = tf.global_variables_initializer()\n"
        "train = tf.train.AdamOptimizer(0.1).minimize(loss)\n"
        "sess = tf.Session()\n"
        "sess.run(init)"
    )
    note = explained(nb.run("sess.run(train)"))
    assert "`init` was built before" in note
    assert "Missing from `init`:" in note and "`w/Adam`" in note
    assert "Or initialize just this one" not in note  # no Python name holds the slot


def test_a_missing_feed_names_the_python_variable(nb):
    nb.ok("inputs = tf.placeholder(tf.float32, [None, 8], name='x')\ny = inputs * 2")
    note = explained(nb.run("tf.Session().run(y)"))
    assert note.startswith("tfteach: no value fed for placeholder `x`")
    assert (
        "`sess.run(fetches, feed_dict={inputs: value})` with a float value of shape [?,8]" in note
    )


def test_a_feed_of_the_wrong_shape(nb):
    nb.ok("x = tf.placeholder(tf.float32, [None, 8], name='x')\ny = x * 2")
    note = explained(nb.run("tf.Session().run(y, feed_dict={x: np.zeros((4, 3))})"))
    assert note.startswith("tfteach: wrong shape fed for `x:0`")
    assert "Dimension 1 is 3 where the placeholder needs 8." in note
    assert "`np.reshape(value, (-1, 8))`" in note


def test_a_tensor_of_a_replaced_graph(nb):
    nb.ok("%%graph\nc = tf.constant(1, name='c')")
    nb.ok("%%graph\nd = tf.constant(2, name='d')")
    note = explained(nb.run("tf.Session().run(c)"))
    assert note.startswith("tfteach: an element of another graph")
    assert "The Python name `c` still refers to `c:0` of an earlier graph" in note
    assert "(replaced by `%%graph`)" in note


def test_a_closed_session(nb):
    nb.ok("v = tf.constant(1.0)\nwith tf.Session() as sess:\n    pass")
    note = explained(nb.run("sess.run(v)"))
    assert note.startswith("tfteach: the session is closed")
    assert "`%init` opens a new InteractiveSession" in note


def test_no_default_session_after_graph_closed_it(nb):
    nb.ok("%%graph\nv = tf.Variable(1.0, name='v')")
    nb.ok("%init")
    nb.ok("%%graph\nv = tf.Variable(1.0, name='v')")
    note = explained(nb.run("v.eval()"))
    assert note.startswith("tfteach: no default session")
    assert "`%%graph` closed the default session in In [4] when it replaced the graph." in note


def test_an_error_inside_a_graph_cell_is_explained_once(nb):
    ran = nb.run("%%graph\nx = tf.placeholder(tf.float32, name='x')\ntf.Session().run(x)")
    assert "no value fed for placeholder `x`" in explained(ran)


def test_other_errors_are_left_alone(nb):
    ran = nb.run("1 / 0")
    assert isinstance(ran.error, ZeroDivisionError)
    assert ran.outputs == []


def test_the_explainer_can_be_switched_off_and_on(nb):
    cell = "tf.Session().run(tf.Variable(1.0))"
    assert "The tfteach error explainer is off." in nb.ok("%tfteach_explain off").stdout
    assert nb.run(cell).outputs == []
    assert "The tfteach error explainer is off." in nb.ok("%tfteach_explain").stdout
    nb.ok("%tfteach_explain on")
    assert len(nb.run(cell).panels()) == 1
    assert type(nb.run("%tfteach_explain maybe").error).__name__ == "UsageError"


def test_the_note_is_escaped_html_with_code(nb):
    nb.ok("x = tf.placeholder(tf.float32, name='a>b')")
    ran = nb.run("tf.Session().run(x)")
    assert "<code>a&gt;b</code>" in ran.html
    assert "a>b" not in ran.html


def test_an_init_that_fails_because_of_initialization_order(nb):
    nb.ok(
        "v = tf.Variable(3.0, name='v')\n"
        "w = tf.Variable(v * 2, name='w')\n"
        "u = tf.Variable(w + v, name='u')\n"
        "init = tf.global_variables_initializer()\n"
        "sess = tf.Session()"
    )
    note = explained(nb.run("sess.run(init)"))
    assert "`init` initializes `v`, but `u` read `v` while it runs" in note
    assert "`v.initialized_value()`" in note
    assert "tf.variables_initializer([v])" in note
    assert "this session has not run it" not in note


def test_an_iterator_used_before_its_initializer(nb):
    nb.ok(
        "it = tf.data.Dataset.from_tensor_slices([1, 2]).make_initializable_iterator()\n"
        "x = it.get_next()\nsess = tf.Session()"
    )
    note = explained(nb.run("sess.run(x)"))
    assert note.startswith("tfteach: the iterator is not initialized")
    assert "`sess.run(iterator.initializer)`" in note
    nb.ok("sess.run(it.initializer)\nsess.run(x)")


def test_the_end_of_a_dataset(nb):
    nb.ok("x = tf.data.make_one_shot_iterator(tf.data.Dataset.from_tensor_slices([1])).get_next()")
    note = explained(nb.run("sess = tf.Session()\nsess.run(x)\nsess.run(x)"))
    assert note.startswith("tfteach: the iterator reached the end of its data")
    assert "except tf.errors.OutOfRangeError" in note


def test_a_lookup_table_used_before_tables_initializer(nb):
    nb.ok(
        "table = tf.lookup.StaticHashTable(\n"
        "    tf.lookup.KeyValueTensorInitializer(['a'], tf.constant([1], tf.int64)), -1)\n"
        "ids = table.lookup(tf.constant(['a']))\nsess = tf.Session()"
    )
    note = explained(nb.run("sess.run(ids)"))
    assert note.startswith("tfteach: the lookup table is not initialized")
    assert "`sess.run(tf.tables_initializer())`" in note


def test_a_feature_column_table_used_before_tables_initializer(nb):
    nb.ok(
        "fc = tf.feature_column\n"
        "color = fc.categorical_column_with_vocabulary_list('color', ['red', 'blue'])\n"
        "net = fc.input_layer({'color': tf.constant([['red']])}, [fc.indicator_column(color)])\n"
        "sess = tf.Session()\nsess.run(tf.global_variables_initializer())"
    )
    note = explained(nb.run("sess.run(net)"))
    assert note.startswith("tfteach: the lookup table is not initialized")
    assert (
        "`tf.feature_column.input_layer` built this table for the vocabulary column of `color`"
        in note
    )
    assert "`sess.run(tf.tables_initializer())`" in note
    nb.ok("sess.run(tf.tables_initializer())\nsess.run(net)")

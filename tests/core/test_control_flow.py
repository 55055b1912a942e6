"""tf.cond and tf.while_loop: TF1's names, only the chosen branch runs, the gradient of a
cond reaches only the branch that ran, and a while loop's results and errors."""

import numpy as np
import pytest
from test_gradients import check_gradients, rand

import tfteach as tf


def test_cond_builds_both_branches_under_cond_and_merges_them():
    p = tf.placeholder(tf.bool)
    x = tf.placeholder(tf.float32, [2])
    r = tf.cond(p, lambda: x * 2, lambda: x + 1)
    assert r.name == "cond/Merge:0" and r.shape.as_list() == [2]
    names = {op.name for op in tf.get_default_graph().get_operations()}
    assert {"cond/pred_id", "cond/mul", "cond/add", "cond/Merge"} <= names
    pair = tf.cond(p, lambda: (x, x * 3), lambda: (x + 1, x))
    assert [t.name for t in pair] == ["cond_1/Merge:0", "cond_1/Merge_1:0"]
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(r, {p: True, x: [1, 2]}), [2, 4])
        np.testing.assert_array_equal(sess.run(r, {p: False, x: [1, 2]}), [2, 3])
        np.testing.assert_array_equal(sess.run(pair[1], {p: True, x: [1, 2]}), [3, 6])


def test_cond_runs_only_the_branch_the_predicate_picks():
    p = tf.placeholder(tf.bool)
    v = tf.Variable(0.0, name="v")
    r = tf.cond(p, lambda: v.assign(1.0), lambda: v.assign(2.0))
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(r, {p: True}) == 1.0 and sess.run(v) == 1.0
        assert sess.run(r, {p: False}) == 2.0 and sess.run(v) == 2.0


def test_the_gradient_of_a_cond_flows_through_the_branch_that_ran():
    p = tf.placeholder(tf.bool, [])
    x = tf.placeholder(tf.float32, [2])
    r = tf.cond(p, lambda: x * x, lambda: x * 3.0)
    (g,) = tf.gradients(r, x)
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(g, {p: True, x: [1, 2]}), [2, 4])
        np.testing.assert_allclose(sess.run(g, {p: False, x: [1, 2]}), [3, 3])
    for flag in (True, False):
        check_gradients(
            lambda a, flag=flag: tf.cond(tf.constant(flag), lambda: a * a, lambda: a * 2.0),
            rand(3),
        )


def test_cond_rejects_a_python_bool_and_mismatched_branches():
    x = tf.constant(1.0)
    with pytest.raises(TypeError, match="'pred' must not be a Python bool"):
        tf.cond(True, lambda: x, lambda: x)
    p = tf.placeholder(tf.bool)
    with pytest.raises(ValueError, match="same number, type, and overall structure"):
        tf.cond(p, lambda: (x, x), lambda: x)


def test_while_loop_runs_until_the_condition_is_false():
    i = tf.constant(0)
    w = tf.while_loop(lambda i: i < 10, lambda i: i + 1, [i])
    assert w.name == "while/Exit:0"  # one loop variable: one tensor, as TF1 returns
    x = tf.placeholder(tf.float32, [])
    pair = tf.while_loop(lambda i, s: i < 3, lambda i, s: (i + 1, s * x), (i, x))
    assert [t.name for t in pair] == ["while_1/Exit:0", "while_1/Exit_1:0"]
    capped = tf.while_loop(lambda i: i < 100, lambda i: i + 1, [i], maximum_iterations=7)
    with tf.Session() as sess:
        assert sess.run(w) == 10
        assert sess.run(pair, {x: 2.0}) == (3, 16.0)
        assert sess.run(capped) == 7


def test_while_loop_errors():
    i = tf.constant(0)
    with pytest.raises(ValueError, match="enters the loop with shape \\(\\), but has shape"):
        tf.while_loop(lambda i: i < 3, lambda i: tf.stack([i, i]), [i])

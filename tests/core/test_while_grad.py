"""Gradients through tf.while_loop: the values and names TF 2.21 gives (recorded by
tools/record_tf_while_grad.py), finite differences, the loop written out in Python as an
oracle for random bodies, training through a loop, and the errors."""

from __future__ import annotations

import json
import pathlib
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_gradients import check_gradients, rand
from while_grad_programs import PROGRAMS

import tfteach as tf
from tfteach import errors
from tfteach.core import session as session_module

RECORDED_FILE = pathlib.Path(__file__).parents[1] / "fixtures" / "while_grad_reference.json"
RECORDED = json.loads(RECORDED_FILE.read_text())["programs"]

# gradient names tfteach does not give as TF does, and why
NAME_DIFFERENCES = {
    ("sequence_reader", "dloss_dxs"): "TF's gradient of tf.gather is IndexedSlices, which "
    "convert_to_tensor turns into an UnsortedSegmentSum; tfteach's is a dense tensor already",
    ("nested_structure", "dloss_dx"): "TF builds the body's gradient after the loop's "
    "gradients leave it, so its AddN for x is gradients/AddN; tfteach's is AddN_2",
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_gradients_through_a_loop_match_tensorflow(name):
    got = PROGRAMS[name](tf)
    expected = RECORDED[name]
    assert got["values"].keys() == expected["values"].keys()
    for key, value in expected["values"].items():
        np.testing.assert_allclose(got["values"][key], value, rtol=2e-5, atol=1e-6, err_msg=key)
    for key, tf_name in expected["names"].items():
        if (name, key) not in NAME_DIFFERENCES:
            assert got["names"][key] == tf_name, key


def test_the_body_gradient_is_built_once_under_tf_names():
    x = tf.placeholder(tf.float32, [], name="x")
    _, y = tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, y * x), [0, x])
    (g,) = tf.gradients(y, x)
    names = [op.name for op in tf.get_default_graph().get_operations()]
    made = names[names.index("gradients/grad_ys_0") + 1 :]
    assert made == [
        "gradients/while/Exit_1_grad/b_exit",  # the gradient arriving at y, each iteration
        "gradients/while/mul_grad/Mul",  # d(y * x)/dy
        "gradients/while/mul_grad/Mul_1",  # d(y * x)/dx
        "gradients/while/LoopCond_grad/WhileGrad",  # runs the iterations backwards
        "gradients/while/Enter_1_grad/Exit",  # the gradient of y's initial value
        "gradients/while/mul/Enter_grad/b_acc_3",  # of x, summed over the iterations
        "gradients/AddN",
    ]
    assert g.name == "gradients/AddN:0"


# -- finite differences ---------------------------------------------------------------------


def _powers(x):
    _, y = tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, y * x), [0, x])
    return y


def _rnn(x, w):
    def body(i, h):
        return i + 1, tf.tanh(tf.matmul(h, w) + x)

    return tf.while_loop(lambda i, h: i < 4, body, [0, x])[1]


def _until_large(x):
    return tf.while_loop(lambda y: tf.reduce_sum(y) < 20.0, lambda y: y * 1.5 + x * x, [x])


def _capped(x):
    return tf.while_loop(
        lambda y: y[0] < 1e9, lambda y: tf.sigmoid(y) * x, [x], maximum_iterations=5
    )


def _swaps(a, b):
    # each iteration swaps the pair and scales one: gradients cross between loop variables
    return tf.while_loop(lambda i, a, b: i < 3, lambda i, a, b: (i + 1, b * 2.0, a * b), [0, a, b])[
        1:
    ]


def _nested(x):
    def outer(i, y):
        inner = tf.while_loop(lambda j, z: j < i, lambda j, z: (j + 1, tf.tanh(z) + x), [0, y])
        return i + 1, inner[1] * y

    return tf.while_loop(lambda i, y: i < 3, outer, [0, x])[1]


def _cond_inside(x):
    return tf.while_loop(
        lambda y: tf.reduce_sum(y) < 10.0,
        lambda y: tf.cond(y[0] > 2.0, lambda: y * x, lambda: y + x),
        [x],
    )


def _reads_x_and_x_squared(x):
    # the body reads two outside tensors, one computed from the other: each path counts once
    x2 = x * x
    return tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, y * x + x2), [0, x])[1]


def _never_runs(x):
    return tf.while_loop(lambda y: tf.reduce_sum(y) < -1.0, lambda y: y * x, [x]) * 3.0


@pytest.mark.parametrize(
    "build, inputs",
    [
        (_powers, [rand(3)]),
        (_rnn, [rand(2, 3, low=-0.5, high=0.5), rand(3, 3, low=-0.5, high=0.5, seed=1)]),
        (_until_large, [rand(2, low=0.5, high=1.0)]),
        (_capped, [rand(4, low=0.5, high=1.5)]),
        (lambda a, b: tf.add_n(_swaps(a, b)), [rand(2), rand(2, seed=1)]),
        (_nested, [rand(2, low=-1.0, high=1.0)]),
        (_cond_inside, [np.array([1.5, 0.7])]),
        (_reads_x_and_x_squared, [rand(3)]),
        (_never_runs, [rand(2, low=0.5, high=1.0)]),
    ],
    ids=[
        "powers",
        "rnn",
        "until_large",
        "maximum_iterations",
        "swaps",
        "nested",
        "cond",
        "reads_two",
        "zero_runs",
    ],
)
def test_loop_gradients_match_finite_differences(build, inputs):
    check_gradients(build, *inputs)


# -- random bodies against the loop written out -----------------------------------------------

UNARY = {"tanh": tf.tanh, "square": tf.square, "sigmoid": tf.sigmoid, "none": lambda t: t}
BINARY = {"add": tf.add, "mul": tf.multiply, "sub": tf.subtract}
OPERANDS = ("a", "b", "w", "const")
# one step of a random loop body: unary(binary(left, right))
BODY_STEP = st.tuples(
    st.sampled_from(sorted(UNARY)),
    st.sampled_from(sorted(BINARY)),
    st.sampled_from(OPERANDS),
    st.sampled_from(OPERANDS),
)


def _body_step(step, env):
    unary, binary, left, right = step
    return UNARY[unary](BINARY[binary](env[left], env[right]))


@settings(max_examples=100, deadline=None)
@given(
    steps=st.tuples(BODY_STEP, BODY_STEP),
    iterations=st.integers(0, 3),
    use_limit=st.booleans(),
)
def test_random_loop_bodies_differentiate_as_the_loop_written_out(steps, iterations, use_limit):
    """A loop over (a, b) reading w has the gradient of the same ops repeated in Python."""
    tf.reset_default_graph()
    a0, b0, w = (tf.placeholder(tf.float64, [2], name=n) for n in ("a0", "b0", "w"))
    const = tf.constant([0.5, -0.25], tf.float64)

    def body(i, a, b):
        env = {"a": a, "b": b, "w": w, "const": const}
        return (i + 1, *(_body_step(step, env) for step in steps))

    limit = iterations if use_limit else None
    bound = 100 if use_limit else iterations  # the limit stops it, or the condition does
    looped = tf.while_loop(lambda i, a, b: i < bound, body, [0, a0, b0], maximum_iterations=limit)
    written_out = (0, a0, b0)
    for _ in range(iterations):
        written_out = body(*written_out)
    xs = [a0, b0, w]
    feed = {a0: [0.3, -0.7], b0: [1.1, 0.4], w: [-0.6, 0.9]}
    with tf.Session() as sess:
        for k in (1, 2):  # the gradients of a, then of b
            loop_grads = tf.gradients(looped[k], xs)
            oracle = tf.gradients(written_out[k], xs)
            for x, g, expected in zip(xs, loop_grads, oracle):
                if expected is not None:  # the loop's gradient exists where the oracle's does
                    assert g is not None
                got = np.zeros(2) if g is None else sess.run(g, feed)
                want = np.zeros(2) if expected is None else sess.run(expected, feed)
                np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12, err_msg=x.name)


def _compiled_afresh(session, elements, feed_keys, rebuild):
    """Session._plan without the session's store of plans: the plain path."""
    return session_module._compile(elements, feed_keys, rebuild)


@settings(max_examples=60, deadline=None)
@given(
    steps=st.lists(BODY_STEP, min_size=1, max_size=3),
    iterations=st.integers(0, 4),
    feed_w=st.booleans(),
)
def test_kept_plans_give_what_plans_compiled_afresh_give(steps, iterations, feed_w):
    """A loop evaluates its condition, body and gradient at every iteration, and the session
    keeps each plan after compiling it once. Random loops, run twice, with a graph that
    grows between the runs, give bit for bit what compiling every plan afresh gives."""

    def program():
        tf.reset_default_graph()
        a0 = tf.placeholder(tf.float64, [2], name="a0")
        w = tf.Variable([-0.6, 0.9], dtype=tf.float64, name="w")
        const = tf.constant([0.5, -0.25], tf.float64)

        def body(i, a, b):
            env = {"a": a, "b": b, "w": w, "const": const}
            for step in steps:
                a, b = b, _body_step(step, env)
                env.update(a=a, b=b)
            return i + 1, a, b

        _, a, b = tf.while_loop(lambda i, a, b: i < iterations, body, [0, a0, a0 * 2.0])
        loss = tf.reduce_sum(a * b)
        feed = {a0: [0.3, -0.7]}
        if feed_w:
            feed[w] = [0.2, -0.4]  # a fed variable: its read is fed, not looked up
        fetches = [a, b, *_present(tf.gradients(loss, [a0, w]))]
        with tf.Session() as sess:
            sess.run(w.initializer)
            first = sess.run(fetches, feed)
            grown = _present(tf.gradients(loss * 3.0, [w]))  # new ops after the first run
            return first + sess.run(fetches + grown, feed)

    kept = program()
    with mock.patch.object(tf.Session, "_plan", _compiled_afresh):
        afresh = program()
    assert len(kept) == len(afresh)
    for got, want in zip(kept, afresh):
        np.testing.assert_array_equal(got, want)


def _present(gradients):
    return [g for g in gradients if g is not None]


# -- which gradients exist -------------------------------------------------------------------


def test_integer_counters_and_back_prop_false_get_no_gradient():
    x = tf.placeholder(tf.float32, [])
    i0 = tf.constant(0)
    i, y = tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, y * x), [i0, x])
    assert tf.gradients(y, i0) == [None]
    assert tf.gradients(i, x) == [None]
    frozen = tf.while_loop(lambda y: y < 100.0, lambda y: y * x, [x], back_prop=False)
    assert tf.gradients(frozen, x) == [None]
    (around,) = tf.gradients(frozen + x, x)
    with tf.Session() as sess:
        assert sess.run(around, {x: 2.0}) == 1.0


def test_unconnected_gradients_zero_through_a_loop():
    x = tf.placeholder(tf.float32, [2])
    z = tf.constant([1.0, 2.0])
    _, b = tf.while_loop(lambda a, b: a[0] < 10.0, lambda a, b: (a * x, b + 1.0), [x, z])
    (g,) = tf.gradients(b, x, unconnected_gradients="zero")
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(g, {x: [2.0, 2.0]}), [0.0, 0.0])


# -- a body with random draws or writes -------------------------------------------------------


def test_the_gradient_uses_the_iterations_the_loop_ran():
    """The backward pass reads the values the forward pass computed in the same run (as
    TF reads them from its stacks): the random draws of the body are not drawn again."""
    x = tf.placeholder(tf.float32, [])

    def body(i, y):
        return i + 1, y * x * tf.random_uniform([], 1.0, 2.0, seed=1)

    _, y = tf.while_loop(lambda i, y: i < 2, body, [0, x])  # y = x**3 * r1 * r2
    (g,) = tf.gradients(y, x)
    with tf.Session() as sess:
        for _ in range(3):
            y_value, g_value = sess.run([y, g], {x: 1.5})
            np.testing.assert_allclose(g_value, 3 * y_value / 1.5, rtol=1e-6)


def test_the_gradient_does_not_repeat_the_writes_of_the_body():
    x = tf.placeholder(tf.float32, [])
    count = tf.Variable(0.0, name="count")

    def body(y):
        with tf.control_dependencies([count.assign_add(1.0)]):
            return y * x

    y = tf.while_loop(lambda y: y < 10.0, body, [x])
    (g,) = tf.gradients(y, x)
    with tf.Session() as sess:
        sess.run(count.initializer)
        assert sess.run(g, {x: 2.0}) == 32.0  # y = x**4: three iterations
        assert sess.run(count) == 3.0
        sess.run([y, g], {x: 2.0})
        assert sess.run(count) == 6.0


def test_a_loop_in_the_branch_that_did_not_run_is_not_run_for_its_gradient():
    """(Such a loop may not even stop for the inputs its branch was not chosen for.)"""
    p = tf.placeholder(tf.bool, [])
    x = tf.placeholder(tf.float32, [])
    count = tf.Variable(0.0, name="count")

    def body(y):
        with tf.control_dependencies([count.assign_add(1.0)]):
            return y * x

    r = tf.cond(p, lambda: tf.while_loop(lambda y: y < 10.0, body, [x]), lambda: x * 3.0)
    (g,) = tf.gradients(r, x)
    with tf.Session() as sess:
        sess.run(count.initializer)
        assert sess.run(g, {p: False, x: 2.0}) == 3.0
        assert sess.run(count) == 0.0
        assert sess.run(g, {p: True, x: 2.0}) == 32.0
        assert sess.run(count) == 3.0


# -- training --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "optimizer",
    [tf.train.GradientDescentOptimizer(0.01), tf.train.AdamOptimizer(0.05)],
    ids=["sgd", "adam"],
)
def test_an_optimizer_minimizes_a_loss_computed_by_a_loop(optimizer):
    """Fit w so that w**4 (x = w; three times x = x * w) is 2."""
    w = tf.Variable(1.5, name="w")
    _, x = tf.while_loop(
        lambda i, x: i < 3, lambda i, x: (i + 1, x * w), [tf.constant(0), tf.identity(w)]
    )
    loss = tf.square(x - 2.0)
    train = optimizer.minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = sess.run(loss)
        for _ in range(100):
            sess.run(train)
        last, w_value = sess.run([loss, w])
    assert first > 9.0 and last < 1e-3
    np.testing.assert_allclose(w_value, 2.0**0.25, rtol=3e-3)


def test_a_loop_that_reads_a_variable_trains_it_and_only_it():
    w = tf.Variable([0.5, -0.5], name="w")
    frozen = tf.Variable([0.2, 0.2], name="frozen", trainable=False)
    h = tf.while_loop(
        lambda i, h: i < 3, lambda i, h: (i + 1, tf.tanh(h * w + frozen)), [0, tf.zeros([2])]
    )[1]
    loss = tf.reduce_sum(tf.square(h - 0.5))
    grads_and_vars = tf.train.GradientDescentOptimizer(0.5).compute_gradients(loss)
    assert [v.op.name for g, v in grads_and_vars if g is not None] == ["w"]
    train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        losses = [sess.run([train, loss])[1] for _ in range(60)]
        assert losses[-1] < losses[0] / 100
        np.testing.assert_array_equal(sess.run(frozen), np.float32([0.2, 0.2]))


# -- errors ----------------------------------------------------------------------------------


def test_second_order_gradients_through_a_loop_raise_as_in_tensorflow():
    # TF 2.21 compat.v1 raises this TypeError, in these words, for the same program
    x = tf.placeholder(tf.float32, [])
    _, y = tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, y * x), [0, x])
    (g,) = tf.gradients(y, x)
    graph = tf.get_default_graph()
    before = [op.name for op in graph.get_operations()]
    with pytest.raises(TypeError, match="Second-order gradient for while loops not supported."):
        tf.gradients(g, x)
    assert [op.name for op in graph.get_operations()] == before


def test_a_gradient_that_fails_beyond_a_loop_leaves_the_loop_as_it_was():
    x = tf.placeholder(tf.float32, [])
    (g,) = tf.gradients(tf.while_loop(lambda y: y < 10.0, lambda y: y * x, [x]), x)
    second = tf.while_loop(lambda y: y < 10.0, lambda y: y * 2.0, [g])
    loop = second.op.inputs[0].op
    with pytest.raises(TypeError, match="Second-order"):  # the first loop's gradient
        tf.gradients(second, x)
    assert "keep_iterations" not in loop._attrs  # its runs keep no iterations for nothing


def test_loop_errors_leave_the_graph_as_it_was():
    x = tf.placeholder(tf.float32, [])
    graph = tf.get_default_graph()
    before = [op.name for op in graph.get_operations()]
    with pytest.raises(ValueError, match="'maximum_iterations' must be a scalar. Received shape"):
        tf.while_loop(lambda y: y < 5.0, lambda y: y * 2.0, [x], maximum_iterations=[2, 3])
    with pytest.raises(ValueError, match="enters the loop with shape"):
        tf.while_loop(lambda y: y < 5.0, lambda y: tf.stack([y, y]), [x])
    assert [op.name for op in graph.get_operations()] == before
    assert tf.while_loop(lambda y: y < 5.0, lambda y: y * 2.0, [x]).name == "while/Exit:0"


def test_the_stand_ins_of_the_body_gradient_have_values_only_inside_the_loop():
    x = tf.placeholder(tf.float32, [])
    y = tf.while_loop(lambda y: y < 10.0, lambda y: y * x, [x])
    tf.gradients(y, x)
    arriving = tf.get_default_graph().get_tensor_by_name("gradients/while/Exit_grad/b_exit:0")
    with tf.Session() as sess, pytest.raises(errors.InvalidArgumentError, match="loop variable"):
        sess.run(arriving, {x: 2.0})

"""What `sess.run(tf.global_variables_initializer())` does, and document 001's three examples."""

import numpy as np
import pytest

import tfteach as tf


def test_global_initializer_is_a_named_group_of_assigns():
    a = tf.Variable(1, name="a")
    b = tf.Variable(2, name="b")
    init = tf.global_variables_initializer()
    assert (init.name, init.type) == ("init", "NoOp")
    assert init.control_inputs == [a.initializer, b.initializer]
    assert [op.name for op in init.control_inputs] == ["a/Assign", "b/Assign"]
    assert tf.global_variables_initializer().name == "init_1"
    assert tf.initialize_all_variables().name == "init_2"


def test_initializer_without_variables_is_a_noop():
    init = tf.global_variables_initializer()
    assert (init.name, init.type, init.control_inputs) == ("init", "NoOp", [])
    with tf.Session() as sess:
        assert sess.run(init) is None


def test_variables_initializer_initializes_only_its_list():
    a = tf.Variable(1, name="a")
    b = tf.Variable(2, name="b")
    with tf.Session() as sess:
        sess.run(tf.variables_initializer([a]))
        assert sess.run(a) == 1
        with pytest.raises(tf.errors.FailedPreconditionError, match="uninitialized value b"):
            sess.run(b)


def test_report_uninitialized_variables_lists_op_names_in_collection_order():
    with tf.name_scope("first"):
        a = tf.Variable(1, name="a")
    b = tf.Variable(2, name="b")
    report = tf.report_uninitialized_variables()
    alive = tf.is_variable_initialized(a)
    with tf.Session() as sess:
        before = sess.run(report)
        assert before.tolist() == [b"first/a", b"b"]
        assert before.dtype == object
        assert not sess.run(alive)
        sess.run(a.initializer)
        assert sess.run(report).tolist() == [b"b"]
        assert sess.run(alive)
        sess.run(b.initializer)
        assert sess.run(report).tolist() == []
        assert str(sess.run(report)) == "[]"


def test_init_built_before_a_variable_does_not_cover_it():
    a = tf.Variable(1, name="a")
    init = tf.global_variables_initializer()
    late = tf.Variable(2, name="late")
    with tf.Session() as sess:
        sess.run(init)
        assert sess.run(tf.report_uninitialized_variables()).tolist() == [b"late"]
        with pytest.raises(tf.errors.FailedPreconditionError) as err:
            sess.run(a + late)
        assert str(err.value) == "Attempting to use uninitialized value late"


def test_initial_value_reading_another_variable_works_under_one_init():
    v = tf.Variable(3.0, name="v")
    twice = tf.Variable(v * 2, name="twice")
    init = tf.global_variables_initializer()
    with tf.Session() as sess:
        sess.run(init)
        assert sess.run(twice) == 6.0
    with tf.Session() as sess:  # only twice: v is read through its initial value
        sess.run(twice.initializer)
        assert sess.run(twice) == 6.0
        with pytest.raises(tf.errors.FailedPreconditionError):
            sess.run(v)


def test_initial_value_uses_the_current_value_when_already_initialized():
    v = tf.Variable(3.0, name="v")
    copy = tf.Variable(v.initialized_value() + 1, name="copy")
    with tf.Session() as sess:
        sess.run(v.initializer)
        sess.run(v.assign(10.0))
        sess.run(copy.initializer)
        assert sess.run(copy) == 11.0


def test_dependent_random_variable_sees_the_same_draw_in_one_init():
    # document 003: w_twice = Variable(weights.initialized_value() * 0.2)
    weights = tf.Variable(tf.random_normal([5, 3], stddev=0.35), name="weights")
    w2 = tf.Variable(weights.initialized_value(), name="w2")
    w_twice = tf.Variable(weights.initialized_value() * 0.2, name="w_twice")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        w, copy, scaled = sess.run([weights, w2, w_twice])
    np.testing.assert_array_equal(copy, w)
    np.testing.assert_allclose(scaled, w * np.float32(0.2), rtol=1e-6)


# -- document 001's three examples, as they really behave -------------------------------


def test_document_001_example_1_reinit_resets_an_assigned_value():
    var = tf.Variable(1.0, name="my_variable")
    init_op = tf.global_variables_initializer()
    with tf.Session() as sess:
        sess.run(init_op)
        assert sess.run(var) == 1.0
        sess.run(init_op)
        assert sess.run(var) == 1.0
        sess.run(var.assign(2.0))
        assert sess.run(var) == 2.0
        sess.run(init_op)
        assert sess.run(var) == 1.0  # the article claims 2.0


def test_document_001_example_2_reinit_resets_a_counter():
    counter = tf.Variable(0, name="counter")
    increment_op = counter.assign_add(1)
    init_op = tf.global_variables_initializer()
    with tf.Session() as sess:
        sess.run(init_op)
        seen = [sess.run(increment_op) for _ in range(3)]
        assert seen == [1, 2, 3]
        sess.run(init_op)
        assert sess.run(counter) == 0  # the article claims 3


def test_document_001_example_3_reinit_draws_new_random_values():
    rand_var = tf.Variable(tf.random_normal([5]), name="rand_var")
    init_op = tf.global_variables_initializer()
    with tf.Session() as sess:
        sess.run(init_op)
        first = sess.run(rand_var)
        sess.run(init_op)
        second = sess.run(rand_var)
        sess.run(rand_var.assign(tf.random_normal([5])))
        assigned = sess.run(rand_var)
        sess.run(init_op)
        third = sess.run(rand_var)
    assert not np.array_equal(first, second)  # the article claims they are equal
    assert not np.array_equal(assigned, third)
    assert not np.array_equal(second, third)


def test_the_myth_seeded_program_repeats_its_first_values_in_a_fresh_session():
    tf.set_random_seed(42)
    rand_var = tf.Variable(tf.random_normal([5]), name="rand_var")
    init_op = tf.global_variables_initializer()
    runs = []
    for _ in range(2):
        with tf.Session() as sess:
            sess.run(init_op)
            runs.append(sess.run(rand_var))
    np.testing.assert_array_equal(runs[0], runs[1])


def test_session_reports_each_variables_state():
    v = tf.Variable(1.0, name="v")
    with tf.Session() as sess:
        assert sess.variable_state(v) == "uninitialized"
        sess.run(v.initializer)
        assert sess.variable_state(v) == "initialized"
        sess.run(v.assign(3.0))
        assert sess.variable_state(v) == "assigned"
        assert sess.variable_value(v) == 3.0
        sess.run(v.initializer)
        assert sess.variable_state(v) == "initialized"


def test_a_chain_of_dependent_initial_values_fails_as_in_tensorflow():
    # TF 2.21 fails this 300 times out of 300 (tests/fixtures, init_dependent_variable_chain_fails):
    # u's guard falls back to w's own initial value v * 2, which reads v unguarded.
    v = tf.Variable(3.0, name="v")
    w = tf.Variable(v * 2, name="w")
    u = tf.Variable(w + v, name="u")
    with tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError, match="uninitialized value v"):
            sess.run(tf.global_variables_initializer())
        assert sess.run(tf.report_uninitialized_variables()).tolist() == [b"v", b"w", b"u"]
        sess.run(tf.variables_initializer([v, w]))
        sess.run(u.initializer)
        assert sess.run(u) == 9.0


def test_explicit_initialized_value_chains_work():
    v = tf.Variable(1.0, name="v")
    w = tf.Variable(v.initialized_value() * 2, name="w")
    u = tf.Variable(w.initialized_value() * 3, name="u")
    assert v.initialized_value().name == "cond_2/Merge:0"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run([v, w, u]) == [1.0, 2.0, 6.0]


def test_a_read_ordered_after_an_assign_sees_the_new_value():
    v = tf.Variable(1.0, name="v")
    update = v.assign(5.0)
    with tf.control_dependencies([update]):
        after = v.read_value()
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(after) == 5.0


def test_a_read_after_the_initializer_needs_no_prior_init():
    v = tf.Variable(4.0, name="v")
    with tf.control_dependencies([v.initializer]):
        after = v.read_value() * 2
    with tf.Session() as sess:
        assert sess.run(after) == 8.0

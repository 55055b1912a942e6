"""One graph and one session used from several threads (issue 15, D6).

Each test bounds its threads with a join timeout, so a deadlock fails the test instead of
hanging the suite.
"""

import threading

import numpy as np

import tfteach as tf

_TIMEOUT = 60  # seconds; the tests take well under one


def _run_threads(target, args_list) -> list:
    """Runs ``target(*args)`` in one thread per args, all released at once; returns the
    exceptions the threads raised."""
    barrier = threading.Barrier(len(args_list))
    errors = []

    def body(*args):
        try:
            barrier.wait(_TIMEOUT)
            target(*args)
        except BaseException as e:  # reported to the test, which fails on any
            errors.append(e)

    threads = [threading.Thread(target=body, args=args) for args in args_list]
    for t in threads:
        t.start()
    for t in threads:
        t.join(_TIMEOUT)
    assert not any(t.is_alive() for t in threads), "a thread did not finish: deadlock?"
    return errors


def test_parallel_update_with_locking():
    # TF's state_ops test testParallelUpdateWithLocking, on a smaller variable
    zeros_t = tf.fill([256, 256], 0.0)
    ones_t = tf.fill([256, 256], 1.0)
    p = tf.Variable(zeros_t)
    adds = [tf.assign_add(p, ones_t, use_locking=True) for _ in range(20)]
    with tf.Session() as sess:
        sess.run(p.initializer)
        assert _run_threads(sess.run, [(add,) for add in adds]) == []
        np.testing.assert_array_equal(sess.run(p), np.full((256, 256), 20.0, np.float32))


def test_locking_updates_from_8_threads_lose_nothing():
    v = tf.Variable(0, name="counter")
    inc = tf.assign_add(v, 1, use_locking=True)
    with tf.Session() as sess:
        sess.run(v.initializer)

        def increment():
            for _ in range(250):
                sess.run(inc)

        assert _run_threads(increment, [()] * 8) == []
        assert sess.run(v) == 8 * 250


def test_more_distinct_fetches_than_the_plan_cache_holds_across_threads():
    consts = [tf.constant(float(i)) for i in range(1600)]  # the cache keeps 1,024 plans
    with tf.Session() as sess:
        results = {}

        def fetch(start):
            for i in range(start, len(consts), 4):
                results[i] = sess.run(consts[i])
                sess.run([consts[i], consts[i - 1]])  # a structure: the other cache

        assert _run_threads(fetch, [(k,) for k in range(4)]) == []
    assert results == {i: float(i) for i in range(1600)}


def test_graph_building_in_threads_keeps_name_scopes_and_control_dependencies_per_thread():
    graph = tf.get_default_graph()
    built = {}

    def build(k):
        gate = tf.no_op(name=f"gate{k}")
        with tf.name_scope(f"t{k}"), tf.control_dependencies([gate]):
            names = []
            for i in range(200):
                c = tf.constant(float(i), name="c")
                names.append((c.op.name, [op.name for op in c.op.control_inputs]))
        with tf.variable_scope(f"vs{k}"):
            w = tf.get_variable("w", [2])
        built[k] = (names, w.name)

    with tf.name_scope("main"):  # the main thread's scope is not the threads' scope
        assert _run_threads(build, [(k,) for k in range(8)]) == []
    for k in range(8):
        names, w_name = built[k]
        assert names == [(f"t{k}/c" + (f"_{i}" if i else ""), [f"gate{k}"]) for i in range(200)]
        assert w_name == f"vs{k}/w:0"
    ops = graph.get_operations()
    assert len({op.name for op in ops}) == len(ops)
    assert len(ops) == 8 * (1 + 200 + 10)  # the gate, the constants, get_variable's ops


def test_a_thread_starts_at_the_root_scope_as_in_tf():
    # TF 2.21: a thread started inside name_scope("outer") and control_dependencies([a])
    # names its ops from the root, without control inputs
    out = {}
    with tf.name_scope("outer"):
        a = tf.constant(1.0, name="a")
        with tf.control_dependencies([a]):

            def work():
                d = tf.constant(2.0, name="c") + 1
                out["d"] = (d.name, d.op.control_inputs)

            assert _run_threads(work, [()]) == []
            e = tf.constant(3.0, name="e")
    assert out["d"] == ("add:0", [])
    assert (a.name, e.name, e.op.control_inputs) == ("outer/a:0", "outer/e:0", [a.op])


def test_a_failed_build_in_one_thread_leaves_the_other_threads_ops():
    def build(k):
        with tf.name_scope(f"t{k}"):
            for i in range(100):
                tf.constant(float(i), name="c")
                if k % 2:
                    try:
                        tf.concat([[1.0], [[1.0]]], 0)  # ranks differ: nothing built
                    except ValueError:
                        pass

    assert _run_threads(build, [(k,) for k in range(4)]) == []
    names = [op.name for op in tf.get_default_graph().get_operations()]
    assert len(names) == 400
    assert all(n.split("/")[1].startswith("c") for n in names)
    with tf.Session() as sess:
        assert sess.run("t3/c_99:0") == 99.0

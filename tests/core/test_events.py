"""The event hook the notebook layer observes the runtime through."""

import pytest

import tfteach as tf
from tfteach.core import events


@pytest.fixture
def recorded():
    seen = []

    def make(name):
        def callback(**payload):
            seen.append((name, payload))

        return callback

    callbacks = {name: make(name) for name in events.EVENTS}
    for name, cb in callbacks.items():
        events.subscribe(name, cb)
    yield seen
    for name, cb in callbacks.items():
        events.unsubscribe(name, cb)


def test_runtime_reports_what_happens(recorded):
    v = tf.Variable(1.0, name="v")
    with tf.Session() as sess:
        sess.run(v.initializer)
        sess.run(v.assign(2.0))
    kinds = [name for name, _ in recorded]
    assert kinds == [
        "variable_created",
        "session_opened",
        "variables_written",
        "variables_written",
        "session_closed",
    ]
    assert recorded[0][1]["variable"] is v
    assert recorded[2][1]["ops"] == (v.op,) and recorded[2][1]["kinds"] == ("init",)
    assert recorded[3][1]["kinds"] == ("assign",)


def test_reset_default_graph_is_reported(recorded):
    old = tf.get_default_graph()
    tf.reset_default_graph()
    assert recorded == [("graph_replaced", {"old": old, "new": tf.get_default_graph()})]


def test_a_failing_observer_never_breaks_a_run():
    def broken(**payload):
        raise RuntimeError("observer bug")

    events.subscribe("variables_written", broken)
    try:
        v = tf.Variable(1.0, name="v")
        with tf.Session() as sess, pytest.warns(RuntimeWarning, match="observer bug"):
            sess.run(v.initializer)
            assert sess.run(v) == 1.0
    finally:
        events.unsubscribe("variables_written", broken)


def test_subscribing_twice_registers_once_and_unknown_events_are_refused(recorded):
    def cb(**payload):
        recorded.append(("extra", payload))

    events.subscribe("session_opened", cb)
    events.subscribe("session_opened", cb)
    try:
        tf.Session().close()
    finally:
        events.unsubscribe("session_opened", cb)
    assert [n for n, _ in recorded].count("extra") == 1
    with pytest.raises(ValueError, match="Unknown event 'nope'"):
        events.subscribe("nope", cb)


def test_a_rolled_back_variable_is_never_announced(recorded):
    def broken_regularizer(w):
        raise RuntimeError("regularizer bug")

    with pytest.raises(RuntimeError, match="regularizer bug"):
        tf.get_variable("w", [2], regularizer=broken_regularizer)
    assert [name for name, _ in recorded] == []
    assert tf.global_variables() == []

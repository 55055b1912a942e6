"""tf.summary.FileWriter: event files that TensorBoard's own reader (EventAccumulator) reads."""

import glob
import os
import warnings

import numpy as np
import pytest
from tensorboard.backend.event_processing import event_file_loader
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from tensorboard.compat.proto import event_pb2, graph_pb2

import tfteach as tf


def accumulate(logdir) -> EventAccumulator:
    acc = EventAccumulator(str(logdir), size_guidance={"scalars": 0, "histograms": 0, "tensors": 0})
    acc.Reload()
    return acc


def events_of(path) -> list:
    return list(event_file_loader.EventFileLoader(str(path)).Load())


def event_files(logdir) -> list[str]:
    return sorted(glob.glob(os.path.join(str(logdir), "events.out.tfevents.*")))


def build_layer():
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    y = tf.placeholder(tf.float32, [None, 1], name="y")
    with tf.variable_scope("layer"):
        w = tf.get_variable("w", [3, 1], initializer=tf.glorot_uniform_initializer(seed=1))
        b = tf.get_variable("b", [1], initializer=tf.zeros_initializer())
    loss = tf.reduce_mean(tf.square(tf.matmul(x, w) + b - y), name="loss")
    return x, y, w, loss


def test_scalars_and_histograms_come_back_with_their_steps(tmp_path):
    x, y, w, loss = build_layer()
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    tf.summary.scalar("loss", loss)
    tf.summary.histogram("weights", w)
    merged = tf.summary.merge_all()
    data = np.random.RandomState(0).rand(8, 3)
    feed = {x: data, y: data.sum(axis=1, keepdims=True)}
    losses = []
    with tf.Session() as sess, tf.summary.FileWriter(tmp_path, sess.graph) as writer:
        sess.run(tf.global_variables_initializer())
        for step in range(0, 50, 10):
            summary, loss_value, _ = sess.run([merged, loss, train], feed)
            writer.add_summary(summary, global_step=step)
            losses.append(loss_value)
    acc = accumulate(tmp_path)
    assert acc.Tags()["scalars"] == ["loss_1"]  # the op name "loss" was taken
    scalars = acc.Scalars("loss_1")
    assert [e.step for e in scalars] == [0, 10, 20, 30, 40]
    np.testing.assert_allclose([e.value for e in scalars], losses, rtol=1e-6)
    histograms = acc.Histograms("weights")
    assert [h.step for h in histograms] == [0, 10, 20, 30, 40]
    assert all(h.histogram_value.num == 3 for h in histograms)


def test_the_graph_shows_scopes_initializers_and_control_inputs(tmp_path):
    _, _, _, loss = build_layer()
    with tf.control_dependencies([loss]):
        tf.no_op(name="after")
    with tf.summary.FileWriter(tmp_path, tf.get_default_graph()):
        pass
    graph = accumulate(tmp_path).Graph()
    nodes = {n.name: n for n in graph.node}
    assert nodes["layer/w"].op == "VariableV2"
    assert nodes["layer/w"].attr["_class"].list.s == [b"loc:@layer/w"]
    init_ops = [n for n in nodes if n.startswith("layer/w/Initializer/")]
    assert "layer/w/Initializer/random_uniform/RandomUniform" in init_ops
    assert all(nodes[n].attr["_class"].list.s == [b"loc:@layer/w"] for n in init_ops)
    assert list(nodes["layer/w/Assign"].input) == ["layer/w", "layer/w/Initializer/random_uniform"]
    assert list(nodes["after"].input) == ["^loss"]
    x_shape = nodes["x"].attr["_output_shapes"].list.shape[0]
    assert [d.size for d in x_shape.dim] == [-1, 3]
    assert nodes["x"].attr["dtype"].type == 1  # DT_FLOAT
    assert "kind" not in nodes["layer/w/Assign"].attr  # tfteach's own bookkeeping stays out


def test_the_file_is_tensorboards_format(tmp_path):
    writer = tf.summary.FileWriter(tmp_path, filename_suffix=".run1")
    writer.add_session_log(tf.summary.SessionLog(status=tf.summary.SessionLog.START), 3)
    writer.close()
    (path,) = event_files(tmp_path)
    assert os.path.basename(path).startswith("events.out.tfevents.") and path.endswith(".run1")
    events = events_of(path)  # the loader checks each record's masked CRC32C
    assert events[0].file_version == "brain.Event:2"
    assert events[1].session_log.status == event_pb2.SessionLog.START and events[1].step == 3
    assert writer.get_logdir() == str(tmp_path)


def test_events_reach_the_file_on_flush(tmp_path):
    writer = tf.summary.FileWriter(tmp_path, max_queue=100, flush_secs=1000)
    (path,) = event_files(tmp_path)
    writer.add_summary(tf.summary.Summary(value=[{"tag": "a", "simple_value": 1.0}]), 1)
    assert len(events_of(path)) == 1  # still buffered
    writer.flush()
    assert len(events_of(path)) == 2
    writer.close()


def test_max_queue_writes_out_every_n_events(tmp_path):
    writer = tf.summary.FileWriter(tmp_path, max_queue=3, flush_secs=1000)
    (path,) = event_files(tmp_path)
    for step in range(3):
        writer.add_summary(tf.summary.Summary(value=[{"tag": "a", "simple_value": step}]), step)
    assert len(events_of(path)) == 4
    writer.close()


def test_text_metadata_is_written_once_per_tag(tmp_path):
    summary = tf.summary.text("note", tf.constant("hi"))
    with tf.Session() as sess, tf.summary.FileWriter(tmp_path) as writer:
        for step in range(2):
            writer.add_summary(sess.run(summary), step)
    events = [e for e in events_of(event_files(tmp_path)[0]) if e.HasField("summary")]
    assert events[0].summary.value[0].metadata.plugin_data.plugin_name == "text"
    assert not events[1].summary.value[0].HasField("metadata")
    texts = accumulate(tmp_path).Tensors("note")
    assert [t.step for t in texts] == [0, 1]


def test_a_closed_writer_warns_and_drops_events_until_reopened(tmp_path):
    writer = tf.summary.FileWriter(tmp_path)
    writer.close()
    with pytest.warns(UserWarning, match="Attempting to use a closed FileWriter"):
        writer.add_summary(tf.summary.Summary(value=[{"tag": "a", "simple_value": 1.0}]), 1)
    assert len(events_of(event_files(tmp_path)[0])) == 1
    writer.reopen()
    writer.add_summary(tf.summary.Summary(value=[{"tag": "a", "simple_value": 2.0}]), 2)
    writer.close()
    assert len(event_files(tmp_path)) == 2  # reopening starts a new file, as TF
    assert [e.value for e in accumulate(tmp_path).Scalars("a")] == [2.0]


def test_two_writers_in_one_second_get_two_files(tmp_path):
    with tf.summary.FileWriter(tmp_path), tf.summary.FileWriter(tmp_path):
        pass
    assert len(event_files(tmp_path)) == 2


def test_add_graph_takes_a_graph_def_too(tmp_path):
    tf.constant(1.0, name="c")
    graph_def = graph_pb2.GraphDef()
    graph_def.node.add(name="only", op="NoOp")
    with tf.summary.FileWriter(tmp_path) as writer:
        writer.add_graph(graph_def)
    assert [n.name for n in accumulate(tmp_path).Graph().node] == ["only"]


def test_file_writer_cache_shares_one_writer_per_logdir(tmp_path):
    tf.constant(1.0, name="c")
    a = tf.summary.FileWriterCache.get(tmp_path / "run")
    assert tf.summary.FileWriterCache.get(tmp_path / "run") is a
    tf.summary.FileWriterCache.clear()
    with pytest.warns(UserWarning, match="closed FileWriter"):
        a.flush()
    assert [n.name for n in accumulate(tmp_path / "run").Graph().node] == ["c"]
    assert tf.summary.FileWriterCache.get(tmp_path / "run") is not a
    tf.summary.FileWriterCache.clear()


# -- bad input: TF's errors, and no file ---------------------------------------------------


def test_a_wrong_graph_is_tfs_type_error_and_makes_no_file(tmp_path):
    logdir = tmp_path / "logs"
    with pytest.raises(TypeError, match="must be an instance of `Graph` or the deprecated"):
        tf.summary.FileWriter(logdir, graph="not a graph")
    with pytest.raises(ValueError, match="Please pass only graph, or graph_def"):
        tf.summary.FileWriter(logdir, tf.get_default_graph(), graph_def=graph_pb2.GraphDef())
    assert not logdir.exists()


def test_add_summary_rejects_what_is_not_a_summary(tmp_path):
    with tf.summary.FileWriter(tmp_path) as writer:
        with pytest.raises(TypeError, match="summary op's value"):
            writer.add_summary(3.0)
        with pytest.raises(TypeError, match="tf.SessionLog"):
            writer.add_session_log("start")
    assert len(events_of(event_files(tmp_path)[0])) == 1


def test_no_warning_for_a_writer_used_normally(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with tf.summary.FileWriter(tmp_path) as writer:
            writer.flush()


def test_records_are_framed_byte_for_byte_as_tensorboards_own_writer_frames_them():
    """tfteach frames records with a C CRC32C (google-crc32c); the bytes must be those of
    tensorboard's own RecordWriter, whatever the payload."""
    import io

    import numpy as np
    from tensorboard.summary.writer.record_writer import RecordWriter as Theirs

    from tfteach.core import summary_protos

    ours = summary_protos.load().RecordWriter
    assert ours is not Theirs  # the fast path is the one installed for the tests
    rng = np.random.default_rng(0)
    payloads = [b"", b"\x00", b"event", *(rng.bytes(int(n)) for n in rng.integers(1, 5000, 30))]
    for data in payloads:
        mine, reference = io.BytesIO(), io.BytesIO()
        ours(mine).write(data)
        Theirs(reference).write(data)
        assert mine.getvalue() == reference.getvalue()

"""plot_summaries: the scalars and histograms a FileWriter wrote, drawn without TensorBoard."""

import numpy as np
import pytest
from matplotlib.figure import Figure
from tensorboard.compat.proto import summary_pb2

import tfteach as tf
from tfteach.notebook import plot_summaries
from tfteach.notebook.summaries import rebin


def train_with_summaries(logdir, steps=12):
    """A small TF1 regression program that writes a loss curve and a weight histogram."""
    rng = np.random.RandomState(0)
    data = rng.rand(32, 4).astype(np.float32)
    target = data @ np.array([[1.0], [-2.0], [0.5], [3.0]], np.float32)
    x = tf.placeholder(tf.float32, [None, 4], name="x")
    y = tf.placeholder(tf.float32, [None, 1], name="y")
    with tf.variable_scope("layer"):
        w = tf.get_variable("w", [4, 1], initializer=tf.glorot_uniform_initializer(seed=0))
    loss = tf.reduce_mean(tf.square(tf.matmul(x, w) - y))
    train = tf.train.GradientDescentOptimizer(0.2).minimize(loss)
    tf.summary.scalar("loss", loss)
    tf.summary.histogram("weights", w)
    merged = tf.summary.merge_all()
    losses = []
    with tf.Session() as sess, tf.summary.FileWriter(logdir, sess.graph) as writer:
        sess.run(tf.global_variables_initializer())
        for step in range(steps):
            summary, value, _ = sess.run([merged, loss, train], {x: data, y: target})
            writer.add_summary(summary, step)
            losses.append(value)
    return losses


def test_a_training_program_draws_its_loss_curve_and_weight_histograms(tmp_path):
    losses = train_with_summaries(tmp_path)
    drawn = plot_summaries(tmp_path)
    assert isinstance(drawn.figure, Figure)
    assert list(drawn.lines) == ["loss", "weights"]
    (curve,) = drawn.lines["loss"]
    assert list(curve.get_xdata()) == list(range(12))
    np.testing.assert_allclose(curve.get_ydata(), losses, rtol=1e-6)
    assert losses[-1] < losses[0] / 2  # it trained
    outlines = drawn.lines["weights"]
    assert len(outlines) == 12  # one per step
    assert all(np.isclose(line.get_ydata().sum(), 4) for line in outlines)  # 4 weights each
    assert drawn._repr_png_().startswith(b"\x89PNG")


def test_draws_on_the_axes_given(tmp_path):
    train_with_summaries(tmp_path, steps=3)
    fig = Figure()
    ax = fig.subplots()
    drawn = plot_summaries(tmp_path, ax=ax, tags="loss")
    assert drawn.figure is fig and list(drawn.lines) == ["loss"]
    assert list(ax.lines) == drawn.lines["loss"]


def test_bad_input_is_refused_before_drawing(tmp_path):
    with pytest.raises(FileNotFoundError, match="No such log directory"):
        plot_summaries(tmp_path / "missing")
    with tf.summary.FileWriter(tmp_path / "empty"):
        pass
    with pytest.raises(ValueError, match="No scalar or histogram summaries"):
        plot_summaries(tmp_path / "empty")
    train_with_summaries(tmp_path / "run", steps=2)
    with pytest.raises(ValueError, match=r"No summary tagged 'acc'.*\['loss', 'weights'\]"):
        plot_summaries(tmp_path / "run", tags=["acc"])
    ax = Figure().subplots()
    with pytest.raises(ValueError, match="draws 2 panels"):
        plot_summaries(tmp_path / "run", ax=ax)
    assert list(ax.lines) == []


def test_rebin_keeps_every_count_in_its_place():
    histo = summary_pb2.HistogramProto(
        min=-1.0, max=3.0, num=6, bucket_limit=[-0.5, 0.0, 2.0, 3.5], bucket=[1, 0, 4, 1]
    )
    counts = rebin(histo, np.array([-1.0, 0.0, 1.0, 2.0, 3.0]))
    # [-1, -0.5) -> bin 0; [0, 2) spreads 2 + 2; [2, 3] (cut at max) -> bin 3
    np.testing.assert_allclose(counts, [1, 2, 2, 1])

"""``tf.losses``' cross entropies, absolute difference, log, Huber and hinge losses: values
against numpy, each reduction and weighting, label smoothing, collections, gradients against
finite differences, and bad input that raises TF's error and leaves the graph as it was.
Names and messages as TF 2.21 gives them are checked by the ``losses_*`` reference cases."""

import numpy as np
import pytest
from test_gradients import check_gradients

import tfteach as tf

R = tf.losses.Reduction
ONEHOT = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])
LOGITS = np.array([[1.0, 2.0, 0.5], [0.3, -1.0, 2.0]])


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()


def run(*tensors):
    with tf.Session() as sess:
        return sess.run(list(tensors))


def log_softmax(x):
    x = x - x.max(axis=-1, keepdims=True)
    return x - np.log(np.exp(x).sum(axis=-1, keepdims=True))


def sigmoid_xent(z, x):
    p = 1 / (1 + np.exp(-x))
    return -z * np.log(p) - (1 - z) * np.log(1 - p)


# -- values ---------------------------------------------------------------------------------


def test_each_loss_is_the_mean_of_its_numpy_formula():
    probs = 1 / (1 + np.exp(-LOGITS))
    error = LOGITS - ONEHOT
    made = {
        "softmax": tf.losses.softmax_cross_entropy(ONEHOT, LOGITS),
        "sparse": tf.losses.sparse_softmax_cross_entropy([1, 0], LOGITS),
        "sigmoid": tf.losses.sigmoid_cross_entropy(ONEHOT, LOGITS),
        "absolute": tf.losses.absolute_difference(ONEHOT, LOGITS),
        "log": tf.losses.log_loss(ONEHOT, probs),
        "huber": tf.losses.huber_loss(ONEHOT, LOGITS, delta=0.5),
        "hinge": tf.losses.hinge_loss(ONEHOT, LOGITS),
    }
    abs_error = np.abs(error)
    expected = {
        "softmax": -(ONEHOT * log_softmax(LOGITS)).sum(-1).mean(),
        "sparse": -(ONEHOT * log_softmax(LOGITS)).sum(-1).mean(),
        "sigmoid": sigmoid_xent(ONEHOT, LOGITS).mean(),
        "absolute": abs_error.mean(),
        "log": sigmoid_xent(ONEHOT, LOGITS).mean(),
        "huber": np.where(abs_error <= 0.5, 0.5 * error**2, 0.5 * (abs_error - 0.25)).mean(),
        "hinge": np.maximum(0, 1 - (2 * ONEHOT - 1) * LOGITS).mean(),
    }
    values = dict(zip(made, run(*made.values())))
    for key, value in values.items():
        assert value == pytest.approx(expected[key], rel=1e-5), key
    assert {tuple(t.shape.as_list()) for t in made.values()} == {()}


def test_label_smoothing_moves_the_labels_as_tf_documents():
    s = 0.2
    smoothed_softmax = ONEHOT * (1 - s) + s / 3
    smoothed_sigmoid = ONEHOT * (1 - s) + 0.5 * s
    softmax, sigmoid, unsmoothed = run(
        tf.losses.softmax_cross_entropy(ONEHOT, LOGITS, label_smoothing=s),
        tf.losses.sigmoid_cross_entropy(ONEHOT, LOGITS, label_smoothing=s),
        tf.losses.softmax_cross_entropy(ONEHOT, LOGITS, label_smoothing=-0.5),
    )
    assert softmax == pytest.approx(-(smoothed_softmax * log_softmax(LOGITS)).sum(-1).mean())
    assert sigmoid == pytest.approx(sigmoid_xent(smoothed_sigmoid, LOGITS).mean(), rel=1e-5)
    assert unsmoothed == pytest.approx(-(ONEHOT * log_softmax(LOGITS)).sum(-1).mean())


def test_log_loss_epsilon_keeps_log_of_zero_finite():
    finite, infinite, undefined = run(
        tf.losses.log_loss([1.0, 0.0], [0.0, 1.0], epsilon=1e-3),
        tf.losses.log_loss([1.0, 0.0], [0.0, 1.0], epsilon=0.0),
        tf.losses.log_loss([1.0], [1.0], epsilon=0.0),
    )
    assert finite == pytest.approx(-np.log(1e-3), rel=1e-4)
    assert np.isinf(infinite)  # -log(0)
    assert np.isnan(undefined)  # 0 * log(0), as in TF


@pytest.mark.parametrize(
    ("reduction", "expected"),
    [
        (R.NONE, lambda w: w * np.abs(LOGITS - ONEHOT)),
        (R.SUM, lambda w: np.sum(w * np.abs(LOGITS - ONEHOT))),
        (R.MEAN, lambda w: np.sum(w * np.abs(LOGITS - ONEHOT)) / np.sum(w * np.ones((2, 3)))),
        (R.SUM_OVER_BATCH_SIZE, lambda w: np.sum(w * np.abs(LOGITS - ONEHOT)) / 6),
        (
            R.SUM_BY_NONZERO_WEIGHTS,
            lambda w: np.sum(w * np.abs(LOGITS - ONEHOT)) / np.sum((w != 0) * np.ones((2, 3))),
        ),
    ],
)
@pytest.mark.parametrize("weights", [2.0, [[1.0], [0.0]], [[0.0, 1.0, 3.0]]])
def test_each_reduction_weighs_as_tf(reduction, expected, weights):
    loss = tf.losses.absolute_difference(ONEHOT, LOGITS, weights=weights, reduction=reduction)
    (value,) = run(loss)
    np.testing.assert_allclose(value, expected(np.array(weights)), rtol=1e-6)
    assert loss.shape.as_list() == ([2, 3] if reduction == R.NONE else [])


def test_all_zero_weights_give_zero_not_nan():
    (value,) = run(tf.losses.softmax_cross_entropy(ONEHOT, LOGITS, weights=0.0))
    assert value == 0.0


def test_sparse_squeezes_a_trailing_1_from_labels_and_weights():
    squeezed, plain = run(
        tf.losses.sparse_softmax_cross_entropy([[1], [0]], LOGITS, weights=[[2.0], [0.0]]),
        tf.losses.sparse_softmax_cross_entropy([1, 0], LOGITS, weights=[2.0, 0.0]),
    )
    assert squeezed == pytest.approx(plain)
    squeezes = [op.name for op in tf.get_default_graph().get_operations() if op.type == "Squeeze"]
    assert squeezes == [  # as TF names them
        "sparse_softmax_cross_entropy_loss/remove_squeezable_dimensions/Squeeze",
        "sparse_softmax_cross_entropy_loss/Squeeze",
    ]
    assert plain == pytest.approx(-2 * log_softmax(LOGITS)[0, 1] / 1)


def test_sparse_over_rank_3_logits_has_one_loss_per_position():
    logits = np.arange(12.0).reshape(2, 2, 3) / 4
    labels = np.array([[0, 2], [1, 1]])
    loss = tf.losses.sparse_softmax_cross_entropy(labels, logits, reduction=R.NONE)
    (value,) = run(loss)
    expected = -np.take_along_axis(log_softmax(logits), labels[..., None], -1)[..., 0]
    np.testing.assert_allclose(value, expected, rtol=1e-5)
    assert loss.shape.as_list() == [2, 2]


def test_sparse_label_out_of_range_fails_when_run():
    loss = tf.losses.sparse_softmax_cross_entropy([1, 3], LOGITS)
    with pytest.raises(tf.errors.InvalidArgumentError, match="label value of 3"):
        run(loss)


def test_the_loss_keeps_the_dtype_of_float64_logits():
    made = [
        tf.losses.softmax_cross_entropy([[0, 1, 0], [1, 0, 0]], tf.constant(LOGITS)),
        tf.losses.sigmoid_cross_entropy([[0, 1, 0], [1, 0, 0]], tf.constant(LOGITS)),
        tf.losses.sparse_softmax_cross_entropy([1, 0], tf.constant(LOGITS)),
        tf.losses.absolute_difference(ONEHOT, tf.constant(LOGITS)),
    ]
    assert [t.dtype for t in made] == [tf.float64, tf.float64, tf.float64, tf.float32]


# -- names and collections ------------------------------------------------------------------


def test_losses_join_their_collection_under_their_scope():
    a = tf.losses.softmax_cross_entropy(ONEHOT, LOGITS.astype(np.float32))
    b = tf.losses.huber_loss(ONEHOT, LOGITS, scope="mine", loss_collection="custom")
    c = tf.losses.hinge_loss(ONEHOT, LOGITS, loss_collection=None)
    d = tf.losses.log_loss(ONEHOT, 1 / (1 + np.exp(-LOGITS)))
    assert (a.name, b.name, c.name, d.name) == (
        "softmax_cross_entropy_loss/value:0",
        "mine/value:0",
        "hinge_loss/value:0",
        "log_loss/value:0",
    )
    assert tf.losses.get_losses() == [a, d]
    assert tf.get_collection("custom") == [b]
    total, a_value, d_value = run(tf.losses.get_total_loss(), a, d)
    assert total == pytest.approx(a_value + d_value)


# -- gradients ------------------------------------------------------------------------------

# float32 inside compute_weighted_loss: finite differences with a wider step and tolerance
LOOSE = {"h": 1e-3, "atol": 2e-3, "rtol": 1e-3}


@pytest.mark.parametrize(
    "build",
    [
        lambda x: tf.losses.softmax_cross_entropy(ONEHOT, x, weights=[2.0, 0.5]),
        lambda x: tf.losses.softmax_cross_entropy(ONEHOT, x, label_smoothing=0.3),
        lambda x: tf.losses.sparse_softmax_cross_entropy([2, 0], x, reduction=R.NONE),
        lambda x: tf.losses.sigmoid_cross_entropy(ONEHOT, x, label_smoothing=0.1),
        lambda x: tf.losses.absolute_difference(ONEHOT, x, weights=[[1.0], [3.0]]),
        lambda x: tf.losses.log_loss(ONEHOT, tf.sigmoid(x), reduction=R.SUM),
        lambda x: tf.losses.huber_loss(ONEHOT, x, delta=0.7, reduction=R.MEAN),
        lambda x: tf.losses.hinge_loss(ONEHOT, x, reduction=R.SUM_OVER_BATCH_SIZE),
    ],
    ids=["softmax", "softmax_smoothed", "sparse", "sigmoid", "absolute", "log", "huber", "hinge"],
)
def test_gradient_matches_finite_differences(build):
    # away from the kinks of |e|, min(|e|, delta) and max(0, 1 - y x)
    x = np.array([[1.3, 2.1, 0.45], [0.35, -1.2, 1.7]])
    check_gradients(lambda x: tf.cast(build(x), tf.float64), x, **LOOSE)


def test_gradient_into_labels_only_where_tf_lets_it():
    labels = tf.constant(ONEHOT, tf.float32)
    softmax = tf.losses.softmax_cross_entropy(labels, LOGITS)
    sigmoid = tf.losses.sigmoid_cross_entropy(labels, LOGITS)
    assert tf.gradients(softmax, labels) == [None]  # stop_gradient, as in TF
    (g,) = run(tf.gradients(sigmoid, labels)[0])
    np.testing.assert_allclose(g, -LOGITS / 6, rtol=1e-5)


def test_huber_gradient_at_delta_is_not_doubled():
    x = tf.constant([1.0])
    loss = tf.losses.huber_loss([0.0], x, delta=1.0, reduction=R.SUM)
    (g,) = run(tf.gradients(loss, x)[0])
    assert g.tolist() == [1.0]


# -- errors ---------------------------------------------------------------------------------


def test_none_arguments_are_named():
    with pytest.raises(ValueError, match=r"^Argument `onehot_labels` must not be None\.$"):
        tf.losses.softmax_cross_entropy(None, LOGITS)
    with pytest.raises(ValueError, match=r"^Argument `multi_class_labels` must not be None\.$"):
        tf.losses.sigmoid_cross_entropy(None, LOGITS)
    with pytest.raises(ValueError, match=r"^Argument `predictions` must not be None\.$"):
        tf.losses.huber_loss(ONEHOT, None)


BAD_CALLS = [
    lambda: tf.losses.softmax_cross_entropy(ONEHOT[:, :2], LOGITS),
    lambda: tf.losses.sigmoid_cross_entropy(ONEHOT[:1], LOGITS),
    lambda: tf.losses.absolute_difference(ONEHOT, LOGITS[:, :2]),
    lambda: tf.losses.log_loss([1.0, 0.0], LOGITS),
    lambda: tf.losses.hinge_loss(ONEHOT, LOGITS, weights=[1.0, 2.0]),
    lambda: tf.losses.huber_loss(ONEHOT, LOGITS, weights=[[1.0, 2.0]]),
    lambda: tf.losses.sparse_softmax_cross_entropy([[[1]]], LOGITS),
    lambda: tf.losses.sparse_softmax_cross_entropy([1.0, 0.0], LOGITS),
    lambda: tf.losses.softmax_cross_entropy(ONEHOT, LOGITS, reduction="mean"),
]
BAD_MESSAGES = [
    r"Shapes \(2, 3\) and \(2, 2\) are incompatible",
    r"Shapes \(2, 3\) and \(1, 3\) are incompatible",
    r"Shapes \(2, 2\) and \(2, 3\) are incompatible",
    r"Shapes \(2, 3\) and \(2,\) are incompatible",
    r"weights can not be broadcast to values\. values\.rank=2\. weights\.rank=1\.",
    r"weights can not be broadcast to values\. Mismatch at dim 1\. values\.shape=\[2 3\]",
    r"`labels.shape.rank` must equal `logits.shape.rank - 1`",
    r"DataType float32 not in list of allowed values: int32, int64",
    r"Invalid Reduction Key mean\. Key should be one of \('none',",
]


@pytest.mark.parametrize(("bad", "message"), list(zip(BAD_CALLS, BAD_MESSAGES)))
def test_bad_input_raises_and_leaves_the_graph_as_it_was(bad, message):
    graph = tf.get_default_graph()
    before = [op.name for op in graph.get_operations()]
    with pytest.raises((TypeError, ValueError), match=message):
        bad()
    assert [op.name for op in graph.get_operations()] == before
    assert tf.get_collection(tf.GraphKeys.LOSSES) == []
    # no name was used up: the next loss gets the plain name
    assert tf.losses.hinge_loss(ONEHOT, LOGITS).name == "hinge_loss/value:0"

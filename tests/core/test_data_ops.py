"""tf.data in TF1 graph mode: datasets, iterators, their state in the session and their
errors (names and messages as TF 2.21's compat.v1 gives them)."""

from __future__ import annotations

import numpy as np
import pytest

import tfteach as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()


def drain(sess, element) -> list:
    out = []
    while True:
        try:
            out.append(sess.run(element))
        except tf.errors.OutOfRangeError:
            return out


def test_from_tensor_slices_gives_one_element_per_row_of_a_tuple():
    ds = tf.data.Dataset.from_tensor_slices((np.arange(3, dtype=np.float32), np.arange(3)))
    assert ds.output_types == (tf.float32, tf.int64)
    x, y = tf.data.make_one_shot_iterator(ds).get_next()
    assert (x.name, y.name) == ("IteratorGetNext:0", "IteratorGetNext:1")
    assert x.op.type == "IteratorGetNext"
    with tf.Session() as sess:
        assert [(float(a), int(b)) for a, b in drain(sess, (x, y))] == [(0, 0), (1, 1), (2, 2)]


def test_a_dict_element_keeps_its_keys_and_its_components_flatten_in_key_order():
    ds = tf.data.Dataset.from_tensor_slices({"b": [[1.0], [2.0]], "a": [1, 2]})
    element = ds.make_one_shot_iterator().get_next()
    assert list(element) == ["b", "a"]
    assert element["a"].name == "IteratorGetNext:0"  # TF's nest sorts the keys
    assert element["b"].shape.as_list() == [1]
    with tf.Session() as sess:
        first = sess.run(element)
    assert first["a"] == 1 and first["b"].tolist() == [1.0]


def test_batch_stacks_rows_and_leaves_the_last_batch_short():
    ds = tf.data.Dataset.from_tensor_slices(np.arange(5)).batch(2)
    batch = ds.make_one_shot_iterator().get_next()
    assert batch.shape.as_list() == [None]
    with tf.Session() as sess:
        assert [b.tolist() for b in drain(sess, batch)] == [[0, 1], [2, 3], [4]]


def test_batch_with_drop_remainder_has_a_known_size_and_drops_the_rest():
    batch = (
        tf.data.Dataset.from_tensor_slices(np.zeros((5, 3)))
        .batch(2, drop_remainder=True)
        .make_one_shot_iterator()
        .get_next()
    )
    assert batch.shape.as_list() == [2, 3]
    with tf.Session() as sess:
        assert len(drain(sess, batch)) == 2


def test_repeat_goes_over_the_data_count_times():
    value = tf.data.Dataset.from_tensor_slices([1, 2]).repeat(3).make_one_shot_iterator()
    with tf.Session() as sess:
        assert drain(sess, value.get_next()) == [1, 2] * 3


def test_the_end_raises_out_of_range_with_tfs_message_and_keeps_raising():
    element = tf.data.Dataset.from_tensor_slices([7]).make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        assert sess.run(element) == 7
        for _ in range(2):
            with pytest.raises(tf.errors.OutOfRangeError, match="^End of sequence$") as info:
                sess.run(element)
    assert info.value.op is element.op


def test_an_initializable_iterator_must_be_initialized_first():
    it = tf.data.Dataset.from_tensor_slices([1, 2]).make_initializable_iterator()
    element = it.get_next()
    assert it.initializer.type == "MakeIterator" and it.initializer.name == "MakeIterator"
    with tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError) as info:
            sess.run(element)
        assert str(info.value) == (
            "GetNext() failed because the iterator has not been initialized. Ensure that you "
            "have run the initializer operation for this iterator before getting the next "
            "element."
        )
        sess.run(it.initializer)
        assert sess.run(element) == 1
        sess.run(it.initializer)  # running it again starts over
        assert drain(sess, element) == [1, 2]


def test_two_sessions_iterate_independently():
    element = tf.data.Dataset.from_tensor_slices([1, 2, 3]).make_one_shot_iterator().get_next()
    first, second = tf.Session(), tf.Session()
    assert [first.run(element), first.run(element)] == [1, 2]
    assert second.run(element) == 1
    assert first.run(element) == 3
    first.close()
    second.close()


def test_a_one_shot_iterator_has_no_initializer():
    it = tf.data.Dataset.from_tensor_slices([1]).make_one_shot_iterator()
    with pytest.raises(ValueError, match="does not have an initializer"):
        _ = it.initializer


def test_seeded_shuffle_is_a_permutation_repeated_in_a_fresh_session():
    tf.set_random_seed(3)
    data = np.arange(20)
    it = (
        tf.data.Dataset.from_tensor_slices(data).shuffle(20).repeat(2).make_initializable_iterator()
    )
    element = it.get_next()

    def two_epochs():
        with tf.Session() as sess:
            sess.run(it.initializer)
            return drain(sess, element)

    got = two_epochs()
    assert sorted(got[:20]) == data.tolist() and sorted(got[20:]) == data.tolist()
    assert got[:20] != data.tolist()  # shuffled
    assert got[:20] != got[20:]  # each epoch in a new order
    assert two_epochs() == got  # the graph seed fixes the whole sequence


def test_shuffle_with_a_small_buffer_only_moves_elements_a_little():
    element = (
        tf.data.Dataset.from_tensor_slices(np.arange(50))
        .shuffle(2, seed=1)
        .make_one_shot_iterator()
        .get_next()
    )
    with tf.Session() as sess:
        got = drain(sess, element)
    # with a buffer of two, the k-th element out is one of the first k+2 in
    assert sorted(got) == list(range(50))
    assert all(value <= k + 1 for k, value in enumerate(got))


def test_map_builds_its_ops_apart_from_the_main_graph():
    ds = tf.data.Dataset.from_tensor_slices((np.arange(3, dtype=np.float32), np.arange(3)))
    doubled = ds.map(lambda x, y: (x * 2.0, tf.cast(y, tf.float32) + 1.0))
    assert doubled.output_types == (tf.float32, tf.float32)
    a, b = doubled.make_one_shot_iterator().get_next()
    types = {op.type for op in tf.get_default_graph().get_operations()}
    assert "MapDataset" in types and "Mul" not in types
    with tf.Session() as sess:
        assert [(float(x), float(y)) for x, y in drain(sess, (a, b))] == [
            (0.0, 1.0),
            (2.0, 2.0),
            (4.0, 3.0),
        ]


def test_map_of_a_dict_element_gets_the_dict():
    ds = tf.data.Dataset.from_tensor_slices({"x": [1.0, 2.0]}).map(lambda d: d["x"] * 10.0)
    with tf.Session() as sess:
        assert drain(sess, ds.make_one_shot_iterator().get_next()) == [10.0, 20.0]


def test_batch_of_elements_of_different_shapes_is_an_error():
    ds = tf.data.Dataset.from_tensor_slices([1, 2, 3]).map(lambda x: tf.fill([x], 0)).batch(3)
    element = ds.make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match="Cannot batch tensors with"):
            sess.run(element)


def test_from_structure_switches_one_iterator_between_datasets():
    train = tf.data.Dataset.from_tensor_slices([1, 2, 3])
    test = tf.data.Dataset.from_tensor_slices([10, 20])
    it = tf.data.Iterator.from_structure(train.output_types, train.output_shapes)
    element = it.get_next()
    train_init, test_init = it.make_initializer(train), it.make_initializer(test)
    with tf.Session() as sess:
        sess.run(train_init)
        assert sess.run(element) == 1
        sess.run(test_init)
        assert drain(sess, element) == [10, 20]


def test_iterators_are_collected_and_training_from_a_dataset_works():
    xs = np.linspace(-1, 1, 32).astype(np.float32)
    ds = tf.data.Dataset.from_tensor_slices((xs, 3 * xs)).repeat().batch(8)
    x, y = ds.make_one_shot_iterator().get_next()
    w = tf.Variable(0.0)
    loss = tf.reduce_mean(tf.square(w * x - y))
    step = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    assert len(tf.get_collection("iterators")) == 1
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(50):
            sess.run(step)
        assert abs(sess.run(w) - 3.0) < 1e-3


def test_slices_of_different_lengths_are_refused_before_the_graph_changes():
    before = len(tf.get_default_graph().get_operations())
    with pytest.raises(ValueError, match="not compatible"):
        tf.data.Dataset.from_tensor_slices((np.zeros(3), np.zeros(4)))
    assert len(tf.get_default_graph().get_operations()) == before


def test_an_initializable_iterator_over_placeholders_takes_the_data_in_its_feed():
    features = tf.placeholder(tf.float32, [None, 2])
    it = tf.data.Dataset.from_tensor_slices(features).batch(2).make_initializable_iterator()
    batch = it.get_next()
    with tf.Session() as sess:
        sess.run(it.initializer, {features: np.ones((3, 2))})
        assert [b.shape for b in drain(sess, batch)] == [(2, 2), (1, 2)]
        sess.run(it.initializer, {features: np.zeros((1, 2))})  # other data, same graph
        assert drain(sess, batch)[0].tolist() == [[0.0, 0.0]]

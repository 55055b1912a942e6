"""More of tf.data (issue 20): Dataset.range, zip, from_tensors, skip, filter, concatenate,
and what ``tf.data.Dataset.<name>`` says for a name tfteach lacks. TF 2.21's answers for
the same programs are recorded in tests/fixtures/tf1_reference.json (``data_more_*``)."""

from __future__ import annotations

import numpy as np
import pytest
from test_data_ops import drain

import tfteach as tf

Dataset = tf.data.Dataset


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()


def values(dataset) -> list:
    """Every element of ``dataset`` as Python values (a tuple element as a list of them)."""
    element = dataset.make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        elements = drain(sess, element)
    if isinstance(element, tuple):
        return [[np.asarray(c).tolist() for c in e] for e in elements]
    return [np.asarray(e).tolist() for e in elements]


def op_names() -> list:
    return [op.name for op in tf.get_default_graph().get_operations()]


@pytest.mark.parametrize(
    ("args", "expected"),
    [((4,), [0, 1, 2, 3]), ((2, 10, 3), [2, 5, 8]), ((10, 2, -3), [10, 7, 4]), ((3, 1), [])],
)
def test_range_gives_the_numbers_of_pythons_range(args, expected):
    assert values(Dataset.range(*args)) == expected


def test_range_is_an_int64_scalar_dataset_of_three_constants_unless_told_otherwise():
    ds = Dataset.range(5)
    assert (ds.output_types, ds.output_shapes) == (tf.int64, tf.TensorShape([]))
    assert op_names() == ["start", "stop", "step", "RangeDataset"]
    assert Dataset.range(3, output_type=tf.int32).output_types == tf.int32
    x = Dataset.range(3, output_type=tf.int32).make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        assert sess.run(x).dtype == np.int32


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        ((), ValueError, "should be between 1 and 3 but was 0"),
        ((1, 2, 3, 4), ValueError, "should be between 1 and 3 but was 4"),
        ((2.5,), TypeError, "Expected int64, but got 2.5 of type 'float'."),
    ],
)
def test_bad_range_arguments_raise_tfs_errors_and_leave_the_graph_as_it_was(args, error, message):
    with pytest.raises(error, match=message.replace(".", r"\.").replace("(", r"\(")):
        Dataset.range(*args)
    assert op_names() == []


def test_a_zero_step_fails_when_the_iterator_starts():
    x = Dataset.range(0, 5, 0).make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match="step must be a non-zero"):
            sess.run(x)


def test_zip_pairs_elements_until_the_shortest_dataset_ends():
    ds = Dataset.zip((Dataset.range(5), Dataset.from_tensor_slices(["a", "b"])))
    assert ds.output_types == (tf.int64, tf.string)
    assert ds._variant.op.type == "ZipDataset"
    assert values(ds) == [[0, b"a"], [1, b"b"]]


def test_zip_of_a_dict_with_a_nested_tuple_lays_out_elements_the_same_way():
    a, b = Dataset.range(3), Dataset.from_tensor_slices(np.ones((3, 2), np.float32))
    ds = Dataset.zip({"y": a, "x": (b, a)})
    assert ds.output_shapes == {"y": tf.TensorShape([]), "x": (tf.TensorShape([2]), ())}
    # TF's nest sorts the keys: x's components come first
    assert [t.name for t in ds._variant.op.inputs] == [
        "TensorSliceDataset:0",
        "RangeDataset:0",
        "RangeDataset:0",
    ]
    element = ds.make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        first = sess.run(element)
    assert first["y"] == 0 and first["x"][0].tolist() == [1.0, 1.0] and first["x"][1] == 0


def test_zip_takes_the_datasets_as_separate_arguments_too():
    assert Dataset.zip(Dataset.range(1), Dataset.range(1)).output_types == (tf.int64, tf.int64)


def test_zip_of_a_list_or_a_non_dataset_is_tfs_type_error_and_adds_no_op():
    a = Dataset.range(2)
    before = op_names()
    with pytest.raises(TypeError, match="Python `list` is not supported"):
        Dataset.zip([a, a])
    with pytest.raises(TypeError, match="encountered object of type <class 'int'>"):
        Dataset.zip((a, 3))
    assert op_names() == before


def test_from_tensors_is_one_element_holding_the_whole_tensors():
    ds = Dataset.from_tensors((np.zeros((2, 3), np.float32), [1, 2]))
    assert ds.output_shapes == (tf.TensorShape([2, 3]), tf.TensorShape([2]))
    assert op_names() == [
        "normalize_element/component_0",
        "normalize_element/component_1",
        "TensorDataset",
    ]
    assert values(ds) == [[[[0.0] * 3] * 2, [1, 2]]]


@pytest.mark.parametrize(("count", "expected"), [(7, [7, 8, 9]), (0, list(range(10))), (-1, [])])
def test_skip_drops_the_first_count_elements_and_minus_one_drops_all(count, expected):
    ds = Dataset.range(10).skip(count)
    assert ds._variant.op.type == "SkipDataset"
    assert values(ds) == expected


def test_filter_keeps_the_elements_whose_predicate_is_true():
    ds = Dataset.range(10).filter(lambda x: tf.equal(x % 3, 0))
    assert ds._variant.op.type == "FilterDataset"
    assert values(ds) == [0, 3, 6, 9]
    pairs = Dataset.from_tensor_slices((np.arange(4), np.array([0.5, 2.0, 3.0, 0.1])))
    assert values(pairs.filter(lambda i, v: v > 1.0)) == [[1, 2.0], [2, 3.0]]


def test_a_predicate_written_with_double_equals_keeps_nothing_as_in_tf1():
    # TF1 graph mode's == compares the Python objects: always False, a valid predicate
    assert values(Dataset.range(4).filter(lambda x: x % 2 == 0)) == []


def test_a_predicate_that_is_not_a_bool_scalar_is_tfs_value_error():
    ds = Dataset.range(3)
    before = op_names()
    with pytest.raises(ValueError, match=r"its return type is TensorSpec\(shape=\(\), dtype=tf"):
        ds.filter(lambda x: x)
    with pytest.raises(ValueError, match=r"TensorSpec\(shape=\(2,\), dtype=tf.bool"):
        ds.filter(lambda x: tf.equal(x, [1, 2]))
    assert op_names() == before


def test_concatenate_gives_one_dataset_then_the_other_with_the_common_shape():
    a = Dataset.from_tensor_slices(np.zeros((2, 3), np.float32))
    b = Dataset.from_tensor_slices(np.ones((1, 4), np.float32))
    ds = a.concatenate(b)
    assert ds.output_shapes == tf.TensorShape([None])
    assert values(ds) == [[0.0] * 3, [0.0] * 3, [1.0] * 4]
    assert values(Dataset.range(2).concatenate(Dataset.range(7, 9))) == [0, 1, 7, 8]


@pytest.mark.parametrize(
    "other",
    [
        lambda: Dataset.from_tensor_slices([1.0]),
        lambda: Dataset.zip((Dataset.range(1), Dataset.range(1))),
    ],
    ids=["other dtype", "other structure"],
)
def test_concatenate_of_incompatible_elements_is_tfs_type_error_and_adds_no_op(other):
    a, b = Dataset.range(3), other()
    before = op_names()
    with pytest.raises(TypeError, match="^Incompatible dataset elements:\n  TensorSpec"):
        a.concatenate(b)
    assert op_names() == before


def test_from_structure_switches_one_iterator_between_training_and_validation_data():
    train, valid = Dataset.range(100).batch(4), Dataset.range(3).batch(4)
    it = tf.data.Iterator.from_structure(train.output_types, train.output_shapes)
    x = it.get_next()
    train_init, valid_init = it.make_initializer(train), it.make_initializer(valid)
    assert (train_init.name, valid_init.name) == ("make_initializer", "make_initializer_1")
    with tf.Session() as sess:
        sess.run(train_init)
        assert sess.run(x).tolist() == [0, 1, 2, 3]
        sess.run(valid_init)
        assert drain(sess, x)[0].tolist() == [0, 1, 2]
        sess.run(train_init)  # starts over
        assert sess.run(x).tolist() == [0, 1, 2, 3]


def test_a_dataset_method_tfteach_lacks_says_so_and_suggests_a_close_one():
    with pytest.raises(
        AttributeError, match="tfteach does not teach tf.data.Dataset.from_generator"
    ):
        Dataset.from_generator  # noqa: B018
    with pytest.raises(AttributeError, match=r"Did you mean tf\.data\.Dataset\.range\?"):
        Dataset.rnage  # noqa: B018
    assert not hasattr(Dataset, "__wrapped__")


def lengths():
    """Elements [1], [2, 2], [3, 3, 3]: int64 vectors of different lengths."""
    return Dataset.range(1, 4).map(lambda n: tf.fill([n], n))


def test_padded_batch_pads_each_batch_to_its_longest_element_with_zeros():
    ds = lengths().padded_batch(2)
    assert ds.output_shapes == tf.TensorShape([None, None])
    assert ds._variant.op.type == "PaddedBatchDatasetV2"
    assert values(ds) == [[[1, 0], [2, 2]], [[3, 3, 3]]]


def test_padded_batch_pads_to_the_padded_shape_with_the_padding_value():
    ds = lengths().padded_batch(2, padded_shapes=[4], padding_values=tf.constant(-1, tf.int64))
    assert ds.output_shapes == tf.TensorShape([None, 4])
    assert values(ds) == [[[1, -1, -1, -1], [2, 2, -1, -1]], [[3, 3, 3, -1]]]


def test_padded_batch_of_pairs_pads_strings_with_the_empty_string():
    words = Dataset.from_tensor_slices(["a", "bb", "c"])
    ds = Dataset.zip((words, lengths())).padded_batch(2, drop_remainder=True)
    assert ds.output_shapes == (tf.TensorShape([2]), tf.TensorShape([2, None]))
    assert values(ds) == [[[b"a", b"bb"], [[1, 0], [2, 2]]]]


def test_a_padded_shape_smaller_than_an_element_fails_when_the_batch_is_made():
    x = lengths().padded_batch(2, padded_shapes=[2]).make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        assert sess.run(x).tolist() == [[1, 0], [2, 2]]
        with pytest.raises(tf.errors.DataLossError, match="pad to a smaller size"):
            sess.run(x)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"padded_shapes": [None, 3]}, ValueError, r"padded shape \(\?, 3\) is not compatible"),
        ({"padding_values": -1}, TypeError, "values type <dtype: 'int32'> does not match type"),
        ({"padding_values": np.zeros(2, np.int64)}, ValueError, "should be scalars"),
    ],
)
def test_bad_padded_batch_arguments_raise_tfs_errors_and_add_no_op(kwargs, error, message):
    ds = lengths()
    before = op_names()
    with pytest.raises(error, match=message):
        ds.padded_batch(2, **kwargs)
    assert op_names() == before

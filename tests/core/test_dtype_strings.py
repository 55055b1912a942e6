"""Every spelling of a dtype that ``tf.as_dtype`` accepts in TF 2.21 works wherever tfteach
takes a dtype; the rest raise TF's TypeError (answers checked against TF 2.21 compat.v1)."""

from __future__ import annotations

import numpy as np
import pytest

import tfteach as tf

ACCEPTED = [
    ("float", tf.float32),
    ("float32", tf.float32),
    ("double", tf.float64),
    ("float64", tf.float64),
    ("half", tf.float16),
    ("int32", tf.int32),
    ("int64", tf.int64),
    ("uint32", tf.uint32),
    ("uint64", tf.uint64),
    ("bool", tf.bool),
    ("string", tf.string),
    ("float_ref", tf.float32_ref),
    ("double_ref", tf.float64_ref),
    (np.float32, tf.float32),
    (np.dtype("int16"), tf.int16),
    (np.zeros(2, np.float64), tf.float64),  # anything with a .dtype
    (np.str_, tf.string),
    (float, tf.float32),
    (bool, tf.bool),
    (object, tf.string),
    (2, tf.float64),  # DataType enum number
    (101, tf.float32_ref),
]


@pytest.mark.parametrize(("value", "dtype"), ACCEPTED, ids=repr)
def test_as_dtype_accepts_what_tensorflow_accepts(value, dtype):
    assert tf.as_dtype(value) is dtype


@pytest.mark.parametrize("value", ["int", "float_", "str", int, str, bytes, complex, [1], None])
def test_as_dtype_refuses_with_tensorflows_error(value):
    with pytest.raises(TypeError) as e:
        tf.as_dtype(value)
    assert str(e.value) == (
        f"Cannot convert the argument `type_value`: {value!r} to a TensorFlow DType."
    )


def test_a_dtype_tensorflow_has_but_tfteach_does_not_teach_is_named():
    with pytest.raises(TypeError, match="tfteach does not teach the dtype 'bfloat16'"):
        tf.as_dtype("bfloat16")


def test_placeholder_float_string_feeds_and_computes():
    tf.reset_default_graph()
    x = tf.placeholder("float", [None, 2])
    y = tf.placeholder("double")
    assert (x.dtype, y.dtype) == (tf.float32, tf.float64)
    with tf.Session() as sess:
        out = sess.run(x * 2, {x: [[1, 2]]})
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, [[2, 4]])


def test_strings_work_for_variables_casts_and_initializers():
    tf.reset_default_graph()
    v = tf.get_variable("v", [2], dtype="float64", initializer=tf.zeros_initializer("double"))
    w = tf.Variable([1, 2], dtype="int64")
    c = tf.cast(w, "float")
    z = tf.zeros([2], "int32")
    assert (v.dtype, w.dtype, c.dtype, z.dtype) == (
        tf.float64_ref,
        tf.int64_ref,
        tf.float32,
        tf.int32,
    )
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(c).dtype == np.float32


def test_a_refused_string_leaves_the_graph_as_it_was():
    g = tf.Graph()
    with g.as_default():
        with pytest.raises(TypeError):
            tf.placeholder("int")
    assert g.get_operations() == []

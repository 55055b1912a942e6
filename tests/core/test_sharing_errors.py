"""get_variable's and variable_scope's errors: TF's wording, and nothing left behind.

Every failed get_variable leaves the graph as it was: the same ops, the same
collections, the variable store without the name, and the op name still free.
Messages were checked against TensorFlow 2.21 (tensorflow.compat.v1); the recorded
cases are in tests/fixtures/tf1_reference.json (topic "sharing").
"""

import os
import re

import numpy as np
import pytest

import tfteach as tf


def graph_state():
    graph = tf.get_default_graph()
    ops = [op.name for op in graph.get_operations()]
    return ops, {k: list(graph.get_collection(k)) for k in graph.get_all_collection_keys()}


def fails_cleanly(exc_type, message, call, free_name=None):
    """``call()`` raises ``exc_type`` with exactly ``message`` (up to TF's traceback part)
    and leaves the graph as it was; ``free_name`` can still be created with that name."""
    before = graph_state()
    with pytest.raises(exc_type) as info:
        call()
    head = str(info.value).split(" Originally defined at:")[0]
    assert head == message
    assert graph_state() == before
    if free_name is not None:
        scope, _, short = free_name.rpartition("/")
        with tf.variable_scope(scope or "", reuse=False):
            v = tf.get_variable(short, [1])
        assert v.op.name == free_name
    return info.value


def test_exists_and_not_reused():
    with tf.variable_scope("two_layers"):
        tf.get_variable("h1_weights", [2])
    with tf.variable_scope("two_layers"):
        fails_cleanly(
            ValueError,
            "Variable two_layers/h1_weights already exists, disallowed. Did you mean to set "
            "reuse=True or reuse=tf.AUTO_REUSE in VarScope?",
            lambda: tf.get_variable("h1_weights", [2]),
        )


def test_exists_error_says_where_the_variable_was_first_made():
    def make():
        return tf.get_variable("x", [2])  # the line the error points at

    make()
    with pytest.raises(ValueError) as info:
        make()
    lines = str(info.value).split("\n")
    assert lines[0].endswith("Originally defined at:") and lines[1] == ""
    assert re.fullmatch(r'  File ".*test_sharing_errors\.py", line \d+, in make', lines[2])
    assert lines[3].strip() == 'return tf.get_variable("x", [2])  # the line the error points at'
    package_dir = os.path.dirname(tf.__file__)
    files = re.findall(r'File "([^"]+)"', str(info.value))
    assert files and not any(f.startswith(package_dir) for f in files)


def test_missing_under_reuse():
    with tf.variable_scope("scope1"):
        tf.get_variable("w1", shape=[])
    with tf.variable_scope("scope1", reuse=True):
        fails_cleanly(
            ValueError,
            "Variable scope1/w3 does not exist, or was not created with tf.get_variable(). "
            "Did you mean to set reuse=tf.AUTO_REUSE in VarScope?",
            lambda: tf.get_variable("w3", shape=[]),
        )
    with tf.variable_scope("scope1"):
        assert tf.get_variable("w3", []).name == "scope1/w3:0"


def test_reuse_of_a_name_made_by_tf_variable():
    with tf.variable_scope("s"):
        tf.Variable(1.0, name="v")
    with tf.variable_scope("s", reuse=True):
        fails_cleanly(
            ValueError,
            "Variable s/v does not exist, or was not created with tf.get_variable(). "
            "Did you mean to set reuse=tf.AUTO_REUSE in VarScope?",
            lambda: tf.get_variable("v", []),
        )


@pytest.mark.parametrize("reuse", [True, tf.AUTO_REUSE])
def test_shape_clash(reuse):
    with tf.variable_scope("s"):
        tf.get_variable("w", [2, 4])
    with tf.variable_scope("s", reuse=reuse):
        fails_cleanly(
            ValueError,
            "Trying to share variable s/w, but specified shape (3, 4) and found shape (2, 4).",
            lambda: tf.get_variable("w", [3, 4]),
        )


def test_dtype_clash_with_the_default_float32():
    with tf.variable_scope("s"):
        tf.get_variable("x", [2], dtype=tf.float64)
    with tf.variable_scope("s", reuse=True):
        fails_cleanly(
            ValueError,
            "Trying to share variable s/x, but specified dtype float32 and found dtype "
            "float64_ref.",
            lambda: tf.get_variable("x", [2]),
        )


def test_dtype_clash_explicit():
    with tf.variable_scope("s"):
        tf.get_variable("x", [2], dtype=tf.int32)
    with tf.variable_scope("s", reuse=True):
        fails_cleanly(
            ValueError,
            "Trying to share variable s/x, but specified dtype float64 and found dtype int32_ref.",
            lambda: tf.get_variable("x", [2], dtype=tf.float64),
        )


@pytest.mark.parametrize(
    "value", [[1.0, 2.0], np.array([1.0, 2.0]), 3.0], ids=["list", "array", "scalar"]
)
def test_constant_initializer_with_shape(value):
    fails_cleanly(
        ValueError,
        "If initializer is a constant, do not specify shape.",
        lambda: tf.get_variable("x", shape=[2], initializer=value),
        free_name="x",
    )


def test_tensor_initializer_with_shape():
    t = tf.constant([1.0, 2.0])
    fails_cleanly(
        ValueError,
        "If initializer is a constant, do not specify shape.",
        lambda: tf.get_variable("x", shape=[2], initializer=t),
        free_name="x",
    )


def test_constant_initializer_of_another_dtype_than_the_explicit_one():
    fails_cleanly(
        ValueError,
        "Initializer type '<dtype: 'int32'>' and explicit dtype '<dtype: 'float32'>' don't match.",
        lambda: tf.get_variable("a", initializer=[1, 2], dtype=tf.float32),
        free_name="a",
    )


def test_no_initializer_and_no_shape():
    fails_cleanly(
        ValueError,
        "Variable noshape did not get an initializer, so its `shape` argument must be specified.",
        lambda: tf.get_variable("noshape"),
        free_name="noshape",
    )


def test_no_default_initializer_for_complex():
    fails_cleanly(
        ValueError,
        "An initializer for variable c of <dtype: 'complex64'> is required",
        lambda: tf.get_variable("c", [2], dtype=tf.complex64),
        free_name="c",
    )


@pytest.mark.parametrize("shape", [None, [None, 3]], ids=["no-shape", "partial-shape"])
def test_initializer_object_needs_a_full_shape(shape):
    fails_cleanly(
        ValueError,
        "The initializer passed is not valid. It should be a callable with no arguments and "
        "the shape should not be provided or an instance of `tf.keras.initializers.*' and "
        "`shape` should be fully defined.",
        lambda: tf.get_variable("p", shape, initializer=tf.zeros_initializer()),
        free_name="p",
    )


def test_initializer_that_fails_leaves_nothing_behind():
    with tf.variable_scope("s", initializer=tf.constant_initializer(0.5)):
        fails_cleanly(
            TypeError,
            "Expected int32, but got 0.5 of type 'float'.",
            lambda: tf.get_variable("i", [2], dtype=tf.int32),
        )
    with tf.variable_scope("s"):
        assert tf.get_variable("i", [2], dtype=tf.int32).op.name == "s/i"


def test_regularizer_that_fails_leaves_no_variable_behind():
    # TF would keep the half-made variable; tfteach undoes the whole call
    def broken(v):
        raise RuntimeError("regularizer failed")

    with pytest.raises(RuntimeError, match="regularizer failed"):
        tf.get_variable("w", [1], regularizer=broken)
    assert graph_state() == ([], {})
    assert tf.get_variable("w", [1]).op.name == "w"


def test_invalid_variable_name_leaves_nothing_behind():
    before = graph_state()
    with pytest.raises(ValueError, match="my var. is not a valid"):
        tf.get_variable("my var", [1])
    assert graph_state() == before


@pytest.mark.parametrize(
    ("kwargs", "exc_type", "message"),
    [
        (
            {"name_or_scope": None},
            TypeError,
            "If default_name is None then name_or_scope is required",
        ),
        (
            {"name_or_scope": "a", "reuse": "yes"},
            ValueError,
            "The reuse parameter must be True or False or None.",
        ),
        (
            {"name_or_scope": 5},
            TypeError,
            "VariableScope: name_or_scope must be a string or VariableScope.",
        ),
        (
            {"name_or_scope": None, "default_name": "d", "reuse": True},
            ValueError,
            "reuse=True cannot be used without a name_or_scope",
        ),
        (
            {"name_or_scope": "a", "auxiliary_name_scope": 1},
            TypeError,
            "The auxiliary_name_scope must be `True` or `False`, while get 1",
        ),
    ],
)
def test_variable_scope_argument_errors(kwargs, exc_type, message):
    before = graph_state()
    with pytest.raises(exc_type) as info:
        with tf.variable_scope(**kwargs):
            pass
    assert str(info.value) == message
    assert graph_state() == before
    assert tf.get_variable_scope().name == ""
    assert tf.get_default_graph().get_name_scope() == ""


@pytest.mark.parametrize(
    "kwargs",
    [{"partitioner": lambda shape, dtype: [1]}, {"custom_getter": print}, {"use_resource": True}],
    ids=["partitioner", "custom_getter", "use_resource"],
)
def test_unsupported_options_are_refused_clearly(kwargs):
    (key,) = kwargs
    with pytest.raises(ValueError, match=f"^{key}=.*tfteach"):
        tf.get_variable("w", [1], **kwargs)
    with pytest.raises(ValueError, match=f"^{key}=.*tfteach"):
        tf.variable_scope("s", **kwargs)
    assert graph_state() == ([], {})


def test_improper_nesting():
    a, b = tf.variable_scope("a"), tf.variable_scope("b")
    a.__enter__()
    b.__enter__()
    with pytest.raises(RuntimeError, match="^Improper nesting of variable_scope.$"):
        a.__exit__(None, None, None)
    b.__exit__(None, None, None)  # leaves the default-graph stack as it was

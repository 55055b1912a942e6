"""A name tfteach lacks raises an AttributeError that says so and points to what to use;
and the small TF1 names added with tf.layers (AggregationMethod, Graph.collections,
assert_variables_initialized)."""

import pytest

import tfteach as tf
import tfteach.compat.v1 as v1


@pytest.mark.parametrize(
    ("module", "name", "says"),
    [
        (tf, "contrib", "use tf.layers (tf.contrib.layers.fully_connected is tf.layers.dense)"),
        (v1, "estimator", "tfteach does not teach tf.estimator; build the model with tf.layers"),
        (tf, "GradientTape", "graph mode only"),
        (
            tf,
            "placeholdr",
            "tfteach does not teach tf.placeholdr yet. Did you mean tf.placeholder?",
        ),
        (tf.nn, "dynamic_rnn", "tfteach does not teach tf.nn.dynamic_rnn yet."),
        (tf.train, "AdamaxOptimizer", "Did you mean tf.train.AdamOptimizer?"),
    ],
)
def test_a_missing_name_says_what_to_do(module, name, says):
    with pytest.raises(AttributeError) as e:
        getattr(module, name)
    assert says in str(e.value)
    assert not hasattr(module, name)


@pytest.mark.parametrize(
    "module",
    [
        tf,
        v1,
        tf.compat,
        tf.data,
        tf.errors,
        tf.feature_column,
        tf.initializers,
        tf.keras,
        tf.keras.initializers,
        tf.layers,
        tf.lookup,
        tf.losses,
        tf.metrics,
        tf.nn,
        tf.random,
        tf.summary,
        tf.train,
    ],
    ids=lambda m: m.__name__,
)
def test_every_public_module_says_what_it_lacks(module):
    shown = "tf" + module.__name__.removeprefix("tfteach").removeprefix(".compat.v1")
    with pytest.raises(AttributeError) as e:
        module.no_such_name  # noqa: B018
    assert str(e.value) == (
        f"module {module.__name__!r} has no attribute 'no_such_name': "
        f"tfteach does not teach {shown}.no_such_name yet."
    )
    assert [name for name in module.__all__ if not hasattr(module, name)] == []


def test_a_close_spelling_is_suggested_in_submodules_too():
    with pytest.raises(AttributeError, match=r"Did you mean tf\.losses\.mean_squared_error\?"):
        tf.losses.mean_square_error  # noqa: B018
    with pytest.raises(AttributeError, match=r"Did you mean tf\.layers\.dense\?"):
        tf.layers.dens  # noqa: B018


def test_private_probes_get_a_plain_attribute_error():
    assert not hasattr(tf, "_repr_html_")
    with pytest.raises(AttributeError, match="^module 'tfteach' has no attribute '__wrapped__'$"):
        tf.__wrapped__  # noqa: B018


def test_aggregation_method_and_graph_collections():
    assert (tf.AggregationMethod.ADD_N, tf.AggregationMethod.DEFAULT) == (0, 0)
    assert tf.AggregationMethod.EXPERIMENTAL_TREE == 1
    g = tf.Graph()
    with g.as_default():
        tf.Variable(1.0)
    assert sorted(g.collections) == ["trainable_variables", "variables"]


def test_assert_variables_initialized_fails_until_initialized():
    tf.reset_default_graph()
    assert tf.assert_variables_initialized() is None
    tf.Variable([[1.0]], name="v")
    tf.Variable(2, name="w")
    check = tf.assert_variables_initialized()
    with tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError, match="uninitialized value v"):
            sess.run(check)
        sess.run(tf.global_variables_initializer())
        assert sess.run(check).tolist() == [2, 0]

"""Lookup tables and tf.tables_initializer(): names, collection and errors as TF 2.21's
compat.v1 gives them; the contents live in the session."""

from __future__ import annotations

import pytest

import tfteach as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()


def make_table():
    init = tf.lookup.KeyValueTensorInitializer(["cat", "dog"], tf.constant([0, 1], tf.int64))
    return tf.lookup.StaticHashTable(init, default_value=-1)


def test_lookup_gives_values_and_the_default_for_a_missing_key():
    table = make_table()
    ids = table.lookup(tf.constant([["dog", "cow"], ["cat", "cat"]]))
    assert ids.name == "hash_table_Lookup/LookupTableFindV2:0"
    assert ids.dtype == tf.int64 and ids.shape.as_list() == [2, 2]
    with tf.Session() as sess:
        sess.run(tf.tables_initializer())
        assert sess.run(ids).tolist() == [[1, -1], [0, 0]]
        assert sess.run(table.size()) == 2


def test_the_initializer_is_collected_and_tables_initializer_groups_it():
    table = make_table()
    assert tf.get_collection(tf.GraphKeys.TABLE_INITIALIZERS) == [table.initializer]
    assert table.initializer.name == "key_value_init/LookupTableImportV2"
    init = tf.tables_initializer()
    assert (init.name, init.type) == ("init_all_tables", "NoOp")
    assert init.control_inputs == [table.initializer]


def test_a_lookup_before_the_initializer_fails_as_in_tf():
    ids = make_table().lookup(tf.constant(["cat"]))
    with tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError, match=r"^Table not initialized\.$"):
            sess.run(ids)


def test_each_session_needs_its_own_initialization():
    ids = make_table().lookup(tf.constant(["dog"]))
    first, second = tf.Session(), tf.Session()
    first.run(tf.tables_initializer())
    assert first.run(ids).tolist() == [1]
    with pytest.raises(tf.errors.FailedPreconditionError):
        second.run(ids)
    first.close()
    second.close()


def test_keys_of_the_wrong_dtype_are_refused_and_the_graph_is_unchanged():
    table = make_table()
    numbers = tf.constant([1, 2])
    before = len(tf.get_default_graph().get_operations())
    with pytest.raises(TypeError, match="Dtype of argument `keys` must be tf.string"):
        table.lookup(numbers)
    assert len(tf.get_default_graph().get_operations()) == before


def test_a_table_maps_words_to_ids_for_an_embedding():
    words = tf.constant(["b", "a", "zzz"])
    table = tf.lookup.StaticHashTable(
        tf.lookup.KeyValueTensorInitializer(["a", "b"], tf.constant([0, 1], tf.int64)), 2
    )
    embeddings = tf.constant([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
    vectors = tf.nn.embedding_lookup(embeddings, table.lookup(words))
    with tf.Session() as sess:
        sess.run(tf.tables_initializer())
        assert sess.run(vectors).tolist() == [[0.0, 1.0], [1.0, 0.0], [0.0, 0.0]]

"""tf.train.Saver and checkpoint files: save, restore instead of initialize, bad checkpoints.

Expected TF behaviour comes from tensorflow-cpu 2.21.0 (tensorflow.compat.v1 after
disable_v2_behavior()): the cases with topic "checkpoint" in tests/fixtures/tf1_reference.json,
plus the checks noted in the tests below, run by hand against that TF.
"""

import json
import os
import subprocess
import sys
import textwrap
import zipfile

import numpy as np
import pytest

import tfteach as tf
from tfteach.core import saver as saver_module

RESTORE_MISSING = (
    "Restoring from checkpoint failed. This is most likely due to a Variable name or other "
    "graph key that is missing from the checkpoint."
)
RESTORE_MISMATCH = (
    "Restoring from checkpoint failed. This is most likely due to a mismatch between the "
    "current graph and the graph from the checkpoint."
)


def save_model(directory, name="model.ckpt", **values):
    """Saves variables ``name=value`` from a graph of their own; returns the prefix."""
    graph = tf.Graph()
    with graph.as_default():
        variables = [tf.Variable(value, name=key) for key, value in values.items()]
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.variables_initializer(variables))
            return saver.save(sess, os.path.join(str(directory), name))


def files_in(directory):
    """Every file under ``directory`` with its bytes: to show nothing was changed."""
    found = {}
    for root, _, names in os.walk(directory):
        for n in names:
            path = os.path.join(root, n)
            with open(path, "rb") as f:
                found[os.path.relpath(path, directory)] = f.read()
    return found


def session_state(sess, variables):
    return [(sess.variable_state(v), sess.variable_value(v)) for v in variables]


def assert_same_state(before, after):
    assert [s for s, _ in before] == [s for s, _ in after]
    for (_, a), (_, b) in zip(before, after):
        if a is None or b is None:
            assert a is None and b is None
        else:
            np.testing.assert_array_equal(a, b)


# -- saving ---------------------------------------------------------------------------------


def test_save_with_global_step_appends_the_step_and_names_it_latest(tmp_path):
    tf.Variable([1.0, 2.0], name="v")
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = saver.save(sess, os.path.join(str(tmp_path), "model.ckpt"), global_step=7)
    assert path == os.path.join(str(tmp_path), "model.ckpt-7")
    assert tf.train.latest_checkpoint(str(tmp_path)) == path
    # TF writes absolute paths when the checkpoint directory is absolute
    assert (tmp_path / "checkpoint").read_text().splitlines() == [
        f'model_checkpoint_path: "{path}"',
        f'all_model_checkpoint_paths: "{path}"',
    ]


def test_global_step_can_be_a_tensor_and_the_latest_save_wins(tmp_path):
    v = tf.Variable(1.0, name="v")
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(v.initializer)
        first = saver.save(sess, os.path.join(str(tmp_path), "model"))
        second = saver.save(sess, os.path.join(str(tmp_path), "model"), global_step=tf.constant(3))
    assert first == os.path.join(str(tmp_path), "model")
    assert second == os.path.join(str(tmp_path), "model-3")
    assert tf.train.latest_checkpoint(str(tmp_path)) == second


def test_pad_step_number_zero_pads_the_step(tmp_path):
    tf.Variable(1.0, name="v")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = tf.train.Saver(pad_step_number=True).save(sess, str(tmp_path / "m"), global_step=7)
    assert path == str(tmp_path / "m-00000007")


def test_latest_checkpoint_of_a_directory_without_checkpoints_is_none(tmp_path):
    assert tf.train.latest_checkpoint(str(tmp_path)) is None
    assert tf.train.get_checkpoint_state(str(tmp_path)) is None


def test_max_to_keep_deletes_the_oldest_checkpoints(tmp_path):
    v = tf.Variable(1.0, name="v")
    saver = tf.train.Saver(max_to_keep=2)
    with tf.Session() as sess:
        sess.run(v.initializer)
        for step in range(4):
            saver.save(sess, str(tmp_path / "m"), global_step=step)
    assert saver.last_checkpoints == [str(tmp_path / "m-2"), str(tmp_path / "m-3")]
    assert not tf.train.checkpoint_exists(str(tmp_path / "m-0"))
    assert not tf.train.checkpoint_exists(str(tmp_path / "m-1"))
    assert sorted(os.listdir(tmp_path)) == [
        "checkpoint",
        "m-2.data-00000.npz",
        "m-2.index.json",
        "m-3.data-00000.npz",
        "m-3.index.json",
    ]
    state = tf.train.get_checkpoint_state(str(tmp_path))
    assert state.all_model_checkpoint_paths == saver.last_checkpoints


def test_saving_a_kept_prefix_again_makes_it_the_newest(tmp_path):
    # TF: saving model-1 again moves it to the end, so model-2 is the one deleted next
    v = tf.Variable(1.0, name="v")
    saver = tf.train.Saver(max_to_keep=2)
    with tf.Session() as sess:
        sess.run(v.initializer)
        for step in (1, 2, 1, 3):
            saver.save(sess, str(tmp_path / "model"), global_step=step)
    assert saver.last_checkpoints == [str(tmp_path / "model-1"), str(tmp_path / "model-3")]
    assert not tf.train.checkpoint_exists(str(tmp_path / "model-2"))


@pytest.mark.parametrize("max_to_keep", [0, None])
def test_max_to_keep_zero_or_none_keeps_every_checkpoint(tmp_path, max_to_keep):
    v = tf.Variable(1.0, name="v")
    saver = tf.train.Saver(max_to_keep=max_to_keep)
    with tf.Session() as sess:
        sess.run(v.initializer)
        for step in range(3):
            saver.save(sess, str(tmp_path / "m"), global_step=step)
    assert all(tf.train.checkpoint_exists(str(tmp_path / f"m-{i}")) for i in range(3))
    assert saver.last_checkpoints == []
    state = tf.train.get_checkpoint_state(str(tmp_path))
    assert state.all_model_checkpoint_paths == [str(tmp_path / "m-2")]


def test_keep_checkpoint_every_n_hours_spares_one_checkpoint_per_period(tmp_path, monkeypatch):
    class Clock:  # an hour passes at every look at the clock
        now = 0.0

        def time(self):
            self.now += 3600.0
            return self.now

    monkeypatch.setattr(saver_module, "time", Clock())
    v = tf.Variable(1.0, name="v")
    saver = tf.train.Saver(max_to_keep=1, keep_checkpoint_every_n_hours=2)
    with tf.Session() as sess:
        sess.run(v.initializer)
        for step in range(5):
            saver.save(sess, str(tmp_path / "m"), global_step=step)
    kept = [s for s in range(5) if tf.train.checkpoint_exists(str(tmp_path / f"m-{s}"))]
    assert kept == [2, 4]
    assert saver.last_checkpoints == [str(tmp_path / "m-4")]


def test_recover_last_checkpoints_resumes_max_to_keep_after_a_restart(tmp_path):
    v = tf.Variable(1.0, name="v")
    with tf.Session() as sess:
        sess.run(v.initializer)
        first = tf.train.Saver(max_to_keep=2)
        for step in range(2):
            first.save(sess, str(tmp_path / "m"), global_step=step)
        second = tf.train.Saver(max_to_keep=2)
        state = tf.train.get_checkpoint_state(str(tmp_path))
        second.recover_last_checkpoints(state.all_model_checkpoint_paths)
        second.save(sess, str(tmp_path / "m"), global_step=2)
    assert second.last_checkpoints == [str(tmp_path / "m-1"), str(tmp_path / "m-2")]
    assert not tf.train.checkpoint_exists(str(tmp_path / "m-0"))


def test_save_path_relative_to_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    v = tf.Variable(1.0, name="w")
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert saver.save(sess, "model", global_step=1) == "model-1"
        # one missing directory level is created, as TF's save op does
        assert saver.save(sess, "ckpts/model") == os.path.join("ckpts", "model")
    assert (tmp_path / "checkpoint").read_text() == (
        'model_checkpoint_path: "model-1"\nall_model_checkpoint_paths: "model-1"\n'
    )
    # relative paths are stored relative to the directory holding the state file
    assert 'model_checkpoint_path: "model"\n' in (tmp_path / "ckpts" / "checkpoint").read_text()
    assert tf.train.latest_checkpoint(".") == os.path.join(".", "model-1")
    assert tf.train.latest_checkpoint("ckpts") == os.path.join("ckpts", "model")
    assert tf.train.load_variable("ckpts", "w") == 1.0


def test_save_into_a_missing_directory_tree_is_refused(tmp_path):
    v = tf.Variable(1.0, name="w")
    path = str(tmp_path / "a" / "b" / "model")
    with tf.Session() as sess:
        sess.run(v.initializer)
        with pytest.raises(ValueError, match="Parent directory of .* doesn't exist, can't save."):
            tf.train.Saver().save(sess, path)
    assert os.listdir(tmp_path) == []


def test_saving_an_uninitialized_variable_fails_and_writes_nothing(tmp_path):
    tf.Variable(1.0, name="v")
    saver = tf.train.Saver()
    with tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError) as e:
            saver.save(sess, str(tmp_path / "model.ckpt"))
    assert str(e.value) == "Attempting to use uninitialized value v"
    assert os.listdir(tmp_path) == []


def test_save_rejects_a_state_file_name_with_directories_or_the_same_name(tmp_path):
    v = tf.Variable(1.0, name="v")
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(v.initializer)
        with pytest.raises(ValueError, match="'latest_filename' must not contain path"):
            saver.save(sess, str(tmp_path / "m"), latest_filename="a/b")
        with pytest.raises(ValueError, match="'latest_filename' collides with 'save_path'"):
            saver.save(sess, str(tmp_path / "checkpoint"))
        with pytest.raises(TypeError, match="'sess' must be a Session; None"):
            saver.save(None, str(tmp_path / "m"))
    assert os.listdir(tmp_path) == []


def test_latest_filename_names_the_state_file(tmp_path):
    v = tf.Variable(1.0, name="v")
    with tf.Session() as sess:
        sess.run(v.initializer)
        path = tf.train.Saver().save(sess, str(tmp_path / "m"), latest_filename="my_state")
    assert not (tmp_path / "checkpoint").exists()
    assert tf.train.latest_checkpoint(str(tmp_path)) is None
    assert tf.train.latest_checkpoint(str(tmp_path), latest_filename="my_state") == path


def test_a_saver_and_a_session_of_different_graphs_are_refused(tmp_path):
    tf.Variable(1.0, name="v")
    saver = tf.train.Saver()
    other = tf.Graph()
    with other.as_default():
        tf.Variable(1.0, name="v")
    with tf.Session(graph=other) as sess:
        with pytest.raises(ValueError, match="different graph"):
            saver.save(sess, str(tmp_path / "m"))


# -- which variables ------------------------------------------------------------------------


def test_default_var_list_is_the_global_variables_when_the_saver_is_made(tmp_path):
    tf.Variable(1.0, name="a")
    tf.Variable(2.0, name="b", trainable=False)
    tf.Variable(3.0, name="loc", collections=[tf.GraphKeys.LOCAL_VARIABLES])
    saver = tf.train.Saver()
    tf.Variable(4.0, name="later")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = saver.save(sess, str(tmp_path / "model.ckpt"))
    assert tf.train.list_variables(path) == [("a", []), ("b", [])]


def test_a_dict_var_list_saves_under_its_names(tmp_path):
    v = tf.Variable(1.5, name="v")
    tf.Variable(2.5, name="u")
    saver = tf.train.Saver({"renamed": v})
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = saver.save(sess, str(tmp_path / "model.ckpt"))
    assert tf.train.list_variables(path) == [("renamed", [])]
    tf.reset_default_graph()
    x = tf.Variable(0.0, name="x")
    with tf.Session() as sess:
        tf.train.Saver({"renamed": x}).restore(sess, path)
        assert sess.run(x) == 1.5


def test_a_list_var_list_is_keyed_by_op_name(tmp_path):
    with tf.name_scope("layer"):
        w = tf.Variable(np.ones((2, 3), np.float32), name="w")
        b = tf.Variable(np.zeros(3), name="b")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = tf.train.Saver([w, [b]]).save(sess, str(tmp_path / "model.ckpt"), global_step=7)
    assert tf.train.list_variables(str(tmp_path)) == [("layer/b", [3]), ("layer/w", [2, 3])]
    b_value = tf.train.load_variable(path, "layer/b:0")
    assert b_value.shape == (3,) and b_value.dtype == np.float64


def test_saver_var_list_errors_use_tfs_words():
    v = tf.Variable(1.0, name="w")
    with pytest.raises(ValueError, match="^At least two variables have the same name: w$"):
        tf.train.Saver([v, v])
    with pytest.raises(ValueError, match="^The same saveable will be restored with two names: b$"):
        tf.train.Saver({"a": v, "b": v})
    with pytest.raises(TypeError, match="^Variable to save is not a Variable: Tensor"):
        tf.train.Saver([tf.constant(1.0)])
    with pytest.raises(ValueError, match="^No variables to save$"):
        tf.train.Saver([])


def test_a_saver_without_variables_is_an_error():
    with pytest.raises(ValueError, match="^No variables to save$"):
        tf.train.Saver()


# -- restoring --------------------------------------------------------------------------------


def test_restore_initializes_the_variables(tmp_path):
    v = tf.Variable([1.0, 2.0], name="v")
    w = tf.Variable(3, name="w", trainable=False)
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(v.assign([5.0, 6.0]))
        path = saver.save(sess, str(tmp_path / "model.ckpt"))
    with tf.Session() as sess:
        assert list(sess.run(tf.report_uninitialized_variables())) == [b"v", b"w"]
        saver.restore(sess, path)
        assert list(sess.run(tf.report_uninitialized_variables())) == []
        np.testing.assert_array_equal(sess.run(v), [5.0, 6.0])
        assert sess.run(w) == 3
        assert sess.variable_state(v) == "restored"


def test_restore_into_a_new_graph_with_the_same_names(tmp_path):
    path = save_model(tmp_path, w=np.arange(6, dtype=np.float32).reshape(2, 3), b=[7, 8])
    w = tf.Variable(tf.zeros([2, 3]), name="w")
    b = tf.Variable([0, 0], name="b")
    with tf.Session() as sess:
        tf.train.Saver().restore(sess, tf.train.latest_checkpoint(str(tmp_path)))
        np.testing.assert_array_equal(sess.run(w), np.arange(6).reshape(2, 3))
        np.testing.assert_array_equal(sess.run(b), [7, 8])
    assert path == tf.train.latest_checkpoint(str(tmp_path))


@pytest.mark.parametrize(
    "value",
    [
        np.array([1.5, -2.25], np.float16),
        np.array([[1.5, 2.5]], np.float32),
        np.array(3.25, np.float64),
        np.array([-8, 7], np.int8),
        np.array([-300], np.int16),
        np.array([1, 2, 3], np.int32),
        np.array([2**40], np.int64),
        np.array([255], np.uint8),
        np.array([65535], np.uint16),
        np.array([True, False]),
        np.array([1 + 2j], np.complex64),
        np.array([[3 - 4j]], np.complex128),
        np.array([b"", b"a\x00b", "é".encode(), b"\xff" * 3], dtype=object),
        np.array([[b"x", b"yz"], [b"", b"w"]], dtype=object),
        np.array(b"scalar", dtype=object),
    ],
    ids=lambda v: f"{v.dtype}{list(v.shape)}",
)
def test_every_dtype_survives_save_and_restore(tmp_path, value):
    v = tf.Variable(value, name="v")
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(v.initializer)
        saved = sess.variable_value(v)
        path = saver.save(sess, str(tmp_path / "m"))
    with tf.Session() as sess:
        saver.restore(sess, path)
        restored = sess.variable_value(v)
    assert restored.dtype == saved.dtype and restored.shape == saved.shape
    assert restored.tolist() == saved.tolist()


def test_load_variable_returns_numpy_values_as_tf_does(tmp_path):
    path = save_model(tmp_path, s=1.0, words=["ab", "c"])
    scalar = tf.train.load_variable(path, "s")
    assert isinstance(scalar, np.float32) and scalar == 1.0
    assert tf.train.load_variable(str(tmp_path), "words").tolist() == [b"ab", b"c"]
    reader = tf.train.load_checkpoint(str(tmp_path))
    assert reader.has_tensor("s") and not reader.has_tensor("t")
    assert reader.get_variable_to_dtype_map() == {"s": tf.float32, "words": tf.string}


def test_overwriting_a_checkpoint_leaves_one_data_file(tmp_path):
    v = tf.Variable(1.0, name="v")
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(v.initializer)
        for value in (2.0, 3.0, 4.0):
            sess.run(v.assign(value))
            saver.save(sess, str(tmp_path / "model"))
    assert len([n for n in os.listdir(tmp_path) if n.endswith(".npz")]) == 1
    assert tf.train.load_variable(str(tmp_path), "v") == 4.0


def test_the_files_are_readable_with_json_and_numpy_alone(tmp_path):
    """The recipe of docs/checkpoint-format.md."""
    path = save_model(tmp_path, w=[[1.0, 2.0]], s=["hi", "there"])
    with open(path + ".index.json") as f:
        index = json.load(f)
    assert (index["format"], index["version"]) == ("tfteach-checkpoint", 1)
    values = {}
    data_path = os.path.join(str(tmp_path), index["data_file"])
    with zipfile.ZipFile(data_path) as archive:
        assert archive.testzip() is None  # every member matches its CRC-32
        for entry in index["variables"]:
            for role, m in entry["members"].items():
                assert entry["crc32"][role] == archive.getinfo(m + ".npy").CRC
    with np.load(data_path, allow_pickle=False) as data:
        for entry in index["variables"]:
            arrays = {role: data[m] for role, m in entry["members"].items()}
            if entry["dtype"] == "string":
                flat = arrays["bytes"].tobytes()
                ends = np.cumsum(arrays["lengths"].ravel())
                starts = ends - arrays["lengths"].ravel()
                values[entry["name"]] = [flat[a:b] for a, b in zip(starts, ends)]
            else:
                values[entry["name"]] = arrays["value"].tolist()
    assert values == {"w": [[1.0, 2.0]], "s": [b"hi", b"there"]}


def test_a_checkpoint_state_file_written_by_tf_is_read(tmp_path):
    path = save_model(tmp_path, name="model.ckpt-5", v=1.0)
    (tmp_path / "checkpoint").write_text(
        'model_checkpoint_path: "model.ckpt-5"\n'
        'all_model_checkpoint_paths: "model.ckpt-5"\n'
        "all_model_checkpoint_timestamps: 1795430734.5\n"
        "last_preserved_timestamp: 1795430700.25\n"
    )
    assert tf.train.latest_checkpoint(str(tmp_path)) == path


def test_unusual_characters_in_paths_survive_the_state_file(tmp_path):
    directory = tmp_path / "q\"x'y\\z"
    directory.mkdir()
    path = save_model(directory, name="m\u00e9\tend", v=1.0)
    assert tf.train.latest_checkpoint(str(directory)) == path


# -- bad checkpoints: a clear error, the session and the files as they were ---------------------


@pytest.fixture
def saved(tmp_path):
    """A checkpoint of a = [1.5, 2.5] and b = 7.0, and a session in which a and b hold other
    values (c stays uninitialized)."""
    path = save_model(tmp_path, a=np.array([1.5, 2.5], np.float32), b=7.0)
    a = tf.Variable([0.0, 0.0], name="a")
    b = tf.Variable(0.0, name="b")
    c = tf.Variable(0.0, name="c")
    sess = tf.Session()
    sess.run(tf.variables_initializer([a, b]))
    sess.run(a.assign([-1.0, -2.0]))
    saver = tf.train.Saver([a, b])
    yield path, sess, saver, [a, b, c]
    sess.close()


def restore_fails(exc_type, saved_case, path=None):
    """Restores and expects ``exc_type``; checks the session and the files did not change."""
    prefix, sess, saver, variables = saved_case
    directory = os.path.dirname(prefix)
    before, files = session_state(sess, variables), files_in(directory)
    with pytest.raises(exc_type) as e:
        saver.restore(sess, prefix if path is None else path)
    assert_same_state(before, session_state(sess, variables))
    assert files_in(directory) == files
    return str(e.value)


def data_file(prefix):
    with open(prefix + ".index.json") as f:
        return os.path.join(os.path.dirname(prefix), json.load(f)["data_file"])


def test_restoring_a_path_with_no_checkpoint_is_tfs_value_error(saved):
    # TF 2.21 raises ValueError here (not NotFoundError): recorded case
    # checkpoint_restore_nonexistent_path
    missing = os.path.join(os.path.dirname(saved[0]), "nothing.ckpt")
    message = restore_fails(ValueError, saved, path=missing)
    assert message == f"The passed save_path is not a valid checkpoint: {missing}"


def test_a_missing_data_file_is_not_found_naming_it(saved):
    os.remove(data_file(saved[0]))
    message = restore_fails(tf.errors.NotFoundError, saved)
    assert message.startswith(RESTORE_MISSING)
    assert f"{data_file(saved[0])}; No such file or directory" in message


def test_list_and_load_of_a_missing_checkpoint_are_not_found(tmp_path):
    missing = str(tmp_path / "nothere")
    expected = (
        "Unsuccessful TensorSliceReader constructor: Failed to find any matching files for "
        + missing
    )
    with pytest.raises(tf.errors.NotFoundError, match="^" + expected + "$"):
        tf.train.list_variables(missing)
    with pytest.raises(tf.errors.NotFoundError, match="^" + expected + "$"):
        tf.train.load_variable(missing, "w")
    with pytest.raises(ValueError, match="Couldn't find 'checkpoint' file or checkpoints in given"):
        tf.train.list_variables(str(tmp_path))


def test_load_variable_of_a_missing_key_is_not_found(saved):
    with pytest.raises(tf.errors.NotFoundError, match="^Key zz not found in checkpoint$"):
        tf.train.load_variable(saved[0], "zz")


def test_a_variable_missing_from_the_checkpoint_is_not_found_and_nothing_is_restored(saved):
    prefix, sess, _, (a, b, c) = saved
    saver = tf.train.Saver([a, b, c])
    before = session_state(sess, [a, b, c])
    with pytest.raises(tf.errors.NotFoundError) as e:
        saver.restore(sess, prefix)
    assert str(e.value).startswith(RESTORE_MISSING)
    assert "Key c not found in checkpoint" in str(e.value)
    assert "restoring variable c from " + prefix in str(e.value)
    assert_same_state(before, session_state(sess, [a, b, c]))
    assert sess.variable_state(a) == "assigned"  # a is in the checkpoint but was not restored


def test_a_shape_mismatch_is_invalid_argument_naming_both_shapes(saved):
    prefix = saved[0]
    a3 = tf.Variable([1.0, 2.0, 3.0], name="a3")
    with tf.Session() as sess:
        sess.run(a3.initializer)
        with pytest.raises(tf.errors.InvalidArgumentError) as e:
            tf.train.Saver({"a": a3}).restore(sess, prefix)
        np.testing.assert_array_equal(sess.run(a3), [1.0, 2.0, 3.0])
    message = str(e.value)
    assert message.startswith(RESTORE_MISMATCH)
    assert "Assign requires shapes of both tensors to match. lhs shape= [3] rhs shape= [2]" in (
        message
    )
    assert "restoring variable a3 from " + prefix in message


def test_a_dtype_mismatch_is_invalid_argument_naming_both_dtypes(saved):
    prefix = saved[0]
    ints = tf.Variable([1, 2], name="ints", dtype=tf.int32)
    with tf.Session() as sess:
        sess.run(ints.initializer)
        with pytest.raises(tf.errors.InvalidArgumentError) as e:
            tf.train.Saver({"a": ints}).restore(sess, prefix)
        np.testing.assert_array_equal(sess.run(ints), [1, 2])
    assert str(e.value).startswith(RESTORE_MISMATCH)
    assert "tensor_name = a; expected dtype int32 does not equal original dtype float" in str(
        e.value
    )


def test_flipped_bytes_in_the_data_are_data_loss_naming_file_and_variable(saved):
    path = data_file(saved[0])
    with open(path, "rb") as f:
        content = bytearray(f.read())
    at = content.find(np.array([1.5, 2.5], np.float32).tobytes())
    assert at > 0
    content[at + 1] ^= 0xFF
    with open(path, "wb") as f:
        f.write(content)
    message = restore_fails(tf.errors.DataLossError, saved)
    # the zip member's CRC-32 or the index's checksum: either names the variable and file
    assert "variable a " in message and path in message


def test_a_truncated_data_file_is_data_loss_naming_it(saved):
    path = data_file(saved[0])
    with open(path, "rb") as f:
        content = f.read()
    with open(path, "wb") as f:
        f.write(content[: len(content) // 2])
    assert path in restore_fails(tf.errors.DataLossError, saved)


def test_a_text_file_as_data_file_is_data_loss(saved):
    with open(data_file(saved[0]), "w") as f:
        f.write("these are my notes, not a checkpoint\n")
    assert data_file(saved[0]) in restore_fails(tf.errors.DataLossError, saved)


@pytest.mark.parametrize(
    "content",
    ["these are my notes\n", '{"format": "tfteach-checkpoint", "version": 1, "data_fi'],
    ids=["text", "truncated"],
)
def test_an_index_that_is_not_a_checkpoint_index_is_data_loss(saved, content):
    with open(saved[0] + ".index.json", "w") as f:
        f.write(content)
    message = restore_fails(tf.errors.DataLossError, saved)
    assert saved[0] + ".index.json is not a valid tfteach checkpoint index" in message


def test_an_index_pointing_outside_its_directory_is_data_loss(saved):
    index_path = saved[0] + ".index.json"
    with open(index_path) as f:
        index = json.load(f)
    index["data_file"] = "../elsewhere.npz"
    with open(index_path, "w") as f:
        json.dump(index, f)
    assert "is not a file name" in restore_fails(tf.errors.DataLossError, saved)


def test_loading_a_checkpoint_never_unpickles(saved):
    """A data file whose array is a pickle that would run code: refused, nothing runs."""

    class Evil:
        def __reduce__(self):
            return (exec, ("import sys; sys.tfteach_pickle_ran = True",))

    path = data_file(saved[0])
    with open(path, "wb") as f:
        np.savez(f, t0=np.array([Evil()], dtype=object), t1=np.array(7.0, np.float32))
    # a crafted index whose checksums match the crafted archive
    with zipfile.ZipFile(path) as archive:
        crcs = {i.filename: i.CRC for i in archive.infolist()}
    index_path = saved[0] + ".index.json"
    with open(index_path) as f:
        index = json.load(f)
    for entry in index["variables"]:
        entry["crc32"]["value"] = crcs[entry["members"]["value"] + ".npy"]
    with open(index_path, "w") as f:
        json.dump(index, f)
    message = restore_fails(tf.errors.DataLossError, saved)
    assert "Cannot read variable a from " + path in message
    assert "allow_pickle=False" in message
    assert not hasattr(sys, "tfteach_pickle_ran")


def test_a_data_file_from_another_save_is_data_loss(saved):
    other = save_model(os.path.dirname(saved[0]), name="other", a=[5.0, 6.0], b=1.0)
    with open(data_file(other), "rb") as f:
        content = f.read()
    with open(data_file(saved[0]), "wb") as f:
        f.write(content)
    message = restore_fails(tf.errors.DataLossError, saved)
    assert "Checksum does not match for variable a in " + data_file(saved[0]) in message


# -- interrupted saves ------------------------------------------------------------------------


def half_then_fail(f, members):
    """Writes half of the .npz, then fails as a full disk would."""
    import io

    buffer = io.BytesIO()
    np.savez(buffer, **members)
    f.write(buffer.getvalue()[: len(buffer.getvalue()) // 2])
    raise OSError(28, "No space left on device")


@pytest.mark.parametrize("name", ["model.ckpt", "other"], ids=["same-prefix", "new-prefix"])
def test_a_save_failing_halfway_leaves_the_previous_checkpoint(saved, monkeypatch, name):
    prefix, sess, saver, (a, _, _) = saved
    directory = os.path.dirname(prefix)
    saver.restore(sess, prefix)
    files = files_in(directory)
    sess.run(a.assign([9.0, 9.0]))
    monkeypatch.setattr(saver_module, "_write_arrays", half_then_fail)
    with pytest.raises(OSError, match="No space left on device"):
        saver.save(sess, os.path.join(directory, name))
    monkeypatch.undo()
    assert files_in(directory) == files  # no temporary file left, nothing replaced
    assert tf.train.latest_checkpoint(directory) == prefix
    saver.restore(sess, prefix)
    np.testing.assert_array_equal(sess.run(a), [1.5, 2.5])


def test_a_crash_before_the_index_is_renamed_leaves_the_previous_checkpoint(saved, monkeypatch):
    prefix, sess, saver, (a, _, _) = saved
    sess.run(a.assign([9.0, 9.0]))
    real_replace = os.replace

    def crash_on_index(src, dst):
        if str(dst).endswith(".index.json"):
            raise OSError(5, "Input/output error")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", crash_on_index)
    with pytest.raises(OSError):
        saver.save(sess, prefix)  # the same prefix: the new data file is already in place
    monkeypatch.undo()
    saver.restore(sess, prefix)
    np.testing.assert_array_equal(sess.run(a), [1.5, 2.5])


def test_a_process_killed_mid_save_leaves_the_previous_checkpoint(tmp_path):
    prefix = save_model(tmp_path, w=np.array([1.0, 2.0], np.float32))
    script = textwrap.dedent(
        f"""
        import os, numpy as np
        import tfteach as tf
        from tfteach.core import saver as saver_module

        def die_halfway(f, members):
            f.write(b"PK\\x03\\x04 half an archive")
            f.flush()
            os._exit(3)

        saver_module._write_arrays = die_halfway
        w = tf.Variable([5.0, 6.0], name="w")
        with tf.Session() as sess:
            sess.run(w.initializer)
            tf.train.Saver().save(sess, {prefix!r})
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert result.returncode == 3
    assert tf.train.latest_checkpoint(str(tmp_path)) == prefix
    np.testing.assert_array_equal(tf.train.load_variable(prefix, "w"), [1.0, 2.0])
    w = tf.Variable([0.0, 0.0], name="w")
    with tf.Session() as sess:
        saver = tf.train.Saver()
        saver.restore(sess, prefix)
        np.testing.assert_array_equal(sess.run(w), [1.0, 2.0])
        sess.run(w.assign([3.0, 4.0]))
        saver.save(sess, prefix)  # and the next save still works
    np.testing.assert_array_equal(tf.train.load_variable(prefix, "w"), [3.0, 4.0])
    with zipfile.ZipFile(data_file(prefix)) as archive:
        assert archive.testzip() is None


def test_a_crash_while_replacing_the_state_file_keeps_the_old_one(saved, monkeypatch):
    prefix, sess, saver, _ = saved
    directory = os.path.dirname(prefix)
    state_file = os.path.join(directory, "checkpoint")
    with open(state_file) as f:
        state = f.read()
    real_replace = os.replace

    def crash_on_state(src, dst):
        if os.path.basename(dst) == "checkpoint":
            raise OSError(5, "Input/output error")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", crash_on_state)
    with pytest.raises(OSError):
        saver.save(sess, prefix, global_step=2)
    monkeypatch.undo()
    with open(state_file) as f:
        assert f.read() == state
    assert tf.train.latest_checkpoint(directory) == prefix
    assert not [n for n in os.listdir(directory) if n.endswith(".tmp")]

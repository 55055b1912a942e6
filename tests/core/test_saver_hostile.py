"""Hostile and broken checkpoint files, and saves killed half way (issue 15, D7-D10).

A checkpoint is a file a learner may download from anywhere. Whatever it holds, restoring it
must fail fast with ``DataLossError`` (or TF's error for a missing checkpoint), never block,
never cost more memory than the file's own size, and change no variable. Where memory or a
hang is the risk, the restore runs in a child process with its address space limited
(``RLIMIT_AS``) and a timeout, so a regression fails the test instead of the machine.

TF behaviour referred to (tensorflow-cpu 2.21.0, ``tensorflow.compat.v1`` after
``disable_v2_behavior()``, checked by hand): saving under a path whose parent is a file raises
``ValueError("Parent directory of ... doesn't exist, can't save.")``; a ``bytes`` save path
that is not UTF-8 raises ``UnicodeDecodeError`` and a ``str`` one holding undecodable bytes
(surrogate escapes) raises ``InternalError`` ("Unable to convert element to UTF-8"), both
before writing anything; ``set_last_checkpoints(_with_time)`` of a non-list raise
``AssertionError``, and ``set_last_checkpoints`` gives each prefix the time ``inf``.
"""

from __future__ import annotations

import io
import json
import os
import signal
import struct
import subprocess
import sys
import textwrap
import time
import zipfile
import zlib

import numpy as np
import pytest

import tfteach as tf

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="FIFOs, /dev/zero, /proc and RLIMIT_AS: Linux"
)

MODEL = {
    "w": np.arange(64 * 64, dtype=np.float32).reshape(64, 64),
    "b": np.array([1.0, 2.0, 3.0]),
    "words": np.array([b"tf", b"teach"], dtype=object),
    "step": np.int64(7),
}
GiB = 1 << 30
MEMORY_HEADROOM = 256 << 20  # the child may allocate this much beyond what it has mapped
TIMEOUT = 20  # seconds a child may take; a blocked read fails the test instead of hanging it


def save_model(directory) -> str:
    """Saves MODEL from a graph of its own; returns the prefix."""
    with tf.Graph().as_default():
        variables = [tf.Variable(value, name=name) for name, value in MODEL.items()]
        with tf.Session() as sess:
            sess.run(tf.variables_initializer(variables))
            return tf.train.Saver().save(sess, os.path.join(str(directory), "model.ckpt"))


def read_index(prefix) -> dict:
    with open(prefix + ".index.json") as f:
        return json.load(f)


def write_index(prefix, index) -> None:
    with open(prefix + ".index.json", "w") as f:
        json.dump(index, f)


def data_path(prefix) -> str:
    return os.path.join(os.path.dirname(prefix), read_index(prefix)["data_file"])


def entry(index, name) -> dict:
    return next(e for e in index["variables"] if e["name"] == name)


def npy_header(descr: str, shape) -> bytes:
    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        buffer, {"descr": descr, "fortran_order": False, "shape": tuple(shape)}
    )
    return buffer.getvalue()


def write_zip(path, members) -> None:
    """Writes a ZIP archive by hand, so that it can lie: each member is a dict with
    ``name``, ``payload`` (the bytes as stored), ``method`` (0 stored, 8 deflated), ``crc``
    and the ``file_size`` it claims once inflated (default: the payload's length). Sizes are
    in ZIP64 extra fields, as tfteach writes them."""
    out, central = bytearray(), bytearray()
    for m in members:
        name = m["name"].encode()
        payload = m["payload"]
        file_size = m.get("file_size", len(payload))
        stored_size = m.get("compress_size", len(payload))
        method, crc, flags = m.get("method", 0), m["crc"], m.get("flags", 0)
        extra = struct.pack("<HHQQ", 1, 16, file_size, stored_size)
        offset = len(out)
        out += struct.pack(
            "<4s5H3L2H", b"PK\x03\x04", 45, flags, method, 0, 0x21, crc, 0xFFFFFFFF,
            0xFFFFFFFF, len(name), len(extra),
        )  # fmt: skip
        out += name + extra + payload
        central += struct.pack(
            "<4s6H3L5H2L", b"PK\x01\x02", 45, 45, flags, method, 0, 0x21, crc, 0xFFFFFFFF,
            0xFFFFFFFF, len(name), len(extra), 0, 0, 0, 0, offset,
        )  # fmt: skip
        central += name + extra
    end = struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), len(central), len(out), 0
    )
    with open(path, "wb") as f:
        f.write(bytes(out + central + end))


def rewrite_data(prefix, replace: dict, **every) -> None:
    """Rewrites the data file: the members of ``replace`` (``(variable, role)`` -> member dict
    without ``name``) are swapped in, the others copied; ``every`` is set on all members."""
    index = read_index(prefix)
    path = data_path(prefix)
    with zipfile.ZipFile(path) as archive:
        members = {
            info.filename: {"name": info.filename, "payload": archive.read(info), "crc": info.CRC}
            for info in archive.infolist()
        }
    for (name, role), member in replace.items():
        members[entry(index, name)["members"][role] + ".npy"].update(member)
    for member in members.values():
        member.update(every)
    write_zip(path, list(members.values()))


def npy_bytes(array) -> bytes:
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, array)
    return buffer.getvalue()


# -- hostile files, each restored in a child process with limited memory -------------------------


def inflation_bomb(prefix) -> None:
    """A member of about 4 MB that inflates to 4 GiB: a float32 array of 2**30 zeros."""
    header = npy_header("<f4", [GiB])
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = deflate.compress(header) + deflate.flush(zlib.Z_FULL_FLUSH)
    # after a full flush deflate starts afresh: 64 MiB of zeros compress to the same bytes
    # each time, so 4 GiB of them need not be compressed here
    block = deflate.compress(bytes(64 << 20)) + deflate.flush(zlib.Z_FULL_FLUSH)
    stream = start + block * 64 + deflate.flush()
    rewrite_data(
        prefix,
        {
            ("w", "value"): {
                "payload": stream,
                "method": 8,
                "file_size": len(header) + 4 * GiB,
                "crc": 1,
            }
        },
    )
    index = read_index(prefix)
    entry(index, "w").update(shape=[GiB], crc32={"value": 1})
    write_index(prefix, index)


def header_of_a_trillion(prefix) -> None:
    """An array header declaring 10**12 float32 values (4 TB), stored in a member of 64 bytes."""
    payload = npy_header("<f4", [10**12]) + bytes(64)
    rewrite_data(prefix, {("w", "value"): {"payload": payload, "crc": zlib.crc32(payload)}})
    index = read_index(prefix)
    entry(index, "w").update(shape=[10**12], crc32={"value": zlib.crc32(payload)})
    write_index(prefix, index)


def archive_claiming_4_gib(prefix) -> None:
    """A stored member whose archive entry and header claim 4 GiB; the file has 30 KB."""
    payload = npy_header("<f4", [GiB]) + bytes(64)
    size = len(payload) - 64 + 4 * GiB
    rewrite_data(
        prefix,
        {("w", "value"): {"payload": payload, "file_size": size, "compress_size": size, "crc": 5}},
    )
    index = read_index(prefix)
    entry(index, "w").update(shape=[GiB], crc32={"value": 5})
    write_index(prefix, index)


def replace_with(suffix, make):
    def mutate(prefix):
        path = (
            data_path(prefix) if suffix == "data" else os.path.join(os.path.dirname(prefix), suffix)
        )
        os.remove(path)
        make(path)

    return mutate


def dev_zero(path) -> None:
    os.symlink("/dev/zero", path)


HOSTILE = {
    # name: (how the files are made hostile, the error restore and load_variable raise)
    "inflation-bomb": (inflation_bomb, "DataLossError"),
    "header-of-10**12-values": (header_of_a_trillion, "DataLossError"),
    "archive-claiming-4GiB": (archive_claiming_4_gib, "DataLossError"),
    "data-file-symlink-to-dev-zero": (replace_with("data", dev_zero), "DataLossError"),
    "data-file-fifo": (replace_with("data", os.mkfifo), "DataLossError"),
    # a state file that is not a regular file: TF ignores it, there is no latest checkpoint
    "state-file-symlink-to-dev-zero": (replace_with("checkpoint", dev_zero), None),
    "state-file-fifo": (replace_with("checkpoint", os.mkfifo), None),
}

CHILD = textwrap.dedent(
    """
    import json, os, resource, sys, time
    import numpy as np
    import tfteach as tf

    prefix, headroom = sys.argv[1], int(sys.argv[2])
    # unknown shapes (validate_shape=False): nothing in the graph stops the hostile shapes
    variables = [
        tf.Variable(np.zeros((2, 2), np.float32), name="w", validate_shape=False),
        tf.Variable(np.zeros(1), name="b", validate_shape=False),
        tf.Variable([b"x"], name="words", validate_shape=False),
        tf.Variable(np.int64(0), name="step", validate_shape=False),
    ]
    saver = tf.train.Saver()
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    before = sess.run(variables)

    def attempt(action):
        try:
            action()
            return "ok"
        except BaseException as e:  # MemoryError too: the test judges what escaped
            return f"{type(e).__name__}: {e}"

    with open("/proc/self/status") as f:
        mapped = next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmSize:"))
    resource.setrlimit(resource.RLIMIT_AS, (mapped + headroom, mapped + headroom))
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    outcome = {
        "restore": attempt(lambda: saver.restore(sess, prefix)),
        "load": attempt(lambda: [tf.train.load_variable(prefix, n) for n in ("w", "b")]),
        "latest": tf.train.latest_checkpoint(os.path.dirname(prefix)),
    }
    outcome["seconds"] = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    outcome["peak_growth_kb"] = max(0, peak - rss_before)
    after = sess.run(variables)
    outcome["unchanged"] = all(np.array_equal(x, y) for x, y in zip(before, after))
    print(json.dumps(outcome))
    """
)


def run_in_child(script: str, *args: str) -> dict:
    """Runs ``script`` in a child process, limited in time; the JSON it printed last."""
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    try:
        result = subprocess.run(
            [sys.executable, "-c", script, *args],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            env=env,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"the child did not finish in {TIMEOUT} s (blocked on a file?)")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def restore_in_child(prefix) -> dict:
    """Restores ``prefix`` in a child process limited in memory and time; what happened."""
    return run_in_child(CHILD, prefix, str(MEMORY_HEADROOM))


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_checkpoint_fails_fast_in_bounded_memory_and_changes_nothing(tmp_path, case):
    make_hostile, error = HOSTILE[case]
    prefix = save_model(tmp_path)
    make_hostile(prefix)
    outcome = restore_in_child(prefix)
    if error is None:  # only the state file is hostile: the checkpoint itself restores
        assert outcome["latest"] is None
        assert outcome["restore"] == outcome["load"] == "ok"
        return
    assert outcome["restore"].startswith(error + ": "), outcome["restore"]
    assert outcome["load"].startswith(error + ": "), outcome["load"]
    assert data_path(prefix) in outcome["restore"]  # the message names the file
    assert outcome["unchanged"]
    assert outcome["latest"] == prefix  # the index is still there: it is the data that is bad


def test_the_memory_limit_would_catch_an_allocation_of_a_declared_size(tmp_path):
    """The limit is tight enough: allocating what the hostile files declare fails under it."""
    script = CHILD.replace("saver.restore(sess, prefix)", "np.ones(4 * (1 << 30), np.uint8)")
    outcome = run_in_child(script, save_model(tmp_path), str(MEMORY_HEADROOM))
    assert outcome["restore"].startswith("MemoryError")


# -- broken files, restored in this process (nothing here can cost much memory) ------------------


@pytest.fixture
def saved(tmp_path):
    """MODEL saved, and a session whose variables hold other values (shapes unknown)."""
    prefix = save_model(tmp_path)
    variables = [
        tf.Variable(np.zeros((2, 2), np.float32), name="w", validate_shape=False),
        tf.Variable(np.zeros(1), name="b", validate_shape=False),
        tf.Variable([b"x"], name="words", validate_shape=False),
        tf.Variable(np.int64(0), name="step", validate_shape=False),
    ]
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    yield prefix, sess, variables
    sess.close()


def files_in(directory) -> dict:
    """Each file's bytes (for a FIFO or a link to a device, what it is: reading would block)."""
    found = {}
    for name in sorted(os.listdir(directory)):
        path = os.path.join(directory, name)
        if not os.path.isfile(path):
            found[name] = os.lstat(path).st_mode
            continue
        with open(path, "rb") as f:
            found[name] = f.read()
    return found


def restore_fails(saved_case, exc_type=tf.errors.DataLossError) -> str:
    """Restores and expects ``exc_type``; checks that no value and no file changed."""
    prefix, sess, variables = saved_case
    before, files = sess.run(variables), files_in(os.path.dirname(prefix))
    with pytest.raises(exc_type) as e:
        tf.train.Saver().restore(sess, prefix)
    for old, new in zip(before, sess.run(variables)):
        np.testing.assert_array_equal(old, new)
    assert files_in(os.path.dirname(prefix)) == files
    return str(e.value)


def test_every_truncation_of_the_data_file_is_data_loss(saved):
    prefix = saved[0]
    with open(data_path(prefix), "rb") as f:
        content = f.read()
    for size in range(0, len(content), 97):
        with open(data_path(prefix), "wb") as f:
            f.write(content[:size])
        assert data_path(prefix) in restore_fails(saved)


def test_every_truncation_of_the_index_is_data_loss(saved):
    prefix = saved[0]
    with open(prefix + ".index.json", "rb") as f:
        content = f.read()
    for size in range(0, len(content), 7):
        with open(prefix + ".index.json", "wb") as f:
            f.write(content[:size])
        assert "is not a valid tfteach checkpoint index" in restore_fails(saved)


def test_flipped_bytes_anywhere_fail_cleanly_or_restore_what_was_saved(saved):
    """A flipped bit may hit a header that nothing reads; then the values restored are the
    saved ones. Anywhere else restore raises one of TF's errors (in the index, a flipped bit
    can also rename a variable or change its dtype: NotFoundError, InvalidArgumentError)
    and changes nothing."""
    prefix, sess, variables = saved
    initialize = tf.global_variables_initializer()
    rng = np.random.default_rng(15)
    for path, errors in [
        (data_path(prefix), tf.errors.DataLossError),
        (prefix + ".index.json", tf.errors.OpError),
    ]:
        with open(path, "rb") as f:
            content = f.read()
        for at in rng.choice(len(content), size=150, replace=False):
            changed = bytearray(content)
            changed[at] ^= 1 << int(rng.integers(8))
            with open(path, "wb") as f:
                f.write(changed)
            before = sess.run(variables)
            try:
                tf.train.Saver().restore(sess, prefix)
            except errors:
                expected = before
            else:
                expected = list(MODEL.values())
            for v, value in zip(variables, expected):
                np.testing.assert_array_equal(sess.run(v), value)
            sess.run(initialize)
        with open(path, "wb") as f:
            f.write(content)


def edited(change):
    """A mutation of the index: ``change(index)`` edits the loaded JSON in place."""

    def mutate(prefix):
        index = read_index(prefix)
        change(index)
        write_index(prefix, index)

    return mutate


BAD_INDEXES = {
    "version -1": edited(lambda i: i.update(version=-1)),
    "version true": edited(lambda i: i.update(version=True)),
    "version 1.0": edited(lambda i: i.update(version=1.0)),
    "version 2": edited(lambda i: i.update(version=2)),
    "dtype []": edited(lambda i: entry(i, "w").update(dtype=[])),
    "dtype {}": edited(lambda i: entry(i, "w").update(dtype={})),
    "dtype float128": edited(lambda i: entry(i, "w").update(dtype="float128")),
    "shape [true]": edited(lambda i: entry(i, "b").update(shape=[True])),
    "shape [-3]": edited(lambda i: entry(i, "b").update(shape=[-3])),
    "shape [10**12]": edited(lambda i: entry(i, "b").update(shape=[10**12])),
    "shape of the other variable": edited(lambda i: entry(i, "b").update(shape=[64, 64])),
    "checksum true": edited(lambda i: entry(i, "b").update(crc32={"value": True})),
    "an extra role": edited(
        lambda i: entry(i, "b").update(
            members={"value": "t0", "x": "t1"}, crc32={"value": 1, "x": 2}
        )
    ),
    "a member used twice": edited(
        lambda i: entry(i, "b").update(members=dict(entry(i, "w")["members"]))
    ),
    "a member that is not there": edited(lambda i: entry(i, "b").update(members={"value": "t99"})),
    "variables is a dict": edited(lambda i: i.update(variables={})),
    "a variable twice": edited(lambda i: i["variables"].append(i["variables"][0])),
}


@pytest.mark.parametrize("case", list(BAD_INDEXES))
def test_a_malformed_index_is_data_loss_and_changes_nothing(saved, case):
    BAD_INDEXES[case](saved[0])
    message = restore_fails(saved)
    assert saved[0] in message and "\n" not in message


def test_an_encrypted_member_is_data_loss(saved):
    rewrite_data(saved[0], {}, flags=1)  # flag bit 0: "encrypted"
    assert "encrypted" in restore_fails(saved)


def test_string_lengths_whose_sum_wraps_int64_are_data_loss(saved):
    """Lengths 2**62 x 3 and 2**62 + 3 add up to 3 in int64: 3 stored bytes must not pass."""
    prefix = saved[0]
    lengths = npy_bytes(np.array([2**62, 2**62, 2**62, 2**62 + 3], np.int64))
    data = npy_bytes(np.frombuffer(b"abc", np.uint8))
    rewrite_data(
        prefix,
        {
            ("words", "lengths"): {"payload": lengths, "crc": zlib.crc32(lengths)},
            ("words", "bytes"): {"payload": data, "crc": zlib.crc32(data)},
        },
    )
    index = read_index(prefix)
    entry(index, "words").update(
        shape=[4], crc32={"lengths": zlib.crc32(lengths), "bytes": zlib.crc32(data)}
    )
    write_index(prefix, index)
    assert "string lengths do not add up" in restore_fails(saved)


def test_an_index_that_is_not_a_regular_file_is_not_a_checkpoint(saved):
    prefix = saved[0]
    os.remove(prefix + ".index.json")
    os.mkfifo(prefix + ".index.json")
    message = restore_fails(saved, ValueError)  # TF's error for a path with no checkpoint
    assert message == "The passed save_path is not a valid checkpoint: " + prefix
    with pytest.raises(tf.errors.NotFoundError, match="Failed to find any matching files"):
        tf.train.load_variable(prefix, "w")
    # a FIFO swapped in after those checks: reading the index refuses it, without blocking
    script = textwrap.dedent(
        """
        import json, sys
        from tfteach.core import saver
        try:
            saver.read_index(sys.argv[1])
        except Exception as e:
            print(json.dumps(f"{type(e).__name__}: {e}"))
        """
    )
    outcome = run_in_child(script, prefix)
    assert outcome.startswith("DataLossError") and "is not a regular file" in outcome


# -- saving: bad paths fail before anything is written ------------------------------------------


@pytest.fixture
def session_with_v():
    v = tf.Variable([1.0, 2.0], name="v")
    with tf.Session() as sess:
        sess.run(v.initializer)
        yield sess, tf.train.Saver()


def test_saving_into_a_directory_named_in_bytes_that_are_not_utf8_writes_nothing(
    tmp_path, session_with_v
):
    sess, saver = session_with_v
    directory = os.path.join(os.fsencode(tmp_path), b"run\xff")
    os.mkdir(directory)
    with pytest.raises(UnicodeDecodeError):  # TF: compat.as_str of the bytes path
        saver.save(sess, os.path.join(directory, b"model.ckpt"))
    with pytest.raises(tf.errors.InternalError, match="^Unable to convert element to UTF-8"):
        saver.save(sess, os.fsdecode(os.path.join(directory, b"model.ckpt")))
    assert os.listdir(directory) == []
    assert tf.train.latest_checkpoint(os.fsdecode(directory)) is None
    assert saver.last_checkpoints == []


@pytest.mark.parametrize("below", ["model.ckpt", "sub/model.ckpt"])
def test_saving_under_a_file_is_tfs_value_error(tmp_path, session_with_v, below):
    sess, saver = session_with_v
    (tmp_path / "notes.txt").write_text("not a directory")
    path = os.path.join(str(tmp_path), "notes.txt", below)
    with pytest.raises(ValueError) as e:
        saver.save(sess, path)
    assert str(e.value) == f"Parent directory of {path} doesn't exist, can't save."
    assert sorted(os.listdir(tmp_path)) == ["notes.txt"]


def test_set_last_checkpoints_marks_them_kept_forever(tmp_path, session_with_v):
    sess, _ = session_with_v
    saver = tf.train.Saver(max_to_keep=2)
    old = saver.save(sess, os.path.join(str(tmp_path), "old"))
    saver.set_last_checkpoints([old])
    assert saver.last_checkpoints == [old]
    paths = [saver.save(sess, os.path.join(str(tmp_path), "m"), global_step=s) for s in (1, 2)]
    assert saver.last_checkpoints == paths  # old is no longer managed by this saver ...
    assert tf.train.checkpoint_exists(old)  # ... but TF's infinite time kept its files


def test_set_last_checkpoints_with_time_lets_max_to_keep_delete_them(tmp_path, session_with_v):
    sess, _ = session_with_v
    saver = tf.train.Saver(max_to_keep=1)
    old = saver.save(sess, os.path.join(str(tmp_path), "old"))
    saver.set_last_checkpoints_with_time([(old, time.time())])
    new = saver.save(sess, os.path.join(str(tmp_path), "new"))
    assert saver.last_checkpoints == [new]
    assert not tf.train.checkpoint_exists(old)


@pytest.mark.parametrize("method", ["set_last_checkpoints", "set_last_checkpoints_with_time"])
def test_set_last_checkpoints_of_a_tuple_is_tfs_assertion_error(session_with_v, method):
    _, saver = session_with_v
    with pytest.raises(AssertionError):
        getattr(saver, method)(("a",))
    assert saver.last_checkpoints == []


# -- saves killed half way ----------------------------------------------------------------------

KILLED_SAVER = textwrap.dedent(
    """
    import os, signal, sys
    import numpy as np
    import tfteach as tf
    from tfteach.core import saver as saver_module

    directory, kill_at = sys.argv[1], int(sys.argv[2])
    w = tf.Variable(np.zeros(50_000, np.float32), name="w")
    u = tf.Variable(0.0, name="u")
    saver = tf.train.Saver(max_to_keep=2)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())

    def save(step, value):
        sess.run([w.assign(np.full(50_000, value, np.float32)), u.assign(-value)])
        saver.save(sess, os.path.join(directory, "model"), global_step=step)

    save(1, 1.0)
    save(2, 2.0)
    # from here on, die at the kill_at-th file system step of the next saves
    steps = [0]

    def counted(function):
        def step(*args, **kwargs):
            steps[0] += 1
            if steps[0] == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
            return function(*args, **kwargs)

        return step

    for name in ("replace", "fsync", "remove"):
        setattr(os, name, counted(getattr(os, name)))
    np.lib.format.write_array = counted(np.lib.format.write_array)
    save(3, 3.0)  # pushes model-1 out (max_to_keep=2)
    save(3, 30.0)  # the same prefix again: a new data file, the old one deleted
    print("finished after", steps[0], "steps")
    """
)

# what each checkpoint may hold: the values of a complete save, never a mix
VALUES = {"model-1": {1.0}, "model-2": {2.0}, "model-3": {3.0, 30.0}}


def restore_latest(directory) -> tuple[str, float]:
    """Restores the latest checkpoint of ``directory``; its name and its (single) value."""
    prefix = tf.train.latest_checkpoint(directory)
    assert prefix is not None, os.listdir(directory)
    with tf.Graph().as_default():
        w = tf.Variable(np.zeros(50_000, np.float32), name="w")
        u = tf.Variable(0.0, name="u")
        with tf.Session() as sess:
            tf.train.Saver().restore(sess, prefix)
            w_value, u_value = sess.run([w, u])
    assert np.all(w_value == w_value[0]) and u_value == -w_value[0]  # one save's values
    return os.path.basename(prefix), float(w_value[0])


def test_saves_killed_at_every_step_leave_a_complete_latest_checkpoint(tmp_path):
    moments = 0
    for kill_at in range(1, 200):
        directory = tmp_path / str(kill_at)
        directory.mkdir()
        result = subprocess.run(
            [sys.executable, "-c", KILLED_SAVER, str(directory), str(kill_at)],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
        name, value = restore_latest(str(directory))
        assert value in VALUES[name], (kill_at, name, value)
        with tf.Graph().as_default():  # model-2 is never deleted by these saves
            tf.Variable(np.zeros(50_000, np.float32), name="w")
            u = tf.Variable(0.0, name="u")
            with tf.Session() as sess:
                tf.train.Saver().restore(sess, str(directory / "model-2"))
                assert sess.run(u) == -2.0
        if result.returncode == 0:  # kill_at is past the last step: every moment was tried
            break
        assert result.returncode == -signal.SIGKILL, result.stderr
        moments += 1
    else:
        pytest.fail("the saves never finished")
    assert moments > 20  # the saves were killed at each of their many steps
    assert "finished after" in result.stdout

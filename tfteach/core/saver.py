"""`tf.train.Saver` and checkpoint files: save variables, restore them instead of initializing.

A checkpoint with prefix ``DIR/model-7`` is two files of tfteach's own format (see
docs/checkpoint-format.md): ``model-7.data-00000.npz`` (the values, numpy's ``.npz``,
never pickle) and ``model-7.index.json`` (names, dtypes, shapes, a CRC-32 per array), plus
the ``checkpoint`` state file TF writes (its text format). Every file is written to a
temporary file in the same directory, fsynced and renamed into place; the index is renamed
last, so it is the commit point and a crash mid-save leaves the previous checkpoint readable.

Restoring reads and checks every value before it changes anything, then sets them all in
the session at once: a bad checkpoint leaves the session's values exactly as they were.
Reading trusts nothing in the files: only regular files are opened (a FIFO or a device
cannot block or flood it), and every array's size is checked against the index and the
file's size on disk before it is read, so a hostile file costs no more memory than its
own size.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import secrets
import stat
import time
import zipfile
import zlib
from collections.abc import Mapping

import numpy as np

from . import dtypes
from .errors import (
    DataLossError,
    FailedPreconditionError,
    InternalError,
    InvalidArgumentError,
    NotFoundError,
)
from .graph import GraphKeys, Operation, Tensor, get_default_graph
from .session import Session

FORMAT_NAME = "tfteach-checkpoint"
FORMAT_VERSION = 1
INDEX_SUFFIX = ".index.json"
_DATA_SUFFIX = ".npz"
_DATA_NAME = "{base}.data-{generation:05d}" + _DATA_SUFFIX
_DTYPE_NAMES = frozenset(d.name for d in dtypes._ALL)  # "float32", ..., "string"
_ROLES = {"string": ("lengths", "bytes")}  # every other dtype stores one array, "value"
_READ_ERRORS = (
    ValueError,
    OSError,
    EOFError,
    KeyError,
    zipfile.BadZipFile,
    zlib.error,
    NotImplementedError,
)
# TF's DataTypeString names, which its restore errors use ("expected dtype double")
_TF_TYPE_NAMES = {"float32": "float", "float64": "double", "float16": "half"}

_RESTORE_MISSING = (
    "Restoring from checkpoint failed. This is most likely due to a Variable name or other "
    "graph key that is missing from the checkpoint. Please ensure that you have not altered "
    "the graph expected based on the checkpoint. Original error:\n\n"
)
_RESTORE_MISMATCH = (
    "Restoring from checkpoint failed. This is most likely due to a mismatch between the "
    "current graph and the graph from the checkpoint. Please ensure that you have not "
    "altered the graph expected based on the checkpoint. Original error:\n\n"
)


# -- files written atomically ----------------------------------------------------------------


def _fsync_directory(directory: str) -> None:
    """Makes renames inside ``directory`` durable (not possible on every platform)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def _atomic_file(path: str):
    """A binary file object whose contents appear at ``path`` only if the block succeeds."""
    directory, base = os.path.split(path)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        tmp = os.path.join(directory, f".{base}.{secrets.token_hex(4)}.tmp")
        try:
            fd = os.open(tmp, flags, 0o666)  # 0o666 & ~umask, as an ordinary file
            break
        except FileExistsError:
            continue
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _write_arrays(f, members: dict[str, np.ndarray]) -> dict[str, int]:
    """Writes ``members`` to the open file ``f`` as an uncompressed ``.npz`` (never pickling);
    returns the CRC-32 the archive records for each member."""
    with zipfile.ZipFile(f, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
        for member, array in members.items():
            with archive.open(member + ".npy", "w", force_zip64=True) as out:
                np.lib.format.write_array(out, array, allow_pickle=False)
        return {info.filename[: -len(".npy")]: info.CRC for info in archive.infolist()}


# -- values <-> stored arrays ---------------------------------------------------------------


def _tf_type_name(name: str) -> str:
    return _TF_TYPE_NAMES.get(name, name)


def _shape_string(shape) -> str:
    return "[" + ",".join(str(d) for d in shape) + "]"


def _encode(value: np.ndarray, dtype_name: str) -> dict[str, np.ndarray]:
    """The arrays that store ``value``: strings as lengths plus concatenated bytes (no pickle)."""
    if dtype_name != "string":
        return {"value": np.asarray(value, dtype=dtypes.as_dtype(dtype_name).np_dtype, order="C")}
    items = [x.encode("utf-8") if isinstance(x, str) else bytes(x) for x in value.reshape(-1)]
    lengths = np.array([len(x) for x in items], dtype=np.int64).reshape(value.shape)
    return {"lengths": lengths, "bytes": np.frombuffer(b"".join(items), dtype=np.uint8)}


def _decode(arrays: dict[str, np.ndarray], entry: dict) -> np.ndarray:
    """The value ``arrays`` store for ``entry`` (their dtypes and shapes are already checked
    against it by `_read_member`; ValueError if string lengths and bytes disagree)."""
    if entry["dtype"] != "string":
        value = arrays["value"]
        expected = dtypes.as_dtype(entry["dtype"]).np_dtype
        if value.dtype != expected:
            value = value.astype(expected)  # written on a machine of the other byte order
        return value
    lengths = arrays["lengths"].astype(np.int64).reshape(-1)
    data = arrays["bytes"]
    # Each running total is exact unless it wraps past 2**63; the first wrap makes it
    # negative (two non-negative int64 add to less than 2**64), so a negative total, or a
    # negative length, means the lengths cannot describe the stored bytes.
    ends = np.cumsum(lengths)
    if np.any(lengths < 0) or np.any(ends < 0) or (ends[-1] if ends.size else 0) != data.size:
        raise ValueError("its string lengths do not add up to the stored bytes")
    buffer = data.tobytes()
    out = np.empty(len(ends), dtype=object)
    start = 0
    for i, end in enumerate(ends.tolist()):
        out[i] = buffer[start:end]
        start = end
    return out.reshape(tuple(entry["shape"]))


# -- writing a checkpoint ---------------------------------------------------------------------


def _data_file_pattern(base: str) -> re.Pattern:
    return re.compile(re.escape(base) + r"\.data-\d{5}" + re.escape(_DATA_SUFFIX))


def _data_files(prefix: str) -> list[str]:
    directory, base = os.path.split(prefix)
    pattern = _data_file_pattern(base)
    try:
        names = os.listdir(directory or ".")
    except OSError:
        return []
    return [os.path.join(directory, n) for n in names if pattern.fullmatch(n)]


def _new_data_file(prefix: str) -> str:
    """A data file name no file has: a save never overwrites the data the current index uses."""
    directory, base = os.path.split(prefix)
    generation = 0
    while os.path.exists(
        os.path.join(directory, _DATA_NAME.format(base=base, generation=generation))
    ):
        generation += 1
    return _DATA_NAME.format(base=base, generation=generation)


def _index_text(data_name: str, entries: list[dict]) -> str:
    """The index as JSON, one line per variable (easy to read and to diff)."""
    header = {"format": FORMAT_NAME, "version": FORMAT_VERSION, "data_file": data_name}
    lines = ",\n  ".join(json.dumps(e) for e in entries)
    return json.dumps(header)[:-1] + ', "variables": [\n  ' + lines + "\n]}\n"


def write_checkpoint(prefix: str, values: list[tuple[str, str, np.ndarray]]) -> None:
    """Writes ``(name, dtype name, value)`` triples as the checkpoint ``prefix``."""
    directory = os.path.dirname(prefix) or "."
    data_name = _new_data_file(prefix)
    members: dict[str, np.ndarray] = {}
    entries = []
    for name, dtype_name, value in sorted(values, key=lambda x: x[0]):
        roles = {}
        for role, array in _encode(value, dtype_name).items():
            roles[role] = member = f"t{len(members)}"
            members[member] = array
        entries.append(
            {"name": name, "dtype": dtype_name, "shape": list(value.shape), "members": roles}
        )
    with _atomic_file(os.path.join(directory, data_name)) as f:
        crcs = _write_arrays(f, members)
    for entry in entries:
        entry["crc32"] = {role: crcs[m] for role, m in entry["members"].items()}
    with _atomic_file(prefix + INDEX_SUFFIX) as f:
        f.write(_index_text(data_name, entries).encode("utf-8"))
    _fsync_directory(directory)
    for path in _data_files(prefix):  # the data the previous index used, and crash leftovers
        if os.path.basename(path) != data_name:
            with contextlib.suppress(OSError):
                os.remove(path)


def remove_checkpoint(prefix: str) -> None:
    """Deletes the checkpoint ``prefix`` (its index first, so it never looks half there)."""
    for path in [prefix + INDEX_SUFFIX, *_data_files(prefix)]:
        with contextlib.suppress(OSError):
            os.remove(path)


def checkpoint_exists(checkpoint_prefix) -> bool:
    """Whether a checkpoint with this prefix exists (its index file does)."""
    return os.path.isfile(os.fspath(checkpoint_prefix) + INDEX_SUFFIX)


# -- reading a checkpoint ---------------------------------------------------------------------

_NPY_READERS = {
    (1, 0): np.lib.format.read_array_header_1_0,
    (2, 0): np.lib.format.read_array_header_2_0,
}
_CHUNK = 1 << 24  # bytes read at a time into an array's memory


class _NotRegularFile(OSError):
    pass


def _open_regular(path: str):
    """``path`` opened for reading in binary mode, if it is a regular file.

    A FIFO would block ``open`` until someone writes to it, and a device such as
    ``/dev/zero`` never ends: both are refused (`_NotRegularFile`, an OSError).
    """
    # stat first, so that no device is even opened; then open without blocking and check
    # again what was opened, in case the file was swapped in between.
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise _NotRegularFile(f"{path} is not a regular file (a FIFO, a device or a directory)")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _NotRegularFile(f"{path} is not a regular file (it changed while opened)")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _bad_index(index_path: str, what: str) -> DataLossError:
    return DataLossError(
        None,
        None,
        f"{index_path} is not a valid tfteach checkpoint index: {what}. Save the checkpoint "
        "again, or restore an older one.",
    )


def _is_int(value) -> bool:
    """A JSON integer (``true`` and ``false`` are bools, which Python counts as ints)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _check_entry(entry, index_path: str) -> None:
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
        raise _bad_index(index_path, f"a variable entry is malformed ({entry!r:.80})")
    name = entry["name"]
    dtype_name = entry.get("dtype")
    if not isinstance(dtype_name, str) or dtype_name not in _DTYPE_NAMES:
        raise _bad_index(index_path, f"variable {name!r} has unknown dtype {dtype_name!r:.80}")
    shape = entry.get("shape")
    if not isinstance(shape, list) or not all(_is_int(d) and d >= 0 for d in shape):
        raise _bad_index(index_path, f"variable {name!r} has an invalid shape {shape!r:.80}")
    roles = set(_ROLES.get(dtype_name, ("value",)))
    members, crcs = entry.get("members"), entry.get("crc32")
    if not isinstance(members, dict) or not isinstance(crcs, dict):
        raise _bad_index(index_path, f"variable {name!r} lacks its members or checksums")
    if set(members) != roles or set(crcs) != roles:
        raise _bad_index(
            index_path, f"variable {name!r} of dtype {dtype_name} must store {sorted(roles)}"
        )
    for role in roles:
        if not isinstance(members[role], str) or not _is_int(crcs[role]):
            raise _bad_index(index_path, f"variable {name!r} lacks its {role!r} array")


def read_index(prefix: str) -> tuple[str, dict[str, dict]]:
    """The data file path and the entries (by name) of checkpoint ``prefix``."""
    index_path = prefix + INDEX_SUFFIX
    try:
        with _open_regular(index_path) as f:
            raw = f.read()
    except _NotRegularFile as e:
        raise _bad_index(index_path, str(e)) from None
    try:
        index = json.loads(raw)
    except (ValueError, RecursionError):
        raise _bad_index(index_path, "it is not JSON (a truncated or foreign file?)") from None
    if not isinstance(index, dict) or index.get("format") != FORMAT_NAME:
        raise _bad_index(index_path, f"its format is not {FORMAT_NAME!r}")
    version = index.get("version")
    if not _is_int(version) or version != FORMAT_VERSION:
        raise _bad_index(
            index_path, f"format version {version!r:.80} (this tfteach reads {FORMAT_VERSION})"
        )
    data_file = index.get("data_file")
    if (
        not isinstance(data_file, str)
        or os.path.basename(data_file) != data_file
        or data_file in ("", ".", "..")
    ):
        raise _bad_index(index_path, f"its data file name {data_file!r:.80} is not a file name")
    variables = index.get("variables")
    if not isinstance(variables, list):
        raise _bad_index(index_path, "it lists no variables")
    entries: dict[str, dict] = {}
    used: set[str] = set()
    for entry in variables:
        _check_entry(entry, index_path)
        if entry["name"] in entries:
            raise _bad_index(index_path, f"variable {entry['name']!r} appears twice")
        for member in entry["members"].values():
            # one member read for many variables would multiply a small file's cost
            if member in used:
                raise _bad_index(index_path, f"array {member!r} is used twice")
            used.add(member)
        entries[entry["name"]] = entry
    return os.path.join(os.path.dirname(prefix), data_file), entries


def _expected_arrays(entry: dict) -> dict[str, tuple[np.dtype, tuple[int, ...] | None]]:
    """role -> the numpy dtype and shape (None: any length, one dimension) the index implies."""
    shape = tuple(entry["shape"])
    if entry["dtype"] == "string":
        return {"lengths": (np.dtype(np.int64), shape), "bytes": (np.dtype(np.uint8), None)}
    return {"value": (np.dtype(dtypes.as_dtype(entry["dtype"]).np_dtype), shape)}


def _read_member(
    archive: zipfile.ZipFile,
    member: str,
    crc: int,
    expected: tuple[np.dtype, tuple[int, ...] | None],
    file_size: int,
) -> np.ndarray:
    """One array of the archive, checked against the index before any of its data is read.

    ``file_size`` is the data file's size on disk: no member may claim more, so no array
    costs more memory than the file has bytes.
    """
    info = archive.getinfo(member + ".npy")
    if info.flag_bits & 0x1:
        raise ValueError("the array is encrypted (tfteach never encrypts its data files)")
    if info.compress_type != zipfile.ZIP_STORED or info.compress_size != info.file_size:
        # tfteach stores arrays uncompressed; a compressed member could inflate to any size
        raise ValueError(
            f"the array is compressed (it says it inflates to {info.file_size} bytes); "
            "tfteach stores arrays uncompressed"
        )
    if info.header_offset + info.file_size > file_size:
        raise ValueError(
            f"the array claims {info.file_size} bytes, more than the file's {file_size}"
        )
    if crc != info.CRC:
        raise _ChecksumMismatch(crc, info.CRC)
    expected_dtype, expected_shape = expected
    with archive.open(info) as f:
        version = np.lib.format.read_magic(f)
        if version not in _NPY_READERS:
            raise ValueError(f"the array is in .npy format version {version}, not 1.0 or 2.0")
        shape, fortran_order, dtype = _NPY_READERS[version](f)
        if dtype.hasobject:
            raise ValueError("Object arrays cannot be loaded when allow_pickle=False")
        if dtype.newbyteorder("=") != expected_dtype or (
            shape != expected_shape if expected_shape is not None else len(shape) != 1
        ):
            want = _shape_string(expected_shape) if expected_shape is not None else "[n]"
            raise ValueError(
                f"the index implies {expected_dtype} {want} but the data file holds "
                f"{dtype} {_shape_string(shape)}"
            )
        nbytes = math.prod(shape) * dtype.itemsize
        if nbytes != info.file_size - f.tell():
            raise ValueError(
                f"its header declares {nbytes} bytes of data but the archive holds "
                f"{info.file_size - f.tell()}"
            )
        array = np.empty(math.prod(shape), dtype)
        memory = array.view(np.uint8)
        done = 0
        while done < nbytes:
            chunk = f.read(min(_CHUNK, nbytes - done))
            if not chunk:
                raise EOFError("the array ends early")
            memory[done : done + len(chunk)] = np.frombuffer(chunk, np.uint8)
            done += len(chunk)
        if f.read(1):  # reading to the end also makes zipfile verify the bytes' CRC-32
            raise ValueError("the array is followed by unexpected bytes")
    if fortran_order:
        return np.ascontiguousarray(array.reshape(shape[::-1]).transpose())
    return array.reshape(shape)


class _ChecksumMismatch(Exception):
    pass


def read_values(data_path: str, entries: list[dict]) -> dict[str, np.ndarray]:
    """The values of ``entries`` from the data file, each checked against its checksum."""
    try:
        f = _open_regular(data_path)
    except FileNotFoundError:
        raise
    except OSError as e:
        raise DataLossError(
            None, None, f"Cannot read the checkpoint data file {data_path}: {e}"
        ) from None
    with f:
        file_size = os.fstat(f.fileno()).st_size
        try:
            archive = zipfile.ZipFile(f)
        except _READ_ERRORS as e:
            raise DataLossError(
                None, None, f"{data_path} is not a checkpoint data file (an .npz archive): {e}"
            ) from None
        with archive:
            return {
                entry["name"]: _read_variable(archive, entry, data_path, file_size)
                for entry in entries
            }


def _read_variable(archive: zipfile.ZipFile, entry: dict, data_path: str, file_size: int):
    """The value of one index entry, or DataLossError naming the variable and the file."""
    name = entry["name"]
    arrays = {}
    for role, expected in _expected_arrays(entry).items():
        try:
            arrays[role] = _read_member(
                archive, entry["members"][role], entry["crc32"][role], expected, file_size
            )
        except _ChecksumMismatch as e:
            stored, found = e.args
            raise DataLossError(
                None,
                None,
                f"Checksum does not match for variable {name} in {data_path}: the "
                f"index says {stored} but the data file has {found} (the files are "
                "from different saves)",
            ) from None
        except _READ_ERRORS as e:
            raise DataLossError(
                None,
                None,
                f"Cannot read variable {name} from {data_path} (the file is truncated "
                f"or corrupt): {type(e).__name__}: {e}",
            ) from None
    try:
        return _decode(arrays, entry)
    except ValueError as e:
        raise DataLossError(
            None, None, f"Variable {name} in {data_path} is inconsistent: {e}"
        ) from None


class CheckpointReader:
    """Reads the variables of one checkpoint (TF's ``tf.train.load_checkpoint``)."""

    def __init__(self, prefix: str):
        if not checkpoint_exists(prefix):
            raise NotFoundError(
                None,
                None,
                "Unsuccessful TensorSliceReader constructor: Failed to find any matching files "
                f"for {prefix}",
            )
        self._data_path, self._entries = read_index(prefix)

    def get_variable_to_shape_map(self) -> dict[str, list[int]]:
        return {name: list(e["shape"]) for name, e in self._entries.items()}

    def get_variable_to_dtype_map(self) -> dict:
        return {name: dtypes.as_dtype(e["dtype"]) for name, e in self._entries.items()}

    def has_tensor(self, name: str) -> bool:
        return name in self._entries

    def get_tensor(self, name: str):
        """The saved value of ``name``: an ndarray (a numpy scalar for a scalar)."""
        if name not in self._entries:
            raise NotFoundError(None, None, f"Key {name} not found in checkpoint")
        try:
            value = read_values(self._data_path, [self._entries[name]])[name]
        except FileNotFoundError:
            raise NotFoundError(
                None, None, f"{self._data_path}; No such file or directory"
            ) from None
        return value[()] if value.ndim == 0 else value


# -- the checkpoint state file ("checkpoint"), TF's protobuf text format --------------------------

_ESCAPES = {"\n": r"\n", "\r": r"\r", "\t": r"\t", '"': r"\"", "'": r"\'", "\\": r"\\"}
_STATE_LINE = re.compile(r'\s*(\w+)\s*:\s*(?:"((?:[^"\\]|\\.)*)"|[-+.\w]+)\s*')
_UNESCAPE = re.compile(rb"\\(?:([0-7]{1,3})|x([0-9a-fA-F]{1,2})|(.))", re.DOTALL)
_SIMPLE_UNESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"a": b"\a", b"b": b"\b"}


def _quote(text: str) -> str:
    chars = (
        _ESCAPES.get(c, f"\\{ord(c):03o}" if ord(c) < 0x20 or ord(c) == 0x7F else c) for c in text
    )
    return '"' + "".join(chars) + '"'


def _unquote(text: str) -> str:
    def replace(m):
        if m.group(1):
            return bytes([int(m.group(1), 8) & 0xFF])
        if m.group(2):
            return bytes([int(m.group(2), 16)])
        return _SIMPLE_UNESCAPES.get(m.group(3), m.group(3))

    return _UNESCAPE.sub(replace, text.encode("utf-8")).decode("utf-8", errors="replace")


class CheckpointState:
    """The contents of a ``checkpoint`` file: the latest checkpoint and the ones kept."""

    def __init__(self, model_checkpoint_path: str = "", all_model_checkpoint_paths=()):
        self.model_checkpoint_path = model_checkpoint_path
        self.all_model_checkpoint_paths = list(all_model_checkpoint_paths)

    def __str__(self) -> str:
        lines = [f"model_checkpoint_path: {_quote(self.model_checkpoint_path)}"]
        lines += [
            f"all_model_checkpoint_paths: {_quote(p)}" for p in self.all_model_checkpoint_paths
        ]
        return "\n".join(lines) + "\n"

    __repr__ = __str__


def _state_path(checkpoint_dir: str, latest_filename: str | None) -> str:
    return os.path.join(checkpoint_dir, latest_filename or "checkpoint")


def _parse_state(text: str) -> CheckpointState | None:
    state = CheckpointState()
    for line in text.splitlines():
        if not line.strip():
            continue
        m = _STATE_LINE.fullmatch(line)
        if m is None:
            return None
        key, quoted = m.group(1), m.group(2)
        if key == "model_checkpoint_path" and quoted is not None:
            state.model_checkpoint_path = _unquote(quoted)
        elif key == "all_model_checkpoint_paths" and quoted is not None:
            state.all_model_checkpoint_paths.append(_unquote(quoted))
    return state


def get_checkpoint_state(checkpoint_dir, latest_filename: str | None = None):
    """The `CheckpointState` in ``checkpoint_dir`` (paths joined to the directory), or None."""
    checkpoint_dir = os.fspath(checkpoint_dir)
    try:
        with _open_regular(_state_path(checkpoint_dir, latest_filename)) as f:
            state = _parse_state(f.read().decode("utf-8"))
    except (OSError, UnicodeDecodeError):  # TF logs "Checkpoint ignored" and returns None
        return None
    if state is None:  # TF logs "Checkpoint ignored" and goes on without one
        return None
    if not state.model_checkpoint_path:
        raise ValueError("Invalid checkpoint state loaded from " + checkpoint_dir)
    state.model_checkpoint_path = os.path.join(checkpoint_dir, state.model_checkpoint_path)
    state.all_model_checkpoint_paths = [
        os.path.join(checkpoint_dir, p) for p in state.all_model_checkpoint_paths
    ]
    return state


def _update_state(save_dir, latest, kept, latest_filename, relative: bool) -> None:
    """Writes the ``checkpoint`` file atomically; paths as TF writes them."""
    kept = list(kept)
    if not kept or kept[-1] != latest:
        kept.append(latest)
    if relative:
        latest = os.path.relpath(latest, save_dir) if os.path.isabs(latest) else latest
        kept = [os.path.relpath(p, save_dir) if os.path.isabs(p) else p for p in kept]
    if not os.path.isabs(save_dir):
        # relative paths are stored relative to the directory that holds the state file
        if not os.path.isabs(latest):
            latest = os.path.relpath(latest, save_dir)
        kept = [p if os.path.isabs(p) else os.path.relpath(p, save_dir) for p in kept]
    path = _state_path(save_dir, latest_filename)
    if path == latest:
        raise RuntimeError(
            f"Save path '{latest}' conflicts with path used for checkpoint state.  Please use "
            "a different save path."
        )
    with _atomic_file(path) as f:
        f.write(str(CheckpointState(latest, kept)).encode("utf-8"))
    _fsync_directory(save_dir or ".")


def latest_checkpoint(checkpoint_dir, latest_filename: str | None = None) -> str | None:
    """The prefix of the latest checkpoint saved in ``checkpoint_dir`` (None if there is none)."""
    state = get_checkpoint_state(checkpoint_dir, latest_filename)
    if state is not None and checkpoint_exists(state.model_checkpoint_path):
        return state.model_checkpoint_path
    return None


def _checkpoint_prefix(ckpt_dir_or_file) -> str:
    path = os.fspath(ckpt_dir_or_file)
    if os.path.isdir(path):
        prefix = latest_checkpoint(path)
        if prefix is None:
            raise ValueError(
                f"Couldn't find 'checkpoint' file or checkpoints in given directory {path}"
            )
        return prefix
    return path


def NewCheckpointReader(filepattern) -> CheckpointReader:
    """A `CheckpointReader` for the checkpoint prefix ``filepattern``."""
    return CheckpointReader(os.fspath(filepattern))


def load_checkpoint(ckpt_dir_or_file) -> CheckpointReader:
    """A `CheckpointReader` for a checkpoint prefix, or the latest one in a directory."""
    return CheckpointReader(_checkpoint_prefix(ckpt_dir_or_file))


def list_variables(ckpt_dir_or_file) -> list[tuple[str, list[int]]]:
    """The ``(name, shape)`` of every variable in a checkpoint, sorted by name."""
    return sorted(load_checkpoint(ckpt_dir_or_file).get_variable_to_shape_map().items())


def load_variable(ckpt_dir_or_file, name: str):
    """The value saved for variable ``name`` (``"w"`` or ``"w:0"``) in a checkpoint."""
    if name.endswith(":0"):
        name = name[:-2]
    return load_checkpoint(ckpt_dir_or_file).get_tensor(name)


# -- the Saver ----------------------------------------------------------------------------------


def _variable_op(value) -> Operation | None:
    """The VariableV2 op of a variable (or of its ref tensor), else None."""
    if isinstance(value, Operation):
        return None
    element = getattr(value, "_as_graph_element", None)
    tensor = element() if element is not None else value
    if isinstance(tensor, Tensor) and tensor.op.op_def.is_variable:
        return tensor.op
    return None


def _flatten(items) -> list:
    out = []
    for item in items:
        if isinstance(item, (list, tuple, set)):
            out.extend(_flatten(item))
        else:
            out.append(item)
    return out


def _names_to_ops(var_list) -> dict[str, Operation]:
    """TF's checkpoint keys: a list is keyed by op name; a dict names its variables."""
    if isinstance(var_list, Mapping):
        result: dict[str, Operation] = {}
        seen: set = set()
        for name, value in sorted(var_list.items(), key=lambda kv: str(kv[0])):
            if not isinstance(name, str):
                raise TypeError(
                    "names_to_saveables must be a dict mapping string names to trackable "
                    f"operations. Name is not a string: {name}"
                )
            op = _variable_op(value)
            if op is None:
                raise TypeError(
                    "names_to_saveables must be a dict mapping string names to "
                    f"Tensors/Variables. Not a variable: {value}"
                )
            if op in seen:
                raise ValueError(f"The same saveable will be restored with two names: {name}")
            seen.add(op)
            result[name] = op
        return result
    if not isinstance(var_list, (list, tuple, set)):
        raise TypeError(f"Variables to save should be passed in a dict or a list. Got {var_list}")
    result = {}
    for value in _flatten(var_list):
        op = _variable_op(value)
        if op is None:
            raise TypeError(f"Variable to save is not a Variable: {value}")
        if op.name in result:
            raise ValueError(f"At least two variables have the same name: {op.name}")
        result[op.name] = op
    return dict(sorted(result.items()))


_UNSUPPORTED = ("reshape", "sharded", "saver_def", "builder")


class Saver:
    """Saves and restores variables (TF1's ``tf.train.Saver``), in tfteach's own file format."""

    def __init__(
        self,
        var_list=None,
        reshape: bool = False,
        sharded: bool = False,
        max_to_keep: int | None = 5,
        keep_checkpoint_every_n_hours: float = 10000.0,
        name: str | None = None,
        restore_sequentially: bool = False,
        saver_def=None,
        builder=None,
        defer_build: bool = False,
        allow_empty: bool = False,
        write_version: int = 2,
        pad_step_number: bool = False,
        save_relative_paths: bool = False,
        filename: str | None = None,
    ):
        given = {"reshape": reshape, "sharded": sharded, "saver_def": saver_def, "builder": builder}
        for option in _UNSUPPORTED:
            if given[option]:
                raise NotImplementedError(
                    f"tfteach's Saver does not support {option}={given[option]!r}; leave it "
                    "at its default (tfteach writes one unsharded file per checkpoint)."
                )
        if defer_build and var_list:
            raise ValueError(
                "If `var_list` is provided then build cannot be deferred. Either set "
                "defer_build=False or var_list=None."
            )
        self._var_list = var_list
        self._max_to_keep = max_to_keep
        self._keep_hours = keep_checkpoint_every_n_hours
        self._allow_empty = allow_empty
        self._pad_step_number = pad_step_number
        self._save_relative_paths = save_relative_paths
        self._last_checkpoints: list[tuple[str, float]] = []
        self._to_delete: list[tuple[str, float]] = []
        self._graph = get_default_graph()
        self._ops: dict[str, Operation] | None = None
        if not defer_build:
            self.build()

    def build(self) -> None:
        """Decides which variables this saver saves (done by the constructor unless deferred)."""
        if self._ops is not None:
            return
        var_list = self._var_list
        if var_list is None:
            var_list = self._graph.get_collection(GraphKeys.GLOBAL_VARIABLES)
        ops = _names_to_ops(var_list)
        if not ops and not self._allow_empty:
            raise ValueError("No variables to save")
        graphs = {op.graph for op in ops.values()}
        if len(graphs) > 1:
            raise ValueError(
                "Saver got variables from more than one graph; give it the variables of one "
                "graph (create a Saver per graph)."
            )
        if graphs:
            self._graph = graphs.pop()
        self._ops = ops
        self._next_keep_time = time.time() + self._keep_hours * 3600

    @property
    def last_checkpoints(self) -> list[str]:
        """The prefixes of the checkpoints not yet deleted, oldest first."""
        return [p for p, _ in self._last_checkpoints]

    def set_last_checkpoints(self, last_checkpoints: list[str]) -> None:
        """Sets the prefixes this saver counts as kept (TF: deprecated, use
        `set_last_checkpoints_with_time`).

        As in TF they get an infinite time: when ``max_to_keep`` pushes one out of
        `last_checkpoints`, its files are kept, not deleted.
        """
        if not isinstance(last_checkpoints, list):
            raise AssertionError(f"last_checkpoints must be a list, not {last_checkpoints!r}")
        self._last_checkpoints = [(p, math.inf) for p in last_checkpoints]

    def set_last_checkpoints_with_time(self, last_checkpoints_with_time: list) -> None:
        """Sets the ``(prefix, time.time() of saving)`` pairs this saver counts as kept."""
        if not isinstance(last_checkpoints_with_time, list):
            raise AssertionError(
                f"last_checkpoints_with_time must be a list, not {last_checkpoints_with_time!r}"
            )
        self._last_checkpoints = list(last_checkpoints_with_time)

    def recover_last_checkpoints(self, checkpoint_paths) -> None:
        """Resumes managing ``checkpoint_paths`` (those that exist) after a restart."""
        found = []
        for p in checkpoint_paths:
            with contextlib.suppress(OSError):
                found.append((p, os.path.getmtime(p + INDEX_SUFFIX)))
        self._last_checkpoints = found

    # -- saving ---------------------------------------------------------------------------
    def save(
        self,
        sess,
        save_path,
        global_step=None,
        latest_filename: str | None = None,
        meta_graph_suffix: str = "meta",
        write_meta_graph: bool = True,
        write_state: bool = True,
        strip_default_attrs: bool = False,
        save_debug_info: bool = False,
    ) -> str | None:
        """Writes the variables' values in ``sess``; returns the checkpoint prefix written.

        With ``global_step`` the prefix is ``save_path-<step>``. tfteach writes no
        ``.meta`` graph file.
        """
        if self._ops is None:
            raise RuntimeError("`build()` should be called before save if defer_build==True")
        latest_filename = latest_filename or "checkpoint"
        if os.path.split(latest_filename)[0]:
            raise ValueError("'latest_filename' must not contain path components")
        save_path = _utf8_path(save_path)  # before anything is written
        self._check_session(sess)
        if global_step is not None:
            if not isinstance(global_step, (int, np.integer)):
                global_step = int(sess.run(global_step))
            step = f"{global_step:08d}" if self._pad_step_number else f"{global_step:d}"
            prefix = f"{save_path}-{step}"
        else:
            prefix = save_path
            if os.path.basename(save_path) == latest_filename:
                raise ValueError(
                    f"'latest_filename' collides with 'save_path': '{latest_filename}' and "
                    f"'{save_path}'"
                )
        if not self._ops:
            return None
        values = self._values(sess)
        save_dir = os.path.dirname(save_path)
        _make_parent(save_dir, save_path)
        write_checkpoint(prefix, values)
        if write_state:
            self._record(prefix)
            _update_state(
                save_dir,
                prefix,
                self.last_checkpoints,
                latest_filename,
                self._save_relative_paths,
            )
            self._delete_old()
        return prefix

    def _values(self, sess) -> list[tuple[str, str, np.ndarray]]:
        values = []
        for key, op in self._ops.items():
            value = sess._values.get(op)
            if value is None:
                raise FailedPreconditionError(
                    None, None, f"Attempting to use uninitialized value {op.name}"
                )
            values.append((key, op._first.dtype.base_dtype.name, value))
        return values

    def _record(self, prefix: str) -> None:
        """TF's bookkeeping: the newest prefix last; beyond ``max_to_keep``, the oldest goes."""
        if not self._max_to_keep:
            return
        self._last_checkpoints = [p for p in self._last_checkpoints if p[0] != prefix]
        self._last_checkpoints.append((prefix, time.time()))
        if len(self._last_checkpoints) > self._max_to_keep:
            self._to_delete.append(self._last_checkpoints.pop(0))

    def _delete_old(self) -> None:
        if not self._to_delete:
            return
        prefix, saved_at = self._to_delete.pop(0)
        if saved_at > self._next_keep_time:  # keep_checkpoint_every_n_hours keeps this one
            self._next_keep_time += self._keep_hours * 3600
            return
        remove_checkpoint(prefix)

    # -- restoring ---------------------------------------------------------------------------
    def restore(self, sess, save_path) -> None:
        """Sets the variables in ``sess`` to the values saved at ``save_path``.

        This initializes them: nothing else needs to run first. If anything is wrong with
        the checkpoint, no variable changes.
        """
        if self._ops is None:
            raise RuntimeError("`build()` should be called before restore if defer_build==True")
        if not self._ops:
            return
        if save_path is None:
            raise ValueError("Can't load save_path when it is None.")
        prefix = os.fsdecode(os.fspath(save_path))
        if not checkpoint_exists(prefix):
            raise ValueError("The passed save_path is not a valid checkpoint: " + prefix)
        self._check_session(sess)
        data_path, entries = read_index(prefix)
        for key, op in self._ops.items():
            _check_compatible(key, op, entries.get(key), prefix)
        try:
            values = read_values(data_path, [entries[key] for key in self._ops])
        except FileNotFoundError:
            raise NotFoundError(
                None, None, f"{_RESTORE_MISSING}{data_path}; No such file or directory"
            ) from None
        writes = {op: values[key] for key, op in self._ops.items()}
        sess._commit(writes, dict.fromkeys(writes, "restore"))

    def _check_session(self, sess) -> None:
        if not isinstance(sess, Session):
            raise TypeError(f"'sess' must be a Session; {sess}")
        if sess.closed:
            raise RuntimeError("Attempted to use a closed Session.")
        if sess.graph is not self._graph:
            raise ValueError(
                "This Saver's variables are in a different graph than the session's graph. "
                "Create the Saver in the graph the session runs (under "
                "`with graph.as_default():`)."
            )


def _where(op: Operation, prefix: str) -> str:
    return f"\n\t [[restoring variable {op.name} from {prefix}]]"


def _check_compatible(key: str, op: Operation, entry: dict | None, prefix: str) -> None:
    """TF's restore errors for a missing key, another dtype or another shape."""
    if entry is None:
        raise NotFoundError(
            None, None, f"{_RESTORE_MISSING}Key {key} not found in checkpoint{_where(op, prefix)}"
        )
    var = op._first
    expected = var.dtype.base_dtype.name
    if entry["dtype"] != expected:
        raise InvalidArgumentError(
            None,
            None,
            f"{_RESTORE_MISMATCH}tensor_name = {key}; expected dtype {_tf_type_name(expected)} "
            f"does not equal original dtype {_tf_type_name(entry['dtype'])}{_where(op, prefix)}",
        )
    if var.shape.is_fully_defined() and var.shape.as_list() != entry["shape"]:
        raise InvalidArgumentError(
            None,
            None,
            f"{_RESTORE_MISMATCH}Assign requires shapes of both tensors to match. lhs shape= "
            f"{_shape_string(var.shape.as_list())} rhs shape= {_shape_string(entry['shape'])}"
            f"{_where(op, prefix)}",
        )


def _utf8_path(path) -> str:
    """``path`` (str, bytes or path-like) as text, or TF's error if it is not valid UTF-8.

    TF stores paths as UTF-8: bytes that are not UTF-8 fail to decode (UnicodeDecodeError,
    as TF's ``compat.as_str``), and text holding undecodable bytes (``os.fsdecode`` turns
    them into lone surrogates) cannot be encoded (TF's InternalError).
    """
    path = os.fspath(path)
    if isinstance(path, bytes):
        return path.decode("utf-8")
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        raise InternalError(
            None,
            None,
            f"Unable to convert element to UTF-8: the save path {path!r} has bytes that are "
            "not UTF-8 (a directory or file named in another encoding). Save under a UTF-8 "
            "name.",
        ) from None
    return path


def _make_parent(save_dir: str, save_path: str) -> None:
    """Creates a missing last directory of ``save_path``, as TF's save op does; no deeper."""
    if not save_dir or os.path.isdir(save_dir):
        return
    parent = os.path.dirname(save_dir.rstrip(os.sep)) or "."
    # TF's error also when the "directory" is a file: its save op fails, then TF finds that
    # the save path's directory is not a directory
    if not os.path.isdir(parent) or os.path.lexists(save_dir):
        raise ValueError(f"Parent directory of {save_path} doesn't exist, can't save.")
    with contextlib.suppress(FileExistsError):  # made meanwhile by another process
        os.mkdir(save_dir)

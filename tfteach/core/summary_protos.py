"""TensorBoard's protocol buffers and record framing, loaded only when a summary needs them.

Summaries and event files use TensorFlow's own formats (`Summary`, `Event` and
`GraphDef` protocol buffers in TFRecord files). tfteach takes the definitions
from the ``tensorboard`` package (`tensorboard.compat.proto`, which TensorBoard
itself reads); records are framed by `RecordWriter` below, whose CRC32C comes from
``google-crc32c`` (Google's C implementation: tensorboard's own pure-Python one cost
most of a summary's time in a training step). Both are an optional extra::

    pip install 'tfteach[tensorboard]'

``import tfteach`` never imports it (nor protobuf): `load` does, the first time
a summary op is built, a `FileWriter` is made or a graph is exported.
"""

from __future__ import annotations

import struct
from types import SimpleNamespace

EXTRA_HINT = (
    "tf.summary and FileWriter write TensorBoard's file format, which needs the optional "
    "'tensorboard' package. Install it with: pip install 'tfteach[tensorboard]'"
)

_loaded: SimpleNamespace | None = None


def load() -> SimpleNamespace:
    """The proto modules (``summary_pb2``, ``event_pb2``, ``graph_pb2``, ...) and
    ``RecordWriter``; raises ImportError naming the extra when ``tensorboard`` is missing."""
    global _loaded
    if _loaded is None:
        try:
            from tensorboard.compat.proto import (
                attr_value_pb2,
                event_pb2,
                graph_pb2,
                summary_pb2,
                tensor_shape_pb2,
                types_pb2,
            )
            from tensorboard.util import tensor_util
        except ImportError as exc:
            raise ImportError(EXTRA_HINT) from exc
        _loaded = SimpleNamespace(
            attr_value_pb2=attr_value_pb2,
            event_pb2=event_pb2,
            graph_pb2=graph_pb2,
            summary_pb2=summary_pb2,
            tensor_shape_pb2=tensor_shape_pb2,
            types_pb2=types_pb2,
            RecordWriter=_record_writer_class(),
            tensor_util=tensor_util,
        )
    return _loaded


def _record_writer_class():
    """`RecordWriter` with a C CRC32C when ``google-crc32c`` is installed, else tensorboard's
    own (the same bytes, more slowly)."""
    try:
        import google_crc32c
    except ImportError:
        from tensorboard.summary.writer.record_writer import RecordWriter

        return RecordWriter

    def masked_crc32c(data: bytes) -> int:
        """TFRecord's masked CRC32C: rotate right by 15 bits, add a constant."""
        crc = google_crc32c.value(data)
        return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF

    class RecordWriter:
        """Writes TFRecord records to a binary file: the length (uint64), its masked CRC32C,
        the data, the data's masked CRC32C (little endian), as TensorFlow does."""

        def __init__(self, writer):
            self._writer = writer

        def write(self, data: bytes) -> None:
            header = struct.pack("<Q", len(data))
            self._writer.write(
                header
                + struct.pack("<I", masked_crc32c(header))
                + data
                + struct.pack("<I", masked_crc32c(data))
            )

        def flush(self) -> None:
            self._writer.flush()

        def close(self) -> None:
            self._writer.close()

        @property
        def closed(self) -> bool:
            return self._writer.closed

    return RecordWriter

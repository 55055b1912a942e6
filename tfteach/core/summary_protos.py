"""TensorBoard's protocol buffers and record framing, loaded only when a summary needs them.

Summaries and event files use TensorFlow's own formats (`Summary`, `Event` and
`GraphDef` protocol buffers in TFRecord files). tfteach takes the definitions
from the ``tensorboard`` package (`tensorboard.compat.proto`, which TensorBoard
itself reads, and its `RecordWriter`), an optional extra::

    pip install 'tfteach[tensorboard]'

``import tfteach`` never imports it (nor protobuf): `load` does, the first time
a summary op is built, a `FileWriter` is made or a graph is exported.
"""

from __future__ import annotations

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
            from tensorboard.summary.writer.record_writer import RecordWriter
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
            RecordWriter=RecordWriter,
            tensor_util=tensor_util,
        )
    return _loaded

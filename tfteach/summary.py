"""``tf.summary``: summary ops, `FileWriter` and `FileWriterCache` (TF1's names).

The summary ops and the writer need the optional ``tensorboard`` package
(``pip install 'tfteach[tensorboard]'``), loaded when first used. So are the
protocol buffer classes ``tf.summary.Summary``, ``SessionLog`` and ``Event``,
looked up on first access: importing this module imports no protobuf.
"""

from __future__ import annotations

from . import _missing
from .core.summary_ops import histogram, merge, merge_all, scalar, text
from .core.summary_writer import FileWriter, FileWriterCache

# proto classes TF1 offers here -> the tensorboard module that defines them
_PROTOS = {
    "Summary": "summary_pb2",
    "SummaryDescription": "summary_pb2",
    "Event": "event_pb2",
    "SessionLog": "event_pb2",
    "TaggedRunMetadata": "event_pb2",
}


def __getattr__(name: str):
    module = _PROTOS.get(name)
    if module is None:
        raise _missing.missing(__name__, __all__, name)
    from .core.summary_protos import load

    return getattr(getattr(load(), module), name)


__all__ = [
    "FileWriter",
    "FileWriterCache",
    "histogram",
    "merge",
    "merge_all",
    "scalar",
    "text",
]

"""``tf.summary.FileWriter`` and ``FileWriterCache``: event files that TensorBoard reads.

A FileWriter makes one event file in ``logdir`` (``events.out.tfevents.<time>.
<host>``): TFRecord records (length, masked CRC32C, data, masked CRC32C) each
holding an `Event` protocol buffer. The first event names the file format; then
come the graph (`add_graph`, or ``graph=`` in the constructor), summaries with
their step (`add_summary`) and session logs. Records are buffered and written
out every ``max_queue`` events, every ``flush_secs`` seconds (checked when an
event is added), on `flush` and on `close`; TF does the same from a thread.

The protocol buffers and the record framing come from the optional
``tensorboard`` package (summary_protos.py).
"""

from __future__ import annotations

import os
import socket
import threading
import time
import warnings

from .graph import Graph, get_default_graph
from .graph_def import as_graph_def
from .summary_protos import load as load_protos


class FileWriter:
    """Writes `Event` protocol buffers (summaries, the graph) to an event file in
    ``logdir``, as TF1's ``tf.summary.FileWriter``."""

    def __init__(
        self,
        logdir,
        graph: Graph | None = None,
        max_queue: int = 10,
        flush_secs: float = 120,
        graph_def=None,
        filename_suffix: str | None = None,
        session=None,
    ):
        protos = load_protos()  # before anything is made: a missing extra leaves no file
        if session is not None:
            raise NotImplementedError(
                "FileWriter(session=...) is TF's bridge to TF2 summary ops, which tfteach "
                "does not have; leave session out."
            )
        if not isinstance(logdir, (str, os.PathLike)) or not os.fspath(logdir):
            raise ValueError(f"logdir must be a non-empty path, got {logdir!r}.")
        _check_graph(graph, graph_def, protos)
        self._logdir = os.fspath(logdir)
        self._suffix = filename_suffix or ""
        self._max_queue = max_queue
        self._flush_secs = flush_secs
        self._seen_summary_tags: set[str] = set()
        self._open()
        if graph is not None or graph_def is not None:
            self.add_graph(graph, graph_def=graph_def)

    # -- the file ----------------------------------------------------------------------
    def _open(self) -> None:
        """Creates a new event file and writes the event that starts every such file."""
        protos = load_protos()
        os.makedirs(self._logdir, exist_ok=True)
        base = os.path.join(
            self._logdir, f"events.out.tfevents.{int(time.time()):010d}.{socket.gethostname()}"
        )
        path, n = base + self._suffix, 0
        while os.path.exists(path):  # two writers in one second: TF would overwrite the file
            n += 1
            path = f"{base}.{n}{self._suffix}"
        self._path = path
        self._file = open(path, "xb")  # noqa: SIM115 (kept open until close())
        self._records = protos.RecordWriter(self._file)
        self._pending = 0
        self._last_flush = time.monotonic()
        self._closed = False
        first = protos.event_pb2.Event(wall_time=time.time(), file_version="brain.Event:2")
        first.source_metadata.writer = "tfteach"
        self._write(first)
        self.flush()

    def _write(self, event) -> None:
        self._records.write(event.SerializeToString())
        self._pending += 1
        if self._pending >= self._max_queue or (
            time.monotonic() - self._last_flush >= self._flush_secs
        ):
            self.flush()

    def _warn_if_closed(self) -> bool:
        if self._closed:
            warnings.warn(
                "Attempting to use a closed FileWriter. The operation will be a noop unless "
                "the FileWriter is explicitly reopened.",
                stacklevel=3,
            )
        return self._closed

    def _add_event(self, event, step) -> None:
        if self._warn_if_closed():
            return
        event.wall_time = time.time()
        if step is not None:
            event.step = int(step)
        self._write(event)

    # -- TF's API ----------------------------------------------------------------------
    def get_logdir(self) -> str:
        """The directory the event file is in."""
        return self._logdir

    def add_summary(self, summary, global_step: int | None = None) -> None:
        """Adds a summary (what a summary op's run returned, or a `Summary` proto) at step
        ``global_step``."""
        pb = load_protos().summary_pb2
        if isinstance(summary, bytes):
            summary = pb.Summary.FromString(summary)
        elif not isinstance(summary, pb.Summary):
            raise TypeError(
                "add_summary expects a summary op's value (bytes) or a tf.Summary proto, "
                f"got {type(summary).__name__}: {summary!r:.80}"
            )
        for value in summary.value:  # as TF: a tag's metadata is written only the first time
            if not value.HasField("metadata"):
                continue
            if value.tag in self._seen_summary_tags:
                value.ClearField("metadata")
            else:
                self._seen_summary_tags.add(value.tag)
        self._add_event(load_protos().event_pb2.Event(summary=summary), global_step)

    def add_session_log(self, session_log, global_step: int | None = None) -> None:
        """Adds a `SessionLog` proto (``SessionLog(status=SessionLog.START)``: a restart,
        after which TensorBoard drops the later steps of the run it had)."""
        event_pb2 = load_protos().event_pb2
        if not isinstance(session_log, event_pb2.SessionLog):
            raise TypeError(
                f"add_session_log expects a tf.SessionLog proto, got {type(session_log).__name__}"
            )
        self._add_event(event_pb2.Event(session_log=session_log), global_step)

    def add_graph(self, graph: Graph | None, global_step: int | None = None, graph_def=None):
        """Adds ``graph`` (a tfteach `Graph`, or a `GraphDef` proto) for TensorBoard's graph
        dashboard."""
        protos = load_protos()
        _check_graph(graph, graph_def, protos, required=True)
        given = graph if graph is not None else graph_def
        graph_def = as_graph_def(given) if isinstance(given, Graph) else given
        event = protos.event_pb2.Event(graph_def=graph_def.SerializeToString())
        self._add_event(event, global_step)

    def add_event(self, event) -> None:
        """Adds an `Event` proto as it is."""
        if not self._warn_if_closed():
            self._write(event)

    def flush(self) -> None:
        """Writes the buffered events to the file."""
        if self._warn_if_closed():
            return
        self._records.flush()
        self._pending = 0
        self._last_flush = time.monotonic()

    def close(self) -> None:
        """Flushes and closes the file; later events are dropped with a warning."""
        if not self._closed:
            self.flush()
            self._records.close()
            self._closed = True

    def reopen(self) -> None:
        """After `close`: opens a new event file in the same directory."""
        if self._closed:
            self._open()

    def __enter__(self) -> FileWriter:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._closed else "open"
        return f"<tf.summary.FileWriter {self._path!r} ({state})>"


def _check_graph(graph, graph_def, protos, required: bool = False) -> None:
    """TF's checks of the ``graph`` / ``graph_def`` arguments."""
    if graph is not None and graph_def is not None:
        raise ValueError("Please pass only graph, or graph_def (deprecated), but not both.")
    given = graph if graph is not None else graph_def
    if given is None and not required:
        return
    if not isinstance(given, (Graph, protos.graph_pb2.GraphDef)):
        raise TypeError(
            "The passed graph must be an instance of `Graph` or the deprecated `GraphDef`"
        )


class FileWriterCache:
    """One `FileWriter` per logdir, shared (TF's ``tf.summary.FileWriterCache``)."""

    _cache: dict[str, FileWriter] = {}
    _lock = threading.Lock()

    @staticmethod
    def get(logdir) -> FileWriter:
        """The FileWriter for ``logdir``, made (with the default graph) on first use."""
        with FileWriterCache._lock:
            key = os.fspath(logdir)
            writer = FileWriterCache._cache.get(key)
            if writer is None:
                writer = FileWriterCache._cache[key] = FileWriter(key, graph=get_default_graph())
            return writer

    @staticmethod
    def clear() -> None:
        """Closes and forgets every cached FileWriter."""
        with FileWriterCache._lock:
            for writer in FileWriterCache._cache.values():
                writer.close()
            FileWriterCache._cache.clear()

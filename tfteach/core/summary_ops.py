"""Summary ops: ``tf.summary.scalar``, ``histogram``, ``text``, ``merge`` and ``merge_all``.

A summary op is a graph op like any other: running it in a session gives a
scalar string, the bytes of a serialized `Summary` protocol buffer, which a
`FileWriter` wraps in an event (see summary_writer.py). As in TF1:

- the op is named after the summary (``loss``, ``train/weights``) and the tag
  is that name with its scope, so tags stay unique; characters TF does not
  allow in names become ``_``, with TF's log message;
- new summaries join the ``SUMMARIES`` collection, which ``merge_all`` merges;
- what can only be checked on the value (a non-scalar passed to ``scalar``, a
  NaN in a histogram, two summaries with one tag) fails at run time with TF's
  ``InvalidArgumentError``.

The protocol buffers come from the optional ``tensorboard`` package (see
summary_protos.py): building a summary op without it raises ImportError
naming the extra, before anything is added to the graph.
"""

from __future__ import annotations

import logging
import re
import sys

import numpy as np

from . import dtypes
from .constant_op import convert_to_tensor
from .errors import InvalidArgumentError
from .graph import GraphKeys, Operation, Tensor, atomic, get_collection, get_default_graph
from .registry import register
from .summary_protos import load as load_protos
from .tensor_shape import TensorShape

# TF's logger is "tensorflow"; tfteach's messages go to "tfteach"
log = logging.getLogger("tfteach")

# every character TF does not accept in a summary name (summary_op_util.py)
_INVALID_TAG_CHARACTERS = re.compile(r"[^-/\w\.]")

# the dtypes ScalarSummary and HistogramSummary accept (TF's "realnumbertypes")
_REAL_NUMBER_TYPES = (
    dtypes.float32,
    dtypes.float64,
    dtypes.int32,
    dtypes.uint8,
    dtypes.int16,
    dtypes.int8,
    dtypes.int64,
    dtypes.uint16,
    dtypes.float16,
)
_REAL_NUMBER_TEXT = (
    "float32, float64, int32, uint8, int16, int8, int64, bfloat16, uint16, float16, uint32, uint64"
)


def _string_scalar(op: Operation):
    """Shape rule of every summary op: one scalar string, the serialized Summary."""
    return [(TensorShape([]), dtypes.string)]


def _shape_text(shape: tuple) -> str:
    """A shape as TF's kernels print it: ``[]``, ``[2]``, ``[2,3]``."""
    return "[" + ",".join(str(d) for d in shape) + "]"


def _text(value) -> str:
    """A scalar string tensor's value (bytes) as text."""
    value = value[()] if isinstance(value, np.ndarray) else value
    return value.decode() if isinstance(value, bytes) else str(value)


def _serialized(summary) -> np.ndarray:
    return np.array(summary.SerializeToString(), dtype=object)


# -- ScalarSummary -----------------------------------------------------------------------


@register("ScalarSummary", shape=_string_scalar)
def _scalar_summary_kernel(ctx, op, tags, values):
    if tags.shape != values.shape:
        single = f" (tag '{_text(tags)}')" if tags.ndim == 0 else ""
        raise InvalidArgumentError(
            None,
            op,
            f"tags and values are not the same shape: {_shape_text(tags.shape)} != "
            f"{_shape_text(values.shape)}{single}",
        )
    summary = load_protos().summary_pb2.Summary()
    if tags.ndim == 0:  # what tf.summary.scalar builds: one tag, one value
        summary.value.add(tag=_text(tags), simple_value=float(values))
    else:  # the raw op also takes tags and values of one shape, a value per tag
        for tag, value in zip(tags.reshape(-1), values.reshape(-1)):
            summary.value.add(tag=_text(tag), simple_value=float(value))
    return _serialized(summary)


# -- HistogramSummary --------------------------------------------------------------------

_DBL_MAX = sys.float_info.max
_bucket_limits: np.ndarray | None = None


def default_bucket_limits() -> np.ndarray:
    """TF's histogram buckets: limits growing by 10% from 1e-12 up to 1e20, mirrored
    below zero, with ±DBL_MAX at the ends (tensorflow/core/lib/histogram)."""
    global _bucket_limits
    if _bucket_limits is None:
        positive = []
        v = 1.0e-12
        while v < 1.0e20:  # multiplied step by step, so the limits are TF's to the last bit
            positive.append(v)
            v *= 1.1
        positive.append(_DBL_MAX)
        negative = [-x for x in reversed(positive)]
        _bucket_limits = np.array([*negative, 0.0, *positive])
    return _bucket_limits


def histogram_proto(values: np.ndarray, tag: str = "", op: Operation | None = None):
    """The `HistogramProto` TF's HistogramSummary kernel makes of ``values``: count, sum,
    sum of squares, min, max, and the counts in TF's buckets, each run of empty buckets
    folded into one (a value goes into the first bucket whose limit exceeds it)."""
    values = np.asarray(values, dtype=np.float64).reshape(-1)
    bad = np.flatnonzero(~np.isfinite(values))
    if bad.size:
        first = values[bad[0]]
        text = (
            "Nan in summary histogram for: " if np.isnan(first) else "Infinity in Histogram for: "
        )
        raise InvalidArgumentError(None, op, text + tag)
    limits = default_bucket_limits()
    counts = np.bincount(np.searchsorted(limits, values, side="right"), minlength=len(limits))
    # keep the non-empty buckets and the last bucket of each run of empty ones
    empty = counts == 0
    run_ends = empty & np.append(~empty[1:], True)
    keep = ~empty | run_ends
    histo = load_protos().summary_pb2.HistogramProto(
        min=float(values.min()) if values.size else _DBL_MAX,
        max=float(values.max()) if values.size else -_DBL_MAX,
        num=float(values.size),
        # added in order, as the kernel adds them (numpy's sum pairs them up instead)
        sum=float(np.cumsum(values)[-1]) if values.size else 0.0,
        sum_squares=float(np.cumsum(values * values)[-1]) if values.size else 0.0,
        bucket_limit=limits[keep].tolist(),
        bucket=counts[keep].astype(np.float64).tolist(),
    )
    return histo


@register("HistogramSummary", shape=_string_scalar)
def _histogram_summary_kernel(ctx, op, tag, values):
    tag = _text(tag)
    summary = load_protos().summary_pb2.Summary()
    summary.value.add(tag=tag, histo=histogram_proto(values, tag, op))
    return _serialized(summary)


# -- TensorSummaryV2 (text) --------------------------------------------------------------


@register("TensorSummaryV2", shape=_string_scalar)
def _tensor_summary_kernel(ctx, op, tag, tensor, serialized_metadata):
    protos = load_protos()
    summary = protos.summary_pb2.Summary()
    value = summary.value.add(tag=_text(tag))
    value.metadata.ParseFromString(serialized_metadata[()])
    value.tensor.CopyFrom(protos.tensor_util.make_tensor_proto(tensor))
    return _serialized(summary)


# -- MergeSummary ------------------------------------------------------------------------


@register("MergeSummary", shape=_string_scalar)
def _merge_summary_kernel(ctx, op, *serialized):
    pb = load_protos().summary_pb2
    merged, tags = pb.Summary(), set()
    for data in serialized:
        for value in pb.Summary.FromString(data[()]).value:
            if value.tag in tags:
                raise InvalidArgumentError(
                    None, op, f"Duplicate tag {value.tag} found in summary inputs "
                )
            tags.add(value.tag)
            merged.value.add().CopyFrom(value)
    return _serialized(merged)


# -- the Python API ----------------------------------------------------------------------


def clean_tag(name: str | None) -> str | None:
    """``name`` with the characters TF does not allow replaced by ``_`` and leading
    slashes removed, logging TF's message when it changes."""
    if name is None:
        return None
    new_name = _INVALID_TAG_CHARACTERS.sub("_", name).lstrip("/")
    if new_name != name:
        log.info("Summary name %s is illegal; using %s instead.", name, new_name)
    return new_name


def _summary_scope(graph, name: str, family: str | None):
    """TF's summary_scope: the name scope the summary's ops go in, and its tag (the
    scope's full name, so two summaries named alike get distinct tags)."""
    name, family = clean_tag(name), clean_tag(family)
    base = name if family is None else f"{family}/{name}"
    scope = graph.name_scope(base)
    return scope, family


def _collect(tensor: Tensor, collections, default) -> None:
    for key in default if collections is None else collections:
        tensor.graph.add_to_collection(key, tensor)


def _check_real(tensor: Tensor) -> None:
    if tensor.dtype.base_dtype not in _REAL_NUMBER_TYPES:
        raise TypeError(
            f"Value passed to parameter 'values' has DataType {tensor.dtype.base_dtype.name} "
            f"not in list of allowed values: {_REAL_NUMBER_TEXT}"
        )


def _tag_of(prefix: str, family: str | None) -> str:
    tag = prefix.rstrip("/")
    return tag if family is None else f"{family}/{tag}"


@atomic
def _summary_op(op_type: str, name, family, tag_input: str, value, attrs=None, extra=()):
    """Builds a summary op of ``op_type`` in its summary scope: a Const tag named
    ``<scope>/<tag_input>``, the value, then ``extra`` inputs; returns its tensor."""
    load_protos()  # fail before touching the graph when the extra is missing
    graph = get_default_graph()
    scope, family = _summary_scope(graph, name, family)
    with scope as prefix:
        tag = _tag_of(prefix, family)
        if not isinstance(value, Tensor):
            value = convert_to_tensor(value, name="values")
        if op_type != "TensorSummaryV2":
            _check_real(value)
        tag_tensor = convert_to_tensor(tag, dtype=dtypes.string, name=tag_input)
        extra_tensors = [convert_to_tensor(v, dtype=dtypes.string, name=n) for n, v in extra]
        attrs = {"T": value.dtype.base_dtype, **(attrs or {})}
        inputs = [tag_tensor, value, *extra_tensors]
        # a name ending in "/" gives the op exactly the scope's name, as TF's summaries
        return graph.create_op(op_type, inputs, attrs, name=prefix)._first


def scalar(name: str, tensor, collections=None, family: str | None = None) -> Tensor:
    """A summary op holding one scalar value (a `Summary` with ``simple_value``), added to
    ``collections`` (default: ``[GraphKeys.SUMMARIES]``)."""
    value = _summary_op("ScalarSummary", name, family, "tags", tensor)
    _collect(value, collections, [GraphKeys.SUMMARIES])
    return value


def histogram(name: str, values, collections=None, family: str | None = None) -> Tensor:
    """A summary op holding a histogram of ``values`` in TF's buckets (a `Summary` with
    ``histo``), added to ``collections`` (default: ``[GraphKeys.SUMMARIES]``)."""
    value = _summary_op("HistogramSummary", name, family, "tag", values)
    _collect(value, collections, [GraphKeys.SUMMARIES])
    return value


def text(name: str, tensor, collections=None) -> Tensor:
    """A summary op holding a string tensor for TensorBoard's text dashboard."""
    if tensor.dtype.base_dtype is not dtypes.string:
        raise ValueError(f"Expected tensor {tensor.name} to have dtype string, got {tensor.dtype}")
    metadata = (
        load_protos()
        .summary_pb2.SummaryMetadata(plugin_data={"plugin_name": "text"})
        .SerializeToString()
    )
    value = _summary_op(
        "TensorSummaryV2",
        name,
        None,
        "tag",
        tensor,
        extra=[("serialized_summary_metadata", metadata)],
    )
    _collect(value, collections, [GraphKeys.SUMMARIES])
    return value


@atomic
def merge(inputs, collections=None, name: str | None = None) -> Tensor:
    """One summary op whose value holds the values of all of ``inputs`` (summary tensors)."""
    load_protos()
    inputs = [convert_to_tensor(t) for t in inputs]
    if not inputs:
        raise ValueError(
            "List argument 'inputs' to 'MergeSummary' Op with length 0 shorter than minimum "
            "length 1."
        )
    wrong = [t.dtype.base_dtype.name for t in inputs if t.dtype.base_dtype is not dtypes.string]
    if wrong:
        raise TypeError(
            f"Tensors in list passed to 'inputs' of 'MergeSummary' Op have types "
            f"[{', '.join(t.dtype.base_dtype.name for t in inputs)}] that do not match "
            "expected type string."
        )
    name = clean_tag(name)
    graph = get_default_graph()
    with graph.name_scope(name or "Merge"):
        value = graph.create_op(
            "MergeSummary", inputs, {"N": len(inputs)}, name=name or "MergeSummary"
        )._first
    _collect(value, collections, [])
    return value


def merge_all(key=GraphKeys.SUMMARIES, scope: str | None = None, name: str | None = None):
    """`merge` of the summaries in collection ``key`` (filtered by ``scope``), or None
    when there are none."""
    summaries = get_collection(key, scope=scope)
    if not summaries:
        return None
    return merge(summaries, name=name)

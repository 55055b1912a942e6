"""Layer ops (``tf.nn``): softmax and the cross-entropy losses, l2_loss, bias_add, conv2d
and max_pool in NHWC layout, embedding_lookup; each with its shape rule, kernel and gradient."""

from __future__ import annotations

import numpy as np

from . import dtypes
from .array_ops import stop_gradient, where, zeros_like
from .constant_op import (
    convert_to_tensor,
    identity,
    int32_const,
    new_op,
    same_as_input,
    shape_of,
)
from .errors import InvalidArgumentError
from .graph import Tensor, atomic, get_default_graph, name_scope
from .math_ops import add, cast, exp, log1p
from .registry import register
from .tensor_shape import TensorShape


def _text(op) -> str:
    shapes = ", ".join(t.shape._shape_text() for t in op.inputs)
    return f"'{op.name}' (op: '{op.type}') with input shapes: {shapes}"


def _expand_last(t: Tensor) -> Tensor:
    return new_op("ExpandDims", [t, int32_const(-1, name="dim")])


def _sum_last(t: Tensor) -> Tensor:
    return new_op("Sum", [t, int32_const([-1])], {"keep_dims": True})


# -- Softmax, LogSoftmax --------------------------------------------------------------------------


def _softmax_np(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    e /= e.sum(axis=-1, keepdims=True)
    return e


def _log_softmax_np(x: np.ndarray) -> np.ndarray:
    shifted = x - x.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def _check_rank_at_least_1(op):
    if op.inputs[0].shape.ndims == 0:
        raise ValueError(f"Shape must be at least rank 1 but is rank 0 for {_text(op)}.")
    return same_as_input(op)


def _softmax_grad(op, grad):
    # (grad - sum(grad * softmax)) * softmax, along the last axis
    y = op._first
    dot = _sum_last(new_op("Mul", [grad, y]))
    return [new_op("Mul", [new_op("Sub", [grad, dot]), y])]


def _log_softmax_grad(op, grad):
    softmax = new_op("Exp", [op._first])
    return [new_op("Sub", [grad, new_op("Mul", [_sum_last(grad), softmax])])]


@register("Softmax", shape=_check_rank_at_least_1, grad=_softmax_grad)
def _softmax_kernel(ctx, op, x):
    return _softmax_np(x)


@register("LogSoftmax", shape=_check_rank_at_least_1, grad=_log_softmax_grad)
def _log_softmax_kernel(ctx, op, x):
    return _log_softmax_np(x)


def _along_axis(op_type: str, logits, axis, name) -> Tensor:
    """``op_type`` (which works on the last axis) applied along ``axis``."""
    x = convert_to_tensor(logits)
    axis = -1 if axis is None else int(axis)
    rank = x.shape.ndims
    if axis in (-1, None) or (rank is not None and axis == rank - 1):
        return new_op(op_type, [x], name=name)
    if rank is None:
        raise ValueError(f"tfteach needs the rank of {x.name} to apply {op_type} along {axis}.")
    if not -rank <= axis < rank:
        raise ValueError(f"`axis` = {axis} is out of range for a tensor of rank {rank}.")
    perm = list(range(rank))
    perm[axis % rank], perm[-1] = perm[-1], perm[axis % rank]
    moved = new_op("Transpose", [x, int32_const(perm, name="perm")], name="transpose")
    out = new_op(op_type, [moved])
    return new_op("Transpose", [out, int32_const(perm, name="perm")], name=name or "transpose")


def softmax(logits, axis=None, name: str | None = None, dim=None) -> Tensor:
    """``exp(logits) / reduce_sum(exp(logits), axis)`` (default: the last axis)."""
    return _along_axis("Softmax", logits, dim if axis is None else axis, name)


def log_softmax(logits, axis=None, name: str | None = None, dim=None) -> Tensor:
    """``logits - log(reduce_sum(exp(logits), axis))`` (default: the last axis)."""
    return _along_axis("LogSoftmax", logits, dim if axis is None else axis, name)


# -- SoftmaxCrossEntropyWithLogits ----------------------------------------------------------------


def _xent_shape(op):
    logits, labels = op.inputs
    if labels.dtype.base_dtype is not logits.dtype.base_dtype:
        raise TypeError(
            f"Input 'labels' of 'SoftmaxCrossEntropyWithLogits' Op has type "
            f"{labels.dtype.base_dtype.name} that does not match type "
            f"{logits.dtype.base_dtype.name} of argument 'features'."
        )
    shape = logits.shape
    if not shape.is_compatible_with(labels.shape):
        raise ValueError(
            f"logits and labels must be broadcastable: logits_size={logits.shape._shape_text()} "
            f"labels_size={labels.shape._shape_text()} for {_text(op)}."
        )
    shape = shape.merge_with(labels.shape)
    if shape.ndims is not None and shape.ndims != 2:
        raise ValueError(f"Shape must be rank 2 but is rank {shape.ndims} for {_text(op)}.")
    batch = TensorShape(None if shape.ndims is None else [shape[0].value])
    dtype = logits.dtype.base_dtype
    return [(batch, dtype), (shape, dtype)]


def _xent_grad(op, grad_loss, grad_backprop):
    logits = op.inputs[0]
    g = _expand_last(grad_loss)
    grad_logits = new_op("Mul", [g, op.outputs[1]])
    if grad_backprop is not None:  # only when the backprop output itself was differentiated
        softmax = new_op("Softmax", [logits])
        dot = _sum_last(new_op("Mul", [grad_backprop, softmax]))
        extra = new_op("Mul", [new_op("Sub", [grad_backprop, dot]), softmax])
        grad_logits = new_op("AddV2", [grad_logits, extra])
    neg_log_softmax = new_op("Neg", [new_op("LogSoftmax", [logits])])
    return [grad_logits, new_op("Mul", [g, neg_log_softmax])]


@register("SoftmaxCrossEntropyWithLogits", shape=_xent_shape, grad=_xent_grad)
def _xent_kernel(ctx, op, logits, labels):
    log_p = _log_softmax_np(logits)
    loss = -np.sum(labels * log_p, axis=-1)
    return loss, np.exp(log_p) - labels


def _flatten_outer(t: Tensor) -> Tensor:
    return new_op("Reshape", [t, int32_const([-1, t.shape[-1].value or -1])])


def softmax_cross_entropy_with_logits_v2(labels, logits, axis=None, name=None, dim=None):
    """Per example: ``-sum(labels * log(softmax(logits)))`` along ``axis`` (default last).

    Gradients flow into both logits and labels.
    """
    if axis is None:
        axis = -1 if dim is None else dim
    with name_scope(name, "softmax_cross_entropy_with_logits") as scope:
        logits = convert_to_tensor(logits, name="logits")
        labels = cast(convert_to_tensor(labels, name="labels"), logits.dtype)
        rank = logits.shape.ndims
        if rank == 2 and axis in (-1, 1):
            return (
                get_default_graph()
                .create_op("SoftmaxCrossEntropyWithLogits", [logits, labels], name=scope)
                ._first
            )
        if rank is None:
            raise ValueError(f"tfteach needs the rank of the logits {logits.name}.")
        if axis not in (-1, rank - 1):
            perm = list(range(rank))
            perm[axis % rank], perm[-1] = perm[-1], perm[axis % rank]
            logits = new_op("Transpose", [logits, int32_const(perm)], name="transpose")
            labels = new_op("Transpose", [labels, int32_const(perm)], name="transpose_1")
        batch_shape = shape_of(logits)
        cost = (
            get_default_graph()
            .create_op(
                "SoftmaxCrossEntropyWithLogits",
                [_flatten_outer(logits), _flatten_outer(labels)],
                name="SoftmaxCrossEntropyWithLogits",
            )
            ._first
        )
        out_shape = new_op("Slice", [batch_shape, int32_const([0]), int32_const([rank - 1])])
        out = new_op("Reshape", [cost, out_shape], name=scope)
        out.set_shape(logits.shape[:-1])
        return out


def softmax_cross_entropy_with_logits(
    labels=None, logits=None, dim=-1, name=None, axis=None
) -> Tensor:
    """TF1's deprecated form: like the v2 op, but no gradient flows into ``labels``."""
    _check_both_given("softmax_cross_entropy_with_logits", labels, logits)
    with name_scope(name, "softmax_cross_entropy_with_logits_sg") as scope:
        labels = stop_gradient(labels, name="labels_stop_gradient")
        return softmax_cross_entropy_with_logits_v2(
            labels=labels, logits=logits, axis=dim if axis is None else axis, name=scope
        )


def _check_both_given(fn_name: str, labels, logits) -> None:
    # TF 2.21's words (TF 1.x also refused positional arguments; TF 2.x takes them in order)
    if labels is None or logits is None:
        raise ValueError(
            f"Both `labels` and `logits` must be provided for {fn_name}Received: "
            f"labels={labels} and logits={logits}"
        )


# -- sigmoid_cross_entropy_with_logits --------------------------------------------------------


@atomic
def sigmoid_cross_entropy_with_logits(labels=None, logits=None, name=None) -> Tensor:
    """Elementwise logistic loss ``-z log(sigmoid(x)) - (1 - z) log(1 - sigmoid(x))`` for
    labels z and logits x, computed as TF does so that it never overflows:
    ``max(x, 0) - x z + log(1 + exp(-|x|))``."""
    _check_both_given("sigmoid_cross_entropy_with_logits", labels, logits)
    with name_scope(name, "logistic_loss") as scope:
        logits = convert_to_tensor(logits, name="logits")
        labels = convert_to_tensor(labels, dtype=logits.dtype.base_dtype, name="labels")
        if not logits.shape.is_compatible_with(labels.shape):
            raise ValueError(
                f"logits and labels must have the same shape ({logits.shape} vs {labels.shape})"
            )
        zeros = zeros_like(logits, dtype=logits.dtype)
        positive = logits >= zeros
        relu_logits = where(positive, logits, zeros)
        neg_abs_logits = where(positive, -logits, logits)
        return add(relu_logits - logits * labels, log1p(exp(neg_abs_logits)), name=scope)


# -- SparseSoftmaxCrossEntropyWithLogits ---------------------------------------------------------


def _sparse_xent_shape(op):
    logits, labels = op.inputs
    if not labels.dtype.is_integer:
        raise TypeError(
            f"Value passed to parameter 'labels' has DataType {labels.dtype.base_dtype.name} not "
            "in list of allowed values: int32, int64"
        )
    dtype = logits.dtype.base_dtype
    batch = labels.shape.merge_with(logits.shape[:1]) if logits.shape.ndims else labels.shape
    return [(batch, dtype), (logits.shape, dtype)]


def _sparse_xent_grad(op, grad_loss, grad_backprop):
    return [new_op("Mul", [_expand_last(grad_loss), op.outputs[1]]), None]


@register("SparseSoftmaxCrossEntropyWithLogits", shape=_sparse_xent_shape, grad=_sparse_xent_grad)
def _sparse_xent_kernel(ctx, op, logits, labels):
    n = logits.shape[-1]
    bad = (labels < 0) | (labels >= n)
    if np.any(bad):
        values = " ".join(str(int(v)) for v in labels)
        raise InvalidArgumentError(
            None,
            op,
            f"Received a label value of {int(labels[bad][0])} which is outside the valid range "
            f"of [0, {n}).  Label values: {values}",
        )
    log_p = _log_softmax_np(logits)
    rows = np.arange(len(labels))
    backprop = np.exp(log_p)
    backprop[rows, labels] -= 1
    return -log_p[rows, labels], backprop


def sparse_softmax_cross_entropy_with_logits(labels=None, logits=None, name=None) -> Tensor:
    """Per example: ``-log(softmax(logits)[label])``, labels given as class indices."""
    _check_both_given("sparse_softmax_cross_entropy_with_logits", labels, logits)
    with name_scope(name, "SparseSoftmaxCrossEntropyWithLogits"):
        labels = convert_to_tensor(labels)
        logits = convert_to_tensor(logits)
        lr, gr = labels.shape.ndims, logits.shape.ndims
        if lr is not None and gr is not None and lr != gr - 1:
            raise ValueError(
                "`labels.shape.rank` must equal `logits.shape.rank - 1`. Received: "
                f"labels.shape={labels.shape} of rank {lr} and logits.shape={logits.shape} "
                f"of rank {gr}"
            )
        if gr == 2:
            op = get_default_graph().create_op(
                "SparseSoftmaxCrossEntropyWithLogits",
                [logits, labels],
                name="SparseSoftmaxCrossEntropyWithLogits",
            )
            return op._first
        if gr is None or lr is None:
            raise ValueError(f"tfteach needs the ranks of the logits {logits.name} and labels.")
        labels_shape = shape_of(labels)
        flat_labels = new_op("Reshape", [labels, int32_const([-1])])
        cost = (
            get_default_graph()
            .create_op(
                "SparseSoftmaxCrossEntropyWithLogits",
                [_flatten_outer(logits), flat_labels],
                name="SparseSoftmaxCrossEntropyWithLogits",
            )
            ._first
        )
        out = new_op("Reshape", [cost, labels_shape])
        out.set_shape(labels.shape)
        return out


# -- L2Loss, BiasAdd ------------------------------------------------------------------------------


@register(
    "L2Loss",
    shape=lambda op: [(TensorShape(()), op.inputs[0].dtype.base_dtype)],
    grad=lambda op, grad: [new_op("Mul", [op.inputs[0], grad])],
)
def _l2_loss_kernel(ctx, op, x):
    return np.asarray(np.sum(np.square(x)) / 2, dtype=x.dtype)


def l2_loss(t, name: str | None = None) -> Tensor:
    """``sum(t ** 2) / 2``."""
    return new_op("L2Loss", [convert_to_tensor(t)], name=name)


def _bias_add_shape(op):
    value, bias = op.inputs
    if bias.dtype.base_dtype is not value.dtype.base_dtype:
        raise TypeError(
            f"Input 'bias' of 'BiasAdd' Op has type {bias.dtype.base_dtype.name} that does not "
            f"match type {value.dtype.base_dtype.name} of argument 'value'."
        )
    if value.shape.ndims is not None and value.shape.ndims < 2:
        raise ValueError(
            f"Shape must be at least rank 2 but is rank {value.shape.ndims} for {_text(op)}."
        )
    if bias.shape.ndims is not None and bias.shape.ndims != 1:
        raise ValueError(f"Shape must be rank 1 but is rank {bias.shape.ndims} for {_text(op)}.")
    if value.shape.ndims is not None and bias.shape.ndims is not None:
        a, b = value.shape[-1].value, bias.shape[0].value
        if a is not None and b is not None and a != b:
            raise ValueError(f"Dimensions must be equal, but are {a} and {b} for {_text(op)}.")
    return same_as_input(op)


@register(
    "BiasAdd",
    shape=_bias_add_shape,
    grad=lambda op, grad: [grad, new_op("BiasAddGrad", [grad])],
)
def _bias_add_kernel(ctx, op, value, bias):
    return value + bias


def _bias_add_grad_shape(op):
    g = op.inputs[0]
    last = None if g.shape.ndims is None else g.shape[-1].value
    return [(TensorShape([last]), g.dtype.base_dtype)]


@register("BiasAddGrad", shape=_bias_add_grad_shape)
def _bias_add_grad_kernel(ctx, op, grad):
    return np.sum(grad, axis=tuple(range(grad.ndim - 1)))


def bias_add(value, bias, data_format: str | None = None, name: str | None = None) -> Tensor:
    """``value + bias``, ``bias`` a vector matching the last dimension of ``value``."""
    _check_nhwc(data_format, "bias_add")
    with name_scope(name, "BiasAdd") as scope:
        value = convert_to_tensor(value, name="input")
        bias = convert_to_tensor(bias, dtype=value.dtype.base_dtype, name="bias")
        return new_op("BiasAdd", [value, bias], name=scope)


def _check_nhwc(data_format, fn_name: str) -> None:
    if data_format not in (None, "NHWC", "N...C"):
        raise ValueError(
            f"tfteach's {fn_name} supports data_format='NHWC' only (batch, height, width, "
            f"channels), got {data_format!r}: transpose the input to NHWC."
        )


# -- windows: padding arithmetic shared by conv2d and max_pool ------------------------------------


def _window_geometry(size: int, k: int, s: int, padding: str) -> tuple[int, int]:
    """(output size, padding before) of one spatial dimension, as TF computes them."""
    if padding == "VALID":
        return (size - k) // s + 1, 0
    out = -(-size // s)
    return out, max((out - 1) * s + k - size, 0) // 2


def _out_dim(size, k, s, padding):
    if size is None or k is None:
        return None
    return _window_geometry(size, k, s, padding)[0]


def _pad_spatial(x: np.ndarray, k, s, padding, fill=0.0):
    """``x`` (NHWC) padded as TF pads it, with the output height and width."""
    (oh, top), (ow, left) = (
        _window_geometry(x.shape[1], k[0], s[0], padding),
        _window_geometry(x.shape[2], k[1], s[1], padding),
    )
    bottom = max((oh - 1) * s[0] + k[0] - x.shape[1] - top, 0)
    right = max((ow - 1) * s[1] + k[1] - x.shape[2] - left, 0)
    if top or bottom or left or right:
        x = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)), constant_values=fill)
    return x, oh, ow, top, left


def _list_of_4(value, what: str, fn_name: str) -> list[int]:
    if isinstance(value, int):
        return [1, value, value, 1]
    value = [int(v) for v in value]
    if len(value) == 1:
        return [1, value[0], value[0], 1]
    if len(value) == 2:
        return [1, value[0], value[1], 1]
    if len(value) != 4:
        raise ValueError(
            f"{what} of {fn_name} must have 1, 2 or 4 elements, got {len(value)}: {value}."
        )
    return value


def _check_padding(padding, op_type: str) -> str:
    if padding not in ("SAME", "VALID"):
        if padding == "EXPLICIT" or isinstance(padding, (list, tuple)):
            raise ValueError(
                f"tfteach's {op_type} supports padding 'SAME' and 'VALID', not explicit padding."
            )
        raise ValueError(
            f"Attr 'padding' of '{op_type}' Op passed string '{padding}' not in: \"SAME\", "
            '"VALID", "EXPLICIT".'
        )
    return padding


def _check_strides(strides: list[int]) -> None:
    if strides[0] != 1 or strides[3] != 1:
        raise ValueError(
            "Current implementation does not yet support strides in the batch and depth dimensions."
        )


# -- Conv2D ---------------------------------------------------------------------------------------


def _conv_shape(op):
    x, f = op.inputs
    if f.dtype.base_dtype is not x.dtype.base_dtype:
        raise TypeError(
            f"Input 'filter' of 'Conv2D' Op has type {f.dtype.base_dtype.name} that does not "
            f"match type {x.dtype.base_dtype.name} of argument 'input'."
        )
    for t in (x, f):
        if t.shape.ndims is not None and t.shape.ndims != 4:
            raise ValueError(f"Shape must be rank 4 but is rank {t.shape.ndims} for {_text(op)}.")
    xd = x.shape.as_tuple() or (None,) * 4
    fd = f.shape.as_tuple() or (None,) * 4
    if xd[3] is not None and fd[2] is not None and xd[3] != fd[2]:
        raise ValueError(
            f"Depth of input ({xd[3]}) is not a multiple of input depth of filter ({fd[2]}) "
            f"for {_text(op)}."
        )
    s, padding = op._attrs["strides"], op._attrs["padding"]
    h = _out_dim(xd[1], fd[0], s[1], padding)
    w = _out_dim(xd[2], fd[1], s[2], padding)
    if (h is not None and h <= 0) or (w is not None and w <= 0):
        raise ValueError(
            f"Negative dimension size caused by subtracting {fd[0]} from {xd[1]} for {_text(op)}."
        )
    return [(TensorShape([xd[0], h, w, fd[3]]), x.dtype.base_dtype)]


def _windows(x: np.ndarray, kh: int, kw: int, sh: int, sw: int, oh: int, ow: int):
    """View of ``x`` (padded NHWC) as (N, oh, ow, C, kh, kw) windows, no copy."""
    view = np.lib.stride_tricks.sliding_window_view(x, (kh, kw), axis=(1, 2))
    return view[:, : (oh - 1) * sh + 1 : sh, : (ow - 1) * sw + 1 : sw]


def _conv_grad(op, grad):
    x, f = op.inputs
    attrs = dict(op._attrs)
    return [
        new_op("Conv2DBackpropInput", [shape_of(x), f, grad], attrs),
        new_op("Conv2DBackpropFilter", [x, shape_of(f), grad], attrs),
    ]


@register("Conv2D", shape=_conv_shape, grad=_conv_grad)
def _conv_kernel(ctx, op, x, f):
    kh, kw = f.shape[:2]
    _, sh, sw, _ = op._attrs["strides"]
    xp, oh, ow, _, _ = _pad_spatial(x, (kh, kw), (sh, sw), op._attrs["padding"])
    windows = _windows(xp, kh, kw, sh, sw, oh, ow)
    return np.tensordot(windows, f, axes=([3, 4, 5], [2, 0, 1])).astype(x.dtype, copy=False)


@register(
    "Conv2DBackpropInput",
    shape=lambda op: [(TensorShape([None] * 4), op.inputs[1].dtype.base_dtype)],
)
def _conv_input_grad_kernel(ctx, op, input_sizes, f, grad):
    """Each output position's gradient spread back over the window it read."""
    kh, kw = f.shape[:2]
    _, sh, sw, _ = op._attrs["strides"]
    n, h, w, c = (int(d) for d in input_sizes)
    probe = np.empty((1, h, w, 1), dtype=f.dtype)
    xp, oh, ow, top, left = _pad_spatial(probe, (kh, kw), (sh, sw), op._attrs["padding"])
    out = np.zeros((n, xp.shape[1], xp.shape[2], c), dtype=f.dtype)
    for a in range(kh):
        for b in range(kw):
            contribution = grad @ f[a, b].T  # (N, oh, ow, C)
            out[:, a : a + (oh - 1) * sh + 1 : sh, b : b + (ow - 1) * sw + 1 : sw] += contribution
    return out[:, top : top + h, left : left + w]


@register(
    "Conv2DBackpropFilter",
    shape=lambda op: [(TensorShape([None] * 4), op.inputs[0].dtype.base_dtype)],
)
def _conv_filter_grad_kernel(ctx, op, x, filter_sizes, grad):
    kh, kw = int(filter_sizes[0]), int(filter_sizes[1])
    _, sh, sw, _ = op._attrs["strides"]
    xp, oh, ow, _, _ = _pad_spatial(x, (kh, kw), (sh, sw), op._attrs["padding"])
    windows = _windows(xp, kh, kw, sh, sw, oh, ow)
    dw = np.tensordot(windows, grad, axes=([0, 1, 2], [0, 1, 2]))  # (C, kh, kw, O)
    return np.ascontiguousarray(dw.transpose(1, 2, 0, 3)).astype(x.dtype, copy=False)


def conv2d(
    input=None,
    filter=None,
    strides=None,
    padding=None,
    use_cudnn_on_gpu: bool = True,
    data_format: str = "NHWC",
    dilations=None,
    name: str | None = None,
    filters=None,
) -> Tensor:
    """2-D convolution (cross-correlation, as TF) of NHWC ``input`` with ``filter``
    [height, width, in_channels, out_channels]."""
    if filter is None:
        filter = filters  # noqa: A001 - TF's argument names
    _check_nhwc(data_format, "conv2d")
    if dilations is not None and any(int(d) != 1 for d in _list_of_4(dilations, "dilations", "")):
        raise ValueError(f"tfteach's conv2d supports dilations of 1 only, got {dilations}.")
    if strides is None:
        raise ValueError("conv2d needs `strides`, for instance [1, 1, 1, 1].")
    strides = _list_of_4(strides, "strides", "conv2d")
    _check_strides(strides)
    attrs = {
        "strides": strides,
        "padding": _check_padding(padding, "Conv2D"),
        "data_format": "NHWC",
        "dilations": [1, 1, 1, 1],
        "use_cudnn_on_gpu": bool(use_cudnn_on_gpu),
    }
    with name_scope(name, "Conv2D") as scope:
        x = convert_to_tensor(input, name="input")
        f = convert_to_tensor(filter, dtype=x.dtype.base_dtype, name="filter")
        return new_op("Conv2D", [x, f], attrs, name=scope)


# -- MaxPool ----------------------------------------------------------------------------------


def _max_pool_shape(op):
    x = op.inputs[0]
    if x.shape.ndims is not None and x.shape.ndims != 4:
        raise ValueError(f"Shape must be rank 4 but is rank {x.shape.ndims} for {_text(op)}.")
    xd = x.shape.as_tuple() or (None,) * 4
    k, s, padding = op._attrs["ksize"], op._attrs["strides"], op._attrs["padding"]
    h, w = _out_dim(xd[1], k[1], s[1], padding), _out_dim(xd[2], k[2], s[2], padding)
    if (h is not None and h <= 0) or (w is not None and w <= 0):
        raise ValueError(
            f"Negative dimension size caused by subtracting {k[1]} from {xd[1]} for {_text(op)}."
        )
    return [(TensorShape([xd[0], h, w, xd[3]]), x.dtype.base_dtype)]


def _pool_windows(op, x, fill=None):
    """``x`` padded with ``fill`` (default: the lowest value, for a maximum), and for each
    position in the window, the index of the strided view holding that position of every
    window."""
    _, kh, kw, _ = op._attrs["ksize"]
    _, sh, sw, _ = op._attrs["strides"]
    if fill is None:
        fill = -np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min
    xp, oh, ow, top, left = _pad_spatial(x, (kh, kw), (sh, sw), op._attrs["padding"], fill)
    index = [
        (slice(None), slice(a, a + (oh - 1) * sh + 1, sh), slice(b, b + (ow - 1) * sw + 1, sw))
        for a in range(kh)
        for b in range(kw)
    ]
    return xp, index, top, left


def _max_pool_grad(op, grad):
    return [new_op("MaxPoolGrad", [op.inputs[0], op._first, grad], dict(op._attrs))]


@register("MaxPool", shape=_max_pool_shape, grad=_max_pool_grad)
def _max_pool_kernel(ctx, op, x):
    xp, index, _, _ = _pool_windows(op, x)
    out = xp[index[0]].copy()
    for i in index[1:]:
        np.maximum(out, xp[i], out=out)
    return out


@register("MaxPoolGrad", shape=lambda op: [(op.inputs[0].shape, op.inputs[0].dtype.base_dtype)])
def _max_pool_grad_kernel(ctx, op, x, y, grad):
    """Each window's gradient goes to its maximum (the first one, in row-major order)."""
    xp, index, top, left = _pool_windows(op, x)
    taken = np.zeros(y.shape, dtype=bool)
    dxp = np.zeros(xp.shape, dtype=grad.dtype)
    for i in index:
        hit = (xp[i] == y) & ~taken
        taken |= hit
        dxp[i] += grad * hit
    return dxp[:, top : top + x.shape[1], left : left + x.shape[2]]


def max_pool(
    value=None,
    ksize=None,
    strides=None,
    padding=None,
    data_format: str = "NHWC",
    name: str | None = None,
    input=None,
) -> Tensor:
    """The maximum of each ``ksize`` window of NHWC ``value``, windows ``strides`` apart."""
    return pool_op(
        "MaxPool", value if value is not None else input, ksize, strides, padding, data_format, name
    )


def pool_op(op_type: str, value, ksize, strides, padding, data_format, name) -> Tensor:
    """A pooling op (MaxPool, AvgPool) after TF's checks of its arguments."""
    fn_name = {"MaxPool": "max_pool", "AvgPool": "avg_pool"}[op_type]
    _check_nhwc(data_format, fn_name)
    if ksize is None or strides is None:
        raise ValueError(f"{fn_name} needs `ksize` and `strides`, for instance [1, 2, 2, 1].")
    ksize = _list_of_4(ksize, "ksize", fn_name)
    strides = _list_of_4(strides, "strides", fn_name)
    _check_strides(strides)
    if ksize[0] != 1 or ksize[3] != 1:
        raise ValueError("Pooling is not yet supported on the batch nor the depth dimension.")
    attrs = {
        "ksize": ksize,
        "strides": strides,
        "padding": _check_padding(padding, op_type),
        "data_format": "NHWC",
    }
    with name_scope(name, op_type) as scope:
        x = convert_to_tensor(value, name="input")
        return new_op(op_type, [x], attrs, name=scope)


# -- embedding_lookup ---------------------------------------------------------------------------


def embedding_lookup(
    params,
    ids,
    partition_strategy: str = "mod",
    name: str | None = None,
    validate_indices: bool = True,
    max_norm=None,
) -> Tensor:
    """The rows of ``params`` at ``ids`` (a ``GatherV2`` on axis 0)."""
    if isinstance(params, (list, tuple)):
        if len(params) != 1:
            raise ValueError(
                f"tfteach's embedding_lookup takes one params tensor, got a list of "
                f"{len(params)}: concatenate them with tf.concat(params, 0) first."
            )
        params = params[0]
    if max_norm is not None:
        raise ValueError(
            f"tfteach's embedding_lookup does not clip rows: pass max_norm=None, got {max_norm}."
        )
    with name_scope(name, "embedding_lookup") as scope:
        p = convert_to_tensor(params)
        i = convert_to_tensor(ids, name="ids")
        axis = convert_to_tensor(0, dtype=dtypes.int32, name="axis")
        gathered = new_op("GatherV2", [p, i, axis], name=scope)
        return identity(gathered)


__all__ = [
    "bias_add",
    "conv2d",
    "embedding_lookup",
    "l2_loss",
    "log_softmax",
    "max_pool",
    "softmax",
    "softmax_cross_entropy_with_logits",
    "softmax_cross_entropy_with_logits_v2",
    "sparse_softmax_cross_entropy_with_logits",
]

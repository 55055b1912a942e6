"""Shape and layout ops: stack, zeros/ones and fill, reshape, expand_dims, squeeze,
transpose, concat, slice, pad, unstack, gather, segment sums, where."""

from __future__ import annotations

import math

import numpy as np

from . import dtypes
from .constant_op import (
    _contains_tensor,
    check_allocation,
    constant,
    constant_value,
    convert_to_tensor,
    identity,
    int32_const,
    new_op,
    not_differentiable,
    pack,
    same_as_input,
    shape,
    shape_array,
    shape_from_tensor,
    shape_of,
    shape_tensor,
)
from .dtypes import as_dtype
from .errors import InvalidArgumentError
from .graph import Tensor, atomic, get_default_graph, name_scope
from .math_ops import range_, reduce_sum, subtract
from .registry import register, set_gradient
from .tensor_shape import TensorShape, as_shape


@atomic
def stack(values, axis: int = 0, name: str = "stack") -> Tensor:
    """The tensors in ``values`` stacked along a new dimension ``axis``."""
    values = list(values)
    if axis == 0 and not _contains_tensor(values):
        # as TF: a list of plain values is one constant (``stack([])`` is an empty float32)
        return convert_to_tensor(values, name=name)
    if not values:
        raise IndexError("list index out of range")  # TF reads values[0] for the shape
    return pack(values, axis=axis, name=name)


# -- zeros / ones ----------------------------------------------------------------------------


_FILL_FROM = 1000  # TF stores smaller zeros/ones as a Const, fills larger ones at run time


@atomic
def _filled(shape, dtype, value, name):
    dtype = as_dtype(dtype).base_dtype
    if not isinstance(shape, Tensor):
        dims = as_shape(shape).as_list()
        if None not in dims and math.prod(dims) < _FILL_FROM:
            fill_value = np.full(
                dims, value, dtype=object if dtype is dtypes.string else dtype.np_dtype
            )
            return constant(fill_value, dtype=dtype, name=name)
    with name_scope(name, "fill") as scope:
        if not isinstance(shape, Tensor):
            shape = constant(shape_array(dims), name="shape_as_tensor")
        v = constant(value, dtype=dtype, name="Const")
        return get_default_graph().create_op("Fill", [shape, v], name=scope)._first


def _fill_shape(op):
    return [(shape_from_tensor(op.inputs[0]), op.inputs[1].dtype.base_dtype)]


@register("Fill", shape=_fill_shape)
def _fill_kernel(ctx, op, dims, value):
    dims = tuple(int(d) for d in dims)
    check_allocation(op, dims, value.dtype)  # dims may be known only now (a fed shape)
    return np.full(dims, value, dtype=value.dtype)


@atomic
def fill(dims, value, name: str | None = None) -> Tensor:
    v = convert_to_tensor(value)
    d = shape_tensor(dims)
    return get_default_graph().create_op("Fill", [d, v], name=name or "Fill")._first


def zeros(shape, dtype=dtypes.float32, name: str | None = None) -> Tensor:
    """A tensor of zeros (``False`` for bool, ``b''`` for string)."""
    dtype = as_dtype(dtype)
    zero = b"" if dtype is dtypes.string else (False if dtype.is_bool else 0)
    return _filled(shape, dtype, zero, name or "zeros")


def ones(shape, dtype=dtypes.float32, name: str | None = None) -> Tensor:
    """A tensor of ones (``True`` for bool)."""
    dtype = as_dtype(dtype)
    return _filled(shape, dtype, True if dtype.is_bool else 1, name or "ones")


def zeros_like(tensor, dtype=None, name: str | None = None) -> Tensor:
    t = convert_to_tensor(tensor)
    return zeros(t.shape if t.shape.is_fully_defined() else shape(t), dtype or t.dtype, name)


def ones_like(tensor, dtype=None, name: str | None = None) -> Tensor:
    t = convert_to_tensor(tensor)
    return ones(t.shape if t.shape.is_fully_defined() else shape(t), dtype or t.dtype, name)


# -- gradients of the ops above, and helpers gradient functions share --------------------------


def _fill_grad(op, grad):
    return [None, reduce_sum(grad)]


def _pack_grad(op, grad):
    return unstack(grad, num=len(op.inputs), axis=op._attrs["axis"])


set_gradient("Fill", _fill_grad)
set_gradient("Pack", _pack_grad)


# -- ZerosLike, OnesLike, StopGradient -----------------------------------------------------------


@register("ZerosLike", shape=same_as_input, grad=not_differentiable)
def _zeros_like_kernel(ctx, op, x):
    return np.zeros_like(x)


@register("OnesLike", shape=same_as_input, grad=not_differentiable)
def _ones_like_kernel(ctx, op, x):
    return np.ones_like(x)


@register("StopGradient", shape=same_as_input, grad=not_differentiable)
def _stop_gradient_kernel(ctx, op, x):
    return x


def stop_gradient(input, name: str | None = None) -> Tensor:
    """The same value as ``input``; `gradients` treats it as a constant."""
    x = convert_to_tensor(input)
    return new_op("StopGradient", [x], name=name)


# -- Reshape ------------------------------------------------------------------------------------


def _reshape_shape(op):
    x, shape_t = op.inputs
    dtype = x.dtype.base_dtype
    target = constant_value(shape_t)
    if target is None:
        return [(shape_from_tensor(shape_t), dtype)]
    dims = [int(d) for d in np.reshape(target, -1)]
    unknown = [i for i, d in enumerate(dims) if d == -1]
    if len(unknown) > 1:
        raise ValueError(
            f"Cannot reshape: only one input size may be -1, not both {unknown[0]} and "
            f"{unknown[1]} for '{op.name}' (op: 'Reshape')."
        )
    n = x.shape.num_elements()
    if n is None:
        return [(TensorShape([None if d == -1 else d for d in dims]), dtype)]
    known = int(np.prod([d for d in dims if d != -1]))
    text = f"[{','.join(str(d) for d in dims)}]"
    if unknown:
        if known == 0 or n % known:
            raise ValueError(
                f"Cannot reshape a tensor with {n} elements to shape {text} for '{op.name}' "
                f"(op: 'Reshape') with input shapes: {x.shape._shape_text()}, [{len(dims)}]."
            )
        dims[unknown[0]] = n // known
    elif known != n:
        raise ValueError(
            f"Cannot reshape a tensor with {n} elements to shape {text} ({known} elements) "
            f"for '{op.name}' (op: 'Reshape') with input shapes: {x.shape._shape_text()}, "
            f"[{len(dims)}]."
        )
    return [(TensorShape(dims), dtype)]


def _reshape_grad(op, grad):
    return [new_op("Reshape", [grad, shape_of(op.inputs[0])]), None]


@register("Reshape", shape=_reshape_shape, grad=_reshape_grad)
def _reshape_kernel(ctx, op, x, shape):
    dims = tuple(int(d) for d in shape)
    try:
        return np.reshape(x, dims)
    except ValueError:
        n = int(np.prod([d for d in dims if d != -1]))
        raise InvalidArgumentError(
            None,
            op,
            f"Input to reshape is a tensor with {np.size(x)} values, but the requested shape "
            f"{'requires a multiple of' if -1 in dims else 'has'} {n}",
        ) from None


def _shape_argument(shape, name: str) -> Tensor:
    if isinstance(shape, Tensor):
        return shape
    if isinstance(shape, TensorShape):
        shape = shape.as_list()
    if isinstance(shape, (list, tuple)) and all(isinstance(d, int) for d in shape):
        return constant(shape_array(shape), name=name)  # int64 if a dimension needs it
    return convert_to_tensor(shape, dtype=dtypes.int32, name=name)


@atomic
def reshape(tensor, shape, name: str | None = None) -> Tensor:
    """``tensor``'s values in row-major order laid out as ``shape`` (one dimension may be -1)."""
    with name_scope(name, "Reshape") as scope:
        x = convert_to_tensor(tensor, name="tensor")
        shape_t = _shape_argument(shape, "shape")
        return new_op("Reshape", [x, shape_t], name=scope)


# -- ExpandDims, Squeeze ------------------------------------------------------------------------


def _expand_dims_shape(op):
    x = op.inputs[0]
    axis = constant_value(op.inputs[1])
    rank = x.shape.ndims
    if rank is None or axis is None:
        return [(TensorShape(None), x.dtype.base_dtype)]
    axis = int(np.reshape(axis, -1)[0])
    if not -rank - 1 <= axis <= rank:
        raise ValueError(
            f"Tried to expand dim index {axis} for tensor with {rank} dimensions. for "
            f"'{op.name}' (op: 'ExpandDims') with input shapes: {x.shape._shape_text()}, []."
        )
    dims = list(x.shape.as_tuple())
    dims.insert(axis if axis >= 0 else rank + 1 + axis, 1)
    return [(TensorShape(dims), x.dtype.base_dtype)]


@register("ExpandDims", shape=_expand_dims_shape, grad=_reshape_grad)
def _expand_dims_kernel(ctx, op, x, axis):
    return np.expand_dims(x, int(np.reshape(axis, -1)[0]))


@atomic
def expand_dims(input, axis=None, name: str | None = None, dim=None) -> Tensor:
    """``input`` with a dimension of size 1 inserted at ``axis``."""
    if axis is None:
        axis = dim
    if axis is None:
        raise ValueError("Must specify an axis argument to tf.expand_dims()")
    with name_scope(name, "ExpandDims") as scope:
        x = convert_to_tensor(input, name="input")
        axis_t = convert_to_tensor(axis, dtype=dtypes.int32, name="dim")
        return new_op("ExpandDims", [x, axis_t], name=scope)


def _squeeze_shape(op):
    x = op.inputs[0]
    rank = x.shape.ndims
    if rank is None:
        return [(TensorShape(None), x.dtype.base_dtype)]
    dims = x.shape.as_tuple()
    for i, a in enumerate(op._attrs["squeeze_dims"]):
        if not -rank <= a < rank:
            raise ValueError(
                f"squeeze_dims[{i}] not in [{-rank},{rank}). for '{op.name}' (op: 'Squeeze') "
                f"with input shapes: {x.shape._shape_text()}."
            )
    axes = {a % rank for a in op._attrs["squeeze_dims"]}
    for a in axes:
        if dims[a] is not None and dims[a] != 1:
            raise ValueError(
                f"Can not squeeze dim[{a}], expected a dimension of 1, got {dims[a]} for "
                f"'{op.name}' (op: 'Squeeze') with input shapes: {x.shape._shape_text()}."
            )
    if axes:
        out = [d for i, d in enumerate(dims) if i not in axes]
    elif any(d is None for d in dims):
        return [(TensorShape(None), x.dtype.base_dtype)]
    else:
        out = [d for d in dims if d != 1]
    return [(TensorShape(out), x.dtype.base_dtype)]


@register("Squeeze", shape=_squeeze_shape, grad=lambda op, g: [_reshape_grad(op, g)[0]])
def _squeeze_kernel(ctx, op, x):
    axes = op._attrs["squeeze_dims"]
    return np.squeeze(x, axis=tuple(axes) if axes else None)


def squeeze(input, axis=None, name: str | None = None, squeeze_dims=None) -> Tensor:
    """``input`` without its dimensions of size 1 (only those in ``axis`` when given)."""
    if axis is None:
        axis = squeeze_dims
    if isinstance(axis, int):
        axis = [axis]
    x = convert_to_tensor(input)
    return new_op("Squeeze", [x], {"squeeze_dims": list(axis or [])}, name=name)


# -- Transpose ----------------------------------------------------------------------------------


def _transpose_shape(op):
    x, perm_t = op.inputs
    perm = constant_value(perm_t)
    dtype = x.dtype.base_dtype
    if perm is None:
        return [(TensorShape(None if x.shape.ndims is None else [None] * x.shape.ndims), dtype)]
    perm = [int(p) for p in np.reshape(perm, -1)]
    if x.shape.ndims is None:
        return [(TensorShape([None] * len(perm)), dtype)]
    rank = x.shape.ndims
    if len(perm) != rank:
        raise ValueError(
            f"Dimension must be {rank} but is {len(perm)} for '{op.name}' (op: 'Transpose') "
            f"with input shapes: {x.shape._shape_text()}, [{len(perm)}]."
        )
    if sorted(p % rank if rank else p for p in perm) != list(range(rank)):
        raise ValueError(f"{perm} is not a valid permutation of {rank} dimensions.")
    dims = x.shape.as_tuple()
    return [(TensorShape([dims[p] for p in perm]), dtype)]


def _transpose_grad(op, grad):
    perm = constant_value(op.inputs[1])
    if perm is not None:
        inverse = int32_const(np.argsort(np.reshape(perm, -1)), name="InvertPermutation")
    else:
        inverse = new_op("InvertPermutation", [op.inputs[1]])
    return [new_op("Transpose", [grad, inverse]), None]


@register("Transpose", shape=_transpose_shape, grad=_transpose_grad)
def _transpose_kernel(ctx, op, x, perm):
    return np.transpose(x, perm)


@register(
    "InvertPermutation",
    shape=lambda op: [(op.inputs[0].shape, op.inputs[0].dtype.base_dtype)],
    grad=not_differentiable,
)
def _invert_permutation_kernel(ctx, op, perm):
    return np.argsort(perm).astype(perm.dtype)


@atomic
def transpose(a, perm=None, name: str = "transpose", conjugate: bool = False) -> Tensor:
    """``a`` with its dimensions permuted by ``perm`` (default: reversed)."""
    with name_scope(name, "transpose") as scope:
        x = convert_to_tensor(a, name="a")
        if perm is None:
            if x.shape.ndims is None:
                raise ValueError(
                    f"tfteach needs the rank of {x.name} to reverse its dimensions: pass `perm`."
                )
            perm = list(range(x.shape.ndims - 1, -1, -1))
        perm_t = convert_to_tensor(perm, dtype=dtypes.int32, name="perm")
        return new_op("Transpose", [x, perm_t], name=scope)


# -- ConcatV2, ConcatOffset, Slice, Pad ------------------------------------------------------


def _concat_axis(op, rank):
    axis = constant_value(op.inputs[-1])
    if axis is None or rank is None:
        return None
    axis = int(np.reshape(axis, -1)[0])
    if not -rank <= axis < rank:
        raise ValueError(
            f"Shape must be at least rank {axis + 1 if axis >= 0 else -axis} but is rank "
            f"{rank} for '{op.name}' (op: 'ConcatV2')."
        )
    return axis % rank


def _concat_shape(op):
    values = op.inputs[:-1]
    first = values[0]
    for t in values[1:]:
        if t.dtype.base_dtype is not first.dtype.base_dtype:
            raise TypeError(
                f"Tensors in list passed to 'values' of 'ConcatV2' Op have types "
                f"[{', '.join(x.dtype.base_dtype.name for x in values)}] that don't all match."
            )
    ranks = {t.shape.ndims for t in values} - {None}
    if len(ranks) > 1:
        a, b = sorted(ranks)
        raise ValueError(
            f"Shape must be rank {a} but is rank {b} for '{op.name}' (op: 'ConcatV2') with "
            f"input shapes: {', '.join(t.shape._shape_text() for t in values)}, []."
        )
    rank = ranks.pop() if ranks else None
    axis = _concat_axis(op, rank)
    dtype = first.dtype.base_dtype
    if axis is None:
        return [(TensorShape(None if rank is None else [None] * rank), dtype)]
    out = [None] * rank
    total = 0
    for t in values:
        if t.shape.ndims is None:
            total = None
            continue
        dims = t.shape.as_tuple()
        for i, d in enumerate(dims):
            if i == axis or d is None:
                continue
            if out[i] is not None and out[i] != d:
                raise ValueError(
                    f"Dimension {i} in both shapes must be equal, but are {out[i]} and {d}. "
                    f"Shapes are {values[0].shape._shape_text()} and {t.shape._shape_text()}. "
                    f"for '{op.name}' (op: 'ConcatV2') with input shapes: "
                    f"{', '.join(x.shape._shape_text() for x in values)}, []."
                )
            out[i] = d
        total = None if total is None or dims[axis] is None else total + dims[axis]
    out[axis] = total
    return [(TensorShape(out), dtype)]


def _concat_grad(op, grad):
    values, axis_t = op.inputs[:-1], op.inputs[-1]
    rank = grad.shape.ndims
    axis = _concat_axis(op, rank)
    sizes = [None if axis is None or t.shape.ndims is None else t.shape[axis].value for t in values]
    if None in sizes:
        offsets = get_default_graph().create_op(
            "ConcatOffset", [axis_t] + [shape_of(t) for t in values], name="ConcatOffset"
        )
        begins = offsets.outputs
    else:
        starts = np.cumsum([0, *sizes[:-1]])
        begins = []
        for start in starts:
            begin = np.zeros(rank, dtype=np.int32)
            begin[axis] = start
            begins.append(int32_const(begin))
    grads = [new_op("Slice", [grad, b, shape_of(t)]) for b, t in zip(begins, values)]
    return [*grads, None]


@register("ConcatV2", shape=_concat_shape, grad=_concat_grad)
def _concat_kernel(ctx, op, *inputs):
    *values, axis = inputs
    try:
        return np.concatenate(values, axis=int(axis))
    except ValueError:
        first = np.shape(values[0])
        for i, v in enumerate(values[1:], 1):
            dims = [d for d in range(len(first)) if d != int(axis) % len(first)]
            bad = next((d for d in dims if np.shape(v)[d] != first[d]), None)
            if np.ndim(v) == len(first) and bad is not None:
                raise InvalidArgumentError(
                    None,
                    op,
                    f"ConcatOp : Dimension {bad} in both shapes must be equal: shape[0] = "
                    f"{_dims_text(first)} vs. shape[{i}] = {_dims_text(np.shape(v))}",
                ) from None
        raise


def _dims_text(shape) -> str:
    return "[" + ",".join(str(d) for d in shape) + "]"


def _concat_offset_shape(op):
    return [(t.shape, dtypes.int32) for t in op.inputs[1:]]


@register("ConcatOffset", shape=_concat_offset_shape, grad=not_differentiable)
def _concat_offset_kernel(ctx, op, axis, *shapes):
    axis = int(axis) % len(shapes[0])
    out, start = [], 0
    for s in shapes:
        begin = np.zeros(len(s), dtype=np.int32)
        begin[axis] = start
        start += int(s[axis])
        out.append(begin)
    return tuple(out)


@atomic
def concat(values, axis, name: str = "concat") -> Tensor:
    """The tensors in ``values`` joined along dimension ``axis``."""
    values = list(values) if isinstance(values, (list, tuple)) else [values]  # one: as TF
    if not values:
        raise ValueError(
            "List argument 'values' to 'ConcatV2' Op with length 0 shorter than minimum length 2."
        )
    if len(values) == 1:
        with name_scope(name):  # TF 2.x: an Identity named `concat/concat` (TF 1.x: `concat`)
            convert_to_tensor(axis, dtype=dtypes.int32, name="concat_dim")
            return identity(values[0], name=name)
    with name_scope(name, "concat") as scope:
        tensors = [convert_to_tensor(v) for v in values]
        dtype = next((t.dtype for t in tensors), None)
        tensors = [convert_to_tensor(t, dtype=dtype) for t in tensors]
        axis_t = convert_to_tensor(axis, dtype=dtypes.int32, name="axis")
        return new_op("ConcatV2", [*tensors, axis_t], name=scope)


def _slice_shape(op):
    x, begin_t, size_t = op.inputs
    begin, size = constant_value(begin_t), constant_value(size_t)
    dtype = x.dtype.base_dtype
    n = size_t.shape[0].value if size_t.shape.ndims == 1 else x.shape.ndims
    if begin is None or size is None or x.shape.ndims is None:
        return [(TensorShape(None if n is None else [None] * n), dtype)]
    dims = []
    for d, b, s in zip(x.shape.as_tuple(), np.reshape(begin, -1), np.reshape(size, -1)):
        b, s = int(b), int(s)
        if s == -1:
            dims.append(None if d is None else d - b)
        else:
            if d is not None and b + s > d:
                raise ValueError(
                    f"Expected size[{len(dims)}] in [0, {d - b}], but got {s} for '{op.name}' "
                    f"(op: 'Slice') with input shapes: {x.shape._shape_text()}."
                )
            dims.append(s)
    return [(TensorShape(dims), dtype)]


def _slice_grad(op, grad):
    x, begin, _ = op.inputs
    after = subtract(subtract(shape_of(x), shape_of(op._first)), begin)
    paddings = new_op("Pack", [begin, after], {"axis": 1}, name="stack")
    return [new_op("Pad", [grad, paddings]), None, None]


@register("Slice", shape=_slice_shape, grad=_slice_grad)
def _slice_kernel(ctx, op, x, begin, size):
    index = tuple(slice(int(b), None if s == -1 else int(b) + int(s)) for b, s in zip(begin, size))
    return x[index]


@atomic
def slice_(input_, begin, size, name: str | None = None) -> Tensor:
    """The part of ``input_`` starting at ``begin`` of extent ``size`` (-1: to the end)."""
    with name_scope(name, "Slice") as scope:
        x = convert_to_tensor(input_, name="input")
        begin_t = convert_to_tensor(begin, dtype=dtypes.int32, name="begin")
        size_t = convert_to_tensor(size, dtype=dtypes.int32, name="size")
        return new_op("Slice", [x, begin_t, size_t], name=scope)


def _pad_shape(op):
    x, paddings_t = op.inputs
    paddings = constant_value(paddings_t)
    dtype = x.dtype.base_dtype
    if paddings is None or x.shape.ndims is None:
        return [(TensorShape(None if x.shape.ndims is None else [None] * x.shape.ndims), dtype)]
    paddings = np.reshape(paddings, (-1, 2))
    if len(paddings) != x.shape.ndims:
        raise ValueError(
            f"Shape must be rank {x.shape.ndims} but paddings has {len(paddings)} rows for "
            f"'{op.name}' (op: 'Pad') with input shapes: {x.shape._shape_text()}, "
            f"[{len(paddings)},2]."
        )
    dims = [None if d is None else d + int(a) + int(b) for d, (a, b) in zip(x.shape, paddings)]
    return [(TensorShape(dims), dtype)]


def _pad_grad(op, grad):
    x, paddings = op.inputs
    value = constant_value(paddings)
    if value is not None:
        begin = int32_const(np.reshape(value, (-1, 2))[:, 0])
    else:
        column = new_op("Slice", [paddings, int32_const([0, 0]), int32_const([-1, 1])])
        begin = new_op("Reshape", [column, int32_const([-1])])
    return [new_op("Slice", [grad, begin, shape_of(x)]), None]


@register("Pad", shape=_pad_shape, grad=_pad_grad)
def _pad_kernel(ctx, op, x, paddings):
    return np.pad(x, np.asarray(paddings, dtype=np.int64))


@atomic
def pad(tensor, paddings, mode: str = "CONSTANT", name: str | None = None, constant_values=0):
    """``tensor`` surrounded by zeros: ``paddings[i] = [before, after]`` for dimension i."""
    if str(mode).upper() != "CONSTANT" or np.any(np.asarray(constant_values) != 0):
        raise ValueError(
            f"tfteach pads with zeros only (mode='CONSTANT', constant_values=0), got "
            f"mode={mode!r}, constant_values={constant_values!r}."
        )
    with name_scope(name, "Pad") as scope:
        x = convert_to_tensor(tensor, name="input")
        paddings_t = convert_to_tensor(paddings, dtype=dtypes.int32, name="paddings")
        return new_op("Pad", [x, paddings_t], name=scope)


# -- Unpack -------------------------------------------------------------------------------------


def _unpack_shape(op):
    x = op.inputs[0]
    num, axis = op._attrs["num"], op._attrs["axis"]
    if x.shape.ndims is None:
        return [(TensorShape(None), x.dtype.base_dtype)] * num
    dims = list(x.shape.as_tuple())
    del dims[axis]
    return [(TensorShape(dims), x.dtype.base_dtype)] * num


def _unpack_grad(op, *grads):
    grads = [g if g is not None else new_op("ZerosLike", [t]) for g, t in zip(grads, op.outputs)]
    return [new_op("Pack", grads, {"axis": op._attrs["axis"]})]


@register("Unpack", shape=_unpack_shape, grad=_unpack_grad)
def _unpack_kernel(ctx, op, x):
    axis = op._attrs["axis"]
    return tuple(np.take(x, i, axis=axis) for i in range(op._attrs["num"]))


def unstack(value, num: int | None = None, axis: int = 0, name: str = "unstack") -> list:
    """The slices of ``value`` along ``axis``, as a list of tensors."""
    x = convert_to_tensor(value)
    rank = x.shape.ndims
    if rank is None:
        raise ValueError(f"Cannot infer num from shape {x.shape}")
    if not -rank <= axis < rank:
        raise ValueError(f"axis = {axis} not in [{-rank}, {rank})")
    axis %= rank
    if num is None:
        num = x.shape[axis].value
        if num is None:
            raise ValueError(f"Cannot infer num from shape {x.shape}")
    op = get_default_graph().create_op("Unpack", [x], {"num": num, "axis": axis}, name=name)
    return op.outputs


# -- GatherV2, UnsortedSegmentSum ----------------------------------------------------------------


def _gather_axis(op):
    axis = constant_value(op.inputs[2])
    rank = op.inputs[0].shape.ndims
    if axis is None or rank is None:
        return None
    axis = int(axis)
    if not -rank <= axis < rank:
        raise ValueError(
            f"Shape must be at least rank {axis + 1} but is rank {rank} for '{op.name}' "
            f"(op: 'GatherV2')."
        )
    return axis % rank


def _gather_shape(op):
    params, indices = op.inputs[0], op.inputs[1]
    if not indices.dtype.is_integer:
        raise TypeError(
            f"Value passed to parameter 'indices' has DataType {indices.dtype.name} not in list "
            "of allowed values: int32, int64"
        )
    axis = _gather_axis(op)
    if axis is None or indices.shape.ndims is None:
        return [(TensorShape(None), params.dtype.base_dtype)]
    dims = params.shape.as_tuple()
    out = dims[:axis] + indices.shape.as_tuple() + dims[axis + 1 :]
    return [(TensorShape(out), params.dtype.base_dtype)]


def _gather_grad(op, grad):
    """Dense: the rows of ``grad`` summed into the rows of params that were gathered."""
    params, indices = op.inputs[0], op.inputs[1]
    axis = _gather_axis(op)
    k = indices.shape.ndims
    if axis is None or k is None or grad.shape.ndims is None:
        raise LookupError(
            f"tfteach computes the gradient of gather '{op.name}' only when the axis and the "
            "ranks of params and indices are known while building the graph."
        )
    size = shape_of(params)
    if axis == 0:
        return [new_op("UnsortedSegmentSum", [grad, indices, _dim(size, 0, params)]), None, None]
    # move the gathered dimensions to the front, sum into rows, then move them back
    rank = grad.shape.ndims
    front = list(range(axis, axis + k)) + list(range(axis)) + list(range(axis + k, rank))
    moved = new_op("Transpose", [grad, int32_const(front)])
    summed = new_op("UnsortedSegmentSum", [moved, indices, _dim(size, axis, params)])
    back = [*range(1, axis + 1), 0, *range(axis + 1, params.shape.ndims)]
    return [new_op("Transpose", [summed, int32_const(back)]), None, None]


def _dim(shape_t: Tensor, i: int, x: Tensor) -> Tensor:
    d = x.shape[i].value
    if d is not None:
        return int32_const(d, name="num_segments")
    return shape_t[i]  # a scalar, as UnsortedSegmentSum's num_segments must be


@register("GatherV2", shape=_gather_shape, grad=_gather_grad)
def _gather_kernel(ctx, op, params, indices, axis):
    axis = int(axis)
    n = params.shape[axis]
    bad = (indices < 0) | (indices >= n)
    if np.any(bad):
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        index = ",".join(str(i) for i in where)
        raise InvalidArgumentError(
            None, op, f"indices[{index}] = {int(indices[where])} is not in [0, {n})"
        )
    return np.take(params, indices, axis=axis)


@atomic
def gather(params, indices, validate_indices=None, name=None, axis=None, batch_dims=0) -> Tensor:
    """The slices of ``params`` along ``axis`` (default 0) at ``indices``."""
    if batch_dims:
        raise ValueError(f"tfteach's gather supports batch_dims=0 only, got {batch_dims}.")
    with name_scope(name, "GatherV2") as scope:
        p = convert_to_tensor(params, name="params")
        i = convert_to_tensor(indices, name="indices")
        a = convert_to_tensor(0 if axis is None else axis, dtype=dtypes.int32, name="axis")
        return new_op("GatherV2", [p, i, a], name=scope)


def _segment_sum_shape(op):
    data, ids, num = op.inputs
    n = constant_value(num)
    if data.shape.ndims is None or ids.shape.ndims is None:
        return [(TensorShape(None), data.dtype.base_dtype)]
    rest = data.shape.as_tuple()[ids.shape.ndims :]
    return [(TensorShape((None if n is None else int(n), *rest)), data.dtype.base_dtype)]


def _segment_sum_grad(op, grad):
    ids = op.inputs[1]
    return [new_op("GatherV2", [grad, ids, int32_const(0, name="axis")]), None, None]


@register("UnsortedSegmentSum", shape=_segment_sum_shape, grad=_segment_sum_grad)
def _segment_sum_kernel(ctx, op, data, ids, num):
    out = np.zeros((int(num), *data.shape[ids.ndim :]), dtype=data.dtype)
    np.add.at(out, ids, data)
    return out


@atomic
def unsorted_segment_sum(data, segment_ids, num_segments, name=None) -> Tensor:
    """``out[i]`` = the sum of the rows of ``data`` whose segment id is i."""
    with name_scope(name, "UnsortedSegmentSum") as scope:
        d = convert_to_tensor(data, name="data")
        ids = convert_to_tensor(segment_ids, name="segment_ids")
        n = convert_to_tensor(num_segments, dtype=dtypes.int32, name="num_segments")
        return new_op("UnsortedSegmentSum", [d, ids, n], name=scope)


# -- Select (tf.where) --------------------------------------------------------------------------


def _select_shape(op):
    cond, x, y = op.inputs
    if not cond.dtype.is_bool:
        raise TypeError(
            f"Input 'condition' of 'Select' Op has type {cond.dtype.name} that does not match "
            "expected type of bool."
        )
    if x.dtype.base_dtype is not y.dtype.base_dtype:
        raise TypeError(
            f"Input 'e' of 'Select' Op has type {y.dtype.base_dtype.name} that does not match "
            f"type {x.dtype.base_dtype.name} of argument 't'."
        )
    shape = x.shape.merge_with(y.shape)
    return [(shape, x.dtype.base_dtype)]


def _select_grad(op, grad):
    cond = op.inputs[0]
    zeros = new_op("ZerosLike", [grad])
    return [None, new_op("Select", [cond, grad, zeros]), new_op("Select", [cond, zeros, grad])]


@register("Select", shape=_select_shape, grad=_select_grad)
def _select_kernel(ctx, op, cond, x, y):
    if cond.ndim == 1 and x.ndim > 1:  # a vector condition picks whole rows
        cond = cond.reshape((-1,) + (1,) * (x.ndim - 1))
    return np.where(cond, x, y)


@register(
    "Where",
    shape=lambda op: [(TensorShape([None, op.inputs[0].shape.ndims]), dtypes.int64)],
    grad=not_differentiable,
)
def _where_kernel(ctx, op, cond):
    return np.argwhere(cond).astype(np.int64)


@atomic
def where(condition, x=None, y=None, name: str | None = None) -> Tensor:
    """Elementwise ``x`` where ``condition`` else ``y``; without x and y, the true indices."""
    with name_scope(name, "Where") as scope:
        cond = convert_to_tensor(condition, dtype=dtypes.bool, name="condition")
        if x is None and y is None:
            return new_op("Where", [cond], name=scope)
        if x is None or y is None:
            raise ValueError("x and y must both be non-None or both be None.")
        x = convert_to_tensor(x, name="x")
        y = convert_to_tensor(y, dtype=x.dtype.base_dtype, name="y")
        return new_op("Select", [cond, x, y], name=scope)


# -- Size ---------------------------------------------------------------------------------------


@register(
    "Size",
    shape=lambda op: [(TensorShape([]), dtypes.int32)],
    grad=not_differentiable,
    fold=lambda op, x: np.array(np.size(x), dtype=np.int32),
)
def _size_kernel(ctx, op, x):
    return np.array(np.size(x), dtype=np.int32)


def size(input, name: str | None = None, out_type=dtypes.int32) -> Tensor:
    """The number of elements of ``input``: a constant when its shape says, else a Size op."""
    x = convert_to_tensor(input)
    n = x.shape.num_elements()
    if n is not None:  # as TF: no op needed when the shape is fully known
        return constant(np.array(n, dtype=as_dtype(out_type).np_dtype), name=name or "Size")
    return new_op("Size", [x], name=name or "Size")


# -- Tile ---------------------------------------------------------------------------------------


def _tile_shape(op):
    x, multiples_t = op.inputs
    multiples = constant_value(multiples_t)
    dtype = x.dtype.base_dtype
    if x.shape.ndims is None:
        return [(shape_from_tensor(multiples_t), dtype)]
    if multiples_t.shape.ndims == 1 and multiples_t.shape[0].value not in (None, x.shape.ndims):
        raise ValueError(
            f"Shape must be rank {x.shape.ndims} but is rank {multiples_t.shape[0].value} for "
            f"'{op.name}' (op: 'Tile') with input shapes: {x.shape._shape_text()}, "
            f"[{multiples_t.shape[0].value}]."
        )
    if multiples is None:
        return [(TensorShape([None] * x.shape.ndims), dtype)]
    dims = [None if d is None else d * int(m) for d, m in zip(x.shape.as_tuple(), multiples)]
    return [(TensorShape(dims), dtype)]


def _tile_grad(op, grad):
    """Each input element was copied m times along each axis: its gradient sums the copies
    (grad reshaped to [m0, d0, m1, d1, ...], summed over the m axes)."""
    x, multiples = op.inputs
    interleaved = new_op("Pack", [multiples, shape_of(x)], {"axis": 1}, name="stack")
    split_shape = new_op("Reshape", [interleaved, int32_const([-1])])
    if x.shape.ndims is not None:
        axes = int32_const(list(range(0, 2 * x.shape.ndims, 2)))
    else:
        axes = range_(0, size(split_shape), 2)
    summed = new_op("Sum", [new_op("Reshape", [grad, split_shape]), axes], {"keep_dims": False})
    return [summed, None]


@register("Tile", shape=_tile_shape, grad=_tile_grad)
def _tile_kernel(ctx, op, x, multiples):
    if len(multiples) != np.ndim(x):
        raise InvalidArgumentError(
            None,
            op,
            f"Expected multiples argument to be a vector of length {np.ndim(x)} but got "
            f"length {len(multiples)}",
        )
    return np.tile(x, tuple(int(m) for m in multiples))


@atomic
def tile(input, multiples, name: str | None = None) -> Tensor:
    """``input`` repeated ``multiples[i]`` times along each axis i."""
    with name_scope(name, "Tile") as scope:
        x = convert_to_tensor(input, name="input")
        multiples_t = _shape_argument(multiples, "multiples")
        return new_op("Tile", [x, multiples_t], name=scope)


# -- Split, SplitV --------------------------------------------------------------------------------


def _split_axis(op, axis_t: Tensor, x: Tensor):
    axis = constant_value(axis_t)
    if axis is None or x.shape.ndims is None:
        return None
    rank = x.shape.ndims
    a = int(axis)
    if not -rank <= a < rank:
        raise ValueError(
            f"Dimension must be in range [-{rank}, {rank}), but is {a} for '{op.name}' "
            f"(op: '{op.type}') with input shapes: {_dims_text(axis_t.shape.as_list())}, "
            f"{x.shape._shape_text()}."
        )
    return a % rank


def _split_shape(op):
    axis_t, x = op.inputs
    n = op._attrs["num_split"]
    dtype = x.dtype.base_dtype
    axis = _split_axis(op, axis_t, x)
    if axis is None:
        return [(TensorShape(None if x.shape.ndims is None else [None] * x.shape.ndims), dtype)] * n
    dims = x.shape.as_list()
    if dims[axis] is not None:
        if dims[axis] % n:
            raise ValueError(
                f"Dimension size must be evenly divisible by {n} but is {dims[axis]} for "
                f"'{op.name}' (op: 'Split') with input shapes: [], {x.shape._shape_text()}."
            )
        dims[axis] //= n
    return [(TensorShape(dims), dtype)] * n


def _concat_of_grads(op, grads, value: Tensor, axis: Tensor) -> Tensor:
    """The gradients of a split's pieces put back together (zeros for a piece nobody used)."""
    parts = [
        new_op("ZerosLike", [piece]) if g is None else g for g, piece in zip(grads, op.outputs)
    ]
    return new_op("ConcatV2", [*parts, axis], name="concat")


@register(
    "Split",
    shape=_split_shape,
    grad=lambda op, *grads: [None, _concat_of_grads(op, grads, op.inputs[1], op.inputs[0])],
)
def _split_kernel(ctx, op, axis, x):
    n = op._attrs["num_split"]
    if np.shape(x)[int(axis)] % n:
        raise InvalidArgumentError(
            None,
            op,
            f"Number of ways to split should evenly divide the split dimension, but got "
            f"split_dim {int(axis)} (size = {np.shape(x)[int(axis)]}) and num_split {n}",
        )
    return tuple(np.split(x, n, axis=int(axis)))


def _split_v_shape(op):
    x, sizes_t, axis_t = op.inputs
    n = op._attrs["num_split"]
    dtype = x.dtype.base_dtype
    axis = _split_axis(op, axis_t, x)
    sizes = constant_value(sizes_t)
    if axis is None or sizes is None:
        return [(TensorShape(None if x.shape.ndims is None else [None] * x.shape.ndims), dtype)] * n
    sizes = [int(s) for s in sizes]
    total = x.shape[axis].value
    if -1 in sizes and total is not None:
        sizes[sizes.index(-1)] = total - (sum(sizes) + 1)
    if total is not None and sum(sizes) != total:
        raise ValueError(
            f"Determined shape must either match input shape along split_dim exactly if fully "
            f"specified, or be less than the size of the input along split_dim if not fully "
            f"specified.  Got: {sum(sizes)} for '{op.name}' (op: 'SplitV') with input shapes: "
            f"{x.shape._shape_text()}, [{n}], []."
        )
    out = []
    for s in sizes:
        dims = x.shape.as_list()
        dims[axis] = None if s == -1 else s
        out.append((TensorShape(dims), dtype))
    return out


@register(
    "SplitV",
    shape=_split_v_shape,
    grad=lambda op, *grads: [_concat_of_grads(op, grads, op.inputs[0], op.inputs[2]), None, None],
)
def _split_v_kernel(ctx, op, x, sizes, axis):
    sizes = [int(s) for s in sizes]
    if -1 in sizes:
        sizes[sizes.index(-1)] = np.shape(x)[int(axis)] - (sum(sizes) + 1)
    return tuple(np.split(x, np.cumsum(sizes)[:-1], axis=int(axis)))


@atomic
def split(value, num_or_size_splits, axis=0, num=None, name: str = "split") -> list:
    """``value`` cut along ``axis`` into equal pieces (an int) or pieces of the given sizes."""
    with name_scope(name, "split") as scope:
        x = convert_to_tensor(value, name="value")
        if isinstance(num_or_size_splits, (int, np.integer)):
            axis_t = convert_to_tensor(axis, dtype=dtypes.int32, name="split_dim")
            attrs = {"num_split": int(num_or_size_splits)}
            op = get_default_graph().create_op("Split", [axis_t, x], attrs, name=scope)
            return op.outputs
        sizes_t = convert_to_tensor(num_or_size_splits, dtype=dtypes.int32, name="Const")
        if num is None:
            if sizes_t.shape.ndims != 1 or sizes_t.shape[0].value is None:
                raise ValueError(f"Cannot infer argument `num` from shape {sizes_t.shape}")
            num = sizes_t.shape[0].value
        axis_t = convert_to_tensor(axis, dtype=dtypes.int32, name="split_dim")
        op = get_default_graph().create_op(
            "SplitV", [x, sizes_t, axis_t], {"num_split": int(num)}, name=scope
        )
        return op.outputs


# -- OneHot ---------------------------------------------------------------------------------------


def _one_hot_shape(op):
    indices, depth_t = op.inputs[0], op.inputs[1]
    depth = constant_value(depth_t)
    dtype = op.inputs[2].dtype.base_dtype
    if indices.shape.ndims is None:
        return [(TensorShape(None), dtype)]
    dims = indices.shape.as_list()
    axis = op._attrs["axis"]
    dims.insert(len(dims) if axis == -1 else axis, None if depth is None else int(depth))
    return [(TensorShape(dims), dtype)]


@register("OneHot", shape=_one_hot_shape, grad=not_differentiable)
def _one_hot_kernel(ctx, op, indices, depth, on_value, off_value):
    hot = np.expand_dims(indices, -1) == np.arange(int(depth))
    out = np.where(hot, on_value, off_value).astype(on_value.dtype, copy=False)
    axis = op._attrs["axis"]
    return out if axis == -1 else np.moveaxis(out, -1, axis)


@atomic
def one_hot(
    indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None
) -> Tensor:
    """A tensor with ``on_value`` (1) at each index and ``off_value`` (0) elsewhere, with a
    new axis of length ``depth`` (last by default)."""
    with name_scope(name, "one_hot") as scope:
        indices_t = convert_to_tensor(indices, name="indices")
        if dtype is None:  # as TF: the dtype of on_value (or off_value), else float32
            given = next((v for v in (on_value, off_value) if v is not None), None)
            dtype = dtypes.float32 if given is None else convert_to_tensor(given).dtype
        dtype = as_dtype(dtype).base_dtype
        on = convert_to_tensor(1 if on_value is None else on_value, dtype=dtype, name="on_value")
        off = convert_to_tensor(
            0 if off_value is None else off_value, dtype=dtype, name="off_value"
        )
        depth_t = convert_to_tensor(depth, dtype=dtypes.int32, name="depth")
        attrs = {"axis": -1 if axis is None else int(axis)}
        return new_op("OneHot", [indices_t, depth_t, on, off], attrs, name=scope)


# -- StridedSlice: tensor[...] ---------------------------------------------------------------------

_MASKS = ("begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask", "shrink_axis_mask")


def _numpy_index(attrs, begin, end, strides) -> tuple:
    """The numpy index that a StridedSlice's begin, end, strides and masks describe."""
    index = []
    for i, (b, e, s) in enumerate(zip(begin, end, strides)):
        bit = 1 << i
        if attrs["ellipsis_mask"] & bit:
            index.append(Ellipsis)
        elif attrs["new_axis_mask"] & bit:
            index.append(np.newaxis)
        elif attrs["shrink_axis_mask"] & bit:
            index.append(int(b))
        else:
            start = None if attrs["begin_mask"] & bit else int(b)
            stop = None if attrs["end_mask"] & bit else int(e)
            index.append(slice(start, stop, int(s)))
    return tuple(index)


def _out_of_bounds(op, i: int, d: int, k: int) -> ValueError:
    return ValueError(
        f"slice index {k} of dimension {i} out of bounds. for '{op.name}' (op: "
        f"'StridedSlice') with input shapes: {op.inputs[0].shape._shape_text()}."
    )


def _strided_slice_shape(op):
    x = op.inputs[0]
    dtype = x.dtype.base_dtype
    values = [constant_value(t) for t in op.inputs[1:]]
    if x.shape.ndims is None:
        return [(TensorShape(None), dtype)]
    n = op.inputs[1].shape[0].value
    if any(v is None for v in values):  # a tensor in the key: the masks still tell a lot
        values = [np.zeros(n, np.int32), np.zeros(n, np.int32), np.ones(n, np.int32)]
        unknown = True
    else:
        unknown = False
    index = _numpy_index(op._attrs, *values)
    dims = list(x.shape.as_tuple())
    consumed = sum(1 for k in index if k is not Ellipsis and k is not np.newaxis)
    out, i = [], 0
    if Ellipsis not in index:
        index = (*index, Ellipsis)
    for k in index:
        if k is Ellipsis:
            n = len(dims) - consumed
            out.extend(dims[i : i + n])
            i += n
        elif k is np.newaxis:
            out.append(1)
        elif isinstance(k, int):
            d = dims[i]
            if d is not None and not unknown and not -d <= k < d:
                raise _out_of_bounds(op, i, d, k)
            i += 1
        else:
            d = dims[i]
            whole = k == slice(None, None, 1)  # ':' keeps the dimension, known or not
            out.append(d if whole else None if d is None or unknown else len(range(*k.indices(d))))
            i += 1
    return [(TensorShape(out), dtype)]


def _strided_slice_grad(op, grad):
    x, begin, end, strides = op.inputs
    dx = new_op("StridedSliceGrad", [shape_of(x), begin, end, strides, grad], op._attrs)
    return [dx, None, None, None]


@register("StridedSlice", shape=_strided_slice_shape, grad=_strided_slice_grad)
def _strided_slice_kernel(ctx, op, x, begin, end, strides):
    index = _numpy_index(op._attrs, begin, end, strides)
    try:
        return np.array(x[index])  # a copy: kernels never hand out views of their inputs
    except IndexError:
        for i, k in enumerate(k for k in index if k is not np.newaxis):
            if isinstance(k, int) and not -np.shape(x)[i] <= k < np.shape(x)[i]:
                raise InvalidArgumentError(
                    None,
                    op,
                    f"slice index {k} of dimension {i} out of bounds.",
                ) from None
        raise


@register(
    "StridedSliceGrad",
    shape=lambda op: [(shape_from_tensor(op.inputs[0]), op.inputs[4].dtype.base_dtype)],
)
def _strided_slice_grad_kernel(ctx, op, shape, begin, end, strides, dy):
    out = np.zeros(tuple(int(d) for d in shape), dtype=dy.dtype)
    out[_numpy_index(op._attrs, begin, end, strides)] = dy
    return out


def _index_part(k) -> Tensor | int:
    """One number of a slicing key: an int, or a scalar int tensor (None counts as 0)."""
    if isinstance(k, Tensor) or hasattr(k, "_as_tensor"):
        t = convert_to_tensor(k)
        if not t.dtype.base_dtype.is_integer:
            raise TypeError(
                "Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and "
                f"scalar tf.int32/tf.int64 tensors are valid indices, got {k!r}"
            )
        return t
    if k is None:
        return 0
    if isinstance(k, (bool, np.bool_)) or not isinstance(k, (int, np.integer)):
        raise TypeError(
            "Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and scalar "
            f"tf.int32/tf.int64 tensors are valid indices, got {k!r}"
        )
    return int(k)


@atomic
def strided_slice_of(tensor, key) -> Tensor:
    """``tensor[key]`` as TF builds it: one StridedSlice op named ``strided_slice`` whose
    begin, end and strides are stacked from the key (ints, slices, ``...``, ``tf.newaxis``
    and scalar int tensors)."""
    if not isinstance(key, tuple):
        key = (key,)
    with name_scope(None, "strided_slice") as scope:
        x = convert_to_tensor(tensor)
        begin, end, strides = [], [], []
        masks = dict.fromkeys(_MASKS, 0)
        for i, k in enumerate(key):
            bit = 1 << i
            if k is Ellipsis or k is None:
                masks["ellipsis_mask" if k is Ellipsis else "new_axis_mask"] |= bit
                begin.append(0), end.append(0), strides.append(1)
            elif isinstance(k, slice):
                if k.start is None:
                    masks["begin_mask"] |= bit
                if k.stop is None:
                    masks["end_mask"] |= bit
                begin.append(_index_part(k.start))
                end.append(_index_part(k.stop))
                strides.append(1 if k.step is None else _index_part(k.step))
            else:  # one index: a slice of length 1 whose axis is then dropped
                masks["shrink_axis_mask"] |= bit
                b = _index_part(k)
                begin.append(b)
                end.append(b + 1)
                strides.append(1)
        parts = []
        for values, n in ((begin, "stack"), (end, "stack_1"), (strides, "stack_2")):
            if any(isinstance(v, Tensor) for v in values):
                parts.append(pack(values, name=n))
            else:
                parts.append(constant(np.array(values, dtype=np.int32), name=n))
        return new_op("StridedSlice", [x, *parts], masks, name=scope)


Tensor.__getitem__ = strided_slice_of

"""More array ops that TF1 tutorials use (issue 20): top_k, cumsum, reverse, eye,
boolean_mask, gather_nd, sequence_mask, linspace. Each op type is declared here with its kernel,
shape rule and gradient; the builders (``tf.nn.top_k``, ``tf.cumsum``, ...) build what TF
builds, with TF's names, and check their arguments before adding anything to the graph."""

from __future__ import annotations

import collections

import numpy as np

from . import dtypes
from .array_ops import concat, expand_dims, one_hot, ones, reshape, where, zeros
from .constant_op import (
    constant,
    constant_value,
    convert_to_tensor,
    int32_const,
    new_op,
    pack,
    same_as_input,
    shape_array,
    shape_from_tensor,
    shape_of,
)
from .dtypes import as_dtype
from .errors import InvalidArgumentError
from .graph import Tensor, atomic, get_default_graph, name_scope
from .math_ops import (
    add,
    broadcast_to,
    cast,
    greater_equal,
    maximum,
    minimum,
    multiply,
    range_,
    subtract,
    truediv,
)
from .registry import register
from .tensor_shape import TensorShape

# the dtypes TF's kernels accept, in the order TF's error messages list them
_TOPK_TYPES = (
    "float32, float64, int32, uint8, int16, int8, int64, bfloat16, uint16, float16, uint32, uint64"
)
_CUMSUM_TYPES = (
    "float32, float64, int32, uint8, int16, int8, complex64, int64, qint8, quint8, qint32, "
    "bfloat16, qint16, quint16, uint16, complex128, float16, uint32, uint64"
)


def _check_dtype(t: Tensor, parameter: str, allowed: str) -> None:
    """TF's TypeError for an input whose dtype the op does not take."""
    name = t.dtype.base_dtype.name
    if name not in allowed.split(", "):
        raise TypeError(
            f"Value passed to parameter '{parameter}' has DataType {name} not in list of "
            f"allowed values: {allowed}"
        )


def _where(op) -> str:
    """The end of TF's shape-inference errors: the op and its inputs' shapes."""
    shapes = ", ".join(t.shape._shape_text() for t in op.inputs)
    return f"for '{op.name}' (op: '{op.type}') with input shapes: {shapes}"


def _computed(values) -> str:
    """How TF shows a constant input in a shape error: ``<2>``, ``<0 0>``."""
    return "<" + " ".join(str(int(v)) for v in np.reshape(values, -1)) + ">"


# -- TopKV2: tf.nn.top_k --------------------------------------------------------------------------

TopKV2 = collections.namedtuple("TopKV2", ["values", "indices"])


def _top_k_shape(op):
    x, k_t = op.inputs
    dtype = x.dtype.base_dtype
    k = constant_value(k_t)
    if x.shape.ndims == 0:
        raise ValueError(f"Shape must be at least rank 1 but is rank 0 {_where(op)}.")
    if k is not None and int(k) < 0:
        raise ValueError(
            f"Dimension size, given by scalar input 1, must be non-negative but is {int(k)} "
            f"{_where(op)} and with computed input tensors: input[1] = {_computed(k)}."
        )
    if x.shape.ndims is None:
        return [(TensorShape(None), dtype), (TensorShape(None), dtypes.int32)]
    dims = x.shape.as_list()
    if k is not None and dims[-1] is not None and dims[-1] < int(k):
        raise ValueError(
            f"input must have last dimension >= k = {int(k)} but is {dims[-1]} {_where(op)} "
            f"and with computed input tensors: input[1] = {_computed(k)}."
        )
    out = TensorShape([*dims[:-1], None if k is None else int(k)])
    return [(out, dtype), (out, dtypes.int32)]


def _top_k_grad(op, grad_values, grad_indices):
    """Each value came from one input position: one_hot(indices) sends its gradient back
    there (the indices carry no gradient)."""
    if grad_values is None:
        return [None, None]
    x, indices = op.inputs[0], op.outputs[1]
    n = x.shape[-1].value if x.shape.ndims is not None else None
    depth = int32_const(n) if n is not None else shape_of(x)[-1]
    routes = one_hot(indices, depth, dtype=grad_values.dtype)  # [..., k, n]
    spread = multiply(expand_dims(grad_values, -1), routes)
    return [new_op("Sum", [spread, int32_const(-2)], {"keep_dims": False}), None]


@register("TopKV2", shape=_top_k_shape, grad=_top_k_grad)
def _top_k_kernel(ctx, op, x, k):
    k, n = int(k), np.shape(x)[-1]
    if k < 0:
        raise InvalidArgumentError(None, op, f"Need k >= 0, got {k}")
    if n < k:
        raise InvalidArgumentError(
            None, op, f"input must have at least k columns. Had {n}, needed {k}"
        )
    # TF's order: largest first, and of equal values the one with the lower index first.
    # A stable ascending sort of the reversed row, read backwards, gives exactly that.
    backwards = np.argsort(x[..., ::-1], axis=-1, kind="stable")[..., ::-1][..., :k]
    indices = (n - 1 - backwards).astype(np.int32)
    return np.take_along_axis(x, indices, axis=-1), indices


@atomic
def top_k(input, k=1, sorted=True, name=None) -> TopKV2:
    """The ``k`` largest entries of the last dimension of ``input`` and their indices
    (of equal entries, the one with the lower index comes first). With ``sorted=False``
    TF does not say in which order they come; tfteach gives them sorted too."""
    with name_scope(name, "TopKV2") as scope:
        x = convert_to_tensor(input, name="input")
        k_t = convert_to_tensor(k, name="k")
        _check_dtype(x, "input", _TOPK_TYPES)
        _check_dtype(k_t, "k", "int16, int32, int64")
        op = get_default_graph().create_op("TopKV2", [x, k_t], {"sorted": bool(sorted)}, name=scope)
        return TopKV2(*op.outputs)


# -- Cumsum ---------------------------------------------------------------------------------------


def _cumsum_grad(op, grad):
    """Each input adds into the sums after it (before it when reversed): the gradient is
    the sum of the output gradients the other way round."""
    attrs = dict(op._attrs, reverse=not op._attrs["reverse"])
    return [new_op("Cumsum", [grad, op.inputs[1]], attrs), None]


@register("Cumsum", shape=same_as_input, grad=_cumsum_grad)
def _cumsum_kernel(ctx, op, x, axis):
    rank = np.ndim(x)
    if np.ndim(axis) != 0:
        shape = ",".join(str(d) for d in np.shape(axis))
        raise InvalidArgumentError(None, op, f"ScanOp: axis must be a scalar, not [{shape}]")
    axis = int(axis)
    if axis < 0:
        axis += rank
    if not 0 <= axis < rank:  # TF's message shows the axis after adding the rank
        raise InvalidArgumentError(
            None,
            op,
            f"ScanOp: Expected scan axis in the range [{-rank}, {rank}), but got {axis}",
        )
    if op._attrs["reverse"]:
        x = np.flip(x, axis)
    out = np.cumsum(x, axis=axis, dtype=x.dtype)
    if op._attrs["exclusive"]:  # each sum without its own element: shifted by one
        out = np.roll(out, 1, axis=axis)
        index = [slice(None)] * rank
        index[axis] = 0
        out[tuple(index)] = 0
    return np.flip(out, axis) if op._attrs["reverse"] else out


@atomic
def cumsum(x, axis=0, exclusive: bool = False, reverse: bool = False, name=None) -> Tensor:
    """Running sums along ``axis``: ``[a, b, c] -> [a, a + b, a + b + c]``; ``exclusive``
    leaves each element out of its own sum, ``reverse`` sums from the end."""
    with name_scope(name, "Cumsum") as scope:
        x = convert_to_tensor(x, name="x")
        axis_t = convert_to_tensor(axis, name="axis")
        _check_dtype(x, "x", _CUMSUM_TYPES)
        _check_dtype(axis_t, "axis", "int32, int64")
        attrs = {"exclusive": bool(exclusive), "reverse": bool(reverse)}
        return new_op("Cumsum", [x, axis_t], attrs, name=scope)


# -- ReverseV2: tf.reverse ------------------------------------------------------------------------


def _reverse_shape(op):
    x, axis_t = op.inputs
    if axis_t.shape.ndims not in (None, 1):
        raise ValueError(f"Shape must be rank 1 but is rank {axis_t.shape.ndims} {_where(op)}.")
    axes, rank = constant_value(axis_t), x.shape.ndims
    if axes is not None and rank is not None:
        seen = set()
        for i, a in enumerate(int(a) for a in np.reshape(axes, -1)):
            computed = f"and with computed input tensors: input[1] = {_computed(axes)}."
            if not -rank <= a < rank:
                raise ValueError(
                    f"'axis'[{i}] = {a} is out of valid range [0, {rank - 1} {_where(op)} "
                    f"{computed}"
                )
            if a % rank in seen:
                raise ValueError(
                    f"axis {a % rank} specified more than once. {_where(op)} {computed}"
                )
            seen.add(a % rank)
    return [(x.shape, x.dtype.base_dtype)]


@register(
    "ReverseV2",
    shape=_reverse_shape,
    grad=lambda op, g: [new_op("ReverseV2", [g, op.inputs[1]]), None],
)
def _reverse_kernel(ctx, op, x, axes):
    rank = np.ndim(x)
    seen = set()
    for i, a in enumerate(int(a) for a in axes):
        if not -rank <= a < rank:
            raise InvalidArgumentError(
                None, op, f"'axis'[{i}] = {a} is out of valid range [0, {rank - 1}"
            )
        if a % rank in seen:
            raise InvalidArgumentError(None, op, f"axis {a % rank} specified more than once.")
        seen.add(a % rank)
    return np.flip(x, tuple(seen)).copy()


@atomic
def reverse(tensor, axis, name=None) -> Tensor:
    """``tensor`` with the order of its elements along each dimension in ``axis`` reversed."""
    with name_scope(name, "ReverseV2") as scope:
        x = convert_to_tensor(tensor, name="tensor")
        axis_t = convert_to_tensor(axis, name="axis", preferred_dtype=dtypes.int32)
        _check_dtype(axis_t, "axis", "int32, int64")
        return new_op("ReverseV2", [x, axis_t], name=scope)


# -- MatrixDiagV3, MatrixSetDiagV3: tf.eye --------------------------------------------------------
# tfteach's kernels put values on the main diagonal only (k = 0), all tf.eye needs.


def _matrix_diag_shape(op):
    diagonal, _, rows_t, cols_t, _ = op.inputs
    dtype = diagonal.dtype.base_dtype
    if diagonal.shape.ndims is None:
        return [(TensorShape(None), dtype)]
    *batch, d = diagonal.shape.as_list()
    rows, cols = (constant_value(t) for t in (rows_t, cols_t))
    rows = None if rows is None else int(rows)
    cols = None if cols is None else int(cols)
    if rows == -1 and cols == -1:  # -1: as long as the diagonal
        rows = cols = d
    return [(TensorShape([*batch, rows, cols]), dtype)]


@register("MatrixDiagV3", shape=_matrix_diag_shape)
def _matrix_diag_kernel(ctx, op, diagonal, k, num_rows, num_cols, padding):
    d = np.shape(diagonal)[-1]
    rows = d if int(num_rows) == -1 else int(num_rows)
    cols = d if int(num_cols) == -1 else int(num_cols)
    out = np.full((*np.shape(diagonal)[:-1], rows, cols), padding, dtype=diagonal.dtype)
    i = np.arange(min(d, rows, cols))
    out[..., i, i] = diagonal[..., : len(i)]
    return out


@register(
    "MatrixSetDiagV3",
    shape=lambda op: [(op.inputs[0].shape, op.inputs[0].dtype.base_dtype)],
)
def _matrix_set_diag_kernel(ctx, op, x, diagonal, k):
    out = np.array(x)
    i = np.arange(min(np.shape(x)[-2:]))
    out[..., i, i] = diagonal
    return out


@atomic
def eye(num_rows, num_columns=None, batch_shape=None, dtype=dtypes.float32, name=None):
    """The identity matrix: ones on the diagonal, zeros elsewhere (``num_rows`` by
    ``num_columns``, repeated over ``batch_shape``). Built as TF builds it: a square one
    puts ones on the diagonal of nothing (MatrixDiagV3), another sets the diagonal of a
    matrix of zeros (MatrixSetDiagV3)."""
    dtype = as_dtype(dtype).base_dtype
    square = num_columns is None
    num_columns = num_rows if square else num_columns
    batch = [] if batch_shape is None else [int(b) for b in batch_shape]
    with name_scope(name, "eye") as scope:
        if isinstance(num_rows, Tensor) or isinstance(num_columns, Tensor):
            # the sizes are known only when the graph runs: shapes are built as tensors
            diag_size = minimum(num_rows, num_columns)
            batch_t = constant(shape_array(batch), dtype=dtypes.int32, name="shape")
            ones_ = ones(concat([batch_t, [diag_size]], axis=0), dtype=dtype)
            if not square:
                zeros_ = zeros(concat([batch_t, [num_rows, num_columns]], axis=0), dtype=dtype)
        else:
            for n in (num_rows, num_columns):
                if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer)):
                    raise TypeError(
                        "Arguments `num_rows` and `num_columns` must be positive integer "
                        f"values. Received: num_rows={num_rows}, num_columns={num_columns}"
                    )
            square = num_rows == num_columns
            diag_size = min(int(num_rows), int(num_columns))
            _check_eye_size(diag_size, batch, scope)
            ones_ = ones([*batch, diag_size], dtype=dtype)
            if not square:
                zeros_ = zeros([*batch, int(num_rows), int(num_columns)], dtype=dtype)
        if square:
            with name_scope("diag") as scope:
                inputs = [
                    ones_,
                    int32_const(0, name="k"),
                    int32_const(-1, name="num_rows"),  # -1: as long as the diagonal
                    int32_const(-1, name="num_cols"),
                    constant(np.zeros((), dtype.np_dtype), name="padding_value"),
                ]
                return new_op("MatrixDiagV3", inputs, name=scope)
        with name_scope("set_diag") as scope:
            out = new_op("MatrixSetDiagV3", [zeros_, ones_, int32_const(0, name="k")], name=scope)
        known = [n if isinstance(n, (int, np.integer)) else None for n in (num_rows, num_columns)]
        out.set_shape([*batch, *known])  # TF infers the sizes given as numbers
        return out


def _check_eye_size(size: int, batch: list, scope: str) -> None:
    """TF's error for a negative size: its ones() fail (a -1 reads as "unknown" there)."""
    if size == -1:
        partial = "[" + ",".join([str(b) for b in batch] + ["?"]) + "]"
        raise ValueError(
            f"Fill dimensions must be >= 0 for '{scope}ones' (op: 'Fill') with input shapes: "
            f"[{len(batch) + 1}], [] and with input tensors computed as partial shapes: "
            f"input[0] = {partial}."
        )
    if size < -1:
        raise ValueError(f"Invalid value in tensor used for shape: {size}")


# -- tf.boolean_mask --------------------------------------------------------------------------


@atomic
def boolean_mask(tensor, mask, name="boolean_mask", axis=None) -> Tensor:
    """The entries of ``tensor`` where ``mask`` is true, the mask's dimensions (from
    ``axis``) flattened into one. Built as TF builds it: reshape, Where, Squeeze, GatherV2."""
    with name_scope(name, "boolean_mask"):
        x = convert_to_tensor(tensor, name="tensor")
        m = convert_to_tensor(mask, name="mask")
        n = m.shape.ndims
        if n is None:
            raise ValueError(
                "Number of mask dimensions must be specified, even if some dimensions are "
                "None.  E.g. shape=[None] is ok, but shape=None is not."
            )
        if n == 0:
            raise ValueError("mask cannot be scalar.")
        axis = 0 if axis is None else int(axis)
        if x.shape.ndims is not None:
            x.shape[axis : axis + n].assert_is_compatible_with(m.shape)
        # the mask's dimensions of the tensor become one, of -1 entries
        dims = x.shape.as_list() if x.shape.ndims is not None else None
        if dims is not None and None not in dims[:axis] + dims[axis + n :]:
            target = int32_const([*dims[:axis], -1, *dims[axis + n :]], name="concat")
        else:
            full = shape_of(x)
            target = new_op(
                "ConcatV2",
                [full[:axis], int32_const([-1]), full[axis + n :], int32_const(0, name="axis")],
                name="concat",
            )
        flat = reshape(x, target)
        flat_mask = reshape(m, [-1])
        picked = new_op("Squeeze", [new_op("Where", [flat_mask])], {"squeeze_dims": [1]})
        out = new_op(
            "GatherV2", [flat, picked, int32_const(axis, name="GatherV2/axis")], name="GatherV2"
        )
        if dims is not None:
            out.set_shape([*dims[:axis], None, *dims[axis + n :]])
        return out


# -- GatherNd, ScatterNd: tf.gather_nd --------------------------------------------------------


def _gather_nd_shape(op):
    params, indices = op.inputs
    dtype = params.dtype.base_dtype
    if indices.shape.ndims == 0:
        raise ValueError(f"Shape must be at least rank 1 but is rank 0 {_where(op)}.")
    if indices.shape.ndims is None or params.shape.ndims is None:
        return [(TensorShape(None), dtype)]
    r = indices.shape[-1].value
    if r is None:
        return [(TensorShape(None), dtype)]
    if r > params.shape.ndims:
        raise ValueError(
            f"indices.shape[-1] must be <= params.rank, but saw indices shape: "
            f"{indices.shape._shape_text()} and params shape: {params.shape._shape_text()} "
            f"{_where(op)}."
        )
    out = indices.shape.as_list()[:-1] + params.shape.as_list()[r:]
    return [(TensorShape(out), dtype)]


def _gather_nd_grad(op, grad):
    """Each gathered slice goes back where it came from (slices gathered twice add up)."""
    params, indices = op.inputs
    return [new_op("ScatterNd", [indices, grad, shape_of(params)]), None]


@register("GatherNd", shape=_gather_nd_shape, grad=_gather_nd_grad)
def _gather_nd_kernel(ctx, op, params, indices):
    r = np.shape(indices)[-1]
    rows = np.reshape(indices, (-1, r))
    bounds = np.shape(params)[:r]
    for i, row in enumerate(rows):
        if np.any(row < 0) or np.any(row >= bounds):
            raise InvalidArgumentError(
                None,
                op,
                f"indices[{i}] = [{', '.join(str(int(v)) for v in row)}] does not index into "
                f"param shape [{','.join(str(d) for d in np.shape(params))}], node name: "
                f"{op.name}",
            )
    picked = params[tuple(rows.T)]  # one slice of params per row of indices
    return np.reshape(picked, np.shape(indices)[:-1] + np.shape(params)[r:])


def _scatter_nd_shape(op):
    return [(shape_from_tensor(op.inputs[2]), op.inputs[1].dtype.base_dtype)]


@register(
    "ScatterNd",
    shape=_scatter_nd_shape,
    grad=lambda op, grad: [None, new_op("GatherNd", [grad, op.inputs[0]]), None],
)
def _scatter_nd_kernel(ctx, op, indices, updates, shape):
    r = np.shape(indices)[-1]
    out = np.zeros(tuple(int(d) for d in shape), dtype=updates.dtype)
    rows = np.reshape(indices, (-1, r))
    np.add.at(out, tuple(rows.T), np.reshape(updates, (len(rows), *out.shape[r:])))
    return out


@atomic
def gather_nd(params, indices, name=None, batch_dims=0) -> Tensor:
    """The slices of ``params`` that the last dimension of ``indices`` points at: row
    ``[i, j]`` of indices picks ``params[i, j]``."""
    if batch_dims:
        raise ValueError(f"tfteach's gather_nd supports batch_dims=0 only, got {batch_dims}.")
    with name_scope(name, "GatherNd") as scope:
        p = convert_to_tensor(params, name="params")
        i = convert_to_tensor(indices, name="indices")
        _check_dtype(i, "indices", "int16, int32, int64")
        return new_op("GatherNd", [p, i], name=scope)


# -- tf.sequence_mask -------------------------------------------------------------------------


@atomic
def sequence_mask(lengths, maxlen=None, dtype=dtypes.bool, name=None) -> Tensor:
    """``mask[i, j] = j < lengths[i]``, for j up to ``maxlen`` (default: the longest).
    Built as TF builds it: a Range row compared with the lengths as a column."""
    with name_scope(name, "SequenceMask"):
        lengths = convert_to_tensor(lengths)
        if maxlen is None:
            axes = int32_const(list(range(lengths.shape.ndims or 0)))
            longest = new_op("Max", [lengths, axes], {"keep_dims": False})
            zero = constant(np.zeros((), lengths.dtype.np_dtype))
            maxlen = new_op("Maximum", [zero, longest])
            known = constant_value(lengths)
            known = None if known is None else max(0, int(np.max(known, initial=0)))
        else:
            maxlen = convert_to_tensor(maxlen)
            if maxlen.shape.ndims not in (None, 0):
                raise ValueError(
                    f"Argument `maxlen` must be scalar for sequence_mask, received `maxlen` = "
                    f"{maxlen} with shape '{maxlen.shape}' instead"
                )
            known = constant_value(maxlen)
            known = None if known is None else max(0, int(np.ceil(known)))
        limit_dtype = maxlen.dtype.base_dtype
        start = constant(np.zeros((), limit_dtype.np_dtype))
        delta = constant(np.ones((), limit_dtype.np_dtype))
        row = new_op("Range", [start, maxlen, delta], {"Tidx": limit_dtype})
        column = new_op("Cast", [expand_dims(lengths, -1)], {"DstT": limit_dtype})
        result = new_op("Less", [row, column])
        if result.shape.ndims is not None:  # TF knows the longest when lengths are constant
            result.set_shape([*result.shape.as_list()[:-1], known])
        dtype = as_dtype(dtype).base_dtype
        if dtype is dtypes.bool:
            return result
        return new_op("Cast", [result], {"DstT": dtype})


# -- tf.linspace ----------------------------------------------------------------------------------


@atomic
def linspace(start, stop, num, name=None, axis=0) -> Tensor:
    """``num`` evenly spaced values from ``start`` to ``stop``, both included. Built as
    TF 2.x builds it: ``start + delta * range(1, num - 1)`` between the two ends, then a
    Slice of the first ``num`` (so num = 0 and 1 work)."""
    if axis != 0:
        raise ValueError(f"tfteach's linspace supports axis=0 only, got axis={axis}.")
    with name_scope(name, "linspace") as scope:
        start = convert_to_tensor(start, name="start")
        stop = convert_to_tensor(stop, name="stop", dtype=start.dtype)
        num_int = convert_to_tensor(num, name="num")
        if not num_int.dtype.is_integer:
            raise TypeError(
                f"Argument `tensor` (name: num) must be of type integer. Received `tensor` = "
                f"{num_int} of dtype: {num_int.dtype}"
            )
        count = constant_value(num_int)
        if count is not None and int(count) < 0:  # TF's Range fails on range(1, -1)
            raise ValueError(
                f"Requires start <= limit when delta > 0: 1/-1 for '{scope}range' (op: "
                "'Range') with input shapes: [], [], [] and with computed input tensors: "
                "input[0] = <1>, input[1] = <-1>, input[2] = <1>."
            )
        if not (start.shape.is_fully_defined() and stop.shape.is_fully_defined()):
            raise ValueError("tfteach's linspace needs start and stop of known shapes.")
        shape = list(np.broadcast_shapes(start.shape.as_tuple(), stop.shape.as_tuple()))
        if start.shape.as_list() != shape:
            start = broadcast_to(start, shape)
        if stop.shape.as_list() != shape:
            stop = broadcast_to(stop, shape)
        first, last = expand_dims(start, 0), expand_dims(stop, 0)
        # the values between the ends: start + delta * i for i = 1 .. num - 2
        steps = maximum(subtract(num_int, 1), 1)  # at least 1: no division by zero
        delta = truediv(subtract(last, first), cast(steps, start.dtype))
        first, last = cast(first, delta.dtype), cast(last, delta.dtype)
        limit = where(greater_equal(num_int, 0), steps, -1)  # a negative num fails there
        i = cast(range_(1, limit, dtype=dtypes.int64), delta.dtype)
        inner = add(first, multiply(delta, reshape(i, [-1] + [1] * len(shape))))
        both_ends_and_inner = concat([first, inner, last], axis=0)
        rows = cast(num_int, dtypes.int32) if count is None else int32_const(int(count))
        size = pack([rows, *[int32_const(d) for d in shape]])
        return new_op(
            "Slice",
            [both_ends_and_inner, zeros([len(shape) + 1], dtypes.int32), size],
            name="Slice",
        )

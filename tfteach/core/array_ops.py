"""Constants, placeholders, identity, zeros/ones, and conversion of Python values to tensors."""

from __future__ import annotations

import numbers

import numpy as np

from . import dtypes
from .dtypes import DType, as_dtype
from .errors import InvalidArgumentError
from .graph import _SHARED_ATTRS, Operation, Tensor, get_default_graph, name_scope, shared_attrs
from .registry import register, set_gradient
from .tensor_shape import TensorShape, as_shape, shape_of_dims

# -- shape rules shared by many ops ---------------------------------------------------


def same_as_input(op: Operation):
    """Shape rule: one output with the first input's shape and base dtype."""
    x = op._inputs[0]
    return [(x._shape, x._dtype._base)]


# -- Python values to numpy ---------------------------------------------------------------

_TF_DTYPE_TEXT = {
    "float32": "float",
    "float64": "double",
    "float16": "half",
}


def dtype_text(dtype: DType) -> str:
    """TF's runtime spelling of a dtype in messages (``float``, ``double``, ``int32``)."""
    return _TF_DTYPE_TEXT.get(dtype.base_dtype.name, dtype.base_dtype.name)


_PYTHON_TYPES_FOR_KIND = {
    "f": (numbers.Real,),
    "c": (numbers.Number,),
    "i": (numbers.Integral,),
    "u": (numbers.Integral,),
    "b": (bool, np.bool_),
    "O": (str, bytes),
}


def _check_python_values(value, dtype: DType) -> None:
    """TF's check that Python values fit a requested dtype (no silent float -> int)."""
    kind = type(value)
    if kind is float or kind is int:  # the common case, without the ABC checks below
        if dtype._np.kind in ("fc" if kind is float else "fciu"):
            return
    elif isinstance(value, (list, tuple)):
        for v in value:
            _check_python_values(v, dtype)
        return
    if isinstance(value, (np.ndarray, np.generic)):
        kind = np.asarray(value).dtype.kind
        ok = {
            "f": "fiub",
            "c": "fiubc",
            "i": "iub",
            "u": "iub",
            "b": "b",
            "O": "OSU",
        }.get(dtype.np_dtype.kind, "")
        if kind in ok:
            return
    elif isinstance(value, _PYTHON_TYPES_FOR_KIND[dtype.np_dtype.kind]):
        return
    raise TypeError(
        f"Expected {dtype.base_dtype.name}, but got {value!r} of type '{type(value).__name__}'."
    )


def _to_bytes_array(arr: np.ndarray) -> np.ndarray:
    out = np.empty(arr.shape, dtype=object)
    flat = out.reshape(-1)
    for i, v in enumerate(arr.reshape(-1)):
        flat[i] = v.encode() if isinstance(v, str) else bytes(v)
    return out


def to_numpy(value, dtype: DType | None = None) -> np.ndarray:
    """``value`` as a numpy array of the TF dtype it converts to (TF's inference rules)."""
    if dtype is not None:
        dtype = as_dtype(dtype).base_dtype
        _check_python_values(value, dtype)
        if dtype is dtypes.string:
            return _to_bytes_array(np.asarray(value, dtype=object))
        return np.asarray(value, dtype=dtype.np_dtype)
    if isinstance(value, (np.ndarray, np.generic)):
        arr = np.asarray(value)
        if arr.dtype.kind in "SUO":
            return _to_bytes_array(arr)
        as_dtype(arr.dtype)  # rejects dtypes TF lacks
        return arr
    arr = np.asarray(value)
    kind = arr.dtype.kind
    if kind in "SU" or (kind == "O" and _all_text(arr)):
        return _to_bytes_array(arr)
    if kind == "b":
        return arr
    if kind in "iu":
        if arr.size and (arr.min() < -(2**31) or arr.max() >= 2**31):
            return arr.astype(np.int64)
        return arr.astype(np.int32)
    if kind == "f":
        return arr.astype(np.float32)
    if kind == "c":
        return arr.astype(np.complex128)
    raise TypeError(
        f"Failed to convert object of type {type(value).__name__} to Tensor. "
        f"Contents: {value!r}. Consider casting elements to a supported type."
    )


def _all_text(arr) -> bool:
    return all(isinstance(v, (str, bytes)) for v in arr.reshape(-1))


# -- Const ----------------------------------------------------------------------------------


def _const_shape(op):
    attrs = op._attrs
    return [(shape_of_dims(attrs["value"].shape), attrs["dtype"])]


@register("Const", shape=_const_shape)
def _const_kernel(ctx, op):
    return op._attrs["value"]


def constant(value, dtype=None, shape=None, name: str = "Const", verify_shape: bool = False):
    """A tensor whose value is ``value`` (laid out into ``shape`` when given)."""
    if shape is None and type(dtype) is DType:
        found = _number_const(value, dtype, name)
        if found is not None:
            return found
    arr = to_numpy(value, dtype)
    if isinstance(value, np.ndarray) and np.may_share_memory(arr, value):
        arr = arr.copy()  # as TF's copy into the graph: later changes to value don't leak in
    if shape is not None:
        shape = tuple(as_shape(shape).as_list())
        if None in shape:
            raise ValueError(f"Shape of a constant must be fully defined, got {shape}.")
        if arr.shape != shape:
            if verify_shape:
                raise TypeError(f"Expected Tensor's shape: {shape}, got {arr.shape}.")
            size = int(np.prod(shape))
            if arr.size == 1:
                arr = np.full(shape, arr.reshape(()), dtype=arr.dtype)
            elif arr.size == size:
                arr = arr.reshape(shape)
            else:
                raise TypeError(
                    f"Eager execution of tf.constant with unsupported shape. Tensor {value!r} "
                    f"(converted from {value!r}) has {arr.size} elements, but got `shape` "
                    f"{shape} with {size} elements)."
                )
    dt = as_dtype(arr.dtype) if dtype is None else as_dtype(dtype).base_dtype
    return _const(arr, dt, name)


def _number_const(value, dtype: DType, name: str) -> Tensor | None:
    """The common case of `constant` (an initializer's bounds, a scale): a Python float or
    int that fits ``dtype``, as a Const op; None for any other value."""
    kind = type(value)
    if kind is float:
        fits = dtype._np.kind in "fc"
    elif kind is int:
        fits = dtype._np.kind in "fciu"
    else:
        return None
    if not fits:
        return None  # `constant` raises TF's error
    dtype = dtype._base
    return _const(np.array(value, dtype=dtype._np), dtype, name)


def _const(arr: np.ndarray, dtype: DType, name: str) -> Tensor:
    """A Const op holding ``arr`` (already of ``dtype``). Small numeric values are shared,
    read-only, by every Const of equal value (values are never changed in place)."""
    if arr.size <= _SHARED_CONST_SIZE and arr.dtype.kind in "biufc":
        key = ("Const", dtype, arr.dtype, arr.shape, arr.tobytes())
        attrs = _SHARED_ATTRS.get(key)
        if attrs is None:
            arr = arr.copy()  # not the caller's array: it may keep and change it
            arr.flags.writeable = False
            attrs = shared_attrs({"value": arr, "dtype": dtype}, key)
    else:
        attrs = {"value": arr, "dtype": dtype}
    return get_default_graph().create_op("Const", (), attrs, name=name)._first


_SHARED_CONST_SIZE = 16


def convert_to_tensor(value, dtype=None, name: str | None = None, preferred_dtype=None) -> Tensor:
    """``value`` as a Tensor: tensors and variables as they are, other values as constants."""
    if type(value) is Tensor and (dtype is None or dtype is value._dtype._base):
        return value  # the common case: a tensor, no conversion asked for
    if type(dtype) is DType:
        found = _number_const(value, dtype, name or "Const")  # the other common case
        if found is not None:
            return found
    if dtype is not None:
        dtype = as_dtype(dtype)
    as_tensor = getattr(value, "_as_tensor", None)
    if as_tensor is not None:
        value = as_tensor()
    if isinstance(value, Tensor):
        if dtype is not None and value.dtype.base_dtype is not dtype.base_dtype:
            raise ValueError(
                f"Tensor conversion requested dtype {dtype.base_dtype.name} for Tensor with "
                f"dtype {value.dtype.base_dtype.name}: {value!r}"
            )
        return value
    if isinstance(value, Operation):
        raise TypeError(
            f"Can't convert Operation '{value.name}' to Tensor (target dtype={dtype}, "
            f"name={name}, as_ref=False)"
        )
    if isinstance(value, (list, tuple)) and _contains_tensor(value):
        return pack(value, name=name or "packed")
    if dtype is None and preferred_dtype is not None:
        try:
            return constant(value, as_dtype(preferred_dtype), name=name or "Const")
        except (TypeError, ValueError):
            pass
    return constant(value, dtype, name=name or "Const")


def _contains_tensor(value) -> bool:
    for v in value:
        if isinstance(v, (list, tuple)):
            if _contains_tensor(v):
                return True
        elif isinstance(v, Tensor) or hasattr(v, "_as_tensor"):
            return True
    return False


def constant_value(tensor: Tensor):
    """The value of ``tensor`` when it is known while building the graph, else None."""
    op = tensor.op
    if op.type == "Const":
        return op._attrs["value"]
    if op.type == "Identity":
        return constant_value(op.inputs[0])
    if op.type == "Pack":
        parts = [constant_value(t) for t in op.inputs]
        if any(p is None for p in parts):
            return None
        return np.stack(parts, axis=op._attrs["axis"])
    return None


def shape_from_tensor(t: Tensor) -> TensorShape:
    """The static shape a 1-D int shape tensor describes (unknown where not constant)."""
    if t._op._type == "Const":  # the common case: a shape given as a list
        value = t._op._attrs["value"]
        if value.ndim == 1 and value.dtype.kind == "i":
            return shape_of_dims(tuple(value.tolist()))
    value = constant_value(t)
    if value is not None:
        return TensorShape([int(d) for d in np.reshape(value, -1)])
    n = t.shape[0].value if t.shape.ndims == 1 else None
    return TensorShape(None if n is None else [None] * n)


def shape_tensor(shape, name: str = "shape") -> Tensor:
    """A 1-D int32 tensor for a shape given as a list, TensorShape or tensor."""
    if isinstance(shape, Tensor):
        return shape
    if isinstance(shape, TensorShape):
        shape = shape.as_list()
    elif not isinstance(shape, (list, tuple, np.ndarray)):
        shape = [shape]
    try:
        dims = [int(d) for d in shape]
    except TypeError:
        return convert_to_tensor(shape, dtype=dtypes.int32, name=name)
    if dims and min(dims) < 0:
        raise ValueError(f"Dimensions must be non-negative, got shape {list(dims)}.")
    return _const(np.array(dims, dtype=np.int32), dtypes.int32, name)


# -- Placeholder ---------------------------------------------------------------------------


def _placeholder_shape(op):
    return [(op.get_attr("shape"), op.get_attr("dtype"))]


@register("Placeholder", shape=_placeholder_shape)
def _placeholder_kernel(ctx, op):
    dtype, shape = op._attrs["dtype"], op._attrs["shape"]
    text = (
        f"You must feed a value for placeholder tensor '{op.name}' with dtype {dtype_text(dtype)}"
    )
    if shape.ndims:  # TF leaves the shape out for scalars and unknown shapes
        text += f" and shape {shape._shape_text()}"
    raise InvalidArgumentError(None, op, text)


def placeholder(dtype, shape=None, name: str | None = None) -> Tensor:
    """A tensor whose value must be fed to each `Session.run` that needs it."""
    dtype = as_dtype(dtype).base_dtype
    attrs = {"dtype": dtype, "shape": TensorShape(shape)}
    return (
        get_default_graph().create_op("Placeholder", [], attrs, name=name or "Placeholder")._first
    )


def placeholder_with_default(input, shape, name: str | None = None) -> Tensor:
    x = convert_to_tensor(input)
    return (
        get_default_graph()
        .create_op(
            "PlaceholderWithDefault",
            [x],
            {"shape": TensorShape(shape)},
            name=name or "PlaceholderWithDefault",
        )
        ._first
    )


@register(
    "PlaceholderWithDefault",
    shape=lambda op: [(op.get_attr("shape"), op.inputs[0].dtype.base_dtype)],
    grad=lambda op, g: [g],
)
def _placeholder_with_default_kernel(ctx, op, x):
    return x


# -- Identity, Pack, shapes --------------------------------------------------------------


@register("Identity", shape=same_as_input, grad=lambda op, g: [g])
def _identity_kernel(ctx, op, x):
    return x


def identity(input, name: str | None = None) -> Tensor:
    """A tensor with the same value as ``input`` (a new op in the graph)."""
    x = convert_to_tensor(input)
    return get_default_graph().create_op("Identity", [x], name=name or "Identity")._first


def _pack_shape(op):
    first = op.inputs[0]
    for t in op.inputs[1:]:
        if t.dtype.base_dtype is not first.dtype.base_dtype:
            raise TypeError(
                f"Tensors in list passed to 'values' of 'Pack' Op have types "
                f"[{', '.join(x.dtype.base_dtype.name for x in op.inputs)}] that don't all match."
            )
    shape = first.shape
    for t in op.inputs[1:]:
        shape = shape.merge_with(t.shape)
    if shape.ndims is None:
        return [(TensorShape(None), first.dtype.base_dtype)]
    dims = shape.as_list()
    axis = op._attrs["axis"]
    dims.insert(axis if axis >= 0 else len(dims) + 1 + axis, len(op.inputs))
    return [(TensorShape(dims), first.dtype.base_dtype)]


@register("Pack", shape=_pack_shape)
def _pack_kernel(ctx, op, *xs):
    return np.stack(xs, axis=op._attrs["axis"])


def pack(values, axis: int = 0, name: str | None = None) -> Tensor:
    """Stacks a list of tensors (or nested Python values holding tensors) into one tensor."""
    with name_scope(name, "packed") as scope:
        tensors = []
        dtype = None
        for v in values:
            if isinstance(v, (list, tuple)):
                v = pack(v)
            if isinstance(v, Tensor) or hasattr(v, "_as_tensor"):
                v = convert_to_tensor(v)
                dtype = dtype or v.dtype.base_dtype
            tensors.append(v)
        tensors = [convert_to_tensor(v, dtype=dtype) for v in tensors]
        return get_default_graph().create_op("Pack", tensors, {"axis": axis}, name=scope)._first


def stack(values, axis: int = 0, name: str = "stack") -> Tensor:
    return pack(values, axis=axis, name=name)


@register("Shape", shape=lambda op: [(TensorShape([op.inputs[0].shape.ndims]), dtypes.int32)])
def _shape_kernel(ctx, op, x):
    return np.array(np.shape(x), dtype=np.int32)


def shape(input, name: str | None = None, out_type=dtypes.int32) -> Tensor:
    x = convert_to_tensor(input)
    return get_default_graph().create_op("Shape", [x], name=name or "Shape")._first


# -- zeros / ones ----------------------------------------------------------------------------


_FILL_FROM = 1000  # TF stores smaller zeros/ones as a Const, fills larger ones at run time


def _filled(shape, dtype, value, name):
    dtype = as_dtype(dtype).base_dtype
    if not isinstance(shape, Tensor):
        dims = as_shape(shape).as_list()
        if None not in dims and int(np.prod(dims)) < _FILL_FROM:
            fill_value = np.full(
                dims, value, dtype=object if dtype is dtypes.string else dtype.np_dtype
            )
            return constant(fill_value, dtype=dtype, name=name)
    with name_scope(name, "fill") as scope:
        if not isinstance(shape, Tensor):
            shape = constant(np.array(dims, dtype=np.int32), name="shape_as_tensor")
        v = constant(value, dtype=dtype, name="Const")
        return get_default_graph().create_op("Fill", [shape, v], name=scope)._first


def _fill_shape(op):
    return [(shape_from_tensor(op.inputs[0]), op.inputs[1].dtype.base_dtype)]


@register("Fill", shape=_fill_shape)
def _fill_kernel(ctx, op, dims, value):
    return np.full(tuple(int(d) for d in dims), value, dtype=value.dtype)


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


def new_op(op_type: str, inputs, attrs: dict | None = None, name: str | None = None) -> Tensor:
    """The first output of a new ``op_type`` op in the default graph (for gradient functions)."""
    return get_default_graph().create_op(op_type, inputs, attrs, name=name or op_type)._first


def not_differentiable(op: Operation, *grads) -> list:
    """The gradient of an op whose outputs carry no gradient to its inputs: None for each."""
    return [None] * len(op.inputs)


def shape_of(x: Tensor, name: str = "Shape") -> Tensor:
    """``x``'s shape as an int32 tensor: a constant when known while building, else a Shape op."""
    if x.shape.is_fully_defined():
        return constant(np.array(x.shape.as_tuple(), dtype=np.int32), name=name)
    return new_op("Shape", [x], name=name)


def int32_const(values, name: str = "Const") -> Tensor:
    return constant(np.asarray(values, dtype=np.int32), name=name)


def _fill_grad(op, grad):
    from .math_ops import reduce_sum

    return [None, reduce_sum(grad)]


def _pack_grad(op, grad):
    return unstack(grad, num=len(op.inputs), axis=op._attrs["axis"])


set_gradient("Shape", not_differentiable)
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
    return convert_to_tensor(shape, dtype=dtypes.int32, name=name)


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


def concat(values, axis, name: str = "concat") -> Tensor:
    """The tensors in ``values`` joined along dimension ``axis``."""
    values = list(values)
    if len(values) == 1:
        with name_scope(name) as scope:
            convert_to_tensor(axis, dtype=dtypes.int32, name="concat_dim")
            return identity(values[0], name=scope)
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
    from .math_ops import subtract

    x, begin, _ = op.inputs
    after = subtract(subtract(shape_of(x), shape_of(op._first)), begin)
    paddings = new_op("Pack", [begin, after], {"axis": 1}, name="stack")
    return [new_op("Pad", [grad, paddings]), None, None]


@register("Slice", shape=_slice_shape, grad=_slice_grad)
def _slice_kernel(ctx, op, x, begin, size):
    index = tuple(slice(int(b), None if s == -1 else int(b) + int(s)) for b, s in zip(begin, size))
    return x[index]


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
    return new_op("Slice", [shape_t, int32_const([i]), int32_const([1])])


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

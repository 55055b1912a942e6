"""The base every op family builds on: Python values to numpy and to constant tensors,
placeholders, identity, the Shape op, and helpers for shape rules and gradients.

Nothing here imports an op family; `array_ops`, `math_ops` and the rest import this.
"""

from __future__ import annotations

import math
import numbers
import os

import numpy as np

from . import dtypes
from .dtypes import DType, as_dtype
from .errors import InvalidArgumentError, ResourceExhaustedError
from .graph import _SHARED_ATTRS, Operation, Tensor, get_default_graph, name_scope, shared_attrs
from .registry import register
from .tensor_shape import TensorShape, as_shape, shape_of_dims

# -- shape rules shared by many ops ---------------------------------------------------


def same_as_input(op: Operation):
    """Shape rule: one output with the first input's shape and base dtype."""
    x = op._inputs[0]
    return [(x._shape, x._dtype._base)]


# -- memory ---------------------------------------------------------------------------------


def _physical_memory() -> int | None:
    """This machine's memory in bytes (None where the system does not say)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return None


_MEMORY = _physical_memory()


def check_allocation(op: Operation, shape, dtype) -> None:
    """Raises TF's ResourceExhaustedError when ``op``'s array of ``shape`` and ``dtype`` (a
    DType or numpy dtype) could never fit in this machine's memory. Kernels that learn an
    output's size only when they run call it before they allocate."""
    if _MEMORY is None:
        return
    itemsize = dtype.np_dtype.itemsize if isinstance(dtype, DType) else np.dtype(dtype).itemsize
    if math.prod(shape) * itemsize > _MEMORY:
        raise out_of_memory(op, shape, dtype)


def out_of_memory(op: Operation, shape, dtype) -> ResourceExhaustedError:
    """TF's error for an allocation that fails, naming the op and the bytes asked for."""
    dtype = as_dtype(dtype)
    nbytes = math.prod(shape) * dtype.np_dtype.itemsize
    memory = "" if _MEMORY is None else f" ({_MEMORY:,} bytes)"
    return ResourceExhaustedError(
        None,
        op,
        f"OOM when allocating tensor with shape[{','.join(map(str, shape))}] and type "
        f"{dtype_text(dtype)} for op '{op.name}' ({op.type}): {nbytes:,} bytes asked for, "
        f"more than this machine's memory{memory}.",
    )


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
        return _as_array_of(value, dtype.np_dtype)
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
            # as TF: int64, unless a value needs numpy's uint64 (2**63 up to 2**64 - 1)
            return arr if arr.dtype == np.uint64 else arr.astype(np.int64)
        return arr.astype(np.int32)
    if kind == "f":
        return arr.astype(np.float32)
    if kind == "c":
        return arr.astype(np.complex128)
    raise TypeError(
        f"Failed to convert elements of {value} to Tensor. Consider casting elements to a "
        "supported type. See https://www.tensorflow.org/api_docs/python/tf/dtypes for "
        "supported TF dtypes."
    )


def _as_array_of(value, np_dtype: np.dtype) -> np.ndarray:
    """``value`` as an array of ``np_dtype``. A Python int outside the dtype's range wraps
    around, as in TF, which converts with numpy's ``astype``: ``tf.constant(2**31,
    tf.int32)`` is -2147483648 (beyond 64 bits: OverflowError, as in TF)."""
    try:
        return np.asarray(value, dtype=np_dtype)
    except OverflowError:
        return np.asarray(value).astype(np_dtype)


def _all_text(arr) -> bool:
    return all(isinstance(v, (str, bytes)) for v in arr.reshape(-1))


# -- Const ----------------------------------------------------------------------------------


def _const_shape(op):
    attrs = op._attrs
    return [(shape_of_dims(attrs["value"].shape), attrs["dtype"])]


@register("Const", shape=_const_shape, fold=lambda op: op._attrs["value"])
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
            size = math.prod(shape)
            if arr.size == 1:
                # a read-only view, no memory per element: as in TF, a constant too large to
                # hold builds, and fails only when a run needs it (see `session`)
                arr = np.broadcast_to(arr.reshape(()), shape)
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
    return _const(_as_array_of(value, dtype._np), dtype, name)


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
    """The value of ``tensor`` when it is known while building the graph, else None: the
    op type's ``fold`` rule (see `registry`) applied to its inputs' known values."""
    op = tensor.op
    fold = op._opdef.fold
    if fold is None:
        return None
    values = [constant_value(t) for t in op._inputs]
    if any(v is None for v in values):
        return None
    return fold(op, *values)


def shape_from_tensor(t: Tensor) -> TensorShape:
    """The static shape a 1-D int shape tensor describes (unknown where not constant)."""
    value = constant_value(t)
    if value is not None and value.ndim == 1 and value.dtype.kind == "i":
        return shape_of_dims(tuple(value.tolist()))  # the common case: a shape given as a list
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
    arr = shape_array(dims)
    return _const(arr, as_dtype(arr.dtype), name)


def shape_array(dims) -> np.ndarray:
    """A shape's dimensions as TF stores them: int32, or int64 when one needs it (TF
    builds ``zeros([2**31])`` and fails, if at all, only when it runs)."""
    dims = [int(d) for d in dims]
    if not dims or (max(dims) < 2**31 and min(dims) >= -(2**31)):
        return np.array(dims, dtype=np.int32)
    for d in dims:
        if not -(2**63) <= d < 2**63:
            raise ValueError(f"Invalid value in tensor used for shape: {d}")
    return np.array(dims, dtype=np.int64)


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
    try:
        dtype = as_dtype(dtype).base_dtype
    except TypeError as e:
        if not str(e).startswith("Cannot convert"):  # tfteach's own "does not teach" note
            raise
        # the op's attribute check words it so in TF, not as tf.as_dtype does
        raise TypeError(f"Expected DataType for argument 'dtype' not {dtype!r}.") from None
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


# -- Identity and Shape ------------------------------------------------------------


@register(
    "Identity",
    shape=same_as_input,
    grad=lambda op, g: [g],
    fold=lambda op, x: x,
    forwards_input=True,
)
def _identity_kernel(ctx, op, x):
    return x


def identity(input, name: str | None = None) -> Tensor:
    """A tensor with the same value as ``input`` (a new op in the graph)."""
    x = convert_to_tensor(input)
    return get_default_graph().create_op("Identity", [x], name=name or "Identity")._first


@register(
    "Shape",
    shape=lambda op: [(TensorShape([op.inputs[0].shape.ndims]), dtypes.int32)],
    grad=lambda op, grad: [None],
)
def _shape_kernel(ctx, op, x):
    return np.array(np.shape(x), dtype=np.int32)


def shape(input, name: str | None = None, out_type=dtypes.int32) -> Tensor:
    x = convert_to_tensor(input)
    return get_default_graph().create_op("Shape", [x], name=name or "Shape")._first


# -- Pack: a list that holds tensors converts to one tensor ---------------------------


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


@register("Pack", shape=_pack_shape, fold=lambda op, *xs: _pack_kernel(None, op, *xs))
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


# -- helpers for op builders and gradient functions -------------------------------------


def new_op(op_type: str, inputs, attrs: dict | None = None, name: str | None = None) -> Tensor:
    """The first output of a new ``op_type`` op in the default graph (for gradient functions)."""
    return get_default_graph().create_op(op_type, inputs, attrs, name=name or op_type)._first


def not_differentiable(op: Operation, *grads) -> list:
    """The gradient of an op whose outputs carry no gradient to its inputs: None for each."""
    return [None] * len(op.inputs)


def shape_of(x: Tensor, name: str = "Shape") -> Tensor:
    """``x``'s shape as an int tensor: a constant when known while building, else a Shape op."""
    if x.shape.is_fully_defined():
        return constant(shape_array(x.shape.as_tuple()), name=name)
    return new_op("Shape", [x], name=name)


def int32_const(values, name: str = "Const") -> Tensor:
    return constant(np.asarray(values, dtype=np.int32), name=name)

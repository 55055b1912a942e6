"""Arithmetic: elementwise ops with numpy broadcasting, matmul, reductions, and the
operators (``+ - * / // % ** @``, unary ``-``, ``abs``, comparisons) on tensors."""

from __future__ import annotations

import numpy as np

from . import dtypes
from .array_ops import constant, constant_value, convert_to_tensor, same_as_input
from .dtypes import as_dtype
from .graph import Tensor, atomic, get_default_graph, name_scope
from .registry import register
from .tensor_shape import TensorShape


def _shapes_text(op) -> str:
    return ", ".join(t.shape._shape_text() for t in op.inputs)


def _op_text(op) -> str:
    return f"'{op.name}' (op: '{op.type}') with input shapes: {_shapes_text(op)}"


def broadcast_shape(op, a: TensorShape, b: TensorShape) -> TensorShape:
    """The static shape numpy broadcasting gives, with unknown dimensions kept unknown."""
    if a.ndims is None or b.ndims is None:
        return TensorShape(None)
    da, db = a.as_list(), b.as_list()
    n = max(len(da), len(db))
    da, db = [1] * (n - len(da)) + da, [1] * (n - len(db)) + db
    out = []
    for x, y in zip(da, db):
        if x == 1:
            out.append(y)
        elif y == 1:
            out.append(x)
        elif x is None or y is None:
            out.append(x if y is None else y)
        elif x == y:
            out.append(x)
        else:
            raise ValueError(f"Dimensions must be equal, but are {x} and {y} for {_op_text(op)}.")
    return TensorShape(out)


def _check_same_dtype(op):
    x, y = op.inputs[0], op.inputs[1]
    if x.dtype.base_dtype is not y.dtype.base_dtype:
        raise TypeError(
            f"Input 'y' of '{op.type}' Op has type {y.dtype.base_dtype.name} that does not "
            f"match type {x.dtype.base_dtype.name} of argument 'x'."
        )


def _binary_shape(op):
    _check_same_dtype(op)
    return [
        (broadcast_shape(op, op.inputs[0].shape, op.inputs[1].shape), op.inputs[0].dtype.base_dtype)
    ]


def _compare_shape(op):
    _check_same_dtype(op)
    return [(broadcast_shape(op, op.inputs[0].shape, op.inputs[1].shape), dtypes.bool)]


def _binary(op_type: str, fn, shape=_binary_shape):
    @register(op_type, shape=shape)
    def kernel(ctx, op, x, y):
        return np.asarray(fn(x, y), dtype=x.dtype if shape is _binary_shape else np.bool_)

    return kernel


def _int_floordiv(x, y):
    return np.floor_divide(x, y)


_binary("AddV2", np.add)
_binary("Add", np.add)
_binary("Sub", np.subtract)
_binary("Mul", np.multiply)
_binary("RealDiv", np.true_divide)
_binary("FloorDiv", _int_floordiv)
_binary("FloorMod", np.mod)
_binary("Pow", np.power)
_binary("Maximum", np.maximum)
_binary("Minimum", np.minimum)
_binary("SquaredDifference", lambda x, y: np.square(x - y))
_binary("Less", np.less, _compare_shape)
_binary("LessEqual", np.less_equal, _compare_shape)
_binary("Greater", np.greater, _compare_shape)
_binary("GreaterEqual", np.greater_equal, _compare_shape)
_binary("Equal", np.equal, _compare_shape)
_binary("NotEqual", np.not_equal, _compare_shape)
_binary("LogicalAnd", np.logical_and, _compare_shape)
_binary("LogicalOr", np.logical_or, _compare_shape)


def _unary(op_type: str, fn):
    @register(op_type, shape=same_as_input)
    def kernel(ctx, op, x):
        return np.asarray(fn(x), dtype=x.dtype)

    return kernel


def _sigmoid(x):
    # exp(-|x|) never overflows; both branches agree with 1 / (1 + exp(-x))
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


_unary("Neg", np.negative)
_unary("Abs", np.abs)
_unary("Square", np.square)
_unary("Sqrt", np.sqrt)
_unary("Rsqrt", lambda x: 1 / np.sqrt(x))
_unary("Exp", np.exp)
_unary("Log", np.log)
_unary("Tanh", np.tanh)
_unary("Sigmoid", _sigmoid)
_unary("Relu", lambda x: np.maximum(x, 0))
_unary("Sign", np.sign)
_unary("Reciprocal", np.reciprocal)
_unary("LogicalNot", np.logical_not)


def _is_tensor_like(x) -> bool:
    return isinstance(x, Tensor) or hasattr(x, "_as_tensor")


def _convert_pair(x, y):
    """Converts a Python/numpy operand to the other operand's dtype; two tensors are left as
    they are, so a dtype mismatch is reported by the op (TF's wording)."""
    if _is_tensor_like(x):
        x = convert_to_tensor(x, name="x")
        y = convert_to_tensor(y, None if _is_tensor_like(y) else x.dtype.base_dtype, name="y")
    else:
        y = convert_to_tensor(y, name="y")
        x = convert_to_tensor(x, dtype=y.dtype.base_dtype, name="x")
    return x, y


@atomic
def _binary_op(op_type: str, x, y, name: str | None, default_name: str) -> Tensor:
    """Builds ``op_type(x, y)``, converting a Python/numpy operand to the tensor's dtype."""
    with name_scope(name, default_name) as scope:
        x, y = _convert_pair(x, y)
        return get_default_graph().create_op(op_type, [x, y], name=scope).outputs[0]


@atomic
def _unary_op(op_type: str, x, name: str | None) -> Tensor:
    with name_scope(name, op_type) as scope:
        x = convert_to_tensor(x, name="x")
        return get_default_graph().create_op(op_type, [x], name=scope).outputs[0]


def add(x, y, name=None):
    return _binary_op("AddV2", x, y, name, "Add")


def subtract(x, y, name=None):
    return _binary_op("Sub", x, y, name, "Sub")


def multiply(x, y, name=None):
    return _binary_op("Mul", x, y, name, "Mul")


def pow(x, y, name=None):  # noqa: A001 - TF's public name
    return _binary_op("Pow", x, y, name, "Pow")


def maximum(x, y, name=None):
    return _binary_op("Maximum", x, y, name, "Maximum")


def minimum(x, y, name=None):
    return _binary_op("Minimum", x, y, name, "Minimum")


def squared_difference(x, y, name=None):
    return _binary_op("SquaredDifference", x, y, name, "SquaredDifference")


def less(x, y, name=None):
    return _binary_op("Less", x, y, name, "Less")


def greater(x, y, name=None):
    return _binary_op("Greater", x, y, name, "Greater")


def equal(x, y, name=None):
    return _binary_op("Equal", x, y, name, "Equal")


@atomic
def _truediv(x, y, name=None, default_name="truediv"):
    with name_scope(name, default_name) as scope:
        x, y = _convert_pair(x, y)
        dt = x.dtype.base_dtype
        if dt.is_integer:  # TF divides integers in floating point
            target = dtypes.float32 if dt.size <= 2 else dtypes.float64
            x, y = cast(x, target), cast(y, target)
        return get_default_graph().create_op("RealDiv", [x, y], name=scope).outputs[0]


def truediv(x, y, name=None):
    return _truediv(x, y, name)


def divide(x, y, name=None):
    return _truediv(x, y, name, "truediv")


def floordiv(x, y, name=None):
    return _binary_op("FloorDiv", x, y, name, "floordiv")


def mod(x, y, name=None):
    return _binary_op("FloorMod", x, y, name, "mod")


def negative(x, name=None):
    return _unary_op("Neg", x, name)


def abs(x, name=None):  # noqa: A001 - TF's public name
    return _unary_op("Abs", x, name)


def square(x, name=None):
    return _unary_op("Square", x, name)


def sqrt(x, name=None):
    return _unary_op("Sqrt", x, name)


def rsqrt(x, name=None):
    return _unary_op("Rsqrt", x, name)


def exp(x, name=None):
    return _unary_op("Exp", x, name)


def log(x, name=None):
    return _unary_op("Log", x, name)


def tanh(x, name=None):
    return _unary_op("Tanh", x, name)


def sigmoid(x, name=None):
    return _unary_op("Sigmoid", x, name)


def relu(features, name=None):
    return _unary_op("Relu", features, name)


def sign(x, name=None):
    return _unary_op("Sign", x, name)


def reciprocal(x, name=None):
    return _unary_op("Reciprocal", x, name)


def logical_not(x, name=None):
    return _unary_op("LogicalNot", x, name)


# -- Cast -----------------------------------------------------------------------------------


@register("Cast", shape=lambda op: [(op.inputs[0].shape, op.get_attr("DstT"))])
def _cast_kernel(ctx, op, x):
    return np.asarray(x).astype(op._attrs["DstT"].np_dtype)


def cast(x, dtype, name=None) -> Tensor:
    """``x`` converted to ``dtype`` (no op when it already has it)."""
    dtype = as_dtype(dtype).base_dtype
    x = convert_to_tensor(x)
    if x.dtype.base_dtype is dtype:
        return x
    return (
        get_default_graph().create_op("Cast", [x], {"DstT": dtype}, name=name or "Cast").outputs[0]
    )


def to_float(x, name="ToFloat"):
    return cast(x, dtypes.float32, name=name)


# -- MatMul ---------------------------------------------------------------------------------


def _matmul_shape(op):
    a, b = op.inputs
    _check_same_dtype(op)
    for t in (a, b):
        if t.shape.ndims is not None and t.shape.ndims != 2:
            raise ValueError(
                f"Shape must be rank 2 but is rank {t.shape.ndims} for {_op_text(op)}."
            )
    ta, tb = op._attrs["transpose_a"], op._attrs["transpose_b"]
    ad = a.shape.as_list() if a.shape.ndims is not None else [None, None]
    bd = b.shape.as_list() if b.shape.ndims is not None else [None, None]
    if ta:
        ad = ad[::-1]
    if tb:
        bd = bd[::-1]
    if ad[1] is not None and bd[0] is not None and ad[1] != bd[0]:
        raise ValueError(
            f"Dimensions must be equal, but are {ad[1]} and {bd[0]} for {_op_text(op)}."
        )
    return [(TensorShape([ad[0], bd[1]]), a.dtype.base_dtype)]


@register("MatMul", shape=_matmul_shape)
def _matmul_kernel(ctx, op, a, b):
    if op._attrs["transpose_a"]:
        a = a.T
    if op._attrs["transpose_b"]:
        b = b.T
    return np.matmul(a, b)


@atomic
def matmul(a, b, transpose_a: bool = False, transpose_b: bool = False, name=None) -> Tensor:
    """The matrix product of two rank-2 tensors."""
    with name_scope(name, "MatMul") as scope:
        a = convert_to_tensor(a, name="a")
        b = convert_to_tensor(b, dtype=a.dtype.base_dtype, name="b")
        attrs = {"transpose_a": bool(transpose_a), "transpose_b": bool(transpose_b)}
        return get_default_graph().create_op("MatMul", [a, b], attrs, name=scope).outputs[0]


# -- reductions ------------------------------------------------------------------------------


def _reduced_axes(op):
    """The reduction axes (normalized, sorted) when known while building, else None."""
    axes = constant_value(op.inputs[1])
    rank = op.inputs[0].shape.ndims
    if axes is None or rank is None:
        return None
    out = set()
    for a in np.reshape(axes, -1):
        a = int(a)
        if not -rank <= a < max(rank, 1):
            raise ValueError(
                f"Invalid reduction dimension {a} for input with {rank} dimensions. for "
                f"{_op_text(op)} and with computed input tensors: input[1] = <{a}>."
            )
        out.add(a % rank if rank else 0)
    return sorted(out)


def _reduce_shape(op):
    x = op.inputs[0]
    keep = op._attrs["keep_dims"]
    axes = _reduced_axes(op)
    if axes is None:
        return [(TensorShape(None), x.dtype.base_dtype)]
    dims = x.shape.as_list()
    if keep:
        dims = [1 if i in axes else d for i, d in enumerate(dims)]
    else:
        dims = [d for i, d in enumerate(dims) if i not in axes]
    return [(TensorShape(dims), x.dtype.base_dtype)]


def _reducer(op_type: str, fn):
    @register(op_type, shape=_reduce_shape)
    def kernel(ctx, op, x, axes):
        axis = tuple(int(a) for a in np.reshape(axes, -1))
        return np.asarray(fn(x, axis=axis, keepdims=op._attrs["keep_dims"])).astype(x.dtype)

    return kernel


_reducer("Sum", np.sum)
_reducer("Mean", np.mean)
_reducer("Max", np.max)
_reducer("Min", np.min)
_reducer("Prod", np.prod)


@atomic
def _reduce(op_type, input_tensor, axis, keepdims, name, reduction_indices, keep_dims):
    if axis is None:
        axis = reduction_indices
    if keepdims is None:
        keepdims = bool(keep_dims)
    x = convert_to_tensor(input_tensor)
    with name_scope(name, op_type) as scope:
        if axis is None:
            if x.shape.ndims is not None:
                axes = constant(np.arange(x.shape.ndims, dtype=np.int32), name="Const")
            else:
                raise ValueError(
                    "Reducing over all axes of a tensor of unknown rank is not supported."
                )
        else:
            axes = convert_to_tensor(axis, dtype=dtypes.int32, name="reduction_indices")
        attrs = {"keep_dims": bool(keepdims)}
        return get_default_graph().create_op(op_type, [x, axes], attrs, name=scope).outputs[0]


def reduce_sum(
    input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None, keep_dims=None
):
    return _reduce("Sum", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_mean(
    input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None, keep_dims=None
):
    return _reduce("Mean", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_max(
    input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None, keep_dims=None
):
    return _reduce("Max", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_min(
    input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None, keep_dims=None
):
    return _reduce("Min", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_prod(
    input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None, keep_dims=None
):
    return _reduce("Prod", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def add_n(inputs, name=None) -> Tensor:
    inputs = [convert_to_tensor(t) for t in inputs]
    if len(inputs) == 1:
        return identity_of(inputs[0], name)
    return get_default_graph().create_op("AddN", inputs, name=name or "AddN").outputs[0]


def identity_of(x, name):
    from .array_ops import identity

    return identity(x, name=name)


def _addn_shape(op):
    first = op.inputs[0]
    shape = first.shape
    for t in op.inputs[1:]:
        if t.dtype.base_dtype is not first.dtype.base_dtype:
            raise TypeError("All inputs of AddN must have the same dtype.")
        shape = shape.merge_with(t.shape)
    return [(shape, first.dtype.base_dtype)]


@register("AddN", shape=_addn_shape)
def _addn_kernel(ctx, op, *xs):
    total = xs[0]
    for x in xs[1:]:
        total = total + x
    return total


# -- operators on Tensor ----------------------------------------------------------------------


def _install_operators(cls) -> None:
    """Gives ``cls`` (Tensor, Variable) TF1's operators; op names as TF names them."""

    def binary(fn, default_name):
        def forward(self, other):
            return fn(self, other, default_name=default_name)

        def backward(self, other):
            return fn(other, self, default_name=default_name)

        return forward, backward

    def op_fn(op_type):
        def fn(x, y, default_name):
            return _binary_op(op_type, x, y, None, default_name)

        return fn

    table = {
        "add": (op_fn("AddV2"), "add"),
        "sub": (op_fn("Sub"), "sub"),
        "mul": (op_fn("Mul"), "mul"),
        "truediv": (lambda x, y, default_name: _truediv(x, y, None, default_name), "truediv"),
        "floordiv": (op_fn("FloorDiv"), "floordiv"),
        "mod": (op_fn("FloorMod"), "mod"),
        "pow": (op_fn("Pow"), "pow"),
        "matmul": (lambda x, y, default_name: matmul(x, y, name=default_name), "matmul"),
    }
    for key, (fn, default_name) in table.items():
        forward, backward = binary(fn, default_name)
        setattr(cls, f"__{key}__", forward)
        setattr(cls, f"__r{key}__", backward)
    cls.__neg__ = lambda self: _unary_op("Neg", self, "Neg")
    cls.__abs__ = lambda self: _unary_op("Abs", self, "Abs")
    cls.__invert__ = lambda self: _unary_op("LogicalNot", self, "LogicalNot")
    cls.__lt__ = lambda self, other: _binary_op("Less", self, other, None, "Less")
    cls.__le__ = lambda self, other: _binary_op("LessEqual", self, other, None, "LessEqual")
    cls.__gt__ = lambda self, other: _binary_op("Greater", self, other, None, "Greater")
    cls.__ge__ = lambda self, other: _binary_op("GreaterEqual", self, other, None, "GreaterEqual")
    cls.__and__ = lambda self, other: _binary_op("LogicalAnd", self, other, None, "and")
    cls.__or__ = lambda self, other: _binary_op("LogicalOr", self, other, None, "or")


_install_operators(Tensor)

"""Arithmetic: elementwise ops with numpy broadcasting, matmul, reductions, and the
operators (``+ - * / // % ** @``, unary ``-``, ``abs``, comparisons) on tensors."""

from __future__ import annotations

import warnings
from collections.abc import Iterable

import numpy as np

from . import dtypes
from .constant_op import (
    constant,
    constant_value,
    convert_to_tensor,
    identity,
    int32_const,
    new_op,
    not_differentiable,
    same_as_input,
    shape_from_tensor,
    shape_of,
    shape_tensor,
    to_numpy,
)
from .dtypes import as_dtype
from .errors import InvalidArgumentError
from .graph import Operation, Tensor, atomic, get_default_graph, name_scope
from .registry import register, set_gradient
from .tensor_shape import TensorShape


def _shapes_text(op) -> str:
    return ", ".join(t.shape._shape_text() for t in op.inputs)


def _op_text(op) -> str:
    return f"'{op.name}' (op: '{op.type}') with input shapes: {_shapes_text(op)}"


def broadcast_shape(op, a: TensorShape, b: TensorShape) -> TensorShape:
    """The static shape numpy broadcasting gives, with unknown dimensions kept unknown."""
    da, db = a._dims, b._dims
    if da == db or db == ():  # the common cases: equal shapes, a scalar operand
        return a
    if da == ():
        return b
    if da is None or db is None:
        return TensorShape(None)
    da, db = list(da), list(db)
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
    x, y = op._inputs[0], op._inputs[1]
    if x._dtype._base is not y._dtype._base:
        raise TypeError(
            f"Input 'y' of '{op.type}' Op has type {y.dtype.base_dtype.name} that does not "
            f"match type {x.dtype.base_dtype.name} of argument 'x'."
        )


def _binary_shape(op):
    _check_same_dtype(op)
    x, y = op._inputs
    return [(broadcast_shape(op, x._shape, y._shape), x._dtype._base)]


def _compare_shape(op):
    _check_same_dtype(op)
    x, y = op._inputs
    return [(broadcast_shape(op, x._shape, y._shape), dtypes.bool)]


# -- gradients of elementwise ops: each input's gradient summed over the axes it was broadcast on


def _broadcast_axes(x: Tensor, y: Tensor):
    """The axes of ``x op y`` along which x was stretched, or None when the static shapes
    cannot tell (an unknown dimension of x against a dimension other than 1)."""
    xr, yr = x.shape.ndims, y.shape.ndims
    if xr is None or yr is None:
        return None
    n = max(xr, yr)
    xd = (1,) * (n - xr) + x.shape.as_tuple()
    yd = (1,) * (n - yr) + y.shape.as_tuple()
    axes = []
    for i, (a, b) in enumerate(zip(xd, yd)):
        if i < n - xr or (a == 1 and b != 1):
            axes.append(i)
        elif a is None and b != 1:
            return None
    return axes


def _sum_to(grad: Tensor, x: Tensor, axes: list, rank: int) -> Tensor:
    """``grad`` (of rank ``rank``) summed over ``axes`` and shaped as ``x``."""
    if grad is None or not axes:
        return grad
    summed = new_op("Sum", [grad, int32_const(axes)], {"keep_dims": False})
    if len(axes) > rank - x.shape.ndims:  # an axis of x itself was reduced: it stays, as 1
        summed = new_op("Reshape", [summed, shape_of(x)])
    return summed


def unbroadcast(x: Tensor, y: Tensor, gx: Tensor | None, gy: Tensor | None) -> list:
    """The gradients ``gx``, ``gy`` (shaped as ``x op y``) reduced to the shapes of x and y."""
    ax, ay = _broadcast_axes(x, y), _broadcast_axes(y, x)
    if ax is not None and ay is not None:
        rank = max(x.shape.ndims, y.shape.ndims)
        return [_sum_to(gx, x, ax, rank), _sum_to(gy, y, ay, rank)]
    sx, sy = shape_of(x), shape_of(y, name="Shape_1")
    rx, ry = get_default_graph().create_op("BroadcastGradientArgs", [sx, sy]).outputs
    out = []
    for g, r, s in ((gx, rx, sx), (gy, ry, sy)):
        if g is not None:
            g = new_op("Reshape", [new_op("Sum", [g, r], {"keep_dims": False}), s])
        out.append(g)
    return out


@register(
    "BroadcastGradientArgs",
    shape=lambda op: [(TensorShape([None]), dtypes.int32)] * 2,
    grad=not_differentiable,
)
def _broadcast_gradient_args_kernel(ctx, op, s0, s1):
    n = max(len(s0), len(s1))
    a = np.concatenate([np.ones(n - len(s0), np.int32), s0])
    b = np.concatenate([np.ones(n - len(s1), np.int32), s1])
    pad0, pad1 = n - len(s0), n - len(s1)
    r0 = [i for i in range(n) if i < pad0 or (a[i] == 1 and b[i] != 1)]
    r1 = [i for i in range(n) if i < pad1 or (b[i] == 1 and a[i] != 1)]
    return np.array(r0, dtype=np.int32), np.array(r1, dtype=np.int32)


def _add_grad(op, grad):
    x, y = op.inputs
    return unbroadcast(x, y, grad, grad)


def _sub_grad(op, grad):
    x, y = op.inputs
    return unbroadcast(x, y, grad, new_op("Neg", [grad]))


def _mul_grad(op, grad):
    x, y = op.inputs
    return unbroadcast(x, y, new_op("Mul", [grad, y]), new_op("Mul", [x, grad]))


def _realdiv_grad(op, grad):
    x, y = op.inputs
    gx = new_op("RealDiv", [grad, y])
    neg_x_over_y2 = new_op("RealDiv", [new_op("RealDiv", [new_op("Neg", [x]), y]), y])
    return unbroadcast(x, y, gx, new_op("Mul", [grad, neg_x_over_y2]))


def _floormod_grad(op, grad):
    x, y = op.inputs
    floor = new_op("FloorDiv", [x, y])
    return unbroadcast(x, y, grad, new_op("Mul", [grad, new_op("Neg", [floor])]))


def _pow_grad(op, grad):
    x, y = op.inputs
    z = op._first
    one = constant(np.ones((), dtype=y.dtype.base_dtype.np_dtype), name="Const")
    gx = new_op("Mul", [new_op("Mul", [grad, y]), new_op("Pow", [x, new_op("Sub", [y, one])])])
    # log(x) only where x > 0: elsewhere z does not depend smoothly on y
    positive = new_op("Greater", [x, new_op("ZerosLike", [x])])
    safe_x = new_op("Select", [positive, x, new_op("OnesLike", [x])])
    log_x = new_op("Select", [positive, new_op("Log", [safe_x]), new_op("ZerosLike", [x])])
    gy = new_op("Mul", [new_op("Mul", [grad, z]), log_x])
    return unbroadcast(x, y, gx, gy)


def _select_by(compare: str):
    def grad_fn(op, grad):
        x, y = op.inputs
        x_wins = new_op(compare, [x, y])
        zeros = new_op("ZerosLike", [grad])
        gx = new_op("Select", [x_wins, grad, zeros])
        gy = new_op("Select", [x_wins, zeros, grad])
        return unbroadcast(x, y, gx, gy)

    return grad_fn


def _squared_difference_grad(op, grad):
    x, y = op.inputs
    two = constant(np.array(2, dtype=grad.dtype.base_dtype.np_dtype), name="scalar")
    gx = new_op("Mul", [new_op("Mul", [two, grad]), new_op("Sub", [x, y])])
    return unbroadcast(x, y, gx, new_op("Neg", [gx]))


def _binary(op_type: str, fn, shape=_binary_shape, grad=None):
    @register(op_type, shape=shape, grad=grad)
    def kernel(ctx, op, x, y):
        return np.asarray(fn(x, y), dtype=x.dtype if shape is _binary_shape else np.bool_)

    return kernel


def _int_floordiv(x, y):
    return np.floor_divide(x, y)


_binary("AddV2", np.add, grad=_add_grad)
_binary("Add", np.add, grad=_add_grad)
_binary("Sub", np.subtract, grad=_sub_grad)
_binary("Mul", np.multiply, grad=_mul_grad)
_binary("RealDiv", np.true_divide, grad=_realdiv_grad)
_binary("FloorDiv", _int_floordiv, grad=not_differentiable)
_binary("FloorMod", np.mod, grad=_floormod_grad)
_binary("Pow", np.power, grad=_pow_grad)
_binary("Maximum", np.maximum, grad=_select_by("GreaterEqual"))
_binary("Minimum", np.minimum, grad=_select_by("LessEqual"))
_binary("SquaredDifference", lambda x, y: np.square(x - y), grad=_squared_difference_grad)
for _op_type, _fn in (
    ("Less", np.less),
    ("LessEqual", np.less_equal),
    ("Greater", np.greater),
    ("GreaterEqual", np.greater_equal),
    ("Equal", np.equal),
    ("NotEqual", np.not_equal),
    ("LogicalAnd", np.logical_and),
    ("LogicalOr", np.logical_or),
):
    _binary(_op_type, _fn, _compare_shape, grad=not_differentiable)


def _unary(op_type: str, fn, grad=None):
    @register(op_type, shape=same_as_input, grad=grad)
    def kernel(ctx, op, x):
        return np.asarray(fn(x), dtype=x.dtype)

    return kernel


def _sigmoid(x):
    # exp(-|x|) never overflows; both branches agree with 1 / (1 + exp(-x))
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def _square_grad(op, grad):
    x = op.inputs[0]
    two = constant(np.array(2, dtype=x.dtype.base_dtype.np_dtype), name="Const")
    return [new_op("Mul", [grad, new_op("Mul", [x, two])])]


def _output_grad(grad_op: str, grad_first: bool = False):
    """Gradient through a ``grad_op(y, dy)`` kernel that uses the op's output y."""

    def grad_fn(op, grad):
        y = op._first
        return [new_op(grad_op, [grad, y] if grad_first else [y, grad])]

    return grad_fn


_unary("Neg", np.negative, grad=lambda op, g: [new_op("Neg", [g])])
_unary("Abs", np.abs, grad=lambda op, g: [new_op("Mul", [g, new_op("Sign", [op.inputs[0]])])])
_unary("Square", np.square, grad=_square_grad)
_unary("Sqrt", np.sqrt, grad=_output_grad("SqrtGrad"))
_unary("Rsqrt", lambda x: 1 / np.sqrt(x), grad=_output_grad("RsqrtGrad"))
_unary("Exp", np.exp, grad=lambda op, g: [new_op("Mul", [g, op._first])])
_unary(
    "Log",
    np.log,
    grad=lambda op, g: [new_op("Mul", [g, new_op("Reciprocal", [op.inputs[0]])])],
)
_unary(
    "Log1p",
    np.log1p,
    grad=lambda op, g: [
        new_op(
            "Mul",
            [
                g,
                new_op(
                    "Reciprocal",
                    [new_op("AddV2", [op.inputs[0], new_op("OnesLike", [op.inputs[0]])])],
                ),
            ],
        )
    ],
)
_unary("Tanh", np.tanh, grad=_output_grad("TanhGrad"))
_unary("Sigmoid", _sigmoid, grad=_output_grad("SigmoidGrad"))
_unary("Relu", lambda x: np.maximum(x, 0), grad=_output_grad("ReluGrad", grad_first=True))
_unary("Sign", np.sign, grad=lambda op, g: [new_op("ZerosLike", [op.inputs[0]])])
_unary("Reciprocal", np.reciprocal, grad=_output_grad("ReciprocalGrad"))
_unary("LogicalNot", np.logical_not, grad=not_differentiable)
# rounding has no gradient in TF (None), as FloorDiv
_unary("Floor", np.floor, grad=not_differentiable)
_unary("Ceil", np.ceil, grad=not_differentiable)
_unary("Sin", np.sin, grad=lambda op, g: [new_op("Mul", [g, new_op("Cos", [op.inputs[0]])])])
_unary(
    "Cos",
    np.cos,
    grad=lambda op, g: [new_op("Mul", [new_op("Neg", [g]), new_op("Sin", [op.inputs[0]])])],
)


def _grad_kernel(op_type: str, fn):
    """Registers ``op_type(a, b)``: the elementwise kernel a gradient function builds."""

    @register(op_type, shape=same_as_input)
    def kernel(ctx, op, a, b):
        return np.asarray(fn(a, b), dtype=b.dtype)

    return kernel


_grad_kernel("SqrtGrad", lambda y, dy: dy * 0.5 / y)
_grad_kernel("RsqrtGrad", lambda y, dy: dy * -0.5 * y * y * y)
_grad_kernel("TanhGrad", lambda y, dy: dy * (1 - y * y))
_grad_kernel("SigmoidGrad", lambda y, dy: dy * y * (1 - y))
_grad_kernel("ReciprocalGrad", lambda y, dy: -dy * y * y)
_grad_kernel("ReluGrad", lambda dy, features: dy * (features > 0))

# -- more activations (tf.nn), each with the gradient kernel TF gives it ---------------------

# SELU's constants (Klambauer et al. 2017), as TF's kernel has them
_SELU_SCALE = 1.0507009873554804934193349852946
_SELU_ALPHA = 1.6732632423543772848170429916717


def _softplus(x):
    # log(1 + exp(x)) without overflow: max(x, 0) + log1p(exp(-|x|))
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


def _features_grad(grad_op: str):
    """Gradient through a ``grad_op(dy, x)`` kernel that uses the op's input x."""
    return lambda op, grad: [new_op(grad_op, [grad, op.inputs[0]])]


_unary("Relu6", lambda x: np.clip(x, 0, 6), grad=_features_grad("Relu6Grad"))
_unary(
    "Elu",
    lambda x: np.where(x < 0, np.expm1(np.minimum(x, 0)), x),
    grad=_output_grad("EluGrad", grad_first=True),
)
_unary(
    "Selu",
    lambda x: _SELU_SCALE * np.where(x < 0, _SELU_ALPHA * np.expm1(np.minimum(x, 0)), x),
    grad=_output_grad("SeluGrad", grad_first=True),
)
_unary("Softplus", _softplus, grad=_features_grad("SoftplusGrad"))
_unary("Softsign", lambda x: x / (1 + np.abs(x)), grad=_features_grad("SoftsignGrad"))
_grad_kernel("Relu6Grad", lambda dy, x: dy * ((x > 0) & (x < 6)))
_grad_kernel("EluGrad", lambda dy, y: np.where(y < 0, dy * (y + 1), dy))
_grad_kernel(
    "SeluGrad",
    lambda dy, y: np.where(y < 0, dy * (y + _SELU_SCALE * _SELU_ALPHA), dy * _SELU_SCALE),
)
_grad_kernel("SoftplusGrad", lambda dy, x: dy * _sigmoid(x))
_grad_kernel("SoftsignGrad", lambda dy, x: dy / np.square(1 + np.abs(x)))


@register("LeakyRelu", shape=same_as_input, grad=lambda op, g: [_leaky_relu_grad(g, op)])
def _leaky_relu_kernel(ctx, op, x):
    return np.where(x > 0, x, x * np.asarray(op._attrs["alpha"], dtype=x.dtype))


@register("LeakyReluGrad", shape=same_as_input)
def _leaky_relu_grad_kernel(ctx, op, dy, x):
    return np.where(x > 0, dy, dy * np.asarray(op._attrs["alpha"], dtype=dy.dtype))


def _leaky_relu_grad(grad: Tensor, op: Operation) -> Tensor:
    return new_op("LeakyReluGrad", [grad, op.inputs[0]], {"alpha": op._attrs["alpha"]})


set_gradient(
    "ReluGrad",
    lambda op, g: [new_op("ReluGrad", [g, op.inputs[1]]), new_op("ZerosLike", [op.inputs[1]])],
)


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
        return get_default_graph().create_op(op_type, [x, y], name=scope)._first


@atomic
def _unary_op(op_type: str, x, name: str | None) -> Tensor:
    with name_scope(name, op_type) as scope:
        x = convert_to_tensor(x, name="x")
        return get_default_graph().create_op(op_type, [x], name=scope)._first


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


def less_equal(x, y, name=None):
    return _binary_op("LessEqual", x, y, name, "LessEqual")


def greater_equal(x, y, name=None):
    return _binary_op("GreaterEqual", x, y, name, "GreaterEqual")


def not_equal(x, y, name=None):
    return _binary_op("NotEqual", x, y, name, "NotEqual")


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
        return get_default_graph().create_op("RealDiv", [x, y], name=scope)._first


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


def log1p(x, name=None):
    """log(1 + x), accurate for small x."""
    return _unary_op("Log1p", x, name)


def tanh(x, name=None):
    return _unary_op("Tanh", x, name)


def sigmoid(x, name=None):
    return _unary_op("Sigmoid", x, name)


def relu(features, name=None):
    return _unary_op("Relu", features, name)


def relu6(features, name=None):
    """``min(max(features, 0), 6)``."""
    return _unary_op("Relu6", features, name)


def elu(features, name=None):
    """``exp(features) - 1`` where negative, else ``features``."""
    return _unary_op("Elu", features, name)


def selu(features, name=None):
    """``scale * elu`` with ``alpha`` before it: the self-normalizing units' activation."""
    return _unary_op("Selu", features, name)


def softplus(features, name=None):
    """``log(exp(features) + 1)``, a smooth relu."""
    return _unary_op("Softplus", features, name)


def softsign(features, name=None):
    """``features / (abs(features) + 1)``."""
    return _unary_op("Softsign", features, name)


@atomic
def leaky_relu(features, alpha: float = 0.2, name=None) -> Tensor:
    """``features`` where positive, else ``alpha * features`` (GANs' usual activation)."""
    with name_scope(name, "LeakyRelu") as scope:
        features = convert_to_tensor(features, name="features")
        if features.dtype.is_integer:  # TF: no integer kernel, so a float detour
            features = cast(features, dtypes.float32)
        attrs = {"alpha": float(alpha)}
        return get_default_graph().create_op("LeakyRelu", [features], attrs, name=scope)._first


def sign(x, name=None):
    return _unary_op("Sign", x, name)


def floor(x, name=None):
    """The largest whole number not above ``x`` (same float dtype)."""
    return _unary_op("Floor", x, name)


def ceil(x, name=None):
    """The smallest whole number not below ``x`` (same float dtype)."""
    return _unary_op("Ceil", x, name)


def sin(x, name=None):
    return _unary_op("Sin", x, name)


def cos(x, name=None):
    return _unary_op("Cos", x, name)


def reciprocal(x, name=None):
    return _unary_op("Reciprocal", x, name)


def logical_not(x, name=None):
    return _unary_op("LogicalNot", x, name)


def logical_and(x, y, name=None):
    return _binary_op("LogicalAnd", x, y, name, "LogicalAnd")


def logical_or(x, y, name=None):
    return _binary_op("LogicalOr", x, y, name, "LogicalOr")


@atomic
def logical_xor(x, y, name="LogicalXor"):
    """``x`` or ``y`` but not both (TF builds it from and, or and not)."""
    x, y = _convert_pair(x, y)
    either = _binary_op("LogicalOr", x, y, None, "LogicalOr")
    both = _binary_op("LogicalAnd", x, y, None, "LogicalAnd")
    return _binary_op("LogicalAnd", either, _unary_op("LogicalNot", both, None), name, name)


def _xor_operator(x, y) -> Tensor:
    """``x ^ y``: as TF's operator, logical_xor's ops inside a name scope ``xor``."""
    with name_scope(None, "xor") as scope:
        return logical_xor(x, y, name=scope)


# -- Cast -----------------------------------------------------------------------------------


def _cast_grad(op, grad):
    src, dst = op.inputs[0].dtype.base_dtype, op._attrs["DstT"]
    smooth = (dtypes.float16, dtypes.float32, dtypes.float64)
    if src in smooth and dst in smooth:
        return [new_op("Cast", [grad], {"DstT": src})]
    return [None]


@register("Cast", shape=lambda op: [(op.inputs[0].shape, op.get_attr("DstT"))], grad=_cast_grad)
def _cast_kernel(ctx, op, x):
    return np.asarray(x).astype(op._attrs["DstT"].np_dtype)


def cast(x, dtype, name=None) -> Tensor:
    """``x`` converted to ``dtype`` (no op when it already has it).

    As in TF, a value that is not yet a tensor becomes a constant named ``Cast/x`` first,
    so it uses up the name ``Cast`` even when no Cast op is needed."""
    dtype = as_dtype(dtype).base_dtype
    if _is_tensor_like(x):
        return _cast_tensor(convert_to_tensor(x), dtype, name or "Cast")
    with name_scope(name, "Cast") as scope:
        return _cast_tensor(convert_to_tensor(x, name="x"), dtype, scope)


def _cast_tensor(x: Tensor, dtype, name: str) -> Tensor:
    if x.dtype.base_dtype is dtype:
        return x
    return get_default_graph().create_op("Cast", [x], {"DstT": dtype}, name=name)._first


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


def _matmul_grad(op, grad):
    a, b = op.inputs
    ta, tb = op._attrs["transpose_a"], op._attrs["transpose_b"]

    def mm(x, y, transpose_a=False, transpose_b=False):
        attrs = {"transpose_a": transpose_a, "transpose_b": transpose_b}
        return new_op("MatMul", [x, y], attrs)

    if not ta and not tb:
        return [mm(grad, b, transpose_b=True), mm(a, grad, transpose_a=True)]
    if not ta and tb:
        return [mm(grad, b), mm(grad, a, transpose_a=True)]
    if ta and not tb:
        return [mm(b, grad, transpose_b=True), mm(a, grad)]
    return [mm(b, grad, True, True), mm(grad, a, True, True)]


@register("MatMul", shape=_matmul_shape, grad=_matmul_grad)
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
        return get_default_graph().create_op("MatMul", [a, b], attrs, name=scope)._first


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
        if op._attrs.get("reduce_all") and not keep:  # every axis, whatever the rank
            return [(TensorShape([]), x.dtype.base_dtype)]
        return [(TensorShape(None), x.dtype.base_dtype)]
    dims = x.shape.as_list()
    if keep:
        dims = [1 if i in axes else d for i, d in enumerate(dims)]
    else:
        dims = [d for i, d in enumerate(dims) if i not in axes]
    return [(TensorShape(dims), x.dtype.base_dtype)]


def _kept_dims(op, t: Tensor) -> Tensor:
    """``t``, shaped as op's output, reshaped as if the reduction had kept its dimensions."""
    if op._attrs["keep_dims"]:
        return t
    axes = _reduced_axes(op)
    if axes is None:  # known only when the graph runs: the shape is computed then too
        kept_shape = new_op("ReducedShape", [shape_of(op.inputs[0]), op.inputs[1]])
        return new_op("Reshape", [t, kept_shape])
    dims = [1 if i in axes else d for i, d in enumerate(op.inputs[0].shape.as_tuple())]
    if dims.count(None) <= 1:
        return new_op("Reshape", [t, int32_const([-1 if d is None else d for d in dims])])
    for a in axes:
        t = new_op("ExpandDims", [t, int32_const(a, name="dim")])
    return t


def _sum_grad(op, grad):
    x = op.inputs[0]
    return [new_op("BroadcastTo", [_kept_dims(op, grad), shape_of(x)]), None]


def _mean_grad(op, grad):
    x, y = op.inputs[0], op._first
    summed = _sum_grad(op, grad)[0]
    n_in, n_out = x.shape.num_elements(), y.shape.num_elements()
    if n_in is not None and n_out is not None:
        factor = constant(
            np.array(n_in // max(n_out, 1), dtype=x.dtype.base_dtype.np_dtype), name="Const"
        )
    else:
        axis0 = int32_const([0])
        size_in = new_op("Prod", [shape_of(x), axis0], {"keep_dims": False})
        size_out = new_op("Prod", [shape_of(y, "Shape_1"), axis0], {"keep_dims": False})
        one = int32_const(1, name="Maximum/y")
        count = new_op("FloorDiv", [size_in, new_op("Maximum", [size_out, one])])
        factor = new_op("Cast", [count], {"DstT": x.dtype.base_dtype})
    return [new_op("RealDiv", [summed, factor]), None]


def _min_or_max_grad(op, grad):
    x = op.inputs[0]
    y, grad = _kept_dims(op, op._first), _kept_dims(op, grad)
    hits = new_op("Cast", [new_op("Equal", [y, x])], {"DstT": grad.dtype.base_dtype})
    count = new_op("Sum", [hits, op.inputs[1]], {"keep_dims": True})
    return [new_op("Mul", [new_op("RealDiv", [hits, count]), grad]), None]


def _reducer(op_type: str, fn, grad=None):
    @register(op_type, shape=_reduce_shape, grad=grad)
    def kernel(ctx, op, x, axes):
        axis = tuple(int(a) for a in np.reshape(axes, -1))
        out = fn(x, axis=axis, keepdims=op._attrs["keep_dims"])
        return np.asarray(out).astype(x.dtype, copy=False)

    return kernel


_reducer("Sum", np.sum, grad=_sum_grad)


def _mean(x, axis, keepdims):
    """np.mean, without the Python warning numpy gives for an empty slice: TF's mean of
    nothing is nan, silently."""
    if x.size:
        return np.mean(x, axis=axis, keepdims=keepdims)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.mean(x, axis=axis, keepdims=keepdims)


_reducer("Mean", _mean, grad=_mean_grad)


def _extreme(fn, empty_value):
    """``fn`` (np.max or np.min), which numpy refuses for an empty array; TF returns the
    reduction's identity there: ``empty_value(dtype)``, for each output element."""

    def reduce(x, axis, keepdims):
        if x.size:
            return fn(x, axis=axis, keepdims=keepdims)
        return fn(x, axis=axis, keepdims=keepdims, initial=empty_value(x.dtype))

    return reduce


def _lowest(dtype: np.dtype):
    return -np.inf if dtype.kind == "f" else np.iinfo(dtype).min


def _highest(dtype: np.dtype):
    return np.inf if dtype.kind == "f" else np.iinfo(dtype).max


# the maximum of nothing is -inf (an integer dtype's lowest value), the minimum +inf
_reducer("Max", _extreme(np.max, _lowest), grad=_min_or_max_grad)
_reducer("Min", _extreme(np.min, _highest), grad=_min_or_max_grad)
_reducer("Any", np.any, grad=not_differentiable)
_reducer("All", np.all, grad=not_differentiable)
_reducer("Prod", np.prod)  # no gradient yet: `gradients` raises TF's LookupError through it


@atomic
def _reduce(op_type, input_tensor, axis, keepdims, name, reduction_indices, keep_dims):
    if axis is None:
        axis = reduction_indices
    if keepdims is None:
        keepdims = bool(keep_dims)
    x = convert_to_tensor(input_tensor)
    attrs = {"keep_dims": bool(keepdims)}
    all_axes_of_unknown_rank = None
    if axis is None and x.shape.ndims is None:
        # as TF: the axes are range(rank(x)), computed when the graph runs (ops named
        # Rank and range, outside the reduction's name scope)
        all_axes_of_unknown_rank = range_(0, rank(x), 1)
        attrs["reduce_all"] = True
    with name_scope(name, op_type) as scope:
        if all_axes_of_unknown_rank is not None:
            axes = all_axes_of_unknown_rank
        elif axis is None:
            axes = constant(np.arange(x.shape.ndims, dtype=np.int32), name="Const")
        else:
            axes = convert_to_tensor(axis, dtype=dtypes.int32, name="reduction_indices")
        return get_default_graph().create_op(op_type, [x, axes], attrs, name=scope)._first


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


def _booleans(input_tensor, op_type: str) -> Tensor:
    x = convert_to_tensor(input_tensor)
    if x.dtype.base_dtype is not dtypes.bool:
        raise TypeError(
            f"Input 'input' of '{op_type}' Op has type {x.dtype.base_dtype.name} that does not "
            "match expected type of bool."
        )
    return x


@atomic
def reduce_any(
    input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None, keep_dims=None
):
    """The logical or of booleans over ``axis`` (False for no elements)."""
    x = _booleans(input_tensor, "Any")
    return _reduce("Any", x, axis, keepdims, name, reduction_indices, keep_dims)


@atomic
def reduce_all(
    input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None, keep_dims=None
):
    """The logical and of booleans over ``axis`` (True for no elements)."""
    x = _booleans(input_tensor, "All")
    return _reduce("All", x, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_prod(
    input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None, keep_dims=None
):
    return _reduce("Prod", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def _arg_shape(op):
    x = op.inputs[0]
    axis = constant_value(op.inputs[1])
    if x.shape.ndims is None or axis is None:
        return [(TensorShape(None), op._attrs["output_type"])]
    rank = x.shape.ndims
    a = int(axis)
    if not -rank <= a < rank:
        raise ValueError(
            f"Expected dimension in the range [{-rank}, {rank}), but got {a} for {_op_text(op)}."
        )
    dims = x.shape.as_list()
    del dims[a % rank]
    return [(TensorShape(dims), op._attrs["output_type"])]


def _arg_kernel(fn):
    def kernel(ctx, op, x, axis):
        return fn(x, axis=int(axis)).astype(op._attrs["output_type"].np_dtype)

    return kernel


register("ArgMax", shape=_arg_shape, grad=not_differentiable)(_arg_kernel(np.argmax))
register("ArgMin", shape=_arg_shape, grad=not_differentiable)(_arg_kernel(np.argmin))


@atomic
def _arg(op_type, input, axis, name, dimension, output_type):
    if axis is None:
        axis = 0 if dimension is None else dimension
    with name_scope(name, op_type) as scope:
        x = convert_to_tensor(input, name="input")
        axis_t = convert_to_tensor(axis, dtype=dtypes.int32, name="dimension")
        attrs = {"output_type": as_dtype(output_type).base_dtype}
        return get_default_graph().create_op(op_type, [x, axis_t], attrs, name=scope)._first


def argmax(input, axis=None, name=None, dimension=None, output_type=dtypes.int64) -> Tensor:
    """The index of the largest value along ``axis`` (default 0), as int64."""
    return _arg("ArgMax", input, axis, name, dimension, output_type)


def argmin(input, axis=None, name=None, dimension=None, output_type=dtypes.int64) -> Tensor:
    """The index of the smallest value along ``axis`` (default 0), as int64."""
    return _arg("ArgMin", input, axis, name, dimension, output_type)


def arg_max(input, dimension, name=None, output_type=dtypes.int64) -> Tensor:
    """TF1's older spelling of `argmax` (``dimension`` is required)."""
    return _arg("ArgMax", input, None, name, dimension, output_type)


def arg_min(input, dimension, name=None, output_type=dtypes.int64) -> Tensor:
    """TF1's older spelling of `argmin` (``dimension`` is required)."""
    return _arg("ArgMin", input, None, name, dimension, output_type)


# -- Rank, Range and ReducedShape: what reductions over a tensor of unknown rank need ----------


@register(
    "Rank",
    shape=lambda op: [(TensorShape([]), dtypes.int32)],
    grad=not_differentiable,
    fold=lambda op, x: np.array(np.ndim(x), dtype=np.int32),
)
def _rank_kernel(ctx, op, x):
    return np.array(np.ndim(x), dtype=np.int32)


def rank(input, name=None) -> Tensor:
    """The number of dimensions of ``input``: a constant when its shape says, else a Rank op."""
    x = convert_to_tensor(input)
    if x.shape.ndims is not None:  # as TF: no op needed when the rank is known
        return constant(np.array(x.shape.ndims, dtype=np.int32), name=name or "Rank")
    return new_op("Rank", [x], name=name or "Rank")


def _range_np(op, start, limit, delta):
    dtype = op._attrs["Tidx"].np_dtype
    if delta == 0:
        raise InvalidArgumentError(None, op, f"Requires delta != 0: {delta}")
    if (delta > 0 and start > limit) or (delta < 0 and start < limit):
        word = "<=" if delta > 0 else ">="
        raise InvalidArgumentError(
            None,
            op,
            f"Requires start {word} limit when delta > 0: {start}/{limit}"
            if delta > 0
            else f"Requires start {word} limit when delta < 0: {start}/{limit}",
        )
    return np.arange(start, limit, delta, dtype=dtype)


def _range_shape(op):
    values = [constant_value(t) for t in op.inputs]
    dtype = op._attrs["Tidx"]
    if any(v is None for v in values):
        return [(TensorShape([None]), dtype)]
    start, limit, delta = (v.item() for v in values)
    if delta == 0:
        raise ValueError(f"Requires delta != 0: {delta}")
    n = max(0, int(np.ceil((limit - start) / delta)))
    return [(TensorShape([n]), dtype)]


@register(
    "Range",
    shape=_range_shape,
    grad=not_differentiable,
    fold=lambda op, *values: _range_np(op, *values),
)
def _range_kernel(ctx, op, start, limit, delta):
    return _range_np(op, start, limit, delta)


_RANGE_DTYPES = (dtypes.int32, dtypes.int64, dtypes.float32, dtypes.float64)


@atomic
def range_(start, limit=None, delta=1, dtype=None, name="range") -> Tensor:
    """The numbers ``start, start + delta, ...`` up to but not including ``limit``
    (``range(n)`` counts from 0): TF's ``tf.range``."""
    if limit is None:
        start, limit = 0, start
    values = (start, limit, delta)
    if dtype is None:  # the widest of the three, as TF infers it
        found = [
            v.dtype.base_dtype if _is_tensor_like(v) else as_dtype(to_numpy(v).dtype)
            for v in values
        ]
        dtype = _RANGE_DTYPES[max(_RANGE_DTYPES.index(d) for d in found)]
    with name_scope(name, "Range") as scope:
        parts = [
            cast(v, dtype) if _is_tensor_like(v) else convert_to_tensor(v, dtype=dtype, name=n)
            for v, n in zip(values, ("start", "limit", "delta"))
        ]
        attrs = {"Tidx": parts[0].dtype.base_dtype}
        return get_default_graph().create_op("Range", parts, attrs, name=scope)._first


@register("ReducedShape", shape=lambda op: [(TensorShape([None]), dtypes.int32)])
def _reduced_shape_kernel(ctx, op, input_shape, axes):
    """The input's shape with 1 in place of each reduced axis (what keep_dims would give)."""
    out = np.array(input_shape, dtype=np.int32)
    out[np.reshape(axes, -1) % max(len(out), 1)] = 1
    return out


@atomic
def add_n(inputs, name=None) -> Tensor:
    """The element-wise sum of the tensors in ``inputs``."""
    if not inputs or not isinstance(inputs, Iterable):
        raise ValueError(
            "Inputs must be an iterable of at least one Tensor/IndexedSlices with the same "
            "dtype and shape."
        )
    inputs = [convert_to_tensor(t) for t in inputs]
    if len(inputs) == 1:
        return identity(inputs[0], name=name)
    return get_default_graph().create_op("AddN", inputs, name=name or "AddN")._first


def _addn_shape(op):
    first = op.inputs[0]
    shape = first.shape
    for t in op.inputs[1:]:
        if t.dtype.base_dtype is not first.dtype.base_dtype:
            raise TypeError("All inputs of AddN must have the same dtype.")
        shape = shape.merge_with(t.shape)
    return [(shape, first.dtype.base_dtype)]


@register("AddN", shape=_addn_shape, grad=lambda op, grad: [grad] * len(op.inputs))
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
    cls.__xor__ = _xor_operator
    cls.__rand__ = lambda self, other: _binary_op("LogicalAnd", other, self, None, "and")
    cls.__ror__ = lambda self, other: _binary_op("LogicalOr", other, self, None, "or")
    cls.__rxor__ = lambda self, other: _xor_operator(other, self)


_install_operators(Tensor)


# -- BroadcastTo ----------------------------------------------------------------------------------


def _broadcast_to_shape(op):
    x, shape_t = op.inputs
    target = shape_from_tensor(shape_t)
    if target.ndims is not None and x.shape.ndims is not None:
        broadcast_shape(op, x.shape, target)  # rejects shapes that do not broadcast
    return [(target, x.dtype.base_dtype)]


def _broadcast_to_grad(op, grad):
    x, y = op.inputs[0], op._first
    axes = _broadcast_axes(x, y)
    if axes is not None:
        return [_sum_to(grad, x, axes, y.shape.ndims), None]
    sx = shape_of(x)
    rx = get_default_graph().create_op("BroadcastGradientArgs", [sx, op.inputs[1]])._first
    return [new_op("Reshape", [new_op("Sum", [grad, rx], {"keep_dims": False}), sx]), None]


@register("BroadcastTo", shape=_broadcast_to_shape, grad=_broadcast_to_grad)
def _broadcast_to_kernel(ctx, op, x, shape):
    return np.broadcast_to(x, tuple(int(d) for d in shape))


@atomic
def broadcast_to(input, shape, name=None) -> Tensor:
    """``input`` repeated along its dimensions of size 1 (numpy broadcasting) to ``shape``."""
    with name_scope(name, "BroadcastTo") as scope:
        x = convert_to_tensor(input, name="input")
        return new_op("BroadcastTo", [x, shape_tensor(shape)], name=scope)


# -- DivNoNan -----------------------------------------------------------------------------------


def _div_no_nan_grad(op, grad):
    x, y = op.inputs
    gx = new_op("DivNoNan", [grad, y])
    neg_x_over_y2 = new_op("DivNoNan", [new_op("DivNoNan", [new_op("Neg", [x]), y]), y])
    return unbroadcast(x, y, gx, new_op("Mul", [grad, neg_x_over_y2]))


def _div_no_nan_np(x, y):
    safe_y = np.where(y == 0, 1, y)
    return np.where(y == 0, 0, x / safe_y)


_binary("DivNoNan", _div_no_nan_np, grad=_div_no_nan_grad)


def div_no_nan(x, y, name=None) -> Tensor:
    """``x / y``, and 0 where y is 0."""
    return _binary_op("DivNoNan", x, y, name, "div_no_nan")

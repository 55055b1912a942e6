"""Ops that touch variable state held by the session: the variable itself, the
assigns, and the questions "is it initialized?"."""

from __future__ import annotations

import numpy as np

from . import dtypes
from .constant_op import convert_to_tensor
from .errors import InvalidArgumentError, OutOfRangeError
from .graph import Tensor, get_default_graph, shared_attrs
from .registry import ALL_INPUTS, register
from .tensor_shape import TensorShape, interned


@register(
    "VariableV2",
    shape=lambda op: [(op._attrs["shape"], op._attrs["dtype"]._ref)],
    is_variable=True,
)
def _variable_kernel(ctx, op):
    return ctx.read(op)


def variable_op_v2(shape, dtype, name: str):
    attrs = shared_attrs(
        {"shape": interned(shape), "dtype": dtype.base_dtype, "container": "", "shared_name": ""}
    )
    return get_default_graph().create_op("VariableV2", [], attrs, name=name)


def _check_ref(op):
    ref = op._inputs[0]
    if not ref._dtype._is_ref or not ref._op._opdef.is_variable:
        raise TypeError(
            f"'{op.type}' Op requires that input 'ref' be a mutable tensor (e.g.: a tf.Variable)"
        )
    return ref


def _shape_mismatch(op, ref_shape, value_shape) -> ValueError:
    if ref_shape.ndims != value_shape.ndims:
        what = f"Shapes must be equal rank, but are {ref_shape.ndims} and {value_shape.ndims}"
    else:
        i, a, b = next(
            (i, x, y)
            for i, (x, y) in enumerate(zip(ref_shape.as_list(), value_shape.as_list()))
            if x is not None and y is not None and x != y
        )
        what = (
            f"Dimension {i} in both shapes must be equal, but are {a} and {b}. Shapes are "
            f"{ref_shape._shape_text()} and {value_shape._shape_text()}."
        )
    return ValueError(
        f"{what} for '{op.name}' (op: '{op.type}') with input shapes: "
        f"{ref_shape._shape_text()}, {value_shape._shape_text()}."
    )


def _assign_shape(op):
    ref = _check_ref(op)
    value = op._inputs[1]
    if value._dtype._base is not ref._dtype._base:
        raise TypeError(
            f"Input 'value' of '{op.type}' Op has type {value.dtype.base_dtype.name} that does "
            f"not match type {ref.dtype.base_dtype.name} of argument 'ref'."
        )
    if ref._shape._dims == value._shape._dims and None not in (ref._shape._dims or (None,)):
        shape = ref._shape  # the common case: equal, fully defined shapes
    elif op._attrs.get("validate_shape", True):
        if not ref.shape.is_compatible_with(value.shape):
            raise _shape_mismatch(op, ref.shape, value.shape)
        shape = ref.shape.merge_with(value.shape)
    else:
        shape = value.shape
    return [(shape, ref.dtype)]


@register("Assign", shape=_assign_shape, ref_inputs=(0,))
def _assign_kernel(ctx, op, value):
    var = op._inputs[0]._op
    if op._attrs["validate_shape"]:
        expected = var._attrs["shape"]
        if expected._dims != value.shape and not expected.is_compatible_with(value.shape):
            raise InvalidArgumentError(
                None,
                op,
                f"Assign requires shapes of both tensors to match. lhs shape= "
                f"{list(expected.as_list())} rhs shape= {list(value.shape)}",
            )
    ctx.write(var, value, op._attrs["kind"])
    return value


def _update_kernel(fn):
    def kernel(ctx, op, value):
        var = op._inputs[0]._op
        old = ctx.read(var)
        if old.shape != value.shape and np.broadcast_shapes(old.shape, value.shape) != old.shape:
            raise InvalidArgumentError(
                None,
                op,
                f"Must have updates.shape = ref.shape: {list(value.shape)} vs {list(old.shape)}",
            )
        new = np.asarray(fn(old, value), dtype=old.dtype)
        ctx.write(var, new, "assign")
        return new

    return kernel


register("AssignAdd", shape=_assign_shape, ref_inputs=(0,))(_update_kernel(np.add))
register("AssignSub", shape=_assign_shape, ref_inputs=(0,))(_update_kernel(np.subtract))


def _ref_tensor(ref) -> Tensor:
    handle = getattr(ref, "_ref", None)
    if handle is not None:
        return handle()
    if isinstance(ref, Tensor):
        return ref
    raise TypeError(f"Expected a tf.Variable to assign to, got {ref!r}.")


def _assign_like(op_type, ref, value, name, attrs):
    ref_t = _ref_tensor(ref)
    graph = ref_t.graph
    with graph.as_default(), graph._transaction(), graph.name_scope(name or op_type) as scope:
        if isinstance(value, Tensor) or hasattr(value, "_as_tensor"):
            value = convert_to_tensor(value)  # a dtype clash is the op's to report
        else:
            dtype = ref_t.dtype.base_dtype
            try:
                value = convert_to_tensor(value, dtype=dtype, name="value")
            except TypeError as e:
                raise TypeError(
                    f"Expected {dtype.name} passed to parameter 'value' of op '{op_type}', got "
                    f"{value!r} of type '{type(value).__name__}' instead. Error: {e}"
                ) from None
        return graph.create_op(op_type, [ref_t, value], attrs, name=scope)._first


def assign(ref, value, validate_shape=None, use_locking=None, name=None):
    """An op that stores ``value`` in the variable ``ref``; its value is the new value."""
    attrs = {
        "validate_shape": True if validate_shape is None else bool(validate_shape),
        "use_locking": bool(use_locking),
        "kind": "assign",
    }
    return _assign_like("Assign", ref, value, name, attrs)


def assign_add(ref, value, use_locking=None, name=None):
    """An op that adds ``value`` to the variable ``ref``; its value is the new value."""
    return _assign_like("AssignAdd", ref, value, name, {"use_locking": bool(use_locking)})


def assign_sub(ref, value, use_locking=None, name=None):
    """An op that subtracts ``value`` from the variable ``ref``; its value is the new value."""
    return _assign_like("AssignSub", ref, value, name, {"use_locking": bool(use_locking)})


# -- CountUpTo ------------------------------------------------------------------------------


def _count_up_to_shape(op):
    ref = op._inputs[0]
    dtype = ref.dtype.base_dtype
    if dtype not in (dtypes.int32, dtypes.int64):
        raise TypeError(
            f"Value passed to parameter 'ref' has DataType {dtype.name} not in list of allowed "
            "values: int32, int64"
        )
    if ref.shape.ndims not in (None, 0):
        raise ValueError(
            f"Shape must be rank 0 but is rank {ref.shape.ndims} for '{op.name}' (op: "
            f"'CountUpTo') with input shapes: {ref.shape._shape_text()}."
        )
    return [(TensorShape(()), dtype)]


@register("CountUpTo", shape=_count_up_to_shape, ref_inputs=(0,))
def _count_up_to_kernel(ctx, op):
    var = op._inputs[0]._op
    old = ctx.read(var)
    limit = op._attrs["limit"]
    if old >= limit:
        raise OutOfRangeError(None, op, f"Reached limit of {limit}")
    ctx.write(var, np.asarray(old + 1, dtype=old.dtype), "assign")
    return old


def count_up_to(ref, limit: int, name=None) -> Tensor:
    """An op that adds 1 to the int variable ``ref`` and gives its value from before, until
    the variable reaches ``limit``: then running it raises OutOfRangeError."""
    ref_t = _ref_tensor(ref)
    graph = ref_t.graph
    with graph.as_default():
        return graph.create_op(
            "CountUpTo", [ref_t], {"limit": int(limit)}, name=name or "CountUpTo"
        )._first


@register(
    "IsVariableInitialized",
    shape=lambda op: [(TensorShape(()), dtypes.bool)],
    ref_inputs=(0,),
)
def _is_initialized_kernel(ctx, op):
    return np.bool_(ctx.lookup(op._inputs[0]._op) is not None)


@register(
    "ReportUninitializedVariables",
    shape=lambda op: [(TensorShape([None]), dtypes.string)],
    ref_inputs=ALL_INPUTS,
)
def _report_kernel(ctx, op):
    names = [t._op.name.encode() for t in op._inputs if ctx.lookup(t._op) is None]
    out = np.empty(len(names), dtype=object)
    out[:] = names
    return out


def _initialized_value_shape(op):
    ref = op.inputs[0]
    return [(ref.shape, ref.dtype.base_dtype)]


@register(
    "InitializedValue",
    shape=_initialized_value_shape,
    ref_inputs=(0,),
    lazy=True,
)
def _initialized_value_kernel(ctx, op):
    """The variable's value if this session had initialized it before this run, else its
    initial value, computed from the session as it was before this run.

    TF evaluates these guards concurrently with the assigns of the same run and in practice
    before them, so a chain ``u = Variable(w + v)``, ``w = Variable(v * 2)`` fails under one
    global init; reading the state from before the run reproduces that, deterministically.
    """
    value = ctx.lookup_before_run(op._inputs[0]._op)
    if value is None:
        value = ctx.evaluate(op._attrs["initial_value"], before_run=True)
    return value

"""tfteach: TensorFlow 1.x graph semantics on numpy, for learning.

    import tfteach as tf

behaves as ``tensorflow.compat.v1`` (after ``disable_v2_behavior()``) does for
graphs, variables, sessions and initialization. The Jupyter layer
(``%load_ext tfteach``) loads only when asked for.
"""

from __future__ import annotations

from . import (
    _missing,
    data,
    errors,
    feature_column,
    initializers,
    keras,
    layers,
    lookup,
    losses,
    metrics,
    nn,
    random,
    summary,
    train,
)
from .core import control_flow_grad  # noqa: F401  (registers the gradient of while_loop)
from .core import dtypes as dtypes
from .core.array_ops import (
    concat,
    expand_dims,
    fill,
    gather,
    one_hot,
    ones,
    ones_like,
    pad,
    reshape,
    size,
    split,
    squeeze,
    stack,
    stop_gradient,
    tile,
    transpose,
    unsorted_segment_sum,
    unstack,
    where,
    zeros,
    zeros_like,
)
from .core.array_ops import slice_ as slice
from .core.clip_ops import clip_by_global_norm, clip_by_norm, clip_by_value, global_norm
from .core.constant_op import (
    constant,
    convert_to_tensor,
    identity,
    placeholder,
    placeholder_with_default,
    shape,
)
from .core.control_flow_ops import cond, group, no_op, while_loop
from .core.control_flow_ops import tuple_ as tuple
from .core.dtypes import (
    DType,
    as_dtype,
    bool,
    complex64,
    complex128,
    double,
    float16,
    float16_ref,
    float32,
    float32_ref,
    float64,
    float64_ref,
    half,
    int8,
    int16,
    int32,
    int32_ref,
    int64,
    int64_ref,
    string,
    uint8,
    uint16,
    uint32,
    uint64,
)
from .core.gradients import AggregationMethod, UnconnectedGradients, gradients
from .core.graph import (
    Graph,
    GraphKeys,
    Operation,
    Tensor,
    add_to_collection,
    add_to_collections,
    control_dependencies,
    device,
    get_all_collection_keys,
    get_collection,
    get_collection_ref,
    get_default_graph,
    get_default_session,
    name_scope,
    reset_default_graph,
)
from .core.init_ops import (
    constant_initializer,
    glorot_normal_initializer,
    glorot_uniform_initializer,
    ones_initializer,
    orthogonal_initializer,
    random_normal_initializer,
    random_uniform_initializer,
    truncated_normal_initializer,
    uniform_unit_scaling_initializer,
    variance_scaling_initializer,
    zeros_initializer,
)
from .core.lookup_ops import tables_initializer
from .core.math_ops import (
    abs,
    add,
    add_n,
    arg_max,
    arg_min,
    argmax,
    argmin,
    broadcast_to,
    cast,
    div_no_nan,
    divide,
    equal,
    exp,
    floordiv,
    greater,
    greater_equal,
    less,
    less_equal,
    log,
    log1p,
    logical_and,
    logical_not,
    logical_or,
    logical_xor,
    matmul,
    maximum,
    minimum,
    mod,
    multiply,
    negative,
    not_equal,
    pow,
    rank,
    reciprocal,
    reduce_all,
    reduce_any,
    reduce_max,
    reduce_mean,
    reduce_min,
    reduce_prod,
    reduce_sum,
    rsqrt,
    sigmoid,
    sign,
    sqrt,
    square,
    squared_difference,
    subtract,
    tanh,
    to_float,
    truediv,
)
from .core.math_ops import range_ as range
from .core.more_array_ops import (
    boolean_mask,
    cumsum,
    eye,
    gather_nd,
    linspace,
    reverse,
    sequence_mask,
)
from .core.more_array_ops import linspace as lin_space
from .core.random_extra_ops import multinomial, random_shuffle
from .core.random_ops import random_normal, random_uniform, truncated_normal
from .core.random_seed import set_random_seed
from .core.session import InteractiveSession, Session
from .core.state_ops import assign, assign_add, assign_sub, count_up_to
from .core.tensor_shape import Dimension, TensorShape
from .core.variable_checks import assert_variables_initialized
from .core.variable_scope import (
    AUTO_REUSE,
    VariableScope,
    get_local_variable,
    get_variable,
    get_variable_scope,
    no_regularizer,
    variable_scope,
)
from .core.variables import (
    Variable,
    all_variables,
    global_variables,
    global_variables_initializer,
    initialize_all_variables,
    initialize_local_variables,
    initialize_variables,
    is_variable_initialized,
    local_variables,
    local_variables_initializer,
    model_variables,
    moving_average_variables,
    report_uninitialized_variables,
    trainable_variables,
    variables_initializer,
)

sub = subtract
newaxis = None  # tensor[tf.newaxis] adds an axis, as numpy's None does
mul = multiply
div = divide
neg = negative

__version__ = "0.1.0"


def disable_v2_behavior() -> None:
    """Accepted for TF2-era code: tfteach always behaves as TF1 graph mode."""


def disable_eager_execution() -> None:
    """Accepted for TF2-era code: tfteach has no eager mode."""


def executing_eagerly():
    """Always False: tfteach builds graphs."""
    return False


def load_ipython_extension(ipython) -> None:
    """``%load_ext tfteach``: the magics %%graph, %init, %vars and the error explainer."""
    from .notebook import extension  # IPython loads only here, never on `import tfteach`

    extension.load(ipython)


def unload_ipython_extension(ipython) -> None:
    """``%unload_ext tfteach``: removes every magic and hook the extension installed."""
    from .notebook import extension

    extension.unload(ipython)


__all__ = [
    # graph
    "Graph",
    "GraphKeys",
    "Operation",
    "Tensor",
    "TensorShape",
    "Dimension",
    "add_to_collection",
    "add_to_collections",
    "control_dependencies",
    "get_all_collection_keys",
    "get_collection",
    "get_collection_ref",
    "get_default_graph",
    "name_scope",
    "reset_default_graph",
    # dtypes
    "DType",
    "as_dtype",
    "dtypes",
    "bool",
    "complex64",
    "complex128",
    "double",
    "float16",
    "float32",
    "float64",
    "float16_ref",
    "float32_ref",
    "float64_ref",
    "int32_ref",
    "int64_ref",
    "half",
    "int8",
    "int16",
    "int32",
    "int64",
    "string",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    # tensors
    "boolean_mask",
    "constant",
    "cumsum",
    "eye",
    "gather_nd",
    "lin_space",
    "linspace",
    "reverse",
    "sequence_mask",
    "convert_to_tensor",
    "fill",
    "identity",
    "ones",
    "ones_like",
    "placeholder",
    "placeholder_with_default",
    "shape",
    "stack",
    "zeros",
    "zeros_like",
    # shapes and slicing
    "concat",
    "expand_dims",
    "gather",
    "pad",
    "reshape",
    "slice",
    "squeeze",
    "stop_gradient",
    "transpose",
    "unsorted_segment_sum",
    "unstack",
    "where",
    "newaxis",
    "one_hot",
    "size",
    "split",
    "tile",
    "group",
    "cond",
    "while_loop",
    "no_op",
    "tuple",
    # math
    "abs",
    "add",
    "add_n",
    "argmax",
    "argmin",
    "arg_max",
    "arg_min",
    "cast",
    "div",
    "divide",
    "equal",
    "exp",
    "floordiv",
    "greater",
    "less",
    "log",
    "logical_not",
    "logical_and",
    "logical_or",
    "logical_xor",
    "log1p",
    "matmul",
    "maximum",
    "minimum",
    "mod",
    "mul",
    "multiply",
    "neg",
    "negative",
    "pow",
    "range",
    "rank",
    "reciprocal",
    "reduce_all",
    "reduce_any",
    "reduce_max",
    "reduce_mean",
    "reduce_min",
    "reduce_prod",
    "reduce_sum",
    "rsqrt",
    "sigmoid",
    "sign",
    "sqrt",
    "square",
    "squared_difference",
    "sub",
    "subtract",
    "tanh",
    "to_float",
    "truediv",
    "broadcast_to",
    "clip_by_global_norm",
    "clip_by_norm",
    "clip_by_value",
    "global_norm",
    "div_no_nan",
    "greater_equal",
    "less_equal",
    "not_equal",
    # training
    "gradients",
    "AggregationMethod",
    "UnconnectedGradients",
    "losses",
    # random
    "random_normal",
    "random_shuffle",
    "multinomial",
    "random_uniform",
    "truncated_normal",
    "set_random_seed",
    # initializers
    "constant_initializer",
    "glorot_normal_initializer",
    "glorot_uniform_initializer",
    "initializers",
    "keras",
    "layers",
    "metrics",
    "ones_initializer",
    "orthogonal_initializer",
    "random_normal_initializer",
    "random_uniform_initializer",
    "truncated_normal_initializer",
    "uniform_unit_scaling_initializer",
    "variance_scaling_initializer",
    "zeros_initializer",
    # variables and sessions
    "Variable",
    "all_variables",
    "assign",
    "assign_add",
    "assign_sub",
    "count_up_to",
    "device",
    "assert_variables_initialized",
    "global_variables",
    "global_variables_initializer",
    "initialize_all_variables",
    "initialize_local_variables",
    "initialize_variables",
    "is_variable_initialized",
    "local_variables",
    "local_variables_initializer",
    "model_variables",
    "moving_average_variables",
    "report_uninitialized_variables",
    "trainable_variables",
    "variables_initializer",
    # sharing variables
    "AUTO_REUSE",
    "VariableScope",
    "get_local_variable",
    "get_variable",
    "get_variable_scope",
    "no_regularizer",
    "variable_scope",
    "Session",
    "InteractiveSession",
    "get_default_session",
    # modules and compatibility
    "data",
    "feature_column",
    "lookup",
    "tables_initializer",
    "errors",
    "nn",
    "random",
    "summary",
    "train",
    "disable_v2_behavior",
    "disable_eager_execution",
    "executing_eagerly",
]


__getattr__ = _missing.module_getattr(__name__, __all__)  # a missing name says what to use


# last: compat.v1 re-exports the names above (`tf.compat.v1` works after `import tfteach`)
from . import compat  # noqa: E402, F401

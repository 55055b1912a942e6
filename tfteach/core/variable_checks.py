"""``tf.assert_variables_initialized``: an op that fails unless every variable is initialized."""

from __future__ import annotations

from .array_ops import stack
from .constant_op import constant, identity
from .graph import Tensor, get_default_graph
from .variables import global_variables, local_variables


def assert_variables_initialized(var_list=None) -> Tensor | None:
    """A tensor whose evaluation reads each variable of ``var_list`` (default: global and
    local variables), so it raises TF's FailedPreconditionError ("Attempting to use
    uninitialized value ...") for the first uninitialized one; its value is their ranks.
    None when there are no variables."""
    if var_list is None:
        var_list = global_variables() + local_variables()
    if not var_list:
        return None
    graph = get_default_graph()
    ranks = []
    for v in var_list:
        # TF's unoptimized Rank op reads the variable; here a read runs first, then the rank
        with graph.control_dependencies([identity(v)]):
            ranks.append(constant(v.shape.ndims, name="Rank"))
    return ranks[0] if len(ranks) == 1 else stack(ranks)

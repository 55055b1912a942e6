"""``tf.initializers``: TF1's initializers under their short names.

``tf.initializers.glorot_uniform`` is the class ``tf.glorot_uniform_initializer``;
``he_normal``, ``he_uniform``, ``lecun_normal`` and ``lecun_uniform`` are functions
returning a `variance_scaling` instance, as in TF1. ``global_variables``,
``local_variables`` and ``variables`` are the variable-initializer ops.
"""

from __future__ import annotations

from . import _missing
from .core.init_ops import Constant as constant
from .core.init_ops import GlorotNormal as glorot_normal
from .core.init_ops import GlorotUniform as glorot_uniform
from .core.init_ops import Identity as identity
from .core.init_ops import Ones as ones
from .core.init_ops import Orthogonal as orthogonal
from .core.init_ops import RandomNormal as random_normal
from .core.init_ops import RandomUniform as random_uniform
from .core.init_ops import TruncatedNormal as truncated_normal
from .core.init_ops import UniformUnitScaling as uniform_unit_scaling
from .core.init_ops import VarianceScaling as variance_scaling
from .core.init_ops import Zeros as zeros
from .core.init_ops import he_normal, he_uniform, lecun_normal, lecun_uniform
from .core.variables import global_variables_initializer as global_variables
from .core.variables import local_variables_initializer as local_variables
from .core.variables import variables_initializer as variables

__all__ = [
    "constant",
    "global_variables",
    "glorot_normal",
    "glorot_uniform",
    "he_normal",
    "he_uniform",
    "identity",
    "lecun_normal",
    "lecun_uniform",
    "local_variables",
    "ones",
    "orthogonal",
    "random_normal",
    "random_uniform",
    "truncated_normal",
    "uniform_unit_scaling",
    "variables",
    "variance_scaling",
    "zeros",
]

__getattr__ = _missing.module_getattr(__name__, __all__)  # a missing name says what to use

"""``tf.random``: the TF2-era names of TF1's random ops, as ``tensorflow.compat.v1`` has them.

In ``compat.v1`` most of these are the very same functions as the top-level ones:
``tf.random.normal`` is ``tf.random_normal``, ``tf.random.uniform`` is ``tf.random_uniform``,
``tf.random.shuffle`` is ``tf.random_shuffle``, and ``truncated_normal``, ``multinomial``,
``set_random_seed`` and ``get_seed`` keep their names. Only ``tf.random.categorical`` is new:
``multinomial`` named ``categorical`` by default, with ``dtype`` for ``output_dtype``.
"""

from . import _missing
from .core.nce_ops import log_uniform_candidate_sampler
from .core.random_extra_ops import categorical, multinomial
from .core.random_extra_ops import random_shuffle as shuffle
from .core.random_ops import random_normal as normal
from .core.random_ops import random_uniform as uniform
from .core.random_ops import truncated_normal
from .core.random_seed import get_seed, set_random_seed

__all__ = [
    "normal",
    "uniform",
    "truncated_normal",
    "shuffle",
    "multinomial",
    "categorical",
    "log_uniform_candidate_sampler",
    "set_random_seed",
    "get_seed",
]

__getattr__ = _missing.module_getattr(__name__, __all__)  # a missing name says what to use

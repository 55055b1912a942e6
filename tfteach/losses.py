"""``tf.losses``: losses that add themselves to the LOSSES collection."""

from . import _missing
from .core.losses import (
    Reduction,
    add_loss,
    compute_weighted_loss,
    get_losses,
    get_regularization_loss,
    get_regularization_losses,
    get_total_loss,
    mean_squared_error,
)

__all__ = [
    "Reduction",
    "add_loss",
    "compute_weighted_loss",
    "get_losses",
    "get_regularization_loss",
    "get_regularization_losses",
    "get_total_loss",
    "mean_squared_error",
]

__getattr__ = _missing.module_getattr(__name__, __all__)  # a missing name says what to use

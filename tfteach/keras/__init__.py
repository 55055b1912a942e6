"""``tf.keras`` as TF1 graph code uses it: the initializers (``tf.keras.initializers``)."""

from __future__ import annotations

from .. import _missing
from . import initializers

__all__ = ["initializers"]

__getattr__ = _missing.module_getattr(__name__, __all__)  # a missing name says what to use

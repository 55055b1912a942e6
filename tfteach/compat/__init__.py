"""``tfteach.compat.v1``: the same API, for code written ``import tensorflow.compat.v1 as tf``."""

from .. import _missing
from . import v1

__all__ = ["v1"]

__getattr__ = _missing.module_getattr(__name__, __all__)  # a missing name says what to use

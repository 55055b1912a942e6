"""``tf.lookup``: tables from keys to values, filled by an initializer run in a session."""

from . import _missing
from .core.lookup_ops import KeyValueTensorInitializer, StaticHashTable

__all__ = ["KeyValueTensorInitializer", "StaticHashTable"]


__getattr__ = _missing.module_getattr(__name__, __all__)  # a missing name says what to use

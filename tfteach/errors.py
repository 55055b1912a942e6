"""``tf.errors``: TensorFlow's exception classes."""

from . import _missing
from .core.errors import *  # noqa: F403
from .core.errors import __all__

__getattr__ = _missing.module_getattr(__name__, __all__)  # a missing name says what to use

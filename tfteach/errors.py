"""``tf.errors``: TensorFlow's exception classes."""

from .core.errors import *  # noqa: F403
from .core.errors import __all__  # noqa: F401

"""``tfteach.compat.v1``: the same API, for code written ``import tensorflow.compat.v1 as tf``."""

from . import v1

__all__ = ["v1"]

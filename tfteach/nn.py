"""``tf.nn``: neural-network ops."""

from .core.math_ops import relu, sigmoid, tanh

__all__ = ["relu", "sigmoid", "tanh"]

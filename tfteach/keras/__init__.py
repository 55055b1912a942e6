"""``tf.keras`` as TF1 graph code uses it: the initializers (``tf.keras.initializers``)."""

from __future__ import annotations

from . import initializers

__all__ = ["initializers"]

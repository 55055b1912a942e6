"""``tf.lookup``: tables from keys to values, filled by an initializer run in a session."""

from .core.lookup_ops import KeyValueTensorInitializer, StaticHashTable

__all__ = ["KeyValueTensorInitializer", "StaticHashTable"]


def __getattr__(name: str):
    """A missing name: an AttributeError that says tfteach does not teach it yet."""
    from ._missing import missing

    raise missing(__name__, __all__, name)

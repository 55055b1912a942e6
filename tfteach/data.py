"""``tf.data``: datasets and the TF1 iterators that run them in a session."""

from .core.data_ops import (
    Dataset,
    Iterator,
    get_output_shapes,
    get_output_types,
    make_initializable_iterator,
    make_one_shot_iterator,
)

__all__ = [
    "Dataset",
    "Iterator",
    "get_output_shapes",
    "get_output_types",
    "make_initializable_iterator",
    "make_one_shot_iterator",
]


def __getattr__(name: str):
    """A missing name: an AttributeError that says tfteach does not teach it yet."""
    from ._missing import missing

    raise missing(__name__, __all__, name)

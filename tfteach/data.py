"""``tf.data``: datasets and the TF1 iterators that run them in a session."""

from . import _missing
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


__getattr__ = _missing.module_getattr(__name__, __all__)  # a missing name says what to use

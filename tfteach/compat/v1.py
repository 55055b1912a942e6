"""The TF1 API under its TF2-era path: ``import tfteach.compat.v1 as tf``."""

from tfteach import *
from tfteach import __all__


def __getattr__(name: str):
    """A missing name: an AttributeError that says tfteach does not teach it yet, and what
    to use instead where there is an obvious alternative."""
    from tfteach._missing import missing

    raise missing(__name__, __all__, name)

"""The TF1 API under its TF2-era path: ``import tfteach.compat.v1 as tf``."""

from tfteach import *
from tfteach import __all__, _missing

__getattr__ = _missing.module_getattr(__name__, __all__)  # a missing name says what to use

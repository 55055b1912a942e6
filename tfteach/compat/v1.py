"""The TF1 API under its TF2-era path: ``import tfteach.compat.v1 as tf``."""

from tfteach import *
from tfteach import __all__  # noqa: F401

"""``tf.keras.initializers`` as TF1 (``tf.compat.v1.keras``) exposes them.

Most are TF1's own initializer classes under Keras names. Keras 1 gives
`RandomNormal`, `RandomUniform` and `TruncatedNormal` smaller defaults (stddev 0.05,
range ±0.05), and makes ``he_normal``, ``he_uniform``, ``lecun_normal`` and
``lecun_uniform`` classes configured by their seed alone.
"""

from __future__ import annotations

from .. import _missing
from ..core import dtypes, init_ops
from ..core.init_ops import (
    Constant,
    GlorotNormal,
    GlorotUniform,
    HeNormal,
    HeUniform,
    Identity,
    Initializer,
    LecunNormal,
    LecunUniform,
    Ones,
    Orthogonal,
    VarianceScaling,
    Zeros,
)


class RandomNormal(init_ops.RandomNormal):
    """Initializer that generates a normal distribution (default stddev 0.05)."""

    def __init__(self, mean=0.0, stddev=0.05, seed=None, dtype=dtypes.float32):
        super().__init__(mean=mean, stddev=stddev, seed=seed, dtype=dtype)


class RandomUniform(init_ops.RandomUniform):
    """Initializer that generates a uniform distribution (default range [-0.05, 0.05))."""

    def __init__(self, minval=-0.05, maxval=0.05, seed=None, dtype=dtypes.float32):
        super().__init__(minval=minval, maxval=maxval, seed=seed, dtype=dtype)


class TruncatedNormal(init_ops.TruncatedNormal):
    """Initializer that generates a truncated normal distribution (default stddev 0.05)."""

    def __init__(self, mean=0.0, stddev=0.05, seed=None, dtype=dtypes.float32):
        super().__init__(mean=mean, stddev=stddev, seed=seed, dtype=dtype)


zeros = Zeros
ones = Ones
constant = Constant
normal = random_normal = RandomNormal
uniform = random_uniform = RandomUniform
truncated_normal = TruncatedNormal
identity = Identity
orthogonal = Orthogonal
glorot_normal = GlorotNormal
glorot_uniform = GlorotUniform
he_normal = HeNormal
he_uniform = HeUniform
lecun_normal = LecunNormal
lecun_uniform = LecunUniform

_CLASSES = {
    name: obj
    for name, obj in globals().items()
    if isinstance(obj, type) and issubclass(obj, Initializer) and not name.startswith("_")
}


def serialize(initializer: Initializer) -> dict:
    """``{"class_name": ..., "config": ...}`` for `deserialize`."""
    return {"class_name": type(initializer).__name__, "config": initializer.get_config()}


def deserialize(config: dict, custom_objects: dict | None = None) -> Initializer:
    """The initializer a `serialize` dict describes."""
    name = config["class_name"]
    cls = (custom_objects or {}).get(name) or _CLASSES.get(name)
    if cls is None:
        raise ValueError(
            f"Unknown initializer: '{name}'. Please ensure this object is passed to the "
            f"`custom_objects` argument. Known initializers: {', '.join(sorted(_CLASSES))}."
        )
    return cls.from_config(config.get("config", {}))


def get(identifier):
    """An initializer from a name (``"he_normal"``), a `serialize` dict, a class or an
    instance; None stays None."""
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        return deserialize({"class_name": identifier, "config": {}})
    if isinstance(identifier, type):
        return identifier()
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret initializer identifier: {identifier}")


__all__ = [
    "Constant",
    "GlorotNormal",
    "GlorotUniform",
    "HeNormal",
    "HeUniform",
    "Identity",
    "Initializer",
    "LecunNormal",
    "LecunUniform",
    "Ones",
    "Orthogonal",
    "RandomNormal",
    "RandomUniform",
    "TruncatedNormal",
    "VarianceScaling",
    "Zeros",
    "constant",
    "deserialize",
    "get",
    "glorot_normal",
    "glorot_uniform",
    "he_normal",
    "he_uniform",
    "identity",
    "lecun_normal",
    "lecun_uniform",
    "normal",
    "ones",
    "orthogonal",
    "random_normal",
    "random_uniform",
    "serialize",
    "truncated_normal",
    "uniform",
    "zeros",
]

__getattr__ = _missing.module_getattr(__name__, __all__)  # a missing name says what to use

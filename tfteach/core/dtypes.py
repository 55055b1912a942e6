"""TF's data types: `tf.float32`, `tf.int32`, ..., and their `_ref` twins.

Reference variables report `float32_ref` as their dtype (TF1 graph mode);
`base_dtype` strips the reference.
"""

from __future__ import annotations

import builtins

import numpy as np


class DType:
    """A TensorFlow data type (`tf.float32`, `tf.int32_ref`, ...)."""

    __slots__ = ("_name", "_np", "_is_ref", "_base", "_ref")

    def __init__(self, name: str, np_dtype, is_ref: bool = False):
        self._name = name
        self._np = np.dtype(np_dtype)
        self._is_ref = is_ref
        self._base = self
        self._ref = self

    @property
    def name(self) -> str:
        return self._name

    @property
    def as_numpy_dtype(self):
        return self._np.type

    @property
    def np_dtype(self) -> np.dtype:
        return self._np

    @property
    def base_dtype(self) -> DType:
        return self._base

    @property
    def real_dtype(self) -> DType:
        return self._base

    @property
    def is_ref_dtype(self) -> bool:
        return self._is_ref

    def _as_ref(self) -> DType:
        return self._ref

    @property
    def is_floating(self) -> bool:
        return self._np.kind == "f"

    @property
    def is_integer(self) -> bool:
        return self._np.kind in "iu"

    @property
    def is_unsigned(self) -> bool:
        return self._np.kind == "u"

    @property
    def is_bool(self) -> bool:
        return self._np.kind == "b"

    @property
    def is_complex(self) -> bool:
        return self._np.kind == "c"

    @property
    def is_numpy_compatible(self) -> bool:
        return True

    @property
    def min(self):
        return np.finfo(self._np).min if self.is_floating else np.iinfo(self._np).min

    @property
    def max(self):
        return np.finfo(self._np).max if self.is_floating else np.iinfo(self._np).max

    @property
    def size(self) -> int:
        return self._np.itemsize

    def is_compatible_with(self, other) -> bool:
        return self._base is as_dtype(other)._base

    def __eq__(self, other) -> bool:
        if other is None:
            return False
        try:
            return self is as_dtype(other)
        except TypeError:
            return False

    def __ne__(self, other) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return hash(self._name)

    def __repr__(self) -> str:
        return f"tf.{self._name}"

    def __str__(self) -> str:
        return f"<dtype: {self._name!r}>"

    def __reduce__(self):
        return as_dtype, (self._name,)


def _pair(name: str, np_dtype) -> tuple[DType, DType]:
    base, ref = DType(name, np_dtype), DType(name + "_ref", np_dtype, is_ref=True)
    base._ref = ref
    ref._base = base
    ref._ref = ref
    return base, ref


float16, float16_ref = _pair("float16", np.float16)
float32, float32_ref = _pair("float32", np.float32)
float64, float64_ref = _pair("float64", np.float64)
int8, int8_ref = _pair("int8", np.int8)
int16, int16_ref = _pair("int16", np.int16)
int32, int32_ref = _pair("int32", np.int32)
int64, int64_ref = _pair("int64", np.int64)
uint8, uint8_ref = _pair("uint8", np.uint8)
uint16, uint16_ref = _pair("uint16", np.uint16)
uint32, uint32_ref = _pair("uint32", np.uint32)
uint64, uint64_ref = _pair("uint64", np.uint64)
bool, bool_ref = _pair("bool", np.bool_)  # noqa: A001 - TF's public name
complex64, complex64_ref = _pair("complex64", np.complex64)
complex128, complex128_ref = _pair("complex128", np.complex128)
string, string_ref = _pair("string", np.object_)  # values are `bytes` in object arrays
half, double = float16, float64

_ALL = (
    float16,
    float32,
    float64,
    int8,
    int16,
    int32,
    int64,
    uint8,
    uint16,
    uint32,
    uint64,
    bool,
    complex64,
    complex128,
    string,
)
_BY_NAME = {d.name: d for d in _ALL}
_BY_NAME.update({d._as_ref().name: d._as_ref() for d in _ALL})
# TF's other spellings: "float" is float32 (C's float), "double" float64, "half" float16
for _alias, _dtype in (("float", float32), ("double", float64), ("half", float16)):
    _BY_NAME[_alias], _BY_NAME[_alias + "_ref"] = _dtype, _dtype._as_ref()
# TF's DataType enum numbers (types.proto); a reference type is its base number + 100
_ENUM = {1: float32, 2: float64, 3: int32, 4: uint8, 5: int16, 6: int8, 7: string, 8: complex64}
_ENUM.update({9: int64, 10: bool, 17: uint16, 18: complex128, 19: float16, 22: uint32, 23: uint64})
_ENUM.update({n + 100: d._as_ref() for n, d in list(_ENUM.items())})
_BY_NP = {d.np_dtype: d for d in _ALL if d is not string}
# Only these Python types: TF 2.21 refuses `int` and `str` (an int's width is not implied)
_BY_PY = {float: float32, builtins.bool: bool, object: string}
# Types TF has that tfteach does not teach: named, so the error can say so
_NOT_TAUGHT = ("bfloat16", "qint8", "qint16", "qint32", "quint8", "quint16", "resource")
_NOT_TAUGHT += ("variant", "int4", "uint4", "int2", "uint2", "float4_e2m1fn", "float8_e5m2")
_NOT_TAUGHT += ("float8_e4m3fn", "float8_e4m3fnuz", "float8_e4m3b11fnuz", "float8_e5m2fnuz")


def as_dtype(type_value) -> DType:
    """Converts a `DType`, a name TF knows (``"float32"``, ``"float"``, ``"double"``,
    ``"int64"``, ``"bool"``, ``"float32_ref"``...), a numpy type or dtype, the Python types
    ``float``, ``bool`` and ``object``, or a DataType enum number to a `DType`, as
    ``tf.as_dtype`` does; anything else raises TF's TypeError."""
    if isinstance(type_value, DType):
        return type_value
    if isinstance(type_value, str):
        if type_value in _BY_NAME:
            return _BY_NAME[type_value]
        if type_value.removesuffix("_ref") in _NOT_TAUGHT:
            raise TypeError(
                f"tfteach does not teach the dtype {type_value!r}; TensorFlow has it, but "
                "lessons use float32, float64, the int and uint types, bool and string."
            )
    elif isinstance(type_value, int) and not isinstance(type_value, builtins.bool):
        if type_value in _ENUM:
            return _ENUM[type_value]
    elif isinstance(type_value, type) and type_value in _BY_PY:
        return _BY_PY[type_value]
    else:
        found = _from_numpy(type_value)
        if found is not None:
            return found
    raise TypeError(
        f"Cannot convert the argument `type_value`: {type_value!r} to a TensorFlow DType."
    )


def _from_numpy(type_value) -> DType | None:
    """A numpy dtype, scalar type, or anything with a ``.dtype`` (an array) as a DType."""
    if isinstance(type_value, type) and not issubclass(type_value, np.generic):
        return None  # a Python type: np.dtype(int) would be int64, which TF does not infer
    if not isinstance(type_value, (np.dtype, type)):
        type_value = getattr(type_value, "dtype", None)
        if type_value is None:
            return None
    try:
        np_dtype = np.dtype(type_value)
    except TypeError:
        return None
    if np_dtype.kind in "SUO":
        return string
    return _BY_NP.get(np_dtype)


__all__ = [d.name for d in _ALL] + [d._as_ref().name for d in _ALL] + ["DType", "as_dtype"]

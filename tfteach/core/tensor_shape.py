"""Static shapes with unknown dimensions, printed the TF1 way: ``(?, 8)``."""

from __future__ import annotations

from collections.abc import Iterable


class Dimension:
    """One dimension of a shape: an int or unknown (``?``). ``.value`` is the int or None."""

    __slots__ = ("_value",)

    def __init__(self, value):
        if isinstance(value, Dimension):
            value = value.value
        if value is not None:
            try:
                value = int(value.__index__())
            except AttributeError:
                raise TypeError(
                    f"Dimension value must be integer or None, got {value!r} "
                    f"of type {type(value).__name__}"
                ) from None
            if value < 0:
                raise ValueError(f"Dimension {value} must be >= 0")
        self._value = value

    @property
    def value(self):
        return self._value

    def __int__(self) -> int:
        if self._value is None:
            raise TypeError("Cannot convert an unknown Dimension to an int.")
        return self._value

    __index__ = __int__

    def __repr__(self) -> str:
        return f"Dimension({self._value})"

    def __str__(self) -> str:
        return "?" if self._value is None else str(self._value)

    def __eq__(self, other):
        other = other.value if isinstance(other, Dimension) else other
        if self._value is None or other is None:
            return None
        return self._value == other

    def __ne__(self, other):
        eq = self.__eq__(other)
        return None if eq is None else not eq

    def __hash__(self) -> int:
        return hash(self._value)

    def is_compatible_with(self, other) -> bool:
        other = Dimension(other)
        return self._value is None or other.value is None or self._value == other.value

    def _arith(self, other, fn):
        other = other.value if isinstance(other, Dimension) else other
        if self._value is None or other is None:
            return Dimension(None)
        return Dimension(fn(self._value, other))

    def __add__(self, other):
        return self._arith(other, lambda a, b: a + b)

    __radd__ = __add__

    def __sub__(self, other):
        return self._arith(other, lambda a, b: a - b)

    def __mul__(self, other):
        return self._arith(other, lambda a, b: a * b)

    __rmul__ = __mul__

    def __floordiv__(self, other):
        return self._arith(other, lambda a, b: a // b)


def _dim_value(d):
    if type(d) is int and d >= 0:  # the common case, without building a Dimension
        return d
    return d.value if isinstance(d, Dimension) else Dimension(d).value


class TensorShape:
    """A possibly partial shape. ``dims is None`` means the rank is unknown."""

    __slots__ = ("_dims",)

    def __init__(self, dims):
        kind = type(dims)
        if kind is tuple or kind is list:  # the common case: ints (a numpy shape, a list)
            for d in dims:
                if type(d) is not int or d < 0:
                    break
            else:
                self._dims = dims if kind is tuple else tuple(dims)
                return
        if isinstance(dims, TensorShape):
            self._dims = dims._dims
        elif dims is None:
            self._dims = None
        elif isinstance(dims, (int, Dimension)) and not isinstance(dims, bool):
            self._dims = (_dim_value(dims),)
        else:
            try:
                self._dims = tuple(_dim_value(d) for d in dims)
            except TypeError:
                raise TypeError(f"Cannot convert {dims!r} to a shape.") from None

    @property
    def dims(self):
        return None if self._dims is None else [Dimension(d) for d in self._dims]

    @property
    def ndims(self):
        return None if self._dims is None else len(self._dims)

    rank = ndims

    def as_list(self) -> list:
        if self._dims is None:
            raise ValueError("as_list() is not defined on an unknown TensorShape.")
        return list(self._dims)

    def as_tuple(self):
        """The dims as a tuple of ints and Nones (None when the rank is unknown)."""
        return self._dims

    def is_fully_defined(self) -> bool:
        return self._dims is not None and None not in self._dims

    def num_elements(self):
        if not self.is_fully_defined():
            return None
        n = 1
        for d in self._dims:
            n *= d
        return n

    def is_compatible_with(self, other) -> bool:
        other = as_shape(other)
        if self._dims == other._dims or self._dims is None or other._dims is None:
            return True
        if len(self._dims) != len(other._dims):
            return False
        return all(a is None or b is None or a == b for a, b in zip(self._dims, other._dims))

    def merge_with(self, other) -> TensorShape:
        other = as_shape(other)
        if self._dims is None:
            return other
        if other._dims is None:
            return self
        if not self.is_compatible_with(other):
            raise ValueError(f"Shapes {self} and {other} are not compatible")
        return TensorShape([a if a is not None else b for a, b in zip(self._dims, other._dims)])

    def assert_is_compatible_with(self, other) -> None:
        if not self.is_compatible_with(other):
            raise ValueError(f"Shapes {self} and {as_shape(other)} are incompatible")

    def __len__(self) -> int:
        if self._dims is None:
            raise ValueError("Cannot take the length of shape with unknown rank.")
        return len(self._dims)

    def __iter__(self) -> Iterable:
        if self._dims is None:
            raise ValueError("Cannot iterate over a shape with unknown rank.")
        return iter(Dimension(d) for d in self._dims)

    def __getitem__(self, key):
        if self._dims is None:
            return TensorShape(None) if isinstance(key, slice) else Dimension(None)
        if isinstance(key, slice):
            return TensorShape(self._dims[key])
        return Dimension(self._dims[key])

    def __eq__(self, other):
        try:
            other = as_shape(other)
        except TypeError:
            return NotImplemented
        return self._dims == other._dims

    def __ne__(self, other):
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    def __hash__(self) -> int:
        return hash(self._dims)

    def __bool__(self) -> bool:
        return self._dims is not None

    def __str__(self) -> str:
        if self._dims is None:
            return "<unknown>"
        inner = ", ".join("?" if d is None else str(d) for d in self._dims)
        return f"({inner},)" if len(self._dims) == 1 else f"({inner})"

    def __repr__(self) -> str:
        if self._dims is None:
            return "TensorShape(None)"
        return "TensorShape([" + ", ".join(f"Dimension({d})" for d in self._dims) + "])"

    def _shape_text(self) -> str:
        """TF's bracket form used in shape errors: ``[2,3]``, ``[?,8]``."""
        if self._dims is None:
            return "?"
        return "[" + ",".join("?" if d is None else str(d) for d in self._dims) + "]"


_INTERNED: dict = {}


def interned(shape) -> TensorShape:
    """One shared TensorShape per distinct shape (shapes never change once made): a graph of
    10,000 variables then holds a few dozen shape objects instead of tens of thousands."""
    if type(shape) is TensorShape:
        found = _INTERNED.get(shape._dims)
        if found is not None:
            return found
    else:
        shape = as_shape(shape)
    return _intern(shape)


def shape_of_dims(dims: tuple) -> TensorShape:
    """The shared TensorShape of a tuple of non-negative ints (a numpy array's shape)."""
    found = _INTERNED.get(dims)
    return _intern(TensorShape(dims)) if found is None else found


def _intern(shape: TensorShape) -> TensorShape:
    found = _INTERNED.get(shape._dims)
    if found is None:
        if len(_INTERNED) >= 4096:
            _INTERNED.clear()
        found = _INTERNED[shape._dims] = shape
    return found


def as_shape(shape) -> TensorShape:
    return shape if isinstance(shape, TensorShape) else TensorShape(shape)


def unknown_shape(rank=None) -> TensorShape:
    return TensorShape(None if rank is None else [None] * rank)


def scalar() -> TensorShape:
    return TensorShape(())

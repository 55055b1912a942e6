"""Lookup tables (``tf.lookup.StaticHashTable``) and ``tf.tables_initializer()``.

A table is an op (``HashTableV2``) whose contents, like a variable's value, live in the
session: its initializer (``LookupTableImportV2``, collected in ``TABLE_INITIALIZERS``)
fills it in the session that runs it, and a lookup (``LookupTableFindV2``) in a session
that has not run it fails with TF's "Table not initialized." The contents are kept in the
session's per-op store for stateful ops (``ctx.op_state``), as an iterator's
position is.
"""

from __future__ import annotations

import numpy as np

from .constant_op import convert_to_tensor
from .control_flow_ops import group
from .data_ops import resource
from .dtypes import int64
from .errors import FailedPreconditionError, InvalidArgumentError
from .graph import GraphKeys, Operation, Tensor, atomic, get_default_graph, name_scope
from .registry import register
from .tensor_shape import TensorShape


class _Contents:
    """A table's contents in one session (None until its initializer runs)."""

    __slots__ = ("mapping",)

    def __init__(self, op):
        self.mapping = None


def _contents(ctx, table_op: Operation) -> _Contents:
    return ctx.op_state(table_op, _Contents)


def _key(value):
    """A dict key for one numpy key (strings come as bytes, as TF gives them)."""
    return value.item() if isinstance(value, np.generic) else value


@register("HashTableV2", shape=lambda op: [(TensorShape([]), resource)])
def _hash_table(ctx, op):
    return op


def _import_shape(op):
    _, keys, values = op._inputs
    if not keys.shape.is_compatible_with(values.shape):
        raise ValueError(
            f"Shapes must be equal rank, but are {keys.shape.ndims} and {values.shape.ndims} "
            f"for '{op.name}' (op: 'LookupTableImportV2')."
        )
    return []


@register("LookupTableImportV2", shape=_import_shape, ref_inputs=(0,))
def _import(ctx, op, keys, values):
    if np.shape(keys) != np.shape(values):
        raise InvalidArgumentError(
            None,
            op,
            f"Expected shape {list(np.shape(keys))} for value, got {list(np.shape(values))}",
        )
    _contents(ctx, op._inputs[0]._op).mapping = {
        _key(k): v for k, v in zip(np.ravel(keys), np.ravel(values))
    }


def _find_shape(op):
    table, keys, _default = op._inputs
    return [(keys.shape, table._op._attrs["value_dtype"])]


@register("LookupTableFindV2", shape=_find_shape, ref_inputs=(0,))
def _find(ctx, op, keys, default):
    mapping = _initialized(ctx, op)
    dtype = op._outputs[0].dtype.np_dtype
    flat = [mapping.get(_key(k), default) for k in np.ravel(keys)]
    return np.asarray(flat, dtype=dtype).reshape(np.shape(keys))


@register("LookupTableSizeV2", shape=lambda op: [(TensorShape([]), int64)], ref_inputs=(0,))
def _size(ctx, op):
    return np.int64(len(_initialized(ctx, op)))


def _initialized(ctx, op) -> dict:
    mapping = _contents(ctx, op._inputs[0]._op).mapping
    if mapping is None:
        raise FailedPreconditionError(None, op, "Table not initialized.")
    return mapping


class KeyValueTensorInitializer:
    """Fills a table with ``keys[i] -> values[i]`` (``tf.lookup.KeyValueTensorInitializer``)."""

    def __init__(self, keys, values, key_dtype=None, value_dtype=None, name=None):
        self._keys = convert_to_tensor(keys, dtype=key_dtype, name="keys")
        self._values = convert_to_tensor(values, dtype=value_dtype, name="values")
        self._name = name or "key_value_init"

    @property
    def key_dtype(self):
        return self._keys.dtype.base_dtype

    @property
    def value_dtype(self):
        return self._values.dtype.base_dtype

    def initialize(self, table: StaticHashTable) -> Operation:
        """The op that fills ``table`` (it is added to ``TABLE_INITIALIZERS``)."""
        with name_scope(self._name):
            op = get_default_graph().create_op(
                "LookupTableImportV2",
                [table.resource_handle, self._keys, self._values],
                name="LookupTableImportV2",
            )
        get_default_graph().add_to_collection(GraphKeys.TABLE_INITIALIZERS, op)
        return op


class StaticHashTable:
    """A table from keys to values, fixed once initialized (``tf.lookup.StaticHashTable``);
    ``lookup`` gives ``default_value`` for a missing key."""

    @atomic
    def __init__(self, initializer: KeyValueTensorInitializer, default_value, name=None):
        graph = get_default_graph()
        self._default_value = convert_to_tensor(default_value, dtype=initializer.value_dtype)
        self._name = name or "hash_table"
        self._key_dtype = initializer.key_dtype
        self._value_dtype = initializer.value_dtype
        self._handle = graph.create_op(
            "HashTableV2",
            [],
            {"key_dtype": self._key_dtype, "value_dtype": self._value_dtype},
            name=self._name,
        )._first
        self._init_op = initializer.initialize(self)

    @property
    def resource_handle(self) -> Tensor:
        return self._handle

    @property
    def name(self) -> str:
        """The name the table was given (``hash_table``), without the name scope."""
        return self._name

    @property
    def key_dtype(self):
        return self._key_dtype

    @property
    def value_dtype(self):
        return self._value_dtype

    @property
    def default_value(self) -> Tensor:
        return self._default_value

    @property
    def initializer(self) -> Operation:
        return self._init_op

    @atomic
    def lookup(self, keys, name=None) -> Tensor:
        """The values of ``keys`` (any shape), ``default_value`` where a key is missing."""
        if not isinstance(keys, Tensor):
            keys = convert_to_tensor(keys, dtype=self._key_dtype)
        if keys.dtype.base_dtype != self._key_dtype:
            raise TypeError(
                f"Dtype of argument `keys` must be {self._key_dtype!r}, received: "
                f"{keys.dtype.base_dtype!r}"
            )
        with name_scope(name, f"{self.name}_Lookup"):
            return (
                get_default_graph()
                .create_op(
                    "LookupTableFindV2",
                    [self._handle, keys, self._default_value],
                    name="LookupTableFindV2",
                )
                ._first
            )

    @atomic
    def size(self, name=None) -> Tensor:
        """How many keys the table holds (in the running session)."""
        with name_scope(name, f"{self.name}_Size"):
            return (
                get_default_graph()
                .create_op("LookupTableSizeV2", [self._handle], name="LookupTableSizeV2")
                ._first
            )


def tables_initializer(name: str = "init_all_tables") -> Operation:
    """One op that runs every table initializer of the graph (``TABLE_INITIALIZERS``)."""
    return group(*get_default_graph().get_collection(GraphKeys.TABLE_INITIALIZERS), name=name)

"""``tf.feature_column`` (TF1's), as far as a lesson on initialization needs it: numeric
columns, a categorical column over a vocabulary list, seen through ``indicator_column``
(one-hot counts) or ``embedding_column`` (a trainable table of vectors), and
``input_layer``, which turns a dict of feature tensors into one dense batch.

Two kinds of state come out of ``input_layer``, and each needs its own initializer:
- a vocabulary column builds a lookup table (``<key>_lookup/hash_table/hash_table``) whose
  initializer is in ``TABLE_INITIALIZERS``: without ``tf.tables_initializer()`` a run fails
  with "Table not initialized.";
- an embedding column makes its variable with ``get_variable``
  (``input_layer/<key>_embedding/embedding_weights``, truncated normal with stddev
  ``1/sqrt(dimension)``), in ``GLOBAL_VARIABLES``, ``MODEL_VARIABLES`` and
  ``TRAINABLE_VARIABLES``: ``tf.global_variables_initializer()`` initializes it.

Names of the columns, tables, variables and the output follow TF 2.21's ``compat.v1``; the
ops in between are fewer (TF goes through sparse tensors, tfteach stays dense).
"""

from __future__ import annotations

import collections
import math

import numpy as np

from . import _missing
from .core import dtypes, init_ops
from .core.array_ops import concat, expand_dims, fill, one_hot, reshape, shape, stack, where
from .core.constant_op import constant, convert_to_tensor
from .core.graph import GraphKeys, Tensor, get_default_graph, name_scope
from .core.lookup_ops import KeyValueTensorInitializer, StaticHashTable
from .core.math_ops import cast, matmul, maximum, not_equal, range_, reduce_sum, sqrt
from .core.variable_scope import get_variable, variable_scope

__all__ = [
    "categorical_column_with_vocabulary_list",
    "embedding_column",
    "indicator_column",
    "input_layer",
    "numeric_column",
]


def _check_key(key) -> None:
    if not isinstance(key, str):
        raise ValueError(f"key must be a string. Got: type {type(key)}. Given key: {key}.")


def _nested_tuple(value):
    return tuple(_nested_tuple(v) for v in value) if isinstance(value, list) else value


# -- the columns -------------------------------------------------------------------------------


class NumericColumn(
    collections.namedtuple(
        "NumericColumn", ["key", "shape", "default_value", "dtype", "normalizer_fn"]
    )
):
    """Real-valued features ``features[key]``, ``shape`` values per example."""

    @property
    def name(self) -> str:
        return self.key

    @property
    def _num_elements(self) -> int:
        return math.prod(self.shape)

    def _transform(self, builder: _LazyBuilder) -> Tensor:
        tensor = builder.get(self.key)
        if self.normalizer_fn is not None:
            tensor = self.normalizer_fn(tensor)
        return cast(tensor, dtypes.float32)

    def _dense_tensor(self, builder: _LazyBuilder, weight_collections, trainable) -> Tensor:
        return builder.get(self)


def numeric_column(
    key: str, shape=(1,), default_value=None, dtype=dtypes.float32, normalizer_fn=None
) -> NumericColumn:
    """A column of ``shape`` real values per example, read from ``features[key]`` (cast to
    float32, after ``normalizer_fn`` when given)."""
    _check_key(key)
    shape = (shape,) if isinstance(shape, int) else tuple(int(d) for d in shape)
    if any(d <= 0 for d in shape):
        raise ValueError(f"shape dimensions must be greater than 0. shape: {shape}, key: {key}")
    dtype = dtypes.as_dtype(dtype)
    if not (dtype.is_floating or dtype.is_integer):
        raise ValueError(f"dtype must be convertible to float. dtype: {dtype}, key: {key}")
    if default_value is not None:
        value = np.asarray(default_value)
        if value.ndim == 0:
            value = np.full(shape, default_value)
        elif value.shape != shape:
            raise ValueError(
                "The shape of default_value must be equal to given shape. default_value: "
                f"{default_value}, shape: {shape}, key: {key}"
            )
        default_value = _nested_tuple(value.tolist())
    if normalizer_fn is not None and not callable(normalizer_fn):
        raise TypeError(f"normalizer_fn must be a callable. Given: {normalizer_fn}")
    return NumericColumn(key, shape, default_value, dtype, normalizer_fn)


class VocabularyListCategoricalColumn(
    collections.namedtuple(
        "VocabularyListCategoricalColumn",
        ["key", "vocabulary_list", "dtype", "default_value", "num_oov_buckets"],
    )
):
    """Each value of ``features[key]`` as its index in ``vocabulary_list`` (a category id),
    through a lookup table; ``default_value`` for a value not in the list."""

    @property
    def name(self) -> str:
        return self.key

    @property
    def num_buckets(self) -> int:
        return len(self.vocabulary_list) + self.num_oov_buckets

    def _transform(self, builder: _LazyBuilder) -> Tensor:
        """The category ids, int64, one per input value; -1 where the input is missing."""
        values = builder.get(self.key)
        if values.dtype.is_integer != self.dtype.is_integer or (
            (values.dtype.base_dtype is dtypes.string) != (self.dtype is dtypes.string)
        ):
            raise ValueError(
                "Column dtype and SparseTensors dtype must be compatible. key: "
                f"{self.key}, column dtype: {self.dtype}, tensor dtype: {values.dtype}"
            )
        if values.dtype.is_integer:
            values = cast(values, dtypes.int64)
        key_dtype = dtypes.string if self.dtype is dtypes.string else dtypes.int64
        with name_scope(f"{self.key}_lookup"):
            keys = constant(list(self.vocabulary_list), dtype=key_dtype, name="Const")
            ids = cast(range_(0, len(self.vocabulary_list), 1), dtypes.int64)
            with name_scope("hash_table"):
                init = KeyValueTensorInitializer(keys, ids, name="table_init")
                table = StaticHashTable(init, self.default_value, name="hash_table")
        found = table.lookup(values)
        # TF drops missing inputs ('' or -1) before the lookup: here they get id -1, which
        # is no category (its one-hot row is all zeros)
        missing = "" if values.dtype.base_dtype is dtypes.string else -1
        no_id = fill(shape(found), constant(-1, dtypes.int64))
        return where(not_equal(values, missing), found, no_id)


def categorical_column_with_vocabulary_list(
    key: str, vocabulary_list, dtype=None, default_value: int = -1, num_oov_buckets: int = 0
) -> VocabularyListCategoricalColumn:
    """Categories named by ``vocabulary_list`` (strings or integers): a value's category id
    is its index in the list. ``input_layer`` needs it wrapped in ``indicator_column`` or
    ``embedding_column``; it builds a lookup table, filled by ``tf.tables_initializer()``."""
    _check_key(key)
    vocabulary = tuple(vocabulary_list)
    if not vocabulary:
        raise ValueError(f"vocabulary_list {vocabulary_list} must be non-empty, column_name: {key}")
    if len(set(vocabulary)) != len(vocabulary):
        raise ValueError(f"Duplicate keys in vocabulary_list {vocabulary_list}, column_name: {key}")
    kind = np.asarray(vocabulary).dtype.kind
    if kind in "SUO":
        vocabulary_dtype = dtypes.string
    elif kind in "iu":
        vocabulary_dtype = dtypes.int64
    else:
        raise ValueError(
            f"column_name: {key} vocabulary dtype must be string or integer. dtype: "
            f"{dtypes.as_dtype(np.asarray(vocabulary).dtype)}."
        )
    if num_oov_buckets:
        if default_value != -1:
            raise ValueError(f"Can't specify both num_oov_buckets and default_value in {key}.")
        if num_oov_buckets < 0:
            raise ValueError(f"Invalid num_oov_buckets {num_oov_buckets} in {key}.")
        raise NotImplementedError(
            "tfteach's categorical_column_with_vocabulary_list does not support "
            "num_oov_buckets yet (TF hashes unknown values into them with FarmHash); leave "
            "it 0, and unknown values get default_value."
        )
    if dtype is None:
        dtype = vocabulary_dtype
    else:
        dtype = dtypes.as_dtype(dtype)
        if (dtype is dtypes.string) != (vocabulary_dtype is dtypes.string):
            raise ValueError(
                f"dtype {dtype} and vocabulary dtype {vocabulary_dtype} do not match, "
                f"column_name: {key}"
            )
    return VocabularyListCategoricalColumn(key, vocabulary, dtype, default_value, 0)


def _check_categorical(column) -> None:
    if not isinstance(column, VocabularyListCategoricalColumn):
        raise ValueError(
            f"Unsupported input type. Input must be a CategoricalColumn. Given: {column}"
        )


class IndicatorColumn(collections.namedtuple("IndicatorColumn", ["categorical_column"])):
    """A categorical column as counts: one number per category, how often it occurs."""

    @property
    def name(self) -> str:
        return f"{self.categorical_column.name}_indicator"

    @property
    def _num_elements(self) -> int:
        return self.categorical_column.num_buckets

    def _dense_tensor(self, builder: _LazyBuilder, weight_collections, trainable) -> Tensor:
        ids = builder.get(self.categorical_column)
        hot = one_hot(ids, self.categorical_column.num_buckets, 1.0, 0.0)
        return reduce_sum(hot, axis=[-2])  # one row per example: the counts of its values


def indicator_column(categorical_column) -> IndicatorColumn:
    """``categorical_column`` as a multi-hot vector: for each category, how many of the
    example's values are in it (a one-hot vector for one value per example)."""
    _check_categorical(categorical_column)
    return IndicatorColumn(categorical_column)


_COMBINERS = ("mean", "sqrtn", "sum")


class EmbeddingColumn(
    collections.namedtuple(
        "EmbeddingColumn",
        [
            "categorical_column",
            "dimension",
            "combiner",
            "initializer",
            "ckpt_to_load_from",
            "tensor_name_in_ckpt",
            "max_norm",
            "trainable",
            "use_safe_embedding_lookup",
        ],
    )
):
    """A categorical column as learned vectors: row ``id`` of ``embedding_weights``."""

    @property
    def name(self) -> str:
        return f"{self.categorical_column.name}_embedding"

    @property
    def _num_elements(self) -> int:
        return self.dimension

    def _dense_tensor(self, builder: _LazyBuilder, weight_collections, trainable) -> Tensor:
        if self.combiner not in _COMBINERS:
            raise ValueError("combiner must be one of 'mean', 'sqrtn' or 'sum'")
        ids = builder.get(self.categorical_column)
        buckets = self.categorical_column.num_buckets
        weights = get_variable(
            "embedding_weights",
            [buckets, self.dimension],
            dtype=dtypes.float32,
            initializer=self.initializer,
            trainable=self.trainable and trainable,
            collections=weight_collections,
        )
        with name_scope(f"{self.categorical_column.name}_embedding_weights"):
            # TF gathers the rows of the ids and combines them per example; the same sums
            # here as counts (example x category) times the table
            counts = reduce_sum(one_hot(ids, buckets, 1.0, 0.0), axis=[-2])
            summed = matmul(counts, weights)
            if self.combiner == "sum":
                return summed
            # an example without a known value gets zeros (TF's safe embedding lookup)
            n = maximum(reduce_sum(counts, axis=1, keepdims=True), 1.0)
            return summed / (n if self.combiner == "mean" else sqrt(n))


def embedding_column(
    categorical_column,
    dimension: int,
    combiner: str = "mean",
    initializer=None,
    ckpt_to_load_from=None,
    tensor_name_in_ckpt=None,
    max_norm=None,
    trainable: bool = True,
    use_safe_embedding_lookup: bool = True,
) -> EmbeddingColumn:
    """``categorical_column`` as a ``dimension``-long learned vector per example: the
    ``combiner`` (mean, sqrtn or sum) of the rows of ``embedding_weights`` (a variable of
    shape [categories, dimension], truncated normal with stddev 1/sqrt(dimension) unless
    ``initializer`` says otherwise) for the example's categories."""
    _check_categorical(categorical_column)
    if dimension is None or dimension < 1:
        raise ValueError(f"Invalid dimension {dimension}.")
    if initializer is not None and not callable(initializer):
        raise ValueError(
            "initializer must be callable if specified. Embedding of column_name: "
            f"{categorical_column.name}"
        )
    if ckpt_to_load_from is not None or tensor_name_in_ckpt is not None or max_norm is not None:
        raise NotImplementedError(
            "tfteach's embedding_column does not support ckpt_to_load_from, "
            "tensor_name_in_ckpt or max_norm yet; restore the variable with tf.train.Saver."
        )
    if initializer is None:
        initializer = init_ops.truncated_normal_initializer(
            mean=0.0, stddev=1 / math.sqrt(dimension)
        )
    return EmbeddingColumn(
        categorical_column,
        dimension,
        combiner,
        initializer,
        None,
        None,
        None,
        trainable,
        use_safe_embedding_lookup,
    )


_DENSE_COLUMNS = (NumericColumn, IndicatorColumn, EmbeddingColumn)


# -- input_layer ---------------------------------------------------------------------------------


class _LazyBuilder:
    """The features of one ``input_layer`` call, each transformed once (TF's _LazyBuilder):
    an indicator and an embedding column over one categorical column share its lookup."""

    def __init__(self, features: dict):
        self._features = features
        self._done: dict = {}

    def get(self, key):
        """The tensor of a feature key (rank 1 made a column), or a column's transform."""
        if key not in self._done:
            self._done[key] = self._raw(key) if isinstance(key, str) else key._transform(self)
        return self._done[key]

    def _raw(self, key: str) -> Tensor:
        if key not in self._features:
            raise ValueError(f"Feature {key} is not in features dictionary.")
        tensor = convert_to_tensor(self._features[key])
        rank = tensor.shape.ndims
        if rank == 0:
            raise ValueError(f"Feature (key: {key}) cannot have rank 0. Given: {tensor}")
        if rank == 1:  # one value per example
            tensor = expand_dims(tensor, -1)
        return tensor


def _columns(feature_columns) -> list:
    if isinstance(feature_columns, dict):
        raise ValueError("Expected feature_columns to be iterable, found dict.")
    columns = (
        [feature_columns] if isinstance(feature_columns, tuple(_DENSE_COLUMNS)) else feature_columns
    )
    columns = list(columns)
    if not columns:
        raise ValueError("feature_columns must not be empty.")
    for column in columns:
        if not isinstance(column, _DENSE_COLUMNS):
            raise ValueError(
                "Items of feature_columns must be a _DenseColumn. You can wrap a categorical "
                f"column with an embedding_column or indicator_column. Given: {column}"
            )
    return columns


def _as_batch_rows(tensor: Tensor, num_elements: int) -> Tensor:
    """``tensor`` reshaped to (batch, num_elements), as TF reshapes each column's output."""
    dims = tensor.shape.as_tuple()
    if dims is not None and None not in dims[1:]:
        if dims[0] is not None:
            return reshape(tensor, [dims[0], num_elements])  # a wrong size fails now
        if math.prod(dims[1:]) == num_elements:
            return reshape(tensor, [-1, num_elements])
    # checked when the graph runs
    return reshape(tensor, stack([shape(tensor)[0], num_elements]))


def _check_batch_sizes(tensors: list, columns: list) -> None:
    known = None
    for tensor, column in zip(tensors, columns):
        size = tensor.shape[0].value
        if size is None:
            continue
        if known is None:
            known = (size, column)
        elif size != known[0]:
            raise ValueError(
                "Batch size (first dimension) of each feature must be same. Batch size of "
                f"columns ({known[1].name}, {column.name}): ({known[0]}, {size})"
            )


def input_layer(
    features: dict,
    feature_columns,
    weight_collections=None,
    trainable: bool = True,
    cols_to_vars: dict | None = None,
    cols_to_output_tensors: dict | None = None,
) -> Tensor:
    """One float32 tensor of shape (batch, total width): the dense output of each column,
    in the order of the columns' names, side by side (``input_layer/concat``)."""
    columns = sorted(_columns(feature_columns), key=lambda c: c.name)
    weight_collections = list(weight_collections or [])
    for key in (GraphKeys.GLOBAL_VARIABLES, GraphKeys.MODEL_VARIABLES):
        if key not in weight_collections:
            weight_collections.append(key)
    graph = get_default_graph()
    with graph._transaction(), variable_scope(None, default_name="input_layer"):
        builder = _LazyBuilder(features)
        outputs = []
        for column in columns:
            with variable_scope(None, default_name=column.name) as scope:
                tensor = column._dense_tensor(builder, weight_collections, trainable)
                output = _as_batch_rows(tensor, column._num_elements)
            outputs.append(output)
            if cols_to_vars is not None:
                cols_to_vars[column] = graph.get_collection(
                    GraphKeys.GLOBAL_VARIABLES, scope=scope.name
                )
            if cols_to_output_tensors is not None:
                cols_to_output_tensors[column] = output
        _check_batch_sizes(outputs, columns)
        return concat(outputs, 1)


__getattr__ = _missing.module_getattr(__name__, __all__)  # a missing name says what to use

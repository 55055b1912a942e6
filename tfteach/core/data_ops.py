"""``tf.data`` as TF1 graph mode has it: datasets, iterators and their errors.

A dataset is a chain of graph ops (``TensorSliceDataset`` -> ``ShuffleDataset`` ->
``BatchDatasetV2`` ...), each with one output of dtype ``variant``. Running one gives
a plain Python description of the dataset (`_Source`), never its elements. An
iterator is an op too (``IteratorV2``, ``OneShotIterator``); its position is state
that lives in the session, as a variable's value does: ``MakeIterator`` (the
``initializer``) starts it in the session that runs it, and ``IteratorGetNext``
takes the next element from it. So two sessions iterate independently, and running
the initializer again starts over.

Where the position is kept: the session's per-op store for stateful ops
(``ctx.op_state``), the same store that keeps a random op's draws going from run
to run and starts them afresh in a new session.

Elements are nested structures of tensors: a tensor, a tuple (or namedtuple) or a
dict (flattened in sorted key order, as TF's ``nest`` does). A Python list is one
tensor, as in TF.
"""

from __future__ import annotations

import numpy as np

from .. import _missing
from . import dtypes
from .constant_op import convert_to_tensor, placeholder
from .dtypes import DType
from .errors import DataLossError, FailedPreconditionError, InvalidArgumentError, OutOfRangeError
from .graph import Graph, Tensor, atomic, get_default_graph, name_scope
from .random_seed import get_seed
from .registry import register
from .session import Session
from .tensor_shape import TensorShape

# TF's dtypes of a dataset's handle and of an iterator's handle; no op of tfteach
# computes with them, so they are local here and not public dtypes
variant = DType("variant", np.object_)
resource = DType("resource", np.object_)

# the collection of a graph's iterators (TF's iterator_ops.GLOBAL_ITERATORS)
GLOBAL_ITERATORS = "iterators"

_NOT_INITIALIZED = (
    "GetNext() failed because the iterator has not been initialized. Ensure that you have run "
    "the initializer operation for this iterator before getting the next element."
)


# -- nested structures of elements -----------------------------------------------------------


def _flatten(structure) -> list:
    """The leaves of ``structure`` in TF's order (dict keys sorted)."""
    if isinstance(structure, dict):
        return [leaf for key in sorted(structure) for leaf in _flatten(structure[key])]
    if isinstance(structure, tuple):
        return [leaf for item in structure for leaf in _flatten(item)]
    return [structure]


def _pack_as(structure, flat):
    """``flat`` (leaves in `_flatten` order) laid out as ``structure``."""
    it = iter(flat)

    def build(s):
        if isinstance(s, dict):
            built = {key: build(s[key]) for key in sorted(s)}
            return {key: built[key] for key in s}
        if isinstance(s, tuple):
            items = [build(item) for item in s]
            return type(s)(*items) if hasattr(s, "_fields") else tuple(items)
        return next(it)

    return build(structure)


class _Spec:
    """A leaf of an element's structure: the component's dtype and static shape."""

    __slots__ = ("dtype", "shape")

    def __init__(self, dtype: DType, shape: TensorShape):
        self.dtype = dtype
        self.shape = shape


def _specs(structure) -> list:
    return _flatten(structure)


# -- what running a dataset op gives: a description of the dataset -----------------------


class _Source:
    """A dataset as the session sees it: ``iterate()`` gives a fresh pass over the
    elements, each a tuple of numpy values (the flattened components)."""

    def iterate(self):
        raise NotImplementedError


class _Slices(_Source):
    def __init__(self, components):
        self.components = components

    def iterate(self):
        for i in range(len(self.components[0])):
            yield tuple(c[i] for c in self.components)


class _Range(_Source):
    def __init__(self, start: int, stop: int, step: int, dtype: DType):
        self.numbers = range(start, stop, step)
        self.dtype = dtype.as_numpy_dtype

    def iterate(self):
        for number in self.numbers:
            yield (self.dtype(number),)


class _Zipped(_Source):
    """Elements of several datasets side by side, until the shortest ends."""

    def __init__(self, sources):
        self.sources = sources

    def iterate(self):
        for elements in zip(*(source.iterate() for source in self.sources)):
            yield tuple(component for element in elements for component in element)


class _Concatenated(_Source):
    def __init__(self, first: _Source, second: _Source):
        self.first = first
        self.second = second

    def iterate(self):
        yield from self.first.iterate()
        yield from self.second.iterate()


class _Shuffled(_Source):
    """TF's shuffle buffer: fill ``buffer_size`` elements, hand out a random one and put
    the next input element in its place. One generator serves every pass, so each epoch
    of a ``repeat`` after it comes in a new order (``reshuffle_each_iteration``)."""

    def __init__(self, source: _Source, buffer_size: int, rng, reshuffle: bool):
        self.source = source
        self.buffer_size = buffer_size
        self.rng = rng
        self.reshuffle = reshuffle
        self.first_state = rng.bit_generator.state

    def iterate(self):
        if not self.reshuffle:  # every pass in the first pass's order
            self.rng.bit_generator.state = self.first_state
        buffer = []
        for element in self.source.iterate():
            buffer.append(element)
            if len(buffer) == self.buffer_size:
                yield _take_random(buffer, self.rng)
        while buffer:
            yield _take_random(buffer, self.rng)


def _take_random(buffer: list, rng):
    index = int(rng.integers(len(buffer)))
    element = buffer[index]
    buffer[index] = buffer[-1]
    buffer.pop()
    return element


class _Repeated(_Source):
    def __init__(self, source: _Source, count: int):
        self.source = source
        self.count = count

    def iterate(self):
        done = 0
        while self.count < 0 or done < self.count:
            empty = True
            for element in self.source.iterate():
                empty = False
                yield element
            done += 1
            if empty:  # TF too stops repeating an empty dataset instead of spinning
                return


class _Batched(_Source):
    def __init__(self, source: _Source, batch_size: int, drop_remainder: bool, op):
        self.source = source
        self.batch_size = batch_size
        self.drop_remainder = drop_remainder
        self.op = op

    def iterate(self):
        batch = []
        for element in self.source.iterate():
            batch.append(element)
            if len(batch) == self.batch_size:
                yield self._stack(batch)
                batch = []
        if batch and not self.drop_remainder:
            yield self._stack(batch)

    def _stack(self, batch: list) -> tuple:
        stacked = []
        for i, column in enumerate(zip(*batch)):
            first = np.shape(column[0])
            for j, value in enumerate(column[1:], start=1):
                if np.shape(value) != first:
                    raise InvalidArgumentError(
                        None,
                        self.op,
                        f"Cannot batch tensors with different shapes in component {i}. First "
                        f"element had shape {list(first)} and element {j} had shape "
                        f"{list(np.shape(value))}.",
                    )
            stacked.append(np.stack(column))
        return tuple(stacked)


class _PaddedBatched(_Batched):
    """Batches whose components are padded with ``padding_values`` up to ``padded_shapes``
    (-1 in a padded shape: the largest size in the batch)."""

    def __init__(self, source, batch_size, drop_remainder, op, padded_shapes, padding_values):
        super().__init__(source, batch_size, drop_remainder, op)
        self.padded_shapes = padded_shapes
        self.padding_values = padding_values

    def _stack(self, batch: list) -> tuple:
        stacked = []
        for i, column in enumerate(zip(*batch)):
            padded, fill = self.padded_shapes[i], self.padding_values[i]
            shapes = [np.shape(value) for value in column]
            for shape in shapes:
                if len(shape) != len(padded):
                    raise InvalidArgumentError(
                        None,
                        self.op,
                        "All elements in a batch must have the same rank as the padded shape for "
                        f"component{i}: expected rank {len(padded)} but got element with rank "
                        f"{len(shape)}",
                    )
            largest = np.max(shapes, axis=0) if padded.size else padded
            target = [int(w) if p < 0 else int(p) for p, w in zip(padded, largest)]
            if any(w > t for shape in shapes for w, t in zip(shape, target)):
                raise DataLossError(
                    None, self.op, "Attempted to pad to a smaller size than the input element."
                )
            fill = np.asarray(fill)  # of the component's dtype (object for strings)
            out = np.full([len(column), *target], fill, dtype=fill.dtype)
            for row, value in enumerate(column):
                out[(row, *(slice(0, w) for w in np.shape(value)))] = value
            stacked.append(out)
        return tuple(stacked)


class _Taken(_Source):
    def __init__(self, source: _Source, count: int):
        self.source = source
        self.count = count

    def iterate(self):
        if self.count == 0:
            return
        for n, element in enumerate(self.source.iterate(), start=1):
            yield element
            if n == self.count:
                return


class _Skipped(_Source):
    def __init__(self, source: _Source, count: int):
        self.source = source
        self.count = count

    def iterate(self):
        for n, element in enumerate(self.source.iterate()):
            if 0 <= self.count <= n:  # count -1 skips every element
                yield element


class _Mapped(_Source):
    """Each element through the map function's own graph, run in a session of its own
    (TF too builds the function apart from the main graph)."""

    def __init__(self, source: _Source, function):
        self.source = source
        self.inputs, self.outputs = function
        self.session = Session(graph=self.inputs[0].graph if self.inputs else None)

    def iterate(self):
        for element in self.source.iterate():
            values = self.session.run(self.outputs, dict(zip(self.inputs, element)))
            yield tuple(np.asarray(v) for v in values)


class _Filtered(_Mapped):
    """The elements for which the predicate's graph computes True."""

    def iterate(self):
        for element in self.source.iterate():
            (keep,) = self.session.run(self.outputs, dict(zip(self.inputs, element)))
            if keep:
                yield element


# -- dataset ops -----------------------------------------------------------------------------


def _variant_shape(op):
    return [(TensorShape([]), variant)]


@register("TensorSliceDataset", shape=_variant_shape)
def _tensor_slice_dataset(ctx, op, *components):
    return _Slices(components)


@register("TensorDataset", shape=_variant_shape)
def _tensor_dataset(ctx, op, *components):
    return _Slices([[c] for c in components])  # one element: the tensors themselves


@register("RangeDataset", shape=_variant_shape)
def _range_dataset(ctx, op, start, stop, step):
    if step == 0:
        raise InvalidArgumentError(None, op, "step must be a non-zero integer.")
    return _Range(int(start), int(stop), int(step), op._attrs["output_type"])


@register("ZipDataset", shape=_variant_shape)
def _zip_dataset(ctx, op, *sources):
    return _Zipped(sources)


@register("ConcatenateDataset", shape=_variant_shape)
def _concatenate_dataset(ctx, op, first, second):
    return _Concatenated(first, second)


@register("ShuffleDataset", shape=_variant_shape)
def _shuffle_dataset(ctx, op, source, buffer_size):
    seed = op._attrs["seed"]
    rng = np.random.default_rng(None if seed is None else [seed, op._attrs["seed2"]])
    return _Shuffled(source, int(buffer_size), rng, op._attrs["reshuffle_each_iteration"])


@register("RepeatDataset", shape=_variant_shape)
def _repeat_dataset(ctx, op, source, count):
    return _Repeated(source, int(count))


@register("BatchDatasetV2", shape=_variant_shape)
def _batch_dataset(ctx, op, source, batch_size, drop_remainder):
    return _Batched(source, int(batch_size), bool(drop_remainder), op)


@register("PaddedBatchDatasetV2", shape=_variant_shape)
def _padded_batch_dataset(ctx, op, source, batch_size, *rest):
    n = op._attrs["N"]  # the number of components; then their padded shapes and values
    shapes, values, drop_remainder = rest[:n], rest[n : 2 * n], rest[-1]
    return _PaddedBatched(
        source, int(batch_size), bool(drop_remainder), op, [np.asarray(s) for s in shapes], values
    )


@register("TakeDataset", shape=_variant_shape)
def _take_dataset(ctx, op, source, count):
    return _Taken(source, int(count))


@register("SkipDataset", shape=_variant_shape)
def _skip_dataset(ctx, op, source, count):
    return _Skipped(source, int(count))


@register("FilterDataset", shape=_variant_shape)
def _filter_dataset(ctx, op, source):
    return _Filtered(source, op._attrs["predicate"])


@register("MapDataset", shape=_variant_shape)
def _map_dataset(ctx, op, source):
    return _Mapped(source, op._attrs["f"])


@register("PrefetchDataset", shape=_variant_shape)
def _prefetch_dataset(ctx, op, source, buffer_size):
    return source  # prefetching overlaps work with training; here it changes nothing


# -- iterators ---------------------------------------------------------------------------------


class _Position:
    """An iterator's state in one session: the pass over its dataset, once started."""

    __slots__ = ("elements",)

    def __init__(self, op):
        self.elements = None


def _position(ctx, iterator_op) -> _Position:
    return ctx.op_state(iterator_op, _Position)


def _resource_shape(op):
    return [(TensorShape([]), resource)]


@register("IteratorV2", shape=_resource_shape)
def _iterator(ctx, op):
    return op  # the handle: which iterator (its position lives in the session)


@register("OneShotIterator", shape=_resource_shape)
def _one_shot_iterator(ctx, op):
    return op


@register("MakeIterator", shape=lambda op: [], ref_inputs=(1,))
def _make_iterator(ctx, op, dataset):
    _position(ctx, op._inputs[1]._op).elements = dataset.iterate()


def _get_next_shape(op):
    return [(spec.shape, spec.dtype) for spec in op._attrs["output_specs"]]


@register("IteratorGetNext", shape=_get_next_shape, ref_inputs=(0,))
def _get_next(ctx, op):
    iterator_op = op._inputs[0]._op
    position = _position(ctx, iterator_op)
    if position.elements is None:
        dataset = iterator_op._attrs.get("dataset")
        if dataset is None:
            raise FailedPreconditionError(None, op, _NOT_INITIALIZED)
        # a one-shot iterator starts itself on first use, in each session
        position.elements = ctx.evaluate(dataset).iterate()
    try:
        element = next(position.elements)
    except StopIteration:
        raise OutOfRangeError(None, op, "End of sequence") from None
    return element if len(element) != 1 else element[0]


class _Structured:
    """What the elements of a dataset or iterator are (both have ``_structure``)."""

    _structure: object

    @property
    def output_types(self):
        """The dtypes of an element's components, laid out as the elements are."""
        return _pack_as(self._structure, [s.dtype for s in _specs(self._structure)])

    @property
    def output_shapes(self):
        """The static shapes of an element's components, laid out as the elements are."""
        return _pack_as(self._structure, [s.shape for s in _specs(self._structure)])


class Iterator(_Structured):
    """A TF1 iterator over a dataset (`tf.data.Iterator`): ``get_next()`` builds the op
    that gives the next element; ``initializer`` (re)starts it in the running session."""

    def __init__(self, handle: Tensor, initializer, structure):
        self._handle = handle
        self._initializer = initializer
        self._structure = structure

    @property
    def initializer(self):
        """The op that starts the iterator over its dataset (``MakeIterator``)."""
        if self._initializer is None:
            raise ValueError(
                "The iterator does not have an initializer. This means it was likely created "
                "using `tf.data.Dataset.make_one_shot_iterator()`. For an initializable "
                "iterator, use `tf.data.Dataset.make_initializable_iterator()` instead."
            )
        return self._initializer

    def get_next(self, name: str | None = None):
        """The next element, as tensors laid out as the dataset's elements are. Each run
        of them moves the iterator on; at the end they raise `OutOfRangeError`."""
        specs = tuple(_specs(self._structure))
        op = self._handle.graph.create_op(
            "IteratorGetNext",
            [self._handle],
            {"output_specs": specs},
            name=name or "IteratorGetNext",
        )
        return _pack_as(self._structure, list(op.outputs))

    def make_initializer(self, dataset: Dataset, name: str | None = None):
        """The op that starts this iterator over ``dataset`` (one of the same structure)."""
        if dataset.output_types != self.output_types:
            raise TypeError(
                "Expected output types "
                f"{self.output_types} but got dataset with output types {dataset.output_types}."
            )
        graph = self._handle.graph
        return graph.create_op(
            "MakeIterator", [dataset._variant, self._handle], name=name or "make_initializer"
        )

    @staticmethod
    def from_structure(output_types, output_shapes=None, shared_name=None, output_classes=None):
        """An iterator with no dataset yet: ``make_initializer(ds)`` gives the op that starts
        it over ``ds`` (one iterator for the training and the test data)."""
        types_flat = _flatten(output_types)
        if output_shapes is None:
            shapes_flat = [TensorShape(None)] * len(types_flat)
        else:
            shapes_flat = [TensorShape(s) for s in _flatten(output_shapes)]
        specs = [_Spec(dtypes.as_dtype(t), s) for t, s in zip(types_flat, shapes_flat)]
        structure = _pack_as(output_types, specs)
        handle = get_default_graph().create_op("IteratorV2", [], name="Iterator")._first
        get_default_graph().add_to_collection(GLOBAL_ITERATORS, handle)
        return Iterator(handle, None, structure)


# -- Dataset ---------------------------------------------------------------------------------


class _DatasetClass(type):
    """The class of `Dataset`, only so that ``tf.data.Dataset.<name>`` for a name tfteach
    lacks (``from_generator``...) says so, as ``tf.<name>`` does."""

    def __getattr__(cls, name: str):
        public = [n for n in vars(cls) if not n.startswith("_")]
        raise _missing.missing_class_attribute("tf.data.Dataset", public, name)


class Dataset(_Structured, metaclass=_DatasetClass):
    """A TF1 ``tf.data.Dataset``: a pipeline of elements, described by graph ops and
    run by an iterator. Each method returns a new dataset."""

    def __init__(self, variant_tensor: Tensor, structure):
        self._variant = variant_tensor
        self._structure = structure

    def __repr__(self) -> str:
        kind = self._variant.op.type.removesuffix("V2")
        return f"<{kind} shapes: {self.output_shapes}, types: {self.output_types}>"

    # -- making datasets
    @staticmethod
    @atomic
    def from_tensor_slices(tensors) -> Dataset:
        """One element per row (first dimension) of ``tensors``: a tensor, array, tuple
        or dict of them, all with the same number of rows."""
        with name_scope("normalize_element"):
            flat = [
                convert_to_tensor(t, name=f"component_{i}") for i, t in enumerate(_flatten(tensors))
            ]
        rows = set()
        for t in flat:
            if t.shape.ndims == 0:
                raise ValueError(
                    "Unbatching a tensor is only supported for rank >= 1 (from_tensor_slices "
                    f"got the scalar {t.name})."
                )
            if t.shape.ndims is not None and t.shape[0].value is not None:
                rows.add(t.shape[0].value)
        if len(rows) > 1:
            raise ValueError(
                "Dimensions " + " and ".join(str(r) for r in sorted(rows)) + " are not compatible"
            )
        specs = [_Spec(t.dtype.base_dtype, _row_shape(t.shape)) for t in flat]
        op = get_default_graph().create_op("TensorSliceDataset", flat, name="TensorSliceDataset")
        return Dataset(op._first, _pack_as(tensors, specs))

    @staticmethod
    @atomic
    def from_tensors(tensors) -> Dataset:
        """A dataset of one element: ``tensors`` (a tensor, array, tuple or dict of them)."""
        with name_scope("normalize_element"):
            flat = [
                convert_to_tensor(t, name=f"component_{i}") for i, t in enumerate(_flatten(tensors))
            ]
        specs = [_Spec(t.dtype.base_dtype, t.shape) for t in flat]
        op = get_default_graph().create_op("TensorDataset", flat, name="TensorDataset")
        return Dataset(op._first, _pack_as(tensors, specs))

    @staticmethod
    @atomic
    def range(*args, output_type=dtypes.int64) -> Dataset:
        """The numbers of Python's ``range(stop)``, ``range(start, stop)`` or
        ``range(start, stop, step)``, as scalars of ``output_type`` (int64)."""
        if not 1 <= len(args) <= 3:
            raise ValueError(
                "Invalid `args`. The length of `args` should be between 1 and 3 but was "
                f"{len(args)}."
            )
        start, stop, step = (0, *args, 1) if len(args) == 1 else (*args, 1)[:3]
        bounds = [
            _int64_const(v, n) for v, n in zip((start, stop, step), ("start", "stop", "step"))
        ]
        output_type = dtypes.as_dtype(output_type)
        spec = _Spec(output_type, TensorShape([]))
        op = get_default_graph().create_op(
            "RangeDataset", bounds, {"output_type": output_type}, name="RangeDataset"
        )
        return Dataset(op._first, spec)

    @staticmethod
    @atomic
    def zip(*args, datasets=None) -> Dataset:
        """Elements of several datasets side by side, until the shortest ends: ``datasets``
        is a (nested) tuple or dict of datasets, and each element is laid out the same way.
        ``zip(a, b)`` is ``zip((a, b))``."""
        if datasets is None:
            datasets = args[0] if len(args) == 1 else args
        for dataset in _flatten(datasets):
            if isinstance(dataset, list):
                raise TypeError(
                    "Invalid input to `zip`. Inputs are expected to be (nested) structures of "
                    "`tf.data.Dataset` objects. Python `list` is not supported and you should "
                    "use `tuple` instead."
                )
            if not isinstance(dataset, Dataset):
                raise TypeError(
                    "Invalid input to `zip`. Inputs are expected to be (nested) structures of "
                    f"`tf.data.Dataset` objects but encountered object of type {type(dataset)}."
                )
        flat = _flatten(datasets)
        structure = _pack_as(datasets, [d._structure for d in flat])
        op = get_default_graph().create_op(
            "ZipDataset", [d._variant for d in flat], name="ZipDataset"
        )
        return Dataset(op._first, structure)

    # -- transformations
    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=None) -> Dataset:
        """The elements in a random order, drawn from a buffer of ``buffer_size`` of them.
        A seed (op or graph level) makes the order the same in every session and after
        every re-initialization; each epoch of a later ``repeat`` comes in a new order."""
        buffer = _int64_const(buffer_size, "buffer_size")
        seed1, seed2 = get_seed(seed)
        attrs = {
            "seed": seed1,
            "seed2": seed2,
            "reshuffle_each_iteration": reshuffle_each_iteration in (None, True),
        }
        return self._then("ShuffleDataset", [buffer], attrs)

    def repeat(self, count=None) -> Dataset:
        """The elements ``count`` times over (forever when None or -1)."""
        return self._then("RepeatDataset", [_int64_const(-1 if count is None else count, "count")])

    def batch(self, batch_size, drop_remainder: bool = False) -> Dataset:
        """Consecutive elements stacked into batches of ``batch_size`` (the last one smaller
        unless ``drop_remainder``), so the batch dimension is unknown (``?``) unless
        ``drop_remainder``."""
        size = _int64_const(batch_size, "batch_size")
        drop = convert_to_tensor(bool(drop_remainder), name="drop_remainder")
        known = int(batch_size) if drop_remainder else None
        specs = [_Spec(s.dtype, _batched_shape(known, s.shape)) for s in _specs(self._structure)]
        return self._then("BatchDatasetV2", [size, drop], {}, _pack_as(self._structure, specs))

    @atomic
    def padded_batch(
        self, batch_size, padded_shapes=None, padding_values=None, drop_remainder=False
    ) -> Dataset:
        """Batches of elements of different shapes: each component is padded with its
        ``padding_values`` (0, False or b"" unless given) up to its ``padded_shapes`` (a
        ``None`` dimension, or no ``padded_shapes``: the largest size in the batch)."""
        specs = _specs(self._structure)
        size = _int64_const(batch_size, "batch_size")
        if padded_shapes is None:
            for i, spec in enumerate(specs):
                if spec.shape.ndims is None:
                    raise ValueError(
                        "You must provide `padded_shapes` argument because component "
                        f"{i} has unknown rank."
                    )
            shapes = [spec.shape for spec in specs]
        else:
            shapes = [TensorShape(s) for s in _flatten_up_to(self._structure, padded_shapes)]
        for shape, spec in zip(shapes, specs):
            if not _can_pad(spec.shape, shape):
                raise ValueError(
                    f"The padded shape {shape} is not compatible with the shape {spec.shape} of "
                    "the corresponding input component."
                )
        shape_tensors = [
            convert_to_tensor([-1 if d is None else d for d in s.as_tuple()], dtype=dtypes.int64)
            for s in shapes
        ]
        if padding_values is None:
            fills = [_default_padding(spec.dtype) for spec in specs]
        else:
            fills = _flatten_up_to(self._structure, padding_values)
        values = [convert_to_tensor(v, name="padding_value") for v in fills]
        for value, spec in zip(values, specs):
            if value.shape.ndims != 0:
                raise ValueError(
                    "Invalid `padding_values`. `padding_values` values should be scalars, but got "
                    f"{value.shape}."
                )
            if value.dtype.base_dtype != spec.dtype:
                raise TypeError(
                    f"Invalid `padding_values`. `padding_values` values type {value.dtype} does "
                    f"not match type {spec.dtype} of the corresponding input component."
                )
        drop = convert_to_tensor(bool(drop_remainder), name="drop_remainder")
        known = int(batch_size) if drop_remainder else None
        out = [_Spec(spec.dtype, _batched_shape(known, s)) for spec, s in zip(specs, shapes)]
        return self._then(
            "PaddedBatchDatasetV2",
            [size, *shape_tensors, *values, drop],
            {"N": len(specs)},
            _pack_as(self._structure, out),
        )

    def take(self, count) -> Dataset:
        """The first ``count`` elements (all of them when -1)."""
        return self._then("TakeDataset", [_int64_const(count, "count")])

    def skip(self, count) -> Dataset:
        """All but the first ``count`` elements (none of them when -1)."""
        return self._then("SkipDataset", [_int64_const(count, "count")])

    @atomic
    def concatenate(self, dataset: Dataset) -> Dataset:
        """The elements of this dataset, then those of ``dataset``: the two must have the
        same structure and dtypes; a dimension on which their shapes differ becomes ``?``."""
        mine, theirs = _specs(self._structure), _specs(dataset._structure)
        if not _same_layout(self._structure, dataset._structure) or any(
            a.dtype != b.dtype for a, b in zip(mine, theirs)
        ):
            raise TypeError(
                f"Incompatible dataset elements:\n  {_spec_text(self._structure)} vs. "
                f"  {_spec_text(dataset._structure)}"
            )
        specs = [_Spec(a.dtype, _common_shape(a.shape, b.shape)) for a, b in zip(mine, theirs)]
        return self._then(
            "ConcatenateDataset", [dataset._variant], {}, _pack_as(self._structure, specs)
        )

    def prefetch(self, buffer_size) -> Dataset:
        """The same elements (TF prepares them ahead; tfteach has nothing to overlap)."""
        return self._then("PrefetchDataset", [_int64_const(buffer_size, "buffer_size")])

    def map(self, map_func, num_parallel_calls=None) -> Dataset:
        """Each element through ``map_func``, a Python function that builds graph ops on the
        element's tensors (called with one argument per tuple item, else the element). It is
        built once, in a graph of its own, as TF builds it into a function."""
        inputs, result, outputs = self._function(map_func)
        out_specs = [_Spec(t.dtype.base_dtype, t.shape) for t in outputs]
        structure = _pack_as(result, out_specs)
        return self._then("MapDataset", [], {"f": (inputs, outputs)}, structure)

    def filter(self, predicate) -> Dataset:
        """The elements for which ``predicate`` (a function built as ``map``'s is) gives a
        True scalar ``tf.bool``. Write comparisons as ``tf.equal(x, 0)``: in TF1 graph mode
        ``x == 0`` compares the Python objects and is always False."""
        inputs, result, outputs = self._function(predicate)
        kept = outputs[0] if len(outputs) == 1 else None
        if kept is None or kept.dtype.base_dtype != dtypes.bool or kept.shape != TensorShape([]):
            shown = _spec_text(_pack_as(result, [_Spec(t.dtype, t.shape) for t in outputs]))
            raise ValueError(
                "Invalid `predicate`. `predicate` must return a `tf.bool` scalar tensor, but its "
                f"return type is {shown}."
            )
        return self._then("FilterDataset", [], {"predicate": (inputs, outputs)})

    def _function(self, func):
        """``func`` called on placeholders for an element, in a graph of its own: the
        placeholders, what ``func`` returned and its flattened tensors."""
        function_graph = Graph()
        with function_graph.as_default():
            specs = _specs(self._structure)
            inputs = [placeholder(s.dtype, s.shape, name=f"args_{i}") for i, s in enumerate(specs)]
            element = _pack_as(self._structure, inputs)
            try:
                result = func(*element) if type(element) is tuple else func(element)
            except ValueError as e:
                if "must be from the same graph" in str(e):
                    raise ValueError(
                        "tfteach builds the dataset's function in a graph of its own and cannot "
                        "use a tensor made outside it; make the tensor inside the function "
                        f"(a tf.constant). ({e})"
                    ) from e
                raise
            if isinstance(result, list):
                result = tuple(result)  # TF too treats a returned list as a tuple
            outputs = [convert_to_tensor(t) for t in _flatten(result)]
        return inputs, result, outputs

    def _then(self, op_type: str, inputs, attrs=None, structure=None) -> Dataset:
        op = get_default_graph().create_op(op_type, [self._variant, *inputs], attrs, name=op_type)
        return Dataset(op._first, self._structure if structure is None else structure)

    # -- iterators
    def make_one_shot_iterator(self) -> Iterator:
        """An iterator that starts itself on first use in each session (no initializer)."""
        graph = get_default_graph()
        handle = graph.create_op(
            "OneShotIterator", [], {"dataset": self._variant}, name="OneShotIterator"
        )._first
        graph.add_to_collection(GLOBAL_ITERATORS, handle)
        return Iterator(handle, None, self._structure)

    def make_initializable_iterator(self, shared_name=None) -> Iterator:
        """An iterator whose ``initializer`` must run before its first element is asked for
        (and runs again to start over)."""
        graph = get_default_graph()
        handle = graph.create_op("IteratorV2", [], name="IteratorV2")._first
        init = graph.create_op("MakeIterator", [self._variant, handle], name="MakeIterator")
        graph.add_to_collection(GLOBAL_ITERATORS, handle)
        return Iterator(handle, init, self._structure)


def _row_shape(shape: TensorShape) -> TensorShape:
    """The static shape of one row of a tensor of ``shape``."""
    return TensorShape(None) if shape.ndims is None else TensorShape(shape.dims[1:])


def _batched_shape(batch, shape: TensorShape) -> TensorShape:
    """The static shape of a batch of ``batch`` (None: unknown) elements of ``shape``."""
    return TensorShape(None) if shape.ndims is None else TensorShape([batch, *shape.as_tuple()])


def _flatten_up_to(structure, value) -> list:
    """``value``'s parts for the leaves of the element ``structure`` (a padded shape such as
    ``[None]`` is one leaf however it is written)."""
    if isinstance(structure, dict):
        return [
            part for key in sorted(structure) for part in _flatten_up_to(structure[key], value[key])
        ]
    if isinstance(structure, tuple):
        return [part for s, v in zip(structure, value) for part in _flatten_up_to(s, v)]
    return [value]


def _can_pad(shape: TensorShape, padded: TensorShape) -> bool:
    """Whether elements of ``shape`` can be padded up to ``padded``: the same rank, and no
    padded size smaller than a known size."""
    if shape.ndims is None or padded.ndims is None:
        return True
    if shape.ndims != padded.ndims:
        return False
    return all(
        p is None or d is None or p >= d for d, p in zip(shape.as_tuple(), padded.as_tuple())
    )


def _default_padding(dtype: DType):
    """What ``padded_batch`` pads with unless told: zero, False or the empty string."""
    if dtype == dtypes.string:
        return ""
    return np.zeros((), dtype.as_numpy_dtype)


def _same_layout(a, b) -> bool:
    """Whether two element structures nest the same tuples and dicts (same keys)."""
    if isinstance(a, dict) or isinstance(b, dict):
        return (
            isinstance(a, dict)
            and isinstance(b, dict)
            and sorted(a) == sorted(b)
            and all(_same_layout(a[k], b[k]) for k in a)
        )
    if isinstance(a, tuple) or isinstance(b, tuple):
        return (
            isinstance(a, tuple)
            and isinstance(b, tuple)
            and len(a) == len(b)
            and all(_same_layout(x, y) for x, y in zip(a, b))
        )
    return True


def _common_shape(a: TensorShape, b: TensorShape) -> TensorShape:
    """The most specific shape both ``a`` and ``b`` have: ``?`` where they differ."""
    if a.ndims is None or b.ndims is None or a.ndims != b.ndims:
        return TensorShape(None)
    return TensorShape([x if x == y else None for x, y in zip(a.as_tuple(), b.as_tuple())])


def _spec_text(structure) -> str:
    """An element's structure as TF writes it in errors: ``TensorSpec(shape=(), ...)``."""
    if isinstance(structure, dict):
        return "{" + ", ".join(f"{k!r}: {_spec_text(v)}" for k, v in structure.items()) + "}"
    if isinstance(structure, tuple):
        items = [_spec_text(item) for item in structure]
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
    return f"TensorSpec(shape={structure.shape}, dtype={structure.dtype!r}, name=None)"


def _int64_const(value, name: str) -> Tensor:
    return convert_to_tensor(value, dtype=dtypes.int64, name=name)


def make_one_shot_iterator(dataset: Dataset) -> Iterator:
    """``dataset.make_one_shot_iterator()`` (TF 1.15's preferred spelling)."""
    return dataset.make_one_shot_iterator()


def make_initializable_iterator(dataset: Dataset, shared_name=None) -> Iterator:
    """``dataset.make_initializable_iterator()`` (TF 1.15's preferred spelling)."""
    return dataset.make_initializable_iterator(shared_name)


def get_output_types(dataset_or_iterator):
    return dataset_or_iterator.output_types


def get_output_shapes(dataset_or_iterator):
    return dataset_or_iterator.output_shapes

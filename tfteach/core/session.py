"""`Session`: owns the values of variables and runs the part of a graph that fetches need.

A run is compiled once per (fetches, fed tensors) into a plan, which the
session keeps for the next run with the same fetches and feeds:

1. prune: walk back from the fetches through inputs and control inputs, stopping
   at fed tensors, to find the ops the run needs;
2. order: sort them by creation, which is a dependency order (an op's inputs
   always exist before the op);
3. steps: each op's kernel with the tensors it reads (see `registry`).

Variable writes go to a scratch dict and are committed only when the whole run
succeeds, so a failed run changes nothing.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Mapping

import numpy as np

from . import events
from .constant_op import check_allocation, out_of_memory, to_numpy
from .errors import FailedPreconditionError, InvalidArgumentError, OpError, ResourceExhaustedError
from .graph import (
    Graph,
    Operation,
    Tensor,
    creation_order,
    default_session,
    get_default_graph,
)
from .registry import plan_rewrites
from .tensor_shape import TensorShape

_PLAN_CACHE_SIZE = 1024


class _Plan:
    """What one kind of run does: its steps, the graph elements it fetches, how to rebuild
    the fetch structure from their values, and whether it must hold the update lock."""

    __slots__ = ("steps", "elements", "rebuild", "lazy", "locking", "computes_floats")

    def __init__(self, steps, elements, rebuild, lazy, locking, computes_floats):
        self.steps = steps
        self.elements = elements
        self.rebuild = rebuild
        self.lazy = lazy  # a kernel computes tensors on demand: skip steps already done
        self.locking = locking  # an update with use_locking=True: one such run at a time
        self.computes_floats = computes_floats  # numpy's overflow warnings must be silenced

    def with_rebuild(self, rebuild) -> _Plan:
        return _Plan(
            self.steps, self.elements, rebuild, self.lazy, self.locking, self.computes_floats
        )


class _RunContext:
    """What kernels see of the session during one run."""

    __slots__ = ("session", "memo", "writes", "kinds", "feed_keys", "visible")

    def __init__(self, session, memo, feed_keys):
        self.session = session
        self.memo = memo
        self.writes = {}
        self.kinds = {}
        self.feed_keys = feed_keys
        self.visible = self.writes  # the writes reads see (none while before_run)

    def lookup(self, var_op):
        """The variable's value in this run (None if uninitialized)."""
        value = self.visible.get(var_op)
        return self.session._values.get(var_op) if value is None else value

    def lookup_before_run(self, var_op):
        """The variable's value as the session held it when this run began (or None)."""
        return self.session._values.get(var_op)

    def read(self, var_op):
        value = self.lookup(var_op)
        if value is None:
            raise FailedPreconditionError(
                None, var_op, f"Attempting to use uninitialized value {var_op.name}"
            )
        return value

    def write(self, var_op, value, kind: str) -> None:
        self.writes[var_op] = value
        self.kinds[var_op] = kind

    def op_state(self, op, start):
        """The session's state for a stateful op (a random op's stream, an iterator's
        position, a table's contents), made by ``start(op)`` when first needed."""
        return self.session._op_state(op, start)

    def evaluate(self, tensor: Tensor, before_run: bool = False):
        """Computes ``tensor`` within this run (values computed once per run are reused);
        with ``before_run``, its variable reads see the session as it was before the run."""
        memo = self.memo
        if tensor not in memo:
            # a loop evaluates the same tensors at every iteration: the session keeps the plan
            plan = self.session._plan((tensor,), self.feed_keys, _only_value)
            saved = self.visible
            if before_run:
                self.visible = {}
            try:
                _execute(plan.steps, self, skip_done=True)
            finally:
                self.visible = saved
        return memo[tensor]

    def fork(self, values: dict) -> _RunContext:
        """A context of this run in which the given tensors have these ``values`` (one
        iteration of a loop): it reuses the values computed so far and keeps those it
        computes (``memo``) to itself; variable writes go to this run's writes."""
        memo = dict(self.memo)
        memo.update(values)
        child = _RunContext(self.session, memo, (*self.feed_keys, *values))
        child.writes, child.kinds, child.visible = self.writes, self.kinds, self.visible
        return child


# -- compiling a plan ----------------------------------------------------------------------


def _only_value(values):
    """The fetch structure of one tensor computed within a run (`_RunContext.evaluate`)."""
    return values[0]


def _compile(elements, feed_keys, rebuild) -> _Plan:
    """The plan that computes ``elements`` (tensors and ops) with ``feed_keys`` fed."""
    fed = set(feed_keys)
    roots = [e if isinstance(e, Operation) else e._op for e in elements if e not in fed]
    order = sorted(_needed_ops(roots, fed), key=creation_order)
    protected = fed.union(e for e in elements if isinstance(e, Tensor))
    replaced: dict = {}
    for rewrite in plan_rewrites():
        replaced.update(rewrite(order, protected))
    steps = []
    for op in order:
        if op in replaced:
            step = replaced[op]
            if step is not None:  # None: computed by another op's replacing step
                steps.append(step)
        else:
            steps.append(_step(op, fed))
    _check_memory(order)
    lazy = any(op._opdef.lazy for op in order)
    locking = any(op._attrs.get("use_locking") for op in order if op._opdef.ref_inputs)
    # ops that compute floats from inputs (not a variable's read or a constant): numpy may
    # warn of overflow there, which TF does not
    computes_floats = any(
        op._inputs and any(t._dtype.is_floating for t in op._outputs) for op in order
    )
    return _Plan(tuple(steps), list(elements), rebuild, lazy, locking, computes_floats)


@contextlib.contextmanager
def _collector_paused():
    """Python's cyclic garbage collector off while a plan is compiled. A plan is built in
    one go: a step (a few tuples) for each op the run needs, 70,000 of them for the first
    ``global_variables_initializer()`` of 10,000 variables. So many new objects make the
    collector walk every object of the process, the whole graph included, two or three
    times over (a third of that run), and find no garbage: a plan holds none. (Mercurial's
    ``util.nogc`` does the same when it builds its large containers.)"""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _check_memory(order) -> None:
    """Fails the run before it starts when an op's output, of a shape known while building,
    could never fit in memory (numpy would raise MemoryError, or the system would kill a
    notebook's kernel while the array fills)."""
    checked = set()  # (shape, dtype) pairs, by identity: ops share shapes (see `interned`)
    for op in order:
        first = op._first
        if first is None:
            continue
        for t in (first, *op._rest) if op._rest else (first,):
            key = (id(t._shape), id(t._dtype))
            if key not in checked:
                checked.add(key)
                if t._shape.is_fully_defined():
                    check_allocation(op, t._shape._dims, t._dtype)


def _memory_error(op, exc: MemoryError) -> ResourceExhaustedError:
    """numpy's MemoryError (which knows the shape and dtype it failed on) as TF's error."""
    shape, dtype = getattr(exc, "shape", None), getattr(exc, "dtype", None)
    if shape is None or dtype is None:
        return ResourceExhaustedError(None, op, f"OOM in op '{op.name}' ({op.type}): {exc}")
    return out_of_memory(op, shape, dtype)


def _needed_ops(roots, fed) -> set[Operation]:
    """The roots and every op they need: their value inputs' ops (not fed, and not
    variables or their reads, whose values are read when the consumer runs) and control
    inputs."""
    needed: set[Operation] = set()
    stack = list(roots)
    while stack:
        op = stack.pop()
        if op in needed:
            continue
        needed.add(op)
        for t in op._opdef.value_inputs(op._inputs):
            if t not in fed and _variable_behind(t, fed) is None:
                stack.append(t._op)
        stack.extend(op._control_inputs)
    return needed


def _step(op: Operation, fed) -> tuple:
    """``(kernel, op, input tensors, output tensors)``; a variable among the inputs, or its
    read, is read when the op runs (as TF reads a ref input, and as its ``w/read`` shares
    the variable's buffer), so an op that runs after an assign it depends on sees the
    assigned value."""
    opdef = op._opdef
    ins = opdef.value_inputs(op._inputs)
    slots = tuple(_variable_behind(t, fed) for t in ins)
    if any(slots):
        kernel = _reading_variables_when_run(opdef.kernel, slots)
        return (kernel, op, tuple(t for t, slot in zip(ins, slots) if slot is None), op._outputs)
    return (opdef.kernel, op, ins, op._outputs)


def _variable_behind(t: Tensor, fed) -> Operation | None:
    """The variable whose current value ``t`` is: ``t`` is the variable's own output, or the
    output of ops that forward it (its read ``w/read``, ``tf.identity`` of that). None for
    any other tensor, for a fed one, and past a forwarding op with control inputs (it must
    run, after them)."""
    while t not in fed:
        op = t._op
        opdef = op._opdef
        if opdef.is_variable:
            return op
        if not opdef.forwards_input or op._control_inputs:
            return None
        t = op._inputs[0]
    return None


def _reading_variables_when_run(kernel, slots):
    """``kernel`` taking the inputs whose slot holds a variable from the variable itself
    when it runs, and the others (in order) from the step's input tensors."""

    def run(ctx, op, *values):
        it = iter(values)
        return kernel(ctx, op, *[next(it) if v is None else ctx.read(v) for v in slots])

    return run


# -- running a plan ------------------------------------------------------------------------


def _execute(steps, ctx: _RunContext, skip_done: bool = False, quiet: bool = True) -> None:
    """Runs the steps, storing each output in ``ctx.memo``. Float overflow gives inf or nan
    silently, as in TF (``quiet``: the plan computes floats); any other numpy error in a
    kernel is reported as TF would."""
    if quiet:
        with np.errstate(all="ignore"):
            _run_steps(steps, ctx, skip_done)
    else:
        _run_steps(steps, ctx, skip_done)


def _run_steps(steps, ctx: _RunContext, skip_done: bool) -> None:
    memo = ctx.memo
    op = None
    try:
        for kernel, op, ins, outs in steps:
            if skip_done and outs and outs[0] in memo:
                continue
            result = kernel(ctx, op, *[memo[t] for t in ins]) if ins else kernel(ctx, op)
            if len(outs) == 1:
                memo[outs[0]] = result
            elif outs:
                memo.update(zip(outs, result))
    except OpError:
        raise
    except MemoryError as exc:
        raise _memory_error(op, exc) from None
    except Exception as exc:
        raise InvalidArgumentError(
            None, op, f"{type(exc).__name__} in op '{op.name}' ({op.type}): {exc}"
        ) from exc


def _cacheable(fetches) -> bool:
    """Can the fetch object itself key the plan cache? Not structures (a namedtuple equals
    a tuple) nor unhashable objects, which go through flattening instead."""
    return not isinstance(fetches, (list, tuple, Mapping)) and type(fetches).__hash__ is not None


def _remember(plans: dict, key, plan) -> None:
    """Keeps ``plan`` under ``key``, forgetting the oldest plan when the cache is full
    (callers hold the session's lock: runs in several threads share the cache)."""
    if len(plans) >= _PLAN_CACHE_SIZE:
        plans.pop(next(iter(plans)), None)
    plans[key] = plan


# -- fetch structures ------------------------------------------------------------------------


def _flatten_fetches(graph: Graph, fetches, elements: list):
    """Appends the graph elements in ``fetches`` to ``elements``; returns a rebuild function."""
    if isinstance(fetches, (list, tuple)):
        builders = [_flatten_fetches(graph, f, elements) for f in fetches]
        kind = type(fetches)
        if hasattr(fetches, "_fields"):  # namedtuple
            return lambda it: kind(*[b(it) for b in builders])
        if kind in (list, tuple):
            return lambda it: kind(b(it) for b in builders)
        return lambda it: kind([b(it) for b in builders])
    if isinstance(fetches, Mapping):
        keys = list(fetches)
        builders = [_flatten_fetches(graph, fetches[k], elements) for k in keys]
        kind = type(fetches)

        def rebuild_mapping(it):
            items = [(k, b(it)) for k, b in zip(keys, builders)]
            try:
                return kind(items)
            except TypeError:
                return dict(items)

        return rebuild_mapping
    if fetches is None:
        raise TypeError('Argument `fetch` = None has invalid type "NoneType". Cannot be None')
    try:
        element = graph.as_graph_element(fetches, allow_tensor=True, allow_operation=True)
    except TypeError as e:
        raise TypeError(
            f'Argument `fetch` = {fetches} has invalid type "{type(fetches).__name__}" must be '
            f"a string or Tensor. ({e})"
        ) from None
    except (ValueError, KeyError) as e:
        raise ValueError(
            f"Argument `fetch` = {fetches} cannot be interpreted as a Tensor. ({e})"
        ) from None
    elements.append(element)
    return next


def _shape_fits(dims, shape: tuple) -> bool:
    """Does a concrete ``shape`` match static ``dims`` (None: unknown rank or dimension)?"""
    if dims is None:
        return True
    if len(dims) != len(shape):
        return False
    return all(d is None or d == n for d, n in zip(dims, shape))


def _output_value(value):
    if isinstance(value, np.ndarray):
        return value[()] if value.ndim == 0 else value.copy()
    return value


def _variable_op(variable) -> Operation:
    """A variable's VariableV2 op (an op is its own)."""
    return variable if isinstance(variable, Operation) else variable.op


class Session:
    """Runs ops of one graph and holds the values of its variables."""

    def __init__(self, target: str = "", graph: Graph | None = None, config=None):
        if graph is None:
            graph = get_default_graph()
        elif not isinstance(graph, Graph):
            raise TypeError(f"graph must be a tf.Graph, but got {type(graph)}")
        self._graph = graph
        self._values: dict[Operation, np.ndarray] = {}  # VariableV2 op -> its value
        self._written: dict[Operation, str] = {}  # VariableV2 op -> how: init/assign/restore
        self._op_states: dict[Operation, object] = {}  # random streams, iterators, tables
        self._plans: dict = {}  # (elements, fed tensors) -> plan
        self._plans_by_fetch: dict = {}  # (the fetch object itself, fed tensors) -> plan
        self._lock = threading.Lock()  # the plan caches and commits, across threads
        self._update_lock = threading.Lock()  # held by runs with use_locking updates
        self._closed = False
        self._contexts: list = []
        if events.has_observers("session_opened"):
            events.emit("session_opened", session=self)

    @property
    def graph(self) -> Graph:
        return self._graph

    @property
    def sess_str(self) -> str:
        return ""

    @property
    def closed(self) -> bool:
        """Has `close` been called (then every run raises RuntimeError)?"""
        return self._closed

    # -- running ------------------------------------------------------------------------
    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        """Evaluates ``fetches`` (a tensor, op, variable, name, or any nesting of them).

        Tensors come back as numpy values; ops as None.
        """
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        if not self._graph._ops:
            raise RuntimeError(
                "The Session graph is empty. Add operations to the graph before calling run()."
            )
        feeds = self._feeds(feed_dict) if feed_dict else {}
        feed_keys = tuple(feeds)
        plan = None
        if _cacheable(fetches):
            plan = self._plans_by_fetch.get((fetches, feed_keys))
        if plan is None:
            plan = self._plan_for(fetches, feed_keys)
        ctx = _RunContext(self, dict(feeds), feed_keys)
        if plan.locking:  # TF's use_locking: the read-modify-write of one run is not interleaved
            with self._update_lock:
                self._execute_and_commit(plan, ctx)
        else:
            self._execute_and_commit(plan, ctx)
        memo = ctx.memo
        try:
            values = [
                None
                if isinstance(e, Operation)
                else (feeds[e].copy() if e in feeds else _output_value(memo[e]))
                for e in plan.elements
            ]
        except MemoryError as exc:  # copying out a value held as a view (a broadcast)
            raise _memory_error(next(e for e in plan.elements if e in memo).op, exc) from None
        return plan.rebuild(iter(values))

    def _execute_and_commit(self, plan: _Plan, ctx: _RunContext) -> None:
        _execute(plan.steps, ctx, skip_done=plan.lazy, quiet=plan.computes_floats)
        if ctx.writes:
            self._commit(ctx.writes, ctx.kinds)

    def _plan_for(self, fetches, feed_keys):
        elements: list = []
        rebuild = _flatten_fetches(self._graph, fetches, elements)
        plan = self._plan(tuple(elements), feed_keys, rebuild)
        if plan.rebuild is not rebuild:
            plan = plan.with_rebuild(rebuild)
        if _cacheable(fetches):
            with self._lock:
                _remember(self._plans_by_fetch, (fetches, feed_keys), plan)
        return plan

    def _plan(self, elements: tuple, feed_keys: tuple, rebuild) -> _Plan:
        """The plan that computes ``elements`` with ``feed_keys`` fed, compiled at its first
        use and then kept: the ops an element needs are fixed when it is made (a graph only
        grows), so the plan never changes."""
        key = (elements, feed_keys)
        plan = self._plans.get(key)
        if plan is None:
            with _collector_paused():
                plan = _compile(elements, feed_keys, rebuild)
            with self._lock:
                _remember(self._plans, key, plan)
        return plan

    def _feeds(self, feed_dict) -> dict:
        feeds = {}
        graph = self._graph
        for key, value in feed_dict.items():
            if type(key) is Tensor and key._op._graph is graph:
                t = key
            else:
                try:
                    t = graph.as_graph_element(key, allow_tensor=True, allow_operation=False)
                except (TypeError, ValueError, KeyError) as e:
                    raise TypeError(
                        f"Cannot interpret feed_dict key as Tensor: {e.args[0]}"
                    ) from None
            if isinstance(value, Tensor) or hasattr(value, "_as_tensor"):
                raise TypeError(
                    "The value of a feed cannot be a tf.Tensor object. Acceptable feed values "
                    "include Python scalars, strings, lists, numpy ndarrays, or TensorHandles. "
                    f"For reference, the tensor object was {value} which was passed to the "
                    f"argument `feed_dict` with key {t}."
                )
            dtype = t.dtype.base_dtype
            if isinstance(value, np.ndarray) and value.dtype == dtype.np_dtype:
                array = value
            else:
                try:
                    array = (
                        to_numpy(value, dtype)
                        if dtype.np_dtype.kind == "O"
                        else np.asarray(value, dtype=dtype.np_dtype)
                    )
                except (TypeError, ValueError) as e:
                    raise ValueError(
                        f"Cannot feed value {value!r} for Tensor '{t.name}' of dtype "
                        f"{dtype.name}: {e}"
                    ) from None
            if not _shape_fits(t.shape.as_tuple(), array.shape):
                raise ValueError(
                    f"Cannot feed value of shape {TensorShape(array.shape)} for Tensor "
                    f"{t.name}, which has shape {t.shape}"
                )
            feeds[t] = array
        return feeds

    def _commit(self, writes: dict, kinds: dict) -> None:
        """Stores a successful run's variable writes (``kinds``: init, assign or restore)."""
        with self._lock:
            self._values.update(writes)
            self._written.update(kinds)
        if events.has_observers("variables_written"):
            ops = tuple(writes)
            events.emit(
                "variables_written",
                session=self,
                ops=ops,
                kinds=tuple(kinds[op] for op in ops),
            )

    def _load(self, variable, value) -> None:
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        array = to_numpy(value, variable.dtype.base_dtype)
        if not variable.shape.is_compatible_with(array.shape):
            raise ValueError(
                f"Cannot load value of shape {TensorShape(array.shape)} into variable "
                f"'{variable.name}' of shape {variable.shape}."
            )
        self._commit({variable.op: array}, {variable.op: "assign"})

    def _op_state(self, op, start):
        """This session's state for the stateful op ``op``, made by ``start(op)`` at first use."""
        state = self._op_states.get(op)
        if state is None:
            state = self._op_states[op] = start(op)
        return state

    # -- state, for teaching tools ---------------------------------------------------------
    def variable_state(self, variable) -> str:
        """``"uninitialized"``, ``"initialized"`` (by its initializer), ``"assigned"`` (changed
        since) or ``"restored"`` (from a checkpoint), in this session."""
        op = _variable_op(variable)
        if op not in self._values:
            return "uninitialized"
        return {"init": "initialized", "assign": "assigned", "restore": "restored"}[
            self._written[op]
        ]

    def variable_value(self, variable):
        """The variable's value in this session (a copy), or None if uninitialized."""
        value = self._values.get(_variable_op(variable))
        return None if value is None else np.array(value, copy=True)

    @property
    def n_variable_values(self) -> int:
        """How many variables hold a value in this session."""
        return len(self._values)

    # -- lifetime ---------------------------------------------------------------------------
    def close(self) -> None:
        """Frees the values; using the session afterwards raises RuntimeError."""
        if self._closed:
            return
        self._closed = True
        self._values.clear()
        self._plans.clear()
        self._plans_by_fetch.clear()
        self._op_states.clear()
        if events.has_observers("session_closed"):
            events.emit("session_closed", session=self)

    def as_default(self):
        """A context manager that makes this the default session (for ``eval``/``run``)."""
        return default_session(self)

    def __enter__(self):
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        graph_ctx = self._graph.as_default()
        graph_ctx.__enter__()
        default = default_session(self)
        default.__enter__()
        self._contexts.append((graph_ctx, default))
        return self

    def __exit__(self, exc_type, exc, tb):
        graph_ctx, default = self._contexts.pop()
        default.__exit__(exc_type, exc, tb)
        graph_ctx.__exit__(exc_type, exc, tb)
        self.close()
        return False

    def __repr__(self) -> str:
        state = "closed" if self._closed else f"{len(self._values)} variable values"
        return f"<tfteach {type(self).__name__} ({state})>"


class InteractiveSession(Session):
    """A session that makes itself the default session at once (for notebooks and shells)."""

    def __init__(self, target: str = "", graph: Graph | None = None, config=None):
        super().__init__(target, graph, config)
        self._default = default_session(self)
        self._default.__enter__()
        self._graph_ctx = None
        if graph is not None:
            self._graph_ctx = graph.as_default()
            self._graph_ctx.__enter__()

    def close(self) -> None:
        if not self._closed:
            self._default.__exit__(None, None, None)
            if self._graph_ctx is not None:
                self._graph_ctx.__exit__(None, None, None)
        super().close()

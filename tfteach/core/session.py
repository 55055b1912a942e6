"""`Session`: owns the values of variables and runs the part of a graph that fetches need.

A run is compiled once per (fetches, fed tensors) into a plan: the ops the
fetches need (pruned at fed tensors), in dependency order, each with its
kernel. Variable writes go to a scratch dict and are committed only when the
whole run succeeds, so a failed run changes nothing.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Mapping

import numpy as np

from . import events
from .array_ops import to_numpy
from .errors import FailedPreconditionError, InvalidArgumentError, OpError
from .graph import Graph, Operation, Tensor, get_default_graph
from .random_ops import fused_scale_shift_kernel
from .tensor_shape import TensorShape

_PLAN_CACHE_SIZE = 1024


class _Plan:
    __slots__ = ("steps", "elements", "rebuild", "lazy", "quiet")

    def __init__(self, steps, elements, rebuild, lazy, quiet):
        self.steps = steps
        self.elements = elements
        self.rebuild = rebuild
        self.lazy = lazy
        self.quiet = quiet  # it computes floats: numpy's overflow warnings are silenced

    def with_rebuild(self, rebuild) -> _Plan:
        return _Plan(self.steps, self.elements, rebuild, self.lazy, self.quiet)


# Ops that only move values: a plan made of these alone needs no numpy error state.
_MOVES_VALUES = frozenset(
    {"Const", "Identity", "VariableV2", "Placeholder", "Assign", "NoOp", "Fill", "Shape"}
)


def _run_plan(plan: _Plan, ctx, skip_done: bool) -> None:
    """Runs the plan's steps; float overflow gives inf or nan silently, as TF does."""
    if plan.quiet:
        with np.errstate(all="ignore"):
            _execute(plan.steps, ctx, skip_done)
    else:
        _execute(plan.steps, ctx, skip_done)


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

    def read(self, var_op):
        value = self.visible.get(var_op)
        if value is None:
            value = self.session._values.get(var_op)
            if value is None:
                raise FailedPreconditionError(
                    None, var_op, f"Attempting to use uninitialized value {var_op.name}"
                )
        return value

    def write(self, var_op, value, kind: str) -> None:
        self.writes[var_op] = value
        self.kinds[var_op] = kind

    def random_stream(self, op, start):
        return self.session._random_stream(op, start)

    def evaluate(self, tensor: Tensor, before_run: bool = False):
        """Computes ``tensor`` within this run (values computed once per run are reused);
        with ``before_run``, its variable reads see the session as it was before the run."""
        memo = self.memo
        if tensor not in memo:
            plan = self.session._compile((tensor,), self.feed_keys, lambda values: values[0])
            saved = self.visible
            if before_run:
                self.visible = {}
            try:
                _run_plan(plan, self, True)
            finally:
                self.visible = saved
        return memo[tensor]


def _execute(steps, ctx: _RunContext, skip_done: bool) -> None:
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
    except Exception as exc:  # a numpy error inside a kernel: report it as TF would
        raise InvalidArgumentError(
            None, op, f"{type(exc).__name__} in op '{op.name}' ({op.type}): {exc}"
        ) from exc


def _scale_shift_chains(order, protected) -> dict:
    """Finds ``AddV2(Mul(random, scale), shift)`` with scalar scale and shift whose random
    and product tensors nothing else uses: the graph TF builds for random_normal,
    truncated_normal and random_uniform (so for most initializers). Returns {AddV2 op:
    (random op, scale, shift), Mul op: None, random op: None}, so the plan runs each chain
    as one blockwise kernel: same values, without two whole-array passes and temporaries."""
    found: dict = {}
    waited_on = uses = None
    for add in order:
        if add._type != "AddV2":
            continue
        product, shift = add._inputs
        mul = product._op
        if mul._type != "Mul" or shift._shape._dims != ():
            continue
        noise, scale = mul._inputs
        rnd = noise._op
        if scale._shape._dims != () or fused_scale_shift_kernel(rnd._type) is None:
            continue
        if uses is None:  # what the run uses (ops outside it never see its values)
            uses = Counter(t for op in order for t in op._inputs)
        if uses[noise] != 1 or uses[product] != 1:
            continue
        if noise in protected or product in protected:
            continue
        if waited_on is None:
            waited_on = {c for op in order for c in op._control_inputs}
        if rnd in waited_on or mul in waited_on:
            continue
        found[add] = (rnd, scale, shift)
        found[mul] = found[rnd] = None
    return found


def _reads_variable(t: Tensor, fed) -> bool:
    """Is ``t`` a variable's own output that a run must read (rather than a fed value)?"""
    return t._op._type == "VariableV2" and t not in fed


def _reading_variables_when_run(kernel, ins, fed):
    """Wraps ``kernel`` so inputs that are variables are read when the op runs (as TF reads
    a ref input), not when the variable op ran: a read after an assign it depends on sees
    the assigned value."""
    slots = tuple((t._op if _reads_variable(t, fed) else None) for t in ins)
    rest = tuple(t for t in ins if not _reads_variable(t, fed))

    def run(ctx, op, *values):
        it = iter(values)
        return kernel(ctx, op, *[next(it) if v is None else ctx.read(v) for v in slots])

    return run, rest


def _cacheable(fetches) -> bool:
    """Can the fetch object itself key the plan cache? Not structures (a namedtuple equals
    a tuple) nor unhashable objects, which go through flattening instead."""
    return not isinstance(fetches, (list, tuple, Mapping)) and type(fetches).__hash__ is not None


def _remember(plans: dict, key, plan) -> None:
    if len(plans) >= _PLAN_CACHE_SIZE:
        del plans[next(iter(plans))]
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


# -- the default session -------------------------------------------------------------------

_thread_state = threading.local()


def _variable_op(variable) -> Operation | None:
    """A variable's VariableV2 op (an op is its own), or None while the variable's ops
    are pending: then no session has run them."""
    op_if_made = getattr(variable, "_op_if_made", None)
    return variable if op_if_made is None else op_if_made()


def _session_stack() -> list:
    stack = getattr(_thread_state, "sessions", None)
    if stack is None:
        stack = _thread_state.sessions = []
    return stack


def get_default_session():
    """The session of the innermost ``with sess:`` / ``sess.as_default()`` (or None)."""
    stack = _session_stack()
    return stack[-1] if stack else None


_NO_SESSION = {
    "evaluate tensor using `eval()`": "`with sess.as_default()` or pass an explicit session to "
    "`eval(session=sess)`",
    "execute operation using `run()`": "`with sess.as_default():` or pass an explicit session "
    "to `run(session=sess)`",
}


def _session_for(element, session, what: str):
    if session is None:
        session = get_default_session()
        if session is None:
            how = _NO_SESSION.get(what, "`with sess.as_default():` or pass `session=sess`")
            raise ValueError(f"Cannot {what}: No default session is registered. Use {how}")
    if session.graph is not element.graph:
        kind = "operation" if isinstance(element, Operation) else "tensor"
        verb = "execute operation" if kind == "operation" else "evaluate tensor"
        raise ValueError(
            f"Cannot use the given session to {verb}: the {kind}'s graph is different from "
            "the session's graph."
        )
    return session


class _DefaultSession:
    def __init__(self, session):
        self._session = session

    def __enter__(self):
        _session_stack().append(self._session)
        return self._session

    def __exit__(self, *exc):
        stack = _session_stack()
        for i in range(len(stack) - 1, -1, -1):
            if stack[i] is self._session:
                del stack[i]
                break
        return False


class Session:
    """Runs ops of one graph and holds the values of its variables."""

    def __init__(self, target: str = "", graph: Graph | None = None, config=None):
        if graph is None:
            graph = get_default_graph()
        elif not isinstance(graph, Graph):
            raise TypeError(f"graph must be a tf.Graph, but got {type(graph)}")
        self._graph = graph
        self._values: dict[Operation, np.ndarray] = {}
        self._written: dict[Operation, str] = {}
        self._rngs: dict[Operation, object] = {}  # random op -> its stream (random_ops)
        self._plans: dict = {}  # (elements, fed tensors) -> plan
        self._plans_by_fetch: dict = {}  # (the fetch object itself, fed tensors) -> plan
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

    # -- running ------------------------------------------------------------------------
    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        """Evaluates ``fetches`` (a tensor, op, variable, name, or any nesting of them).

        Tensors come back as numpy values; ops as None.
        """
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        if not self._graph._op_count():
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
        _run_plan(plan, ctx, plan.lazy)
        if ctx.writes:
            self._commit(ctx.writes, ctx.kinds)
        memo = ctx.memo
        values = [
            None
            if isinstance(e, Operation)
            else (feeds[e].copy() if e in feeds else _output_value(memo[e]))
            for e in plan.elements
        ]
        return plan.rebuild(iter(values))

    def _plan_for(self, fetches, feed_keys):
        elements: list = []
        rebuild = _flatten_fetches(self._graph, fetches, elements)
        key = (tuple(elements), feed_keys)
        plan = self._plans.get(key)
        if plan is None:
            plan = self._compile(elements, feed_keys, rebuild)
            _remember(self._plans, key, plan)
        else:
            plan = plan.with_rebuild(rebuild)
        if _cacheable(fetches):
            _remember(self._plans_by_fetch, (fetches, feed_keys), plan)
        return plan

    def _compile(self, elements, feed_keys, rebuild) -> _Plan:
        """Prunes the graph to what ``elements`` need and orders it (no recursion)."""
        fed = set(feed_keys)
        roots = []
        for e in elements:
            if isinstance(e, Operation):
                roots.append(e)
            elif e not in fed:
                roots.append(e.op)

        def deps(op):
            refs = op._opdef.ref_inputs
            if refs == "all":
                data = []
            else:  # a variable input is read when its consumer runs, not by the variable op
                data = [
                    t._op
                    for i, t in enumerate(op._inputs)
                    if i not in refs and t not in fed and t._op._type != "VariableV2"
                ]
            return data + list(op._control_inputs)

        visited: set = set()
        order: list[Operation] = []
        for root in roots:
            if root in visited:
                continue
            visited.add(root)
            stack = [(root, iter(deps(root)))]
            while stack:
                op, pending = stack[-1]
                for dep in pending:
                    if dep not in visited:
                        visited.add(dep)
                        stack.append((dep, iter(deps(dep))))
                        break
                else:
                    stack.pop()
                    order.append(op)
        fused = _scale_shift_chains(order, fed.union(e for e in elements if isinstance(e, Tensor)))
        steps = []
        lazy = False
        for op in order:
            if op in fused:
                chain = fused[op]
                if chain is None:  # computed by the fused step of the AddV2 that ends its chain
                    continue
                rnd, scale, shift = chain
                kernel = fused_scale_shift_kernel(rnd._type)
                steps.append((kernel, rnd, (rnd._inputs[0], scale, shift), op._outputs))
                continue
            opdef = op._opdef
            refs = opdef.ref_inputs
            ins = (
                () if refs == "all" else tuple(t for i, t in enumerate(op._inputs) if i not in refs)
            )
            kernel = opdef.kernel
            if any(_reads_variable(t, fed) for t in ins):
                kernel, ins = _reading_variables_when_run(kernel, ins, fed)
            steps.append((kernel, op, ins, op._outputs))
            lazy = lazy or opdef.lazy
        quiet = any(
            op._type not in _MOVES_VALUES and any(t._dtype.is_floating for t in op._outputs)
            for op in order
        )
        return _Plan(tuple(steps), list(elements), rebuild, lazy, quiet)

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
        self._values.update(writes)
        self._written.update(kinds)
        if events.has_observers("variables_written"):
            from .variables import variable_for_op

            ops = list(writes)
            events.emit(
                "variables_written",
                session=self,
                variables=tuple(variable_for_op(op) for op in ops),
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

    def _random_stream(self, op, start):
        """This session's stream for the random op ``op``, made by ``start(op)`` at first use."""
        stream = self._rngs.get(op)
        if stream is None:
            stream = self._rngs[op] = start(op)
        return stream

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

    # -- lifetime ---------------------------------------------------------------------------
    def close(self) -> None:
        """Frees the values; using the session afterwards raises RuntimeError."""
        if self._closed:
            return
        self._closed = True
        self._values.clear()
        self._plans.clear()
        self._plans_by_fetch.clear()
        self._rngs.clear()
        if events.has_observers("session_closed"):
            events.emit("session_closed", session=self)

    def as_default(self):
        """A context manager that makes this the default session (for ``eval``/``run``)."""
        return _DefaultSession(self)

    def __enter__(self):
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        graph_ctx = self._graph.as_default()
        graph_ctx.__enter__()
        default = _DefaultSession(self)
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
        self._default = _DefaultSession(self)
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

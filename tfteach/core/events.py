"""A small observer hook through which the notebook layer watches the runtime.

Events (keyword payloads):

- ``variable_created``: ``variable``
- ``session_opened``: ``session``
- ``session_closed``: ``session``
- ``variables_written``: ``session``, ``ops`` (tuple of the variables' ops; see
  `variables.variable_for_op`), ``kinds`` (tuple of ``"init"``, ``"assign"`` or
  ``"restore"``, one per op)
- ``graph_replaced``: ``old``, ``new`` (the global default graph was reset)

A callback that raises is reported as a warning and never breaks the caller
(``Session.run`` keeps its result).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

EVENTS = (
    "variable_created",
    "session_opened",
    "session_closed",
    "variables_written",
    "graph_replaced",
)

_observers: dict[str, list[Callable[..., None]]] = {name: [] for name in EVENTS}


def _check(event: str) -> None:
    if event not in _observers:
        raise ValueError(f"Unknown event {event!r}; the events are {', '.join(EVENTS)}.")


def subscribe(event: str, callback: Callable[..., None]) -> None:
    """Call ``callback(**payload)`` whenever ``event`` happens (once per callback)."""
    _check(event)
    if callback not in _observers[event]:
        _observers[event].append(callback)


def unsubscribe(event: str, callback: Callable[..., None]) -> None:
    """Stop calling ``callback`` for ``event``; unknown callbacks are ignored."""
    _check(event)
    try:
        _observers[event].remove(callback)
    except ValueError:
        pass


def has_observers(event: str) -> bool:
    return bool(_observers[event])


def emit(event: str, **payload) -> None:
    for callback in tuple(_observers[event]):
        try:
            callback(**payload)
        except Exception as exc:  # an observer must never break the runtime
            warnings.warn(
                f"tfteach: an observer of {event!r} raised {type(exc).__name__}: {exc}",
                RuntimeWarning,
                stacklevel=2,
            )

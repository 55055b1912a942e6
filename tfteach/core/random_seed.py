"""Graph-level and op-level seeds, combined as TF1 does (`tf.set_random_seed`)."""

from __future__ import annotations

import weakref

from .graph import get_default_graph

DEFAULT_GRAPH_SEED = 87654321
_MAXINT32 = 2**31 - 1
# graph -> how many ops took their op seed from it (TF 2's random_seed.py keeps the same)
_graph_to_seed_dict: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _truncate_seed(seed: int) -> int:
    return int(seed) % _MAXINT32


def get_seed(op_seed):
    """The (graph seed, op seed) pair a new random op records.

    With a graph seed and no op seed, the op seed is how many ops of this graph
    took theirs that way before (0, 1, 2, ...; TF 1.x used the op count instead),
    so the same program gives the same seeds; with neither, both are None and
    every session draws differently.
    """
    graph = get_default_graph()
    graph_seed = graph.seed
    if graph_seed is not None:
        if op_seed is None:
            op_seed = _graph_to_seed_dict.setdefault(graph, 0)
            _graph_to_seed_dict[graph] = op_seed + 1
        seeds = _truncate_seed(graph_seed), _truncate_seed(op_seed)
    elif op_seed is not None:
        seeds = DEFAULT_GRAPH_SEED, _truncate_seed(op_seed)
    else:
        seeds = None, None
    if seeds == (0, 0):
        return 0, _MAXINT32
    return seeds


def set_random_seed(seed) -> None:
    """Sets the graph-level seed of the default graph."""
    if seed is not None and not isinstance(seed, int):
        try:
            seed = int(seed)
        except (TypeError, ValueError):
            raise TypeError(f"The random seed must be an int or None, got {seed!r}.") from None
    get_default_graph().seed = seed

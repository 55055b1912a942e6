"""Graph-level and op-level seeds, combined as TF1 does (`tf.set_random_seed`)."""

from __future__ import annotations

from .graph import get_default_graph

DEFAULT_GRAPH_SEED = 87654321
_MAXINT32 = 2**31 - 1


def _truncate_seed(seed: int) -> int:
    return int(seed) % _MAXINT32


def get_seed(op_seed):
    """The (graph seed, op seed) pair a new random op records.

    With a graph seed and no op seed, the op seed comes from the graph's op
    count, so the same program gives the same seeds; with neither, both are
    None and every session draws differently.
    """
    graph = get_default_graph()
    graph_seed = graph.seed
    if graph_seed is not None:
        if op_seed is None:
            op_seed = graph.version  # the id of the last op made, as in TF
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

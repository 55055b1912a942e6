"""What ``tf.<name>`` says when tfteach lacks ``name``: the module ``__getattr__`` of every
public module (``tfteach``, ``tf.nn``, ``tf.train``, ``tf.losses``, ``tf.compat.v1``...).

The AttributeError says that tfteach does not teach the name yet and, where there is an
obvious one, what to use instead; it suggests a close spelling when there is one.
"""

from __future__ import annotations

import difflib

_GRAPH_MODE = (
    "tfteach is TensorFlow 1 graph mode only: build the graph, then run it in a tf.Session"
)

# top-level name -> what to use instead
ALTERNATIVES = {
    "contrib": "tf.contrib left TensorFlow in 2.0 and tfteach does not teach it; use tf.layers "
    "(tf.contrib.layers.fully_connected is tf.layers.dense), tf.nn, tf.train and tf.metrics",
    "estimator": "tfteach does not teach tf.estimator; build the model with tf.layers and run "
    "it in a tf.Session",
    "logging": "tfteach has no tf.logging; use print() or Python's logging module",
    "app": "tfteach has no tf.app; use argparse and call your main() yourself",
    "flags": "tfteach has no tf.flags; use argparse",
    "enable_eager_execution": _GRAPH_MODE,
    "enable_v2_behavior": _GRAPH_MODE,
    "function": _GRAPH_MODE + " (no tf.function)",
    "py_function": _GRAPH_MODE,
    "GradientTape": _GRAPH_MODE + "; use tf.gradients(loss, variables)",
    "print": "tfteach has no tf.print; fetch the tensor with sess.run and print() it",
    "Print": "tfteach has no tf.Print; fetch the tensor with sess.run and print() it",
}


def module_getattr(module_name: str, public_names):
    """The ``__getattr__`` of module ``module_name``, whose names are ``public_names``: Python
    calls it only for a name the module lacks, and it raises ``missing(...)``."""

    def __getattr__(name: str):
        raise missing(module_name, public_names, name)

    return __getattr__


def missing(module_name: str, public_names, name: str) -> AttributeError:
    """The AttributeError for ``<module_name>.<name>``, which tfteach lacks."""
    head = f"module {module_name!r} has no attribute {name!r}"
    shown = "tf" + module_name.removeprefix("tfteach").removeprefix(".compat.v1")
    instead = ALTERNATIVES.get(name) if shown == "tf" else None
    if instead:
        return AttributeError(f"{head}: {instead}.")
    return _not_taught(head, shown, public_names, name)


def missing_class_attribute(class_path: str, public_names, name: str) -> AttributeError:
    """The AttributeError for ``<class_path>.<name>`` (``tf.data.Dataset.from_generator``),
    which tfteach's class lacks."""
    head = f"type object {class_path.rpartition('.')[2]!r} has no attribute {name!r}"
    return _not_taught(head, class_path, public_names, name)


def _not_taught(head: str, path: str, public_names, name: str) -> AttributeError:
    """``head`` (Python's own message), then that tfteach does not teach ``<path>.<name>``
    yet and the closest of ``public_names``, if one is close; Python's and IPython's own
    probes (``__wrapped__``, ``_repr_html_``) get ``head`` alone."""
    if name.startswith("_"):
        return AttributeError(head)
    close = difflib.get_close_matches(name, list(public_names), n=1)
    hint = f" Did you mean {path}.{close[0]}?" if close else ""
    return AttributeError(f"{head}: tfteach does not teach {path}.{name} yet.{hint}")

"""The Jupyter layer of tfteach: magics, rich display and the error explainer.

Loaded by ``%load_ext tfteach`` (or the "Python 3 (tfteach)" kernel). Importing
this package imports nothing heavy: each module is imported when it is needed.
"""

# public name -> the module that defines it, imported on first use (matplotlib, graphviz)
_LAZY = {
    "plot_initializers": "plots",
    "plot_activations": "plots",
    "plot_activation_stats": "plots",
    "activation_stats": "plots",
    "plot_value_panels": "plots",
    "draw_graph": "drawing",
    "plot_summaries": "summaries",
    "inspect": "inspector",
    "explore_initializers": "explorer",
}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value

"""Pictures of initialization: what an initializer draws, and what it does through depth.

- `plot_initializers`: for each initializer, the histogram of the values it
  draws for a shape, the theoretical density over it, and the resolved
  parameters (fans, limit or standard deviation, the formula) written below.
- `plot_activations`: in the style of Glorot & Bengio (2010), figure 6, the
  histograms of the activations of a deep network at initialization, layer by
  layer, for each initializer, and their standard deviation by depth. The
  numbers come from `activation_stats`, so a lesson can print them.

Every value is drawn by tfteach itself: the initializer's tensor is built in a
fresh graph with a graph seed and run in a session, so the pictures show what
the runtime really does, the same for the same seed. Figures are made with
``matplotlib.figure.Figure`` (no pyplot, no global state); helpers follow
matplotlib's convention ``f(data, ax=None, **kw)``, draw on ``ax`` and return
what they drew.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from tfteach.core import dtypes, init_ops
from tfteach.core.graph import Graph, name_scope
from tfteach.core.math_ops import matmul, relu, sigmoid, tanh
from tfteach.core.random_ops import TRUNCATED_NORMAL_STD, random_normal
from tfteach.core.random_seed import set_random_seed
from tfteach.core.session import Session

__all__ = [
    "activation_stats",
    "activations_at_init",
    "initializer_values",
    "plot_activation_stats",
    "plot_activations",
    "plot_initializer",
    "plot_initializers",
    "plot_layer_histograms",
    "plot_std_by_depth",
    "plot_value_panels",
    "standard_uniform",
    "theoretical_density",
]

DEFAULT_INITIALIZERS = ("glorot_uniform", "truncated_normal")
DEFAULT_DEEP_INITIALIZERS = ("standard_uniform", "glorot_uniform")
# the probability mass a standard normal keeps within +-2: Phi(2) - Phi(-2) = 0.9545
TRUNCATED_MASS = math.erf(2 / math.sqrt(2))
ACTIVATIONS = {
    "tanh": tanh,
    "relu": relu,
    "sigmoid": sigmoid,
    "linear": None,
}
_BOUNDED = {"tanh": (-1.0, 1.0), "sigmoid": (0.0, 1.0)}
_MAX_LAYER_LINES = 6


# -- which initializer --------------------------------------------------------------------------


STANDARD_UNIFORM = "standard_uniform"


def standard_uniform(seed=None) -> init_ops.VarianceScaling:
    """The "standard" initialization of Glorot & Bengio (2010), their eq. 1:
    ``W ~ U[-1/sqrt(n), 1/sqrt(n)]`` with ``n = fan_in``, named ``"standard_uniform"`` in
    the plots. It is variance scaling with scale 1/3 (``limit = sqrt(3 · (1/3) / n)``):
    its variance ``1 / (3 n)`` makes each layer shrink the signal (``n · Var(W) = 1/3``),
    which the normalized initialization (glorot) corrects."""
    init = init_ops.VarianceScaling(scale=1 / 3, mode="fan_in", distribution="uniform", seed=seed)
    init.teaching_name = STANDARD_UNIFORM  # explain() names it, as init_ops does for he_normal
    return init


def _resolve(initializer):
    """An initializer instance for a name, or the initializer itself."""
    if isinstance(initializer, str):
        if initializer == STANDARD_UNIFORM:
            return standard_uniform()
        try:
            return init_ops.get(initializer)
        except ValueError as exc:
            raise ValueError(
                f"{exc} The plots also know {STANDARD_UNIFORM!r}, Glorot & Bengio's standard "
                "initialization."
            ) from exc
    if callable(initializer) and hasattr(initializer, "explain"):
        return initializer
    raise ValueError(
        f"Expected an initializer name or an initializer object with explain(), "
        f"got {initializer!r}."
    )


def _check_shape(shape) -> tuple[int, ...]:
    if isinstance(shape, (int, np.integer)) and not isinstance(shape, bool):
        shape = (shape,)
    try:
        dims = tuple(shape)
    except TypeError:
        raise ValueError(f"shape must be a tuple of positive ints, got {shape!r}.") from None
    for d in dims:
        if isinstance(d, bool) or not isinstance(d, (int, np.integer)) or d < 1:
            raise ValueError(
                f"shape must be a tuple of positive ints, got {shape!r}: {d!r} is not one."
            )
    return tuple(int(d) for d in dims)


def _check_count(value, what: str, allow_none: bool = False) -> int | None:
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{what} must be a positive int, got {value!r}.")
    return int(value)


def _label(initializer, explanation: dict) -> str:
    return initializer if isinstance(initializer, str) else str(explanation.get("name"))


# -- what an initializer draws ------------------------------------------------------------------


def initializer_values(
    initializer, shape=(784, 200), n: int | None = None, seed: int = 0
) -> np.ndarray:
    """The values ``initializer`` draws for ``shape`` in tfteach (a flat float32 array).

    ``n`` values (default: one tensor of ``shape``); more than one tensor's worth are
    drawn by running the initializer again in the same session.
    """
    init = _resolve(initializer)
    shape = _check_shape(shape)
    n = _check_count(n, "n", allow_none=True)
    return _draw(init, shape, n, seed)


def _draw(init, shape: tuple[int, ...], n: int | None, seed: int) -> np.ndarray:
    graph = Graph()
    with graph.as_default():
        set_random_seed(seed)
        try:
            tensor = init(shape, dtype=dtypes.float32)
        except ValueError as exc:
            if "same graph" not in str(exc):
                raise
            raise ValueError(
                f"Cannot draw the values of {init!r} for a plot: its arguments are tensors of "
                "another graph, and the plot draws in a graph of its own. Give the "
                "initializer numbers instead."
            ) from exc
    session = Session(graph=graph)
    try:
        size = max(1, math.prod(shape))
        runs = 1 if n is None else -(-n // size)
        values = np.concatenate([np.ravel(session.run(tensor)) for _ in range(runs)])
    finally:
        session.close()
    return values if n is None else values[:n]


def theoretical_density(explanation: dict, x) -> np.ndarray | None:
    """The density an initializer's values follow, at ``x`` (None for constants and
    identities, which have no density; for orthogonal matrices, the normal curve their
    entries approach)."""
    x = np.asarray(x, dtype=np.float64)
    kind = explanation["distribution"]
    mean = float(explanation.get("mean") or 0.0)
    std = explanation.get("stddev")
    if kind == "uniform" and std:
        half = math.sqrt(3.0) * std  # a uniform on [a, b] has std (b - a) / sqrt(12)
        inside = np.abs(x - mean) <= half
        return np.where(inside, 1.0 / (2.0 * half), 0.0)
    if kind == "truncated_normal" and (std or explanation.get("param_stddev")):
        sp = explanation.get("param_stddev") or std / TRUNCATED_NORMAL_STD
        z = (x - mean) / sp
        pdf = np.exp(-0.5 * z * z) / (sp * math.sqrt(2 * math.pi)) / TRUNCATED_MASS
        return np.where(np.abs(z) <= 2.0, pdf, 0.0)
    if kind in ("normal", "orthogonal") and std:
        z = (x - mean) / std
        return np.exp(-0.5 * z * z) / (std * math.sqrt(2 * math.pi))
    return None


def _parameter_lines(explanation: dict, values: np.ndarray) -> list[str]:
    """The resolved parameters as short lines of text (written under the histogram)."""
    e = explanation
    lines = [f"fan_in = {e.get('fan_in')}, fan_out = {e.get('fan_out')}"]
    kind, mean, std = e["distribution"], e.get("mean"), e.get("stddev")
    if kind == "uniform" and e.get("limit") is not None and mean == 0:
        lines.append(f"limit = {e['limit']:.3g}, stddev = limit / sqrt(3) = {std:.3g}")
    elif kind == "truncated_normal" and e.get("param_stddev") is not None:
        sp = e["param_stddev"]
        lines.append(f"sampler stddev {sp:.3g}: values within ±{2 * sp:.3g}")
    elif kind == "constant":
        lines.append(f"every value = {mean:.4g}")
    elif std is not None:
        lines.append(f"mean = {mean:.3g}, stddev = {std:.3g}")
    if e.get("formula"):
        lines += textwrap.wrap(str(e["formula"]), 50)
    lines.append(f"drawn: {values.size:,} values, stddev {values.std():.3g}")
    return lines


class InitializerArtists(NamedTuple):
    """What `plot_initializer` drew: the histogram bars, the density line(s), the text."""

    bars: list
    density: list
    text: object


def plot_initializer(
    values, explanation: dict, ax=None, bins: int = 60, **hist_kw
) -> InitializerArtists:
    """Histogram of ``values`` (density) with the theoretical density of ``explanation``
    (an initializer's ``explain(shape)``) over it and the parameters written below."""
    if ax is None:
        ax = _new_figure(1, 1)[1][0]
    values = np.asarray(values)
    hist_kw = {"color": "#7da7d9", "edgecolor": "white", "linewidth": 0.3, **hist_kw}
    _, edges, bars = ax.hist(values, bins=bins, density=True, label="drawn", **hist_kw)
    density = []
    lo, hi = float(edges[0]), float(edges[-1])
    pad = 0.12 * (hi - lo) if hi > lo else 0.5
    x = np.linspace(lo - pad, hi + pad, 801)
    y = theoretical_density(explanation, x)
    if y is not None:
        theory = "theory" if explanation["distribution"] != "orthogonal" else "≈ normal"
        density = ax.plot(x, y, color="#c0392b", linewidth=1.6, label=theory)
    elif explanation["distribution"] == "constant":
        value = float(explanation.get("mean") or 0.0)
        density = [ax.axvline(value, color="#c0392b", label=f"theory: all {value:.4g}")]
    elif explanation["distribution"] == "identity":
        gain = float(explanation.get("scale") or 1.0)
        density = [
            ax.axvline(v, color="#c0392b", linestyle=":", label=label)
            for v, label in ((0.0, "theory: 0 off the diagonal"), (gain, f"{gain:.4g} on it"))
        ]
    ax.set_xlim(lo - pad, hi + pad)
    ax.xaxis.set_major_locator(MaxNLocator(5))
    ax.set_ylim(0, ax.get_ylim()[1] * 1.15)
    ax.set_xlabel("value")
    ax.set_ylabel("density")
    ax.legend(loc="upper right", fontsize=8, frameon=False)
    text = ax.text(
        0.0,
        -0.2,
        "\n".join(_parameter_lines(explanation, values)),
        transform=ax.transAxes,
        va="top",
        ha="left",
        fontsize=8,
        family="monospace",
    )
    return InitializerArtists(list(bars), density, text)


def plot_initializers(
    initializers: Sequence = DEFAULT_INITIALIZERS,
    shape=(784, 200),
    n: int | None = None,
    seed: int = 0,
) -> Figure:
    """A `Figure` with one panel per initializer: the values it draws for ``shape`` (a
    histogram), the density they follow, and the resolved parameters (fans, limit or
    standard deviation, formula). ``initializers``: names (``"glorot_uniform"``,
    ``"truncated_normal"``, ``"standard_uniform"``, ...) or initializer objects."""
    if isinstance(initializers, str) or hasattr(initializers, "explain"):
        initializers = (initializers,)
    initializers = list(initializers)
    if not initializers:
        raise ValueError("plot_initializers needs at least one initializer, got none.")
    shape = _check_shape(shape)
    n = _check_count(n, "n", allow_none=True)
    # everything that can fail happens before the figure exists
    resolved = [_resolve(i) for i in initializers]
    explanations = [init.explain(shape) for init in resolved]
    drawn = [_draw(init, shape, n, seed) for init in resolved]

    labels = [_label(init, e) for init, e in zip(initializers, explanations)]
    return plot_value_panels(
        list(zip(labels, drawn, explanations)),
        title=f"Values drawn for a variable of shape {shape} (seed {seed})",
    )


def plot_value_panels(panels: Sequence, title: str | None = None) -> Figure:
    """A `Figure` of `plot_initializer` panels, three per row: ``panels`` holds
    ``(title, values, explanation)`` triples, for instance a variable's name, its values
    in a session and its initializer's ``explain(shape)``."""
    panels = list(panels)
    if not panels:
        raise ValueError("plot_value_panels needs at least one (title, values, explanation).")
    ncols = min(3, len(panels))
    nrows = -(-len(panels) // ncols)
    fig, axes = _new_figure(nrows, ncols, panel=(4.3, 4.4))
    for ax, (label, values, explanation) in zip(axes, panels):
        plot_initializer(values, explanation, ax=ax)
        ax.set_title(label, fontsize=11)
    for ax in axes[len(panels) :]:
        ax.set_visible(False)
    if title:
        fig.suptitle(title, fontsize=11)
    return fig


# -- activations through depth -------------------------------------------------------------------


def _check_activation(activation: str) -> str:
    if activation not in ACTIVATIONS:
        raise ValueError(
            f"Unknown activation {activation!r}: use one of {', '.join(map(repr, ACTIVATIONS))}."
        )
    return activation


def activations_at_init(
    initializer,
    depth: int = 10,
    width: int = 500,
    activation: str = "tanh",
    seed: int = 0,
    batch: int = 1000,
) -> dict:
    """The values behind `activation_stats`, computed by tfteach: a ``depth``-layer network of
    ``width`` units (``h = activation(h @ W)``, no biases) at initialization, fed ``batch``
    standard-normal inputs. Returns ``{"inputs": x, "weights": [W1, ...], "activations":
    [h1, ...]}`` as numpy arrays."""
    init = _resolve(initializer)
    depth = _check_count(depth, "depth")
    width = _check_count(width, "width")
    batch = _check_count(batch, "batch")
    return _forward(init, depth, width, _check_activation(activation), seed, batch)


def _forward(init, depth: int, width: int, activation: str, seed: int, batch: int) -> dict:
    act = ACTIVATIONS[activation]
    graph = Graph()
    with graph.as_default():
        set_random_seed(seed)
        x = random_normal([batch, width], name="inputs")
        h, weights, outputs = x, [], []
        for layer in range(1, depth + 1):
            with name_scope(f"layer{layer}"):
                w = init((width, width), dtype=dtypes.float32)
                h = matmul(h, w)
                if act is not None:
                    h = act(h)
            weights.append(w)
            outputs.append(h)
    session = Session(graph=graph)
    try:
        x_value, w_values, h_values = session.run([x, weights, outputs])
    finally:
        session.close()
    return {"inputs": x_value, "weights": w_values, "activations": h_values}


def _layer_histogram(values: np.ndarray, log: bool, bins: int, span) -> np.ndarray:
    if log:
        values = np.log10(np.abs(values[values != 0]))
    hist, _ = np.histogram(values, bins=bins, range=span, density=True)
    return hist


def activation_stats(
    initializers: Sequence = DEFAULT_DEEP_INITIALIZERS,
    depth: int = 10,
    width: int = 500,
    activation: str = "tanh",
    seed: int = 0,
    batch: int = 1000,
    bins: int = 50,
) -> dict:
    """The numbers behind `plot_activations`, per initializer: the standard deviation and
    mean of each layer's activations, the fraction of zeros (relu) or of saturated units
    (``|h|`` within 1 % of the bound, tanh and sigmoid), and each layer's histogram.

    Returns ``{"activation", "depth", "width", "batch", "seed", "layers", "log",
    "initializers": {label: {"std", "mean", "zero_fraction" or "saturated_fraction",
    "edges", "hist"}}}``. With ``log`` True (relu, linear) the histograms are of
    ``log10 |h|`` over the nonzero values, because the scale changes by orders of
    magnitude through depth.
    """
    if isinstance(initializers, str) or hasattr(initializers, "explain"):
        initializers = (initializers,)
    initializers = list(initializers)
    if not initializers:
        raise ValueError("activation_stats needs at least one initializer, got none.")
    depth = _check_count(depth, "depth")
    width = _check_count(width, "width")
    batch = _check_count(batch, "batch")
    bins = _check_count(bins, "bins")
    _check_activation(activation)
    resolved = [_resolve(i) for i in initializers]
    labels = [_label(i, r.explain((width, width))) for i, r in zip(initializers, resolved)]
    if len(set(labels)) != len(labels):
        raise ValueError(f"Each initializer must have its own name, got {labels}.")

    log = activation not in _BOUNDED
    per_initializer = {}
    for label, init in zip(labels, resolved):
        h_values = _forward(init, depth, width, activation, seed, batch)["activations"]
        std = np.array([h.std(dtype=np.float64) for h in h_values])
        mean = np.array([h.mean(dtype=np.float64) for h in h_values])
        if log:
            positive = np.concatenate([np.abs(h[h != 0]) for h in h_values])
            lo, hi = (0.0, 1.0)
            if positive.size:
                # the smallest 0.1 % left out: a few values near 0 would stretch the axis
                lo, hi = np.log10([np.quantile(positive, 0.001), positive.max()])
            span = (math.floor(lo * 2) / 2, math.ceil(hi * 2) / 2)
        else:
            span = _BOUNDED[activation]
        entry = {"std": std, "mean": mean}
        if activation == "relu":
            entry["zero_fraction"] = np.array([np.mean(h == 0) for h in h_values])
        elif not log:
            low, high = span
            near = 0.01 * (high - low)
            entry["saturated_fraction"] = np.array(
                [np.mean((h <= low + near) | (h >= high - near)) for h in h_values]
            )
        entry["edges"] = np.linspace(span[0], span[1], bins + 1)
        entry["hist"] = np.array([_layer_histogram(h, log, bins, span) for h in h_values])
        per_initializer[label] = entry
    return {
        "activation": activation,
        "depth": depth,
        "width": width,
        "batch": batch,
        "seed": seed,
        "layers": np.arange(1, depth + 1),
        "log": log,
        "initializers": per_initializer,
    }


def _shown_layers(depth: int) -> list[int]:
    """Up to six layers (0-based), evenly spread, first and last included."""
    if depth <= _MAX_LAYER_LINES:
        return list(range(depth))
    return sorted({round(i) for i in np.linspace(0, depth - 1, _MAX_LAYER_LINES)})


def plot_layer_histograms(entry: dict, log: bool, ax=None, layers=None, **line_kw) -> list:
    """One line per layer: the normalized histogram of its activations (``entry`` is one
    initializer's record from `activation_stats`). Returns the lines."""
    if ax is None:
        ax = _new_figure(1, 1)[1][0]
    hist, edges = entry["hist"], entry["edges"]
    layers = _shown_layers(len(hist)) if layers is None else layers
    centers = (edges[:-1] + edges[1:]) / 2
    xs = 10.0**centers if log else centers
    colours = _layer_colours(len(hist))
    lines = []
    for i in layers:
        # on a log axis, empty bins beyond the values' range are not drawn as a zero line
        ys = np.where(hist[i] > 0, hist[i], np.nan) if log else hist[i]
        lines += ax.plot(xs, ys, color=colours[i], label=f"layer {i + 1}", **line_kw)
    if log:
        ax.set_xscale("log")
    return lines


def plot_std_by_depth(stats: dict, ax=None, **line_kw) -> list:
    """The standard deviation of each layer's activations, one line per initializer."""
    if ax is None:
        ax = _new_figure(1, 1)[1][0]
    lines = []
    for label, entry in stats["initializers"].items():
        lines += ax.plot(
            stats["layers"], entry["std"], marker="o", markersize=3.5, label=label, **line_kw
        )
    stds = np.concatenate([e["std"] for e in stats["initializers"].values()])
    positive = stds[stds > 0]
    if stats["log"] or (positive.size and positive.max() / positive.min() > 10):
        ax.set_yscale("log")
    ax.set_xlabel("layer")
    ax.set_ylabel("std of activations")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8, frameon=False)
    return lines


def _layer_colours(depth: int):
    from matplotlib import colormaps

    cmap = colormaps["viridis"]
    return [cmap(0.9 * i / max(1, depth - 1)) for i in range(depth)]


def plot_activation_stats(stats: dict) -> Figure:
    """The `Figure` of `plot_activations`, drawn from numbers `activation_stats` computed."""
    entries = stats["initializers"]
    log = stats["log"]
    n = len(entries)
    fig, axes = _new_figure(1, n + 1, panel=(4.0, 3.6))
    x_lo, x_hi = math.inf, -math.inf
    for ax, (label, entry) in zip(axes, entries.items()):
        plot_layer_histograms(entry, log, ax=ax)
        ax.set_title(label, fontsize=11)
        x_lo, x_hi = min(x_lo, entry["edges"][0]), max(x_hi, entry["edges"][-1])
        if log:
            ax.set_xlabel("|activation| (log scale; zeros left out)")
        else:
            ax.set_xlabel("activation value")
        ax.set_ylabel("density")
    # one x range and one density scale for every panel: the layers compare across panels,
    # as in Glorot & Bengio's figure 6 (a taller peak then means a narrower spread)
    top = max(ax.get_ylim()[1] for ax in axes[:n])
    for ax in axes[:n]:
        ax.set_xlim(10.0**x_lo, 10.0**x_hi) if log else ax.set_xlim(x_lo, x_hi)
        ax.set_ylim(0, top)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(
        handles,
        labels,
        loc="outside lower left",
        ncols=len(labels),
        fontsize=8,
        frameon=False,
        title="histogram lines:",
        title_fontsize=8,
        alignment="left",
    )
    plot_std_by_depth(stats, ax=axes[n])
    axes[n].set_title("std by depth", fontsize=11)
    fig.suptitle(
        f"{stats['activation']} network at initialization: {stats['depth']} layers of "
        f"{stats['width']} units, {stats['batch']} inputs (seed {stats['seed']})",
        fontsize=11,
    )
    return fig


def plot_activations(
    initializers: Sequence = DEFAULT_DEEP_INITIALIZERS,
    depth: int = 10,
    width: int = 500,
    activation: str = "tanh",
    seed: int = 0,
    batch: int = 1000,
) -> Figure:
    """A `Figure` in the style of Glorot & Bengio (2010), figure 6: for each initializer,
    the histograms of a deep network's activations at initialization, layer by layer,
    and a panel of their standard deviation by depth.

    The default compares the "standard" initialization ``U[-1/sqrt(n), 1/sqrt(n)]``
    (``"standard_uniform"``, see `standard_uniform`) with the normalized one
    (``"glorot_uniform"``) on tanh. With ``activation="relu"``, ``depth=30`` and
    ``("glorot_uniform", "he_normal")`` it shows He et al. (2015): with glorot the
    signal shrinks by about 1/sqrt(2) per layer, with He it holds. The numbers:
    `activation_stats` with the same arguments.
    """
    stats = activation_stats(initializers, depth, width, activation, seed, batch)
    return plot_activation_stats(stats)


# -- figures without pyplot ----------------------------------------------------------------------


class TeachingFigure(Figure):
    """A matplotlib `Figure` that Jupyter shows as PNG even when pyplot was never imported
    (no inline backend registered): figures made without pyplot have no display otherwise."""

    def _repr_png_(self) -> bytes:
        buffer = io.BytesIO()
        self.savefig(buffer, format="png", dpi=100)
        return buffer.getvalue()


def _new_figure(nrows: int, ncols: int, panel=(4.0, 3.5)):
    """A Figure (no pyplot: nothing global, works without a display) and its axes, flat."""
    fig = TeachingFigure(figsize=(panel[0] * ncols, panel[1] * nrows), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel().tolist()
    return fig, axes

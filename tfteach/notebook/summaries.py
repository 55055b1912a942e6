"""What a `tf.summary.FileWriter` wrote, drawn inline: no TensorBoard server needed.

`plot_summaries(logdir)` reads the event files of ``logdir`` with TensorBoard's
own reader (`EventAccumulator`, from the optional ``tensorboard`` package that
wrote them) and draws one panel per tag: a scalar as a curve over the steps, a
histogram as one outline per step, darker for later steps (TensorBoard's
"histograms" view, flattened). Follows matplotlib's helper convention: draws on
the given axes, or on a new figure, and returns what it drew.
"""

from __future__ import annotations

import math
import os
from typing import NamedTuple

import numpy as np
from matplotlib import colormaps

from tfteach.core.summary_protos import load as load_protos

from .plots import _new_figure

__all__ = ["SummaryArtists", "plot_summaries", "read_summaries"]

HISTOGRAM_BINS = 30


class SummaryArtists(NamedTuple):
    """What `plot_summaries` drew: the figure, and for each tag the lines of its panel
    (one line for a scalar, one per step for a histogram). Shows as the figure in a
    notebook."""

    figure: object
    lines: dict

    def _repr_png_(self) -> bytes | None:
        repr_png = getattr(self.figure, "_repr_png_", None)
        return repr_png() if repr_png is not None else None


def read_summaries(logdir) -> tuple[dict, dict]:
    """The scalars and histograms in ``logdir``'s event files: ``{tag: (steps, values)}``
    and ``{tag: [(step, HistogramProto), ...]}``, each tag in the order first written."""
    load_protos()  # the clear ImportError naming the extra, if tensorboard is missing
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    logdir = os.fspath(logdir)
    if not os.path.isdir(logdir):
        raise FileNotFoundError(f"No such log directory: {logdir!r}")
    # size 0: keep every event (the default samples 10,000 scalars and 500 histograms)
    accumulator = EventAccumulator(logdir, size_guidance={"scalars": 0, "histograms": 0})
    accumulator.Reload()
    tags = accumulator.Tags()
    scalars = {}
    for tag in tags["scalars"]:
        events = accumulator.Scalars(tag)
        scalars[tag] = ([e.step for e in events], [e.value for e in events])
    histograms = {
        tag: [(e.step, e.histogram_value) for e in accumulator.Histograms(tag)]
        for tag in tags["histograms"]
    }
    return scalars, histograms


def plot_summaries(logdir, ax=None, tags=None) -> SummaryArtists:
    """Draws the scalars and histograms a FileWriter wrote to ``logdir``, one panel per tag
    (``tags``: which ones, default all). ``ax``: the axes to draw on, one per tag (a single
    Axes for a single tag); default: a new figure."""
    scalars, histograms = read_summaries(logdir)
    available = list(scalars) + list(histograms)
    if tags is None:
        tags = available
    else:
        tags = [tags] if isinstance(tags, str) else list(tags)
        missing = [t for t in tags if t not in available]
        if missing:
            raise ValueError(
                f"No summary tagged {missing[0]!r} in {os.fspath(logdir)!r}; "
                f"the tags there are {available}."
            )
    if not tags:
        raise ValueError(
            f"No scalar or histogram summaries in {os.fspath(logdir)!r}: did the FileWriter "
            "get add_summary calls, and was it flushed or closed?"
        )
    axes = _axes_for(ax, len(tags))
    lines = {}
    for tag, panel in zip(tags, axes):
        if tag in scalars:
            lines[tag] = _plot_scalar(panel, tag, *scalars[tag])
        else:
            lines[tag] = _plot_histograms(panel, tag, histograms[tag])
    return SummaryArtists(axes[0].figure, lines)


def _axes_for(ax, n: int) -> list:
    """``n`` axes: those given (checked), or those of a new figure, three panels a row."""
    if ax is None:
        ncols = min(n, 3)
        _, axes = _new_figure(math.ceil(n / ncols), ncols)
        for extra in axes[n:]:
            extra.set_visible(False)
        return axes[:n]
    axes = [ax] if hasattr(ax, "plot") else list(np.ravel(ax))
    if len(axes) < n:
        raise ValueError(f"plot_summaries draws {n} panels (one per tag) but got {len(axes)} axes.")
    return axes


def _plot_scalar(ax, tag: str, steps, values) -> list:
    drawn = ax.plot(steps, values, marker="." if len(steps) < 50 else None, color="#1f77b4")
    ax.set_title(tag, fontsize=10)
    ax.set_xlabel("step")
    ax.grid(alpha=0.3)
    return drawn


def _plot_histograms(ax, tag: str, histograms) -> list:
    """One outline per step over a common range, from light (first step) to dark (last)."""
    histograms = [(step, h) for step, h in histograms if h.num > 0]
    lo = min(h.min for _, h in histograms)
    hi = max(h.max for _, h in histograms)
    if hi <= lo:
        lo, hi = lo - 0.5, hi + 0.5
    edges = np.linspace(lo, hi, HISTOGRAM_BINS + 1)
    centers = (edges[:-1] + edges[1:]) / 2
    cmap = colormaps["viridis_r"]
    drawn = []
    for i, (step, h) in enumerate(histograms):
        shade = 0.15 + 0.85 * (i / max(1, len(histograms) - 1))
        (line,) = ax.plot(
            centers, rebin(h, edges), color=cmap(shade), linewidth=1.0, label=f"step {step}"
        )
        drawn.append(line)
    if len(drawn) > 1:  # name the first and last steps only
        ax.legend(handles=[drawn[0], drawn[-1]], fontsize=8, frameon=False)
    ax.set_title(tag, fontsize=10)
    ax.set_xlabel("value")
    ax.set_ylabel("count")
    return drawn


def rebin(histogram, edges: np.ndarray) -> np.ndarray:
    """The counts of a `HistogramProto` (TF's buckets, which grow by 10% away from zero)
    spread over the bins ``edges``: each bucket's count shared among the bins in
    proportion to how much of the bucket, cut to [min, max], each one covers."""
    limits = np.asarray(histogram.bucket_limit)
    counts = np.asarray(histogram.bucket)
    right = np.clip(limits, histogram.min, histogram.max)
    left = np.clip(np.concatenate([[histogram.min], limits[:-1]]), histogram.min, histogram.max)
    lo, hi = edges[:-1], edges[1:]
    width = (right - left)[:, None]
    overlap = np.clip(np.minimum(right[:, None], hi) - np.maximum(left[:, None], lo), 0, None)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(width > 0, overlap / width, 0.0)
    # a bucket cut to a single point (all its values equal) goes to the bin holding it
    point = np.flatnonzero(width[:, 0] == 0)
    bins = np.clip(np.searchsorted(edges, right[point], side="right") - 1, 0, len(lo) - 1)
    share[point, bins] = 1.0
    return counts @ share

"""Draws the logos of the "Python 3 (tfteach)" kernel: a tiny graph, two inputs flowing into
one op, as the lessons draw them. Jupyter shows logo-32x32.png and logo-64x64.png from the
kernel's folder in the launcher and the notebook's kernel indicator.

Run from the repository root: python tools/make_kernel_logos.py
"""

from __future__ import annotations

import pathlib

from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch

ROOT = pathlib.Path(__file__).resolve().parents[1]
KERNEL_DIR = ROOT / "share" / "jupyter" / "kernels" / "tfteach"
ORANGE, GREY, INK = "#e8710a", "#5f6368", "#ffffff"


def draw_logo(pixels: int) -> Figure:
    fig = Figure(figsize=(1, 1), dpi=pixels)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_axis_off()
    ax.add_patch(Circle((0.5, 0.5), 0.49, color=ORANGE))
    inputs, op = [(0.3, 0.7), (0.7, 0.7)], (0.5, 0.3)
    for x, y in inputs:
        ax.add_patch(FancyArrowPatch((x, y), op, arrowstyle="-", color=INK, linewidth=pixels / 16))
    for x, y in [*inputs, op]:
        ax.add_patch(Circle((x, y), 0.11, color=INK))
    ax.add_patch(Circle(op, 0.06, color=GREY))
    return fig


def main() -> None:
    for pixels in (32, 64):
        draw_logo(pixels).savefig(KERNEL_DIR / f"logo-{pixels}x{pixels}.png", transparent=True)


if __name__ == "__main__":
    main()

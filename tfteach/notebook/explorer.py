"""The initializer explorer: what an initializer draws for a shape, beside its formula.

Stock ipywidgets 8 controls composed in Python; a change of any control redraws the
histogram and the table of resolved parameters from one update method. Its
``_repr_mimebundle_`` adds a plain-text and an escaped HTML table beside the widget view.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

import ipywidgets as widgets
from traitlets import Any, Float, Int, Unicode, observe

from tfteach.core import init_ops

from . import summary
from .display import StaticTableMixin, Table, close_all, message_html

__all__ = ["InitializerExplorer", "explore_initializers"]

SHAPES = (
    ("dense 784x200", (784, 200)),
    ("conv 5x5x32x64", (5, 5, 32, 64)),
    ("custom", None),
)
MAX_DRAWN = 2_000_000  # values the explorer draws for its histogram at most
# The histogram is shown at the figure's own size on a 96-dpi screen (its 9-11 pt text
# reads as 12-15 px), and drawn with twice the pixels so that it stays sharp on a HiDPI one.
SCREEN_DPI = 96
PIXEL_RATIO = 2
MODES = ("fan_in", "fan_out", "fan_avg")
DISTRIBUTIONS = ("truncated_normal", "untruncated_normal", "uniform", "normal")
# initializer -> the constructor argument the explorer's number box sets
_PARAMETER = {
    "variance_scaling": "scale",
    "random_normal": "stddev",
    "truncated_normal": "stddev",
    "random_uniform": "maxval",
    "uniform_unit_scaling": "factor",
    "orthogonal": "gain",
    "identity": "gain",
    "constant": "value",
}
# explain()'s facts the explorer lists below the fan arithmetic, in explain()'s order
_FACT_KEYS = tuple(
    k for k in init_ops.EXPLAIN_KEYS if k not in ("name", "fan_in", "fan_out", "formula")
)


def initializer_names() -> list[str]:
    """The initializers the explorer offers: init_ops' names and Glorot & Bengio's
    ``standard_uniform`` of the plots."""
    from .plots import STANDARD_UNIFORM

    return [*sorted(init_ops._BY_NAME), STANDARD_UNIFORM]


def _make_initializer(name: str, parameter: float | None, mode: str, distribution: str):
    """The initializer ``name`` with the explorer's settings (those it takes)."""
    from .plots import STANDARD_UNIFORM, standard_uniform

    if name == STANDARD_UNIFORM:
        return standard_uniform()
    default = init_ops.get(name)
    config = default.get_config()
    key = _PARAMETER.get(name)
    if key in config and parameter is not None:
        config[key] = parameter
    if "mode" in config:
        config.update(mode=mode, distribution=distribution)
    return type(default).from_config(config)


_SHAPE_SEPARATOR = re.compile(r"(?<=\d)\s*[x\u00d7*]\s*(?=\d)|\s*,\s*|\s+")


def parse_shape(text: str) -> tuple[int, ...]:
    """``"5, 5, 32, 64"`` (or ``5x5x32x64``, ``[784, 200]``, ``(3,)``) as a tuple of
    positive ints; anything else (``"3, x"``, ``"3,,4"``, ``"0, 2"``) is a ValueError."""
    inner = text.strip()
    if inner[:1] + inner[-1:] in ("()", "[]"):
        inner = inner[1:-1].strip()
    parts = _SHAPE_SEPARATOR.split(inner.rstrip(",").strip()) if inner else []
    if not parts or not all(p.isascii() and p.isdigit() and int(p) > 0 for p in parts):
        raise ValueError(
            f"The shape {text!r} is not a list of positive integers: write it as "
            "`784, 200` or `5, 5, 32, 64`."
        )
    return tuple(int(p) for p in parts)


def fan_arithmetic(shape: Sequence[int]) -> list[tuple[str, str]]:
    """How TF computes fan_in and fan_out for ``shape``, with the numbers, as
    (quantity, arithmetic) rows."""
    dims = list(shape)
    if not dims:
        return [("fan_in", "1 (a scalar)"), ("fan_out", "1 (a scalar)")]
    if len(dims) == 1:
        return [("fan_in", f"{dims[0]} (a vector)"), ("fan_out", f"{dims[0]} (a vector)")]
    if len(dims) == 2:
        return [("fan_in", f"{dims[0]} (rows)"), ("fan_out", f"{dims[1]} (columns)")]
    field = 1
    for d in dims[:-2]:
        field *= d
    return [
        ("receptive field", " · ".join(str(d) for d in dims[:-2]) + f" = {field}"),
        ("fan_in", f"{field} · {dims[-2]} = {field * dims[-2]} (field · input channels)"),
        ("fan_out", f"{field} · {dims[-1]} = {field * dims[-1]} (field · output channels)"),
    ]


class InitializerExplorer(StaticTableMixin, widgets.VBox):
    """Choose an initializer and a shape: see the fan arithmetic, the resolved limit or
    standard deviation, and the histogram of a fresh draw with its theoretical density."""

    initializer = Unicode("glorot_uniform")
    shape = Any((784, 200))
    mode = Unicode("fan_in")
    distribution = Unicode("truncated_normal")
    parameter = Float(1.0)
    seed = Int(0)

    def __init__(self, initializer: str = "glorot_uniform", shape=(784, 200), seed: int = 0):
        names = initializer_names()
        if initializer not in names:
            raise ValueError(
                f"explore_initializers: unknown initializer {initializer!r}; choose one of "
                f"{', '.join(names)}."
            )
        self._ready = False
        self._explanation: dict | None = None
        self._problem = ""
        self.initializer_menu = widgets.Dropdown(options=names, description="initializer")
        self.shape_choice = widgets.ToggleButtons(
            options=[label for label, _ in SHAPES],
            description="shape",
            style={"button_width": "auto"},
        )
        self.shape_text = widgets.Text(
            description="dims",
            placeholder="784, 200",
            continuous_update=False,  # a shape is read when typed in full (Enter or leaving)
            layout=widgets.Layout(width="220px"),
        )
        self.mode_menu = widgets.Dropdown(options=MODES, description="mode")
        self.distribution_menu = widgets.Dropdown(options=DISTRIBUTIONS, description="distribution")
        self.parameter_box = widgets.FloatText(description="scale")
        self.seed_box = widgets.IntText(description="seed")
        self.facts = widgets.HTML()
        self.message = widgets.HTML()
        self.histogram = widgets.Image(format="png")
        for control in (
            self.initializer_menu,
            self.shape_choice,
            self.shape_text,
            self.mode_menu,
            self.distribution_menu,
            self.parameter_box,
            self.seed_box,
        ):
            control.observe(self._control_changed, "value")
        super().__init__(
            children=[
                self.initializer_menu,
                widgets.HBox([self.shape_choice, self.shape_text]),
                widgets.HBox([self.mode_menu, self.distribution_menu]),
                widgets.HBox([self.parameter_box, self.seed_box]),
                self.message,
                widgets.HBox([self.facts, self.histogram]),
            ],
            initializer=initializer,
            shape=_check_shape(shape),
            seed=seed,
        )
        self._ready = True
        self._update({"name": "initializer"})

    # -- controls -> traits -----------------------------------------------------------------
    def _control_changed(self, change) -> None:
        if not self._ready:
            return
        owner, value = change["owner"], change["new"]
        if owner is self.initializer_menu:
            self.initializer = value
        elif owner in (self.shape_choice, self.shape_text):
            preset = dict(SHAPES)[self.shape_choice.value]
            self.shape_text.disabled = preset is not None
            try:
                shape = preset if preset is not None else parse_shape(self.shape_text.value)
            except ValueError as e:
                self._show_problem(str(e))
            else:
                self.shape = shape
        elif owner is self.mode_menu:
            self.mode = value
        elif owner is self.distribution_menu:
            self.distribution = value
        elif owner is self.parameter_box:
            self.parameter = value
        elif owner is self.seed_box:
            self.seed = value

    # -- the one update ---------------------------------------------------------------------
    @observe("initializer", "shape", "mode", "distribution", "parameter", "seed")
    def _update(self, change) -> None:
        if not self._ready:
            return
        if change["name"] == "initializer":
            self._take_defaults()
        self._sync_controls()
        self._draw()

    def _take_defaults(self) -> None:
        """A newly chosen initializer starts from TF's default arguments."""
        config = (
            init_ops.get(self.initializer).get_config()
            if not _is_standard(self.initializer)
            else {}
        )
        key = _PARAMETER.get(self.initializer)
        self._ready = False
        try:
            if key in config:
                value = config[key]
                self.parameter = 1.0 if value is None else float(value)  # maxval None is 1
            if "mode" in config:
                self.mode, self.distribution = config["mode"], config["distribution"]
        finally:
            self._ready = True

    def _sync_controls(self) -> None:
        """The controls show the traits; those the initializer does not take are disabled
        (a preset's fixed mode, distribution and scale) or hidden."""
        name = self.initializer
        config = {} if _is_standard(name) else init_ops.get(name).get_config()
        try:
            info = self._build().explain(self.shape)
        except (ValueError, TypeError):
            info = {}
        preset = "mode" not in config and info.get("mode") is not None
        key = _PARAMETER.get(name) if _PARAMETER.get(name) in config else None
        self._ready = False
        try:
            self.initializer_menu.value = name
            label = _shape_label(self.shape)
            self.shape_choice.value = label
            self.shape_text.disabled = label != "custom"
            self.shape_text.value = ", ".join(str(d) for d in self.shape)
            for menu in (self.mode_menu, self.distribution_menu):
                menu.layout.display = None if ("mode" in config or preset) else "none"
                menu.disabled = preset
            if preset:
                self.mode_menu.value = info["mode"]
                self.distribution_menu.value = _distribution_option(info["distribution"])
            else:
                self.mode_menu.value = self.mode
                self.distribution_menu.value = self.distribution
            shown = key is not None or (preset and info.get("scale") is not None)
            self.parameter_box.layout.display = None if shown else "none"
            self.parameter_box.disabled = key is None
            self.parameter_box.description = key or "scale"
            if key is not None:
                self.parameter_box.value = self.parameter
            elif preset and info.get("scale") is not None:
                self.parameter_box.value = float(info["scale"])
            self.seed_box.value = self.seed
        finally:
            self._ready = True

    def _build(self):
        return _make_initializer(self.initializer, self.parameter, self.mode, self.distribution)

    def _draw(self) -> None:
        self._problem = ""
        self._explanation = None
        try:
            init = self._build()
            self._explanation = init.explain(self.shape)
        except (ValueError, TypeError) as e:
            self._show_problem(str(e))
            return
        size = 1
        for d in self.shape:
            size *= d
        if size > MAX_DRAWN:
            self._show_problem(
                f"The shape {tuple(self.shape)} holds {size:,} values; the explorer draws at "
                f"most {MAX_DRAWN:,} for its histogram. The arithmetic holds for any size."
            )
            return
        self.message.value = ""
        self.facts.value = self._static_table()._repr_html_()
        image, width = _histogram_png(init, self._explanation, self.shape, self.seed)
        self.histogram.layout.width = f"{width}px"
        self.histogram.layout.display = None
        self.histogram.value = image

    def _show_problem(self, text: str) -> None:
        self._problem = text
        self.message.value = message_html(text, error=True)
        self.facts.value = self._static_table()._repr_html_()
        self.histogram.value = b""
        self.histogram.layout.display = "none"  # no broken-image icon in its place

    def _static_table(self) -> Table:
        e = self._explanation or {}
        rows = [("initializer", self.initializer), ("shape", str(tuple(self.shape)))]
        if e:
            rows += fan_arithmetic(self.shape)
            rows += [(k, summary.format_number(e[k])) for k in _FACT_KEYS if e.get(k) is not None]
            if e.get("formula"):
                rows.append(("formula", str(e["formula"])))
        notes = [self._problem] if self._problem else []
        return Table(("quantity", "value"), rows, f"What {self.initializer} draws", notes)

    @property
    def explanation(self) -> dict | None:
        """The initializer's ``explain(shape)`` for the current settings (None when they
        are not valid)."""
        return None if self._explanation is None else dict(self._explanation)

    def close(self) -> None:
        close_all(self.children)
        super().close()


def _is_standard(name: str) -> bool:
    from .plots import STANDARD_UNIFORM

    return name == STANDARD_UNIFORM


def _check_shape(shape) -> tuple[int, ...]:
    if isinstance(shape, str):
        return parse_shape(shape)
    return parse_shape(", ".join(str(d) for d in shape))


def _shape_label(shape) -> str:
    for label, preset in SHAPES:
        if preset is not None and tuple(preset) == tuple(shape):
            return label
    return "custom"


def _distribution_option(kind: str | None) -> str | None:
    """The distribution menu's entry for an explain() distribution."""
    return (
        {"normal": "untruncated_normal"}.get(kind, kind)
        if kind
        in (
            "normal",
            "uniform",
            "truncated_normal",
        )
        else None
    )


def _histogram_png(init, explanation: dict, shape: tuple[int, ...], seed: int) -> tuple[bytes, int]:
    """The PNG of a fresh draw's histogram, and the width in CSS pixels to show it at."""
    from .plots import initializer_values, plot_value_panels

    values = initializer_values(init, shape, seed=seed)
    title = f"{explanation['name']}: a fresh draw (seed {seed})"
    figure = plot_value_panels([(title, values, explanation)])
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=SCREEN_DPI * PIXEL_RATIO)
    image = buffer.getvalue()
    pixels = int.from_bytes(image[16:20], "big")  # the PNG's width as savefig rounded it
    return image, pixels // PIXEL_RATIO


def explore_initializers(
    initializer: str = "glorot_uniform", shape=(784, 200), seed: int = 0
) -> InitializerExplorer:
    """An explorer of initializers: pick one, a shape (dense, convolution or custom), its
    mode, distribution and scale or standard deviation, and a seed; it shows the fan
    arithmetic, the formula with the resolved limit or stddev, and the histogram of a
    fresh draw under the theoretical density."""
    return InitializerExplorer(initializer, shape, seed)

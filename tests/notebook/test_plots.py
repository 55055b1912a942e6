"""Pictures of initialization: initializer histograms against their densities, and the
activations of a deep network at initialization (Glorot & Bengio 2010, He et al. 2015)."""

import math
import subprocess
import sys

import numpy as np
import pytest

import tfteach as tf
from tfteach.core import init_ops
from tfteach.notebook import plots

LIMIT_784_200 = math.sqrt(6 / (784 + 200))  # glorot uniform's bound for (784, 200)


def bars(ax) -> list:
    return [p for p in ax.patches if p.get_visible()]


def visible_axes(fig) -> list:
    return [ax for ax in fig.axes if ax.get_visible()]


def panel_text(ax) -> str:
    return "\n".join(t.get_text() for t in ax.texts)


def no_figure(monkeypatch):
    """Fails the test if a figure is made (bad input must be refused before)."""

    def refuse(*args, **kwargs):
        raise AssertionError("a figure was made for bad input")

    monkeypatch.setattr(plots, "_new_figure", refuse)


# -- initializers -----------------------------------------------------------------------------


def test_the_default_compares_glorot_uniform_with_truncated_normal():
    fig = plots.plot_initializers()
    glorot, truncated = visible_axes(fig)
    assert [glorot.get_title(), truncated.get_title()] == ["glorot_uniform", "truncated_normal"]
    for ax in (glorot, truncated):
        assert len(bars(ax)) == 60
        (theory,) = [line for line in ax.lines if line.get_label() == "theory"]
        assert theory.get_color() == "#c0392b"
    assert "(784, 200)" in fig.get_suptitle()


def test_glorot_panel_writes_fans_limit_and_formula():
    text = panel_text(visible_axes(plots.plot_initializers())[0])
    assert "fan_in = 784, fan_out = 200" in text
    assert f"limit = {LIMIT_784_200:.3g}" in text
    assert "limit = 0.0781" in text  # sqrt(6 / 984) by hand
    assert f"stddev = limit / sqrt(3) = {LIMIT_784_200 / math.sqrt(3):.3g}" in text
    assert "sqrt(6 / (784 + 200))" in text
    assert "drawn: 156,800 values" in text


def test_truncated_normal_panel_writes_the_sampler_stddev_and_the_cut():
    text = panel_text(visible_axes(plots.plot_initializers(["truncated_normal"]))[0])
    assert "sampler stddev 1: values within ±2" in text
    he = plots.plot_initializers(["he_normal"], shape=(784, 200))
    param = math.sqrt(2 / 784) / 0.87962566103423978
    assert f"sampler stddev {param:.3g}: values within ±{2 * param:.3g}" in panel_text(
        visible_axes(he)[0]
    )


def test_histograms_follow_the_theoretical_densities():
    fig = plots.plot_initializers(["glorot_uniform", "he_normal"], shape=(784, 200))
    uniform, truncated = visible_axes(fig)
    heights = np.array([b.get_height() for b in bars(uniform)])
    np.testing.assert_allclose(heights, 1 / (2 * LIMIT_784_200), rtol=0.1)
    # truncated normal: the normal density renormalized by Phi(2) - Phi(-2) = 0.9545
    sp = math.sqrt(2 / 784) / 0.87962566103423978
    centers = np.array([b.get_x() + b.get_width() / 2 for b in bars(truncated)])
    heights = np.array([b.get_height() for b in bars(truncated)])
    expected = np.exp(-0.5 * (centers / sp) ** 2) / (sp * math.sqrt(2 * math.pi) * 0.9545)
    assert np.max(np.abs(heights - expected)) < 0.1 * expected.max()
    assert abs(centers).max() < 2 * sp  # nothing beyond two sampler stddevs


def test_theoretical_density_integrates_to_one():
    grid = np.linspace(-5, 5, 200_001)
    step = grid[1] - grid[0]
    for name in ("glorot_uniform", "glorot_normal", "he_normal", "random_normal"):
        explanation = init_ops.get(name).explain((784, 200))
        total = plots.theoretical_density(explanation, grid).sum() * step
        assert total == pytest.approx(1.0, abs=2e-3), name


def test_values_are_what_tfteach_draws_for_the_seed():
    values = plots.initializer_values("glorot_uniform", (784, 200), seed=3)
    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(3)
        tensor = tf.glorot_uniform_initializer()((784, 200))
    with tf.Session(graph=graph) as sess:
        np.testing.assert_array_equal(values, sess.run(tensor).ravel())
    assert np.abs(values).max() <= LIMIT_784_200
    assert not np.array_equal(values, plots.initializer_values("glorot_uniform", seed=4))


def test_n_values_run_the_initializer_again_for_more():
    one = plots.initializer_values("random_normal", (10, 10), seed=0)
    many = plots.initializer_values("random_normal", (10, 10), n=250, seed=0)
    assert one.shape == (100,) and many.shape == (250,)
    np.testing.assert_array_equal(many[:100], one)  # a fresh session starts the sequence again
    assert not np.array_equal(many[100:200], one)  # the next run continues it
    fig = plots.plot_initializers(["random_normal"], shape=(10, 10), n=250)
    assert "drawn: 250 values" in panel_text(visible_axes(fig)[0])


def test_same_seed_same_picture():
    a = plots.plot_initializers(seed=5)
    b = plots.plot_initializers(seed=5)
    heights = [[p.get_height() for p in bars(ax)] for ax in visible_axes(a)]
    assert heights == [[p.get_height() for p in bars(ax)] for ax in visible_axes(b)]
    assert [panel_text(ax) for ax in visible_axes(a)] == [panel_text(ax) for ax in visible_axes(b)]


def test_initializer_objects_constants_and_orthogonal():
    fig = plots.plot_initializers(
        [tf.glorot_normal_initializer(), "zeros", "orthogonal", "standard_uniform"],
        shape=(256, 128),
    )
    axes = fig.axes
    assert len(axes) == 6 and len(visible_axes(fig)) == 4  # a 2 x 3 grid, two left empty
    normal, zeros, orthogonal, standard = visible_axes(fig)
    assert normal.get_title() == "glorot_normal"
    assert [line.get_label() for line in zeros.lines] == ["theory: all 0"]
    assert "every value = 0" in panel_text(zeros)
    assert [line.get_label() for line in orthogonal.lines] == ["≈ normal"]
    # Glorot & Bengio's standard initialization: limit 1 / sqrt(fan_in)
    assert f"limit = {1 / math.sqrt(256):.3g}" in panel_text(standard)


def test_the_helper_draws_on_the_axes_it_is_given():
    from matplotlib.figure import Figure

    ax = Figure().subplots()
    init = tf.glorot_uniform_initializer()
    values = plots.initializer_values(init, (100, 50))
    drawn = plots.plot_initializer(values, init.explain((100, 50)), ax=ax, bins=20)
    assert len(drawn.bars) == 20 and drawn.bars == list(ax.patches)
    assert drawn.density == list(ax.lines)
    assert drawn.text in ax.texts and "fan_in = 100, fan_out = 50" in drawn.text.get_text()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"initializers": ["glorot_uniformm"]}, "Unknown initializer name 'glorot_uniformm'"),
        ({"initializers": [42]}, "got 42"),
        ({"initializers": []}, "at least one initializer"),
        ({"shape": (784, 0)}, r"positive ints, got \(784, 0\): 0 is not one"),
        ({"shape": (784, -3)}, "-3 is not one"),
        ({"shape": (2.5, 3)}, "2.5 is not one"),
        ({"shape": None}, "got None"),
        ({"n": 0}, "n must be a positive int, got 0"),
        ({"initializers": ["orthogonal"], "shape": (5,)}, "at least two-dimensional"),
    ],
)
def test_bad_input_is_refused_before_any_figure(monkeypatch, kwargs, message):
    no_figure(monkeypatch)
    with pytest.raises(ValueError, match=message):
        plots.plot_initializers(**kwargs)


# -- activations through depth ----------------------------------------------------------------

ACTIVATIONS = {
    "tanh": np.tanh,
    "relu": lambda z: np.maximum(z, 0),
    "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
    "linear": lambda z: z,
}


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_activations_are_the_network_numpy_computes_with_the_same_weights(activation):
    got = plots.activations_at_init(
        "glorot_uniform", depth=4, width=40, activation=activation, batch=30, seed=1
    )
    assert got["inputs"].shape == (30, 40) and len(got["weights"]) == 4
    h = got["inputs"]
    for w, value in zip(got["weights"], got["activations"]):
        assert w.shape == (40, 40) and np.abs(w).max() <= math.sqrt(6 / 80)
        h = ACTIVATIONS[activation](h @ w)
        np.testing.assert_allclose(value, h, rtol=1e-4, atol=1e-6)


def test_stats_are_the_statistics_of_those_activations():
    stats = plots.activation_stats(
        ["glorot_uniform", "standard_uniform"], depth=5, width=60, batch=40, seed=2
    )
    assert list(stats["initializers"]) == ["glorot_uniform", "standard_uniform"]
    for name, entry in stats["initializers"].items():
        values = plots.activations_at_init(name, depth=5, width=60, batch=40, seed=2)
        np.testing.assert_allclose(entry["std"], [h.std() for h in values["activations"]], 1e-5)
        np.testing.assert_allclose(
            entry["mean"], [h.mean() for h in values["activations"]], atol=1e-6
        )
        widths = np.diff(entry["edges"])
        np.testing.assert_allclose((entry["hist"] * widths).sum(axis=1), 1.0)  # densities
        saturated = [np.mean(np.abs(h) >= 0.98) for h in values["activations"]]
        np.testing.assert_allclose(entry["saturated_fraction"], saturated)
    np.testing.assert_array_equal(stats["layers"], np.arange(1, 6))


def test_relu_with_glorot_shrinks_by_sqrt2_per_layer_and_he_holds():
    stats = plots.activation_stats(
        ["glorot_uniform", "he_normal"], depth=30, width=500, activation="relu", batch=200
    )
    glorot = stats["initializers"]["glorot_uniform"]["std"]
    he = stats["initializers"]["he_normal"]["std"]
    # Var(W) = 1/n with glorot on a square layer; relu keeps half the second moment
    assert (glorot[-1] / glorot[0]) ** (1 / 29) == pytest.approx(1 / math.sqrt(2), abs=0.02)
    assert glorot[-1] / glorot[0] < 1e-3  # orders of magnitude
    assert (he[-1] / he[0]) ** (1 / 29) == pytest.approx(1.0, abs=0.02)
    assert 0.3 < he[-1] / he[0] < 3
    zeros = stats["initializers"]["he_normal"]["zero_fraction"]
    assert np.all(np.abs(zeros - 0.5) < 0.1)  # relu zeroes about half the units


def test_tanh_with_the_standard_initialization_shrinks_by_sqrt3_per_layer():
    # Glorot & Bengio: U[-1/sqrt(n), 1/sqrt(n)] has n Var(W) = 1/3; once small, tanh is linear
    stats = plots.activation_stats(["standard_uniform"], depth=10, width=500, batch=200)
    std = stats["initializers"]["standard_uniform"]["std"]
    assert std[-1] / std[-2] == pytest.approx(1 / math.sqrt(3), abs=0.03)


def test_the_figure_has_a_panel_per_initializer_and_one_of_std_by_depth():
    fig = plots.plot_activations(depth=8, width=50, batch=40)
    standard, glorot, by_depth = fig.axes
    assert [ax.get_title() for ax in fig.axes] == [
        "standard_uniform",
        "glorot_uniform",
        "std by depth",
    ]
    shown = [1, 2, 4, 5, 7, 8]  # six layers, first and last included
    for ax in (standard, glorot):
        assert [line.get_label() for line in ax.lines] == [f"layer {i}" for i in shown]
    stats = plots.activation_stats(depth=8, width=50, batch=40)
    for line, entry in zip(by_depth.lines, stats["initializers"].values()):
        np.testing.assert_allclose(line.get_ydata(), entry["std"])
        np.testing.assert_array_equal(line.get_xdata(), np.arange(1, 9))
    assert by_depth.get_yscale() == "log"  # the standard init's std spans decades
    assert [t.get_text() for t in fig.legends[0].get_texts()] == [f"layer {i}" for i in shown]


def test_relu_panels_use_log_axes():
    fig = plots.plot_activations(
        ["glorot_uniform", "he_normal"], depth=3, width=30, activation="relu", batch=20
    )
    assert [ax.get_xscale() for ax in fig.axes[:2]] == ["log", "log"]
    assert fig.axes[2].get_yscale() == "log"
    assert fig.axes[0].get_xlim() == fig.axes[1].get_xlim()  # layers compare across panels


def test_histogram_panels_share_one_density_scale():
    """The standard init's deep layers peak far higher than glorot's: on one y scale the
    taller peak reads as the narrower spread, as in Glorot & Bengio's figure 6."""
    fig = plots.plot_activations(depth=5, width=60, batch=50)
    standard, glorot = fig.axes[0], fig.axes[1]
    assert standard.get_ylim() == glorot.get_ylim()
    assert standard.get_ylim()[0] == 0
    tallest = max(np.nanmax(line.get_ydata()) for ax in (standard, glorot) for line in ax.lines)
    assert standard.get_ylim()[1] >= tallest


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"activation": "softplus"}, "Unknown activation 'softplus': use one of 'tanh'"),
        ({"depth": 0}, "depth must be a positive int, got 0"),
        ({"width": 2.5}, "width must be a positive int, got 2.5"),
        ({"initializers": ["he_normal", "he_normal"]}, "its own name"),
        ({"initializers": ["nope"]}, "Unknown initializer name 'nope'.*'standard_uniform'"),
    ],
)
def test_bad_activation_arguments_are_refused_before_any_figure(monkeypatch, kwargs, message):
    no_figure(monkeypatch)
    with pytest.raises(ValueError, match=message):
        plots.plot_activations(**kwargs)


# -- in a notebook ----------------------------------------------------------------------------


def test_jupyter_shows_a_png_without_pyplot(ipython):
    data, _ = ipython.display_formatter.format(plots.plot_initializers(["zeros"], (4, 4)))
    assert data["image/png"][:8] == b"\x89PNG\r\n\x1a\n"


def test_plotting_never_touches_pyplot():
    code = (
        "import sys\nfrom tfteach.notebook import plots\n"
        "plots.plot_initializers(['zeros'], (3, 3))._repr_png_()\n"
        "plots.plot_activations(depth=2, width=8, batch=4)._repr_png_()\n"
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot was imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_the_pictures_load_only_when_asked_for():
    code = (
        "import sys, tfteach, tfteach.notebook as nb\n"
        "assert 'matplotlib' not in sys.modules and 'graphviz' not in sys.modules\n"
        "from tfteach.notebook import plots, drawing\n"
        "assert nb.plot_initializers is plots.plot_initializers\n"
        "assert nb.plot_activations is plots.plot_activations\n"
        "assert nb.activation_stats is plots.activation_stats\n"
        "assert nb.draw_graph is drawing.draw_graph\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_an_initializer_of_tensors_is_refused_before_any_figure(monkeypatch):
    init = tf.random_uniform_initializer(tf.constant(-1.0), 1.0)
    no_figure(monkeypatch)
    with pytest.raises(ValueError, match="its arguments are tensors of another graph"):
        plots.plot_initializers([init], shape=(50, 40))


def test_value_panels_show_a_sessions_values_under_their_variables_names():
    w = tf.Variable(tf.glorot_uniform_initializer()((30, 20)), name="w")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        values = sess.run(w).ravel()
    explanation = init_ops.get("glorot_uniform").explain((30, 20))
    fig = plots.plot_value_panels([("w", values, explanation)], title="after init")
    (ax,) = visible_axes(fig)
    assert ax.get_title() == "w" and fig.get_suptitle() == "after init"
    assert "drawn: 600 values" in panel_text(ax) and "fan_in = 30, fan_out = 20" in panel_text(ax)

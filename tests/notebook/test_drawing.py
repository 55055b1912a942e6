"""draw_graph: the graph as SVG with its scopes, variables by state, init set aside, escaped
names, a readable HTML list where Graphviz's `dot` is missing, and big graphs kept small."""

import html
import re
import shutil

import pytest

import tfteach as tf
from tfteach.core import graph as graph_module
from tfteach.notebook.drawing import INSTALL_HINT, draw_graph

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is missing")
EVIL = "<img src=x onerror=alert(1)>"


def two_layers():
    """A small model: two scopes with variables, a counter, a control dependency, init."""
    x = tf.placeholder(tf.float32, [None, 4], name="x")
    with tf.name_scope("layer1"):
        w = tf.Variable(tf.ones([4, 3]), name="w")
        h = tf.nn.relu(tf.matmul(x, w))
    with tf.name_scope("layer2"):
        w2 = tf.Variable(tf.ones([3, 2]), name="w")
        y = tf.matmul(h, w2)
    step = tf.Variable(0, name="step")
    increment = step.assign_add(1)
    with tf.control_dependencies([increment]):
        tf.identity(y, name="out")
    init = tf.global_variables_initializer()
    return {"w": w, "w2": w2, "step": step, "increment": increment, "init": init}


def svg_nodes(svg: str) -> dict[str, str]:
    """node id (its DOT id) -> the node's class attribute, from Graphviz's SVG."""
    node = r'<g id="([^"]+)" class="(node[^"]*)">'
    return dict(re.findall(node, svg))


def tooltips(svg: str) -> dict[str, str]:
    """node id -> the tooltip a browser shows when the pointer rests on it (its <title>)."""
    node = r'<g id="([^"]+)" class="node[^"]*">\s*<title>([^<]*)</title>'
    return {key: html.unescape(tip) for key, tip in re.findall(node, svg)}


def dashed_edges(svg: str) -> int:
    edges = re.findall(r'<g id="edge\d+" class="edge">.*?</g>', svg, flags=re.DOTALL)
    return sum("stroke-dasharray" in e for e in edges)


def hide_dot(monkeypatch, tmp_path):
    """A machine without Graphviz's dot program: nothing on PATH."""
    monkeypatch.setenv("PATH", str(tmp_path))


@needs_dot
def test_every_op_and_every_scope_is_in_the_svg():
    two_layers()
    graph = tf.get_default_graph()
    drawing = draw_graph()
    svg = drawing.svg
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    for op in graph.get_operations():
        assert op.name in svg, op.name  # each node's tooltip names its op in full
    cluster = (
        r'<g id="clust\d+" class="cluster scope">\s*<title>[^<]*</title>.*?<text[^>]*>([^<]*)<'
    )
    clusters = re.findall(cluster, svg, flags=re.DOTALL)
    assert sorted(clusters) == sorted(["layer1/", "w/", "layer2/", "w/", "step/", "AssignAdd/"])
    # Jupyter gets the SVG inline in HTML (JupyterLab shows image/svg+xml as an <img>,
    # without tooltips), scaled down where it is wider than the cell
    page = drawing._repr_html_()
    assert page.startswith('<div class="tfteach-graph" style="max-width:100%;overflow-x:auto">')
    assert re.search(
        r'<svg width="[\d.]+pt" height="[\d.]+pt" style="max-width:100%;height:auto"', page
    )
    assert 'viewBox="' in page
    assert not hasattr(drawing, "_repr_svg_")  # one picture in the notebook, not two


@needs_dot
def test_variables_are_cylinders_coloured_by_their_state_in_the_session():
    model = two_layers()
    sess = tf.Session()
    classes = set(svg_nodes(draw_graph(session=sess).svg).values())
    assert "node variable uninitialized" in classes
    assert not {"node variable initialized", "node variable assigned"} & classes

    sess.run(model["init"])
    sess.run(model["increment"])
    svg = draw_graph(session=sess).svg
    classes = list(svg_nodes(svg).values())
    assert classes.count("node variable initialized") == 2  # the two weights
    assert classes.count("node variable assigned") == 1  # the counter
    assert svg.count("<path") >= 3 and "cylinder" not in svg  # drawn, not named
    for state in ("uninitialized", "initialized", "assigned", "restored"):
        assert f">{state}</text>" in svg  # the legend


@needs_dot
def test_the_default_session_colours_only_its_own_graph():
    model = two_layers()
    with tf.Session() as sess:
        sess.run(model["init"])
        assert "node variable initialized" in svg_nodes(draw_graph().svg).values()
        other = tf.Graph()
        with other.as_default():
            tf.Variable(1.0, name="v")
        svg = draw_graph(other).svg
        assert set(svg_nodes(svg).values()) >= {"node variable unknown"}
        assert "no session: variable states unknown" in svg


@needs_dot
def test_init_is_set_aside_and_control_edges_are_dashed():
    model = two_layers()
    graph = tf.get_default_graph()
    svg = draw_graph().svg
    init_id = f"op{graph.get_operations().index(model['init'])}"
    assert svg_nodes(svg)[init_id] == "node aside"
    assert "set aside: initializer groups" in svg
    assert "runs 3 ops" in svg
    # init waits for 3 Assign ops, `out` for the increment: 4 control edges, nothing else
    control = sum(len(op.control_inputs) for op in graph.get_operations())
    assert control == 4
    assert dashed_edges(svg) == control


@needs_dot
def test_names_are_escaped_in_the_svg_and_the_html(monkeypatch, tmp_path):
    # tfteach refuses such names as TF does; a graph imported from elsewhere could hold them
    anything = re.compile(r".+", re.DOTALL)
    monkeypatch.setattr(graph_module, "_VALID_OP_NAME", anything)
    monkeypatch.setattr(graph_module, "_VALID_SCOPE_NAME", anything)
    odd = 'quote"back\\slash'
    with tf.name_scope(EVIL):
        v = tf.Variable(1.0, name=EVIL)
        tf.identity(v, name=odd)
    drawing = draw_graph()
    for text in (drawing.svg, drawing.html):
        assert "<img" not in text
        assert "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "quote&quot;back\\slash" in drawing.svg  # shown as written, not as DOT escapes
    hide_dot(monkeypatch, tmp_path)
    fallback = draw_graph()
    assert "<img" not in fallback._repr_html_()
    assert "&lt;img src=x onerror=alert(1)&gt;" in fallback._repr_html_()


def test_without_dot_an_html_list_of_scopes_and_ops_with_an_install_hint(monkeypatch, tmp_path):
    model = two_layers()
    hide_dot(monkeypatch, tmp_path)
    sess = tf.Session()
    sess.run(model["init"])
    drawing = draw_graph(session=sess)
    assert drawing.svg is None
    page = drawing._repr_html_()
    assert INSTALL_HINT in page and "apt-get install graphviz" in page
    assert page.count("<details open>") == 6  # layer1, layer1/w, layer2, layer2/w, step, ...
    for op in tf.get_default_graph().get_operations():
        assert op.name.rpartition("/")[2] in page
    assert "← x, layer1/w/read" in page  # inputs named as TF names tensors
    assert "^layer1/w/Assign" in page  # control inputs in GraphDef's notation
    assert "Set aside: initializer groups" in page
    assert page.count(": initialized") == 3
    assert "HTML list" in repr(drawing)


@needs_dot
def test_the_same_graph_draws_the_same_svg():
    two_layers()
    first = draw_graph().svg
    assert draw_graph().svg == first
    tf.reset_default_graph()
    two_layers()  # a new graph of new objects: ids do not depend on them
    assert draw_graph().svg == first
    assert "graphviz version" not in first  # differs between machines


@needs_dot
def test_ten_thousand_variables_are_capped_with_a_note():
    for i in range(10_000):
        tf.Variable(0.0, name=f"v{i}")
    tf.global_variables_initializer()
    graph = tf.get_default_graph()
    drawing = draw_graph(max_nodes=60)
    nodes = svg_nodes(drawing.svg)
    assert len(nodes) <= 60 + 1  # the nodes, and one "more" note
    assert "more" in nodes
    # 60 nodes: init, 58 variables (collapsed scopes of 4 ops each), and the note
    assert list(nodes.values()).count("node scope collapsed") == 58
    assert f"{(10_000 - 58) * 4:,} more ops not drawn" in drawing.svg
    assert f"{len(graph.get_operations()):,} ops:" in drawing.svg
    assert "runs 10,000 ops" in drawing.svg
    assert dashed_edges(drawing.svg) == 0  # init's 10,000 control edges summarized


@needs_dot
def test_big_scopes_are_collapsed_into_one_node_with_their_op_count():
    for layer in range(3):
        with tf.name_scope(f"layer{layer}"):
            for i in range(50):
                tf.Variable(0.0, name=f"v{i}")
    with tf.name_scope("small"):
        tf.constant(1.0, name="c")
    svg = draw_graph(max_nodes=30).svg
    nodes = svg_nodes(svg)
    assert list(nodes.values()).count("node scope collapsed") == 3
    assert svg.count("200 ops (collapsed)") == 3
    assert "600 ops are inside collapsed scopes" in svg
    assert ">small/<" in svg and ">c<" in svg  # a small scope still opens


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="max_nodes must be an int of at least 2, got 1"):
        draw_graph(max_nodes=1)
    with pytest.raises(TypeError, match="expects a tf.Graph"):
        draw_graph("graph")
    with pytest.raises(ValueError, match="session runs another graph"):
        draw_graph(tf.Graph(), tf.Session())


@needs_dot
def test_jupyter_shows_the_svg_inline_in_html_alone(ipython):
    tf.Variable(1.0, name="v")
    data, _ = ipython.display_formatter.format(draw_graph())
    assert set(data) == {"text/plain", "text/html"}
    assert "<svg" in data["text/html"]
    assert data["text/plain"] == "<GraphDrawing of 4 ops: SVG by Graphviz>"


@needs_dot
def test_every_node_and_edge_has_a_tooltip_that_names_it():
    model = two_layers()
    graph = tf.get_default_graph()
    svg = draw_graph().svg
    tips = tooltips(svg)
    w = model["w"].op
    tip = tips[f"op{graph.get_operations().index(w)}"]
    assert tip.splitlines() == ["layer1/w (VariableV2)", "layer1/w:0: (4, 3) float32_ref"]
    assert "xlink:title" not in svg  # no Graphviz link tooltips: plain SVG <title>s
    edge_titles = re.findall(r'<g id="edge\d+" class="edge">\s*<title>([^<]*)</title>', svg)
    assert "layer1/w → layer1/w/Assign (ref)" in [html.unescape(t) for t in edge_titles]
    assert not [t for t in re.findall(r"<title>([^<]*)</title>", svg) if re.fullmatch(r"op\d+", t)]


@needs_dot
def test_initializer_subgraphs_start_collapsed_into_one_box_per_variable():
    with tf.variable_scope("layer1"):
        w = tf.get_variable("w", [784, 200])
        tf.get_variable("b", [200], initializer=tf.zeros_initializer())
    tf.Variable(tf.random_normal([3, 2], stddev=0.1), name="v")
    graph = tf.get_default_graph()
    drawing = draw_graph()
    nodes = svg_nodes(drawing.svg)
    boxes = [key for key, cls in nodes.items() if cls == "node initializer collapsed"]
    assert len(boxes) == 3
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", drawing.svg)
    assert "glorot_uniform [784, 200]" in texts
    assert "zeros [200]" in texts and "random_normal [3, 2]" in texts
    assert "initializer, 7 ops (collapsed)" in texts
    for op in graph.get_operations():
        if "/Initializer/" in op.name:
            assert f"op{graph.get_operations().index(op)}" not in nodes
    box = tooltips(drawing.svg)[f"init{graph.get_operations().index(w.op)}"]
    assert box.startswith("glorot_uniform [784, 200]: the initial value of layer1/w")
    assert "expand_initializers=True" in drawing.svg
    # the box feeds the variable's Assign, as its ops did
    assert re.search(
        r"glorot_uniform \[784, 200\] → layer1/w/Assign \(data\)", html.unescape(drawing.svg)
    )
    expanded = draw_graph(expand_initializers=True)
    assert "node initializer collapsed" not in svg_nodes(expanded.svg).values()
    assert ">random_uniform/<" in expanded.svg or ">RandomUniform<" in expanded.svg
    assert len(svg_nodes(expanded.svg)) > len(nodes)


def test_without_dot_the_initializer_boxes_are_list_items(monkeypatch, tmp_path):
    with tf.variable_scope("layer1"):
        tf.get_variable("w", [784, 200])
    hide_dot(monkeypatch, tmp_path)
    page = draw_graph().html
    assert "<b>glorot_uniform [784, 200]</b>" in page
    assert "initializer, 7 ops (collapsed)" in page
    assert "RandomUniform" not in page
    assert "RandomUniform" in draw_graph(expand_initializers=True).html


def test_jupyter_shows_the_html_list_without_dot(ipython, monkeypatch, tmp_path):
    tf.Variable(1.0, name="v")
    hide_dot(monkeypatch, tmp_path)
    data, _ = ipython.display_formatter.format(draw_graph())
    assert set(data) == {"text/plain", "text/html"}
    assert "apt-get install graphviz" in data["text/html"]

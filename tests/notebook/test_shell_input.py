"""Typed input with the extension loaded: a bare `init` is Python's, and Tab completes the
arguments of %init and %vars (a real IPython shell, automagic on as IPython's default)."""

import pytest


@pytest.fixture
def graph_cell(nb):
    nb.ok(
        "with tf.variable_scope('layer1'):\n"
        "    w1 = tf.get_variable('w', [3, 2])\n"
        "    b1 = tf.get_variable('b', [2])\n"
        "with tf.variable_scope('layer2'):\n"
        "    w2 = tf.get_variable('w', [2, 1])\n"
    )
    return nb


def test_automagic_is_on_in_the_shell_of_these_tests(nb):
    assert nb.shell.automagic
    assert nb.run("lsmagic").error is None  # a magic without % still runs: automagic


def test_a_bare_init_that_does_not_exist_raises_name_error_instead_of_running_the_magic(
    graph_cell,
):
    ran = graph_cell.run("init")
    assert isinstance(ran.error, NameError)
    assert "name 'init' is not defined" in str(ran.error)
    assert graph_cell.shell.user_ns.get("tf").get_default_session() is None  # %init opened none
    assert "%init" not in ran.text


def test_a_bare_init_variable_is_the_initializer_op_and_sess_run_init_works(graph_cell):
    graph_cell.ok("init = tf.global_variables_initializer()")
    shown = graph_cell.ok("init")
    assert shown.result.result is graph_cell.shell.user_ns["init"]
    ran = graph_cell.ok("sess = tf.Session()\nsess.run(init)\nsess.run(w1).shape")
    assert ran.result.result == (3, 2)


def test_init_with_its_percent_still_runs_the_magic(graph_cell):
    ran = graph_cell.ok("%init")
    assert "%init: ran the initializers of 3 variables" in ran.text


def test_a_bare_graph_is_python_and_a_magic_name_nobody_uses_stays_automagic(graph_cell):
    ran = graph_cell.run("graph")
    assert isinstance(ran.error, NameError)
    graph_cell.ok("graph = tf.get_default_graph()")
    assert graph_cell.ok("graph").result.result is graph_cell.shell.user_ns["graph"]
    assert "explainer is off" in graph_cell.ok("tfteach_explain off").stdout


def test_unloading_gives_automagic_back_to_ipython(bare):
    bare.ok("%load_ext tfteach")
    bare.ok("%unload_ext tfteach")
    assert not any(type(c).__name__ == "PercentOnly" for c in bare.shell.prefilter_manager.checkers)
    assert isinstance(bare.run("init").error, NameError)  # no magic left: plain Python


def completions(nb, line: str) -> list[str]:
    """What a Tab at the end of ``line`` offers, as the kernel asks IPython for it."""
    from IPython.core.completer import provisionalcompleter

    with provisionalcompleter():
        found = nb.shell.Completer.completions(line, len(line))
        return sorted({line[: c.start] + c.text for c in found} - {line})


def test_tab_after_init_offers_the_default_graphs_variables_and_scopes(graph_cell):
    assert completions(graph_cell, "%init lay") == [
        "%init layer1",
        "%init layer1/b",
        "%init layer1/w",
        "%init layer2",
        "%init layer2/w",
    ]
    assert completions(graph_cell, "%init layer2/") == ["%init layer2/w"]
    assert completions(graph_cell, "%init layer1/w layer2") == ["%init layer1/w layer2/w"]


def test_tab_after_vars_scope_and_collection(graph_cell):
    assert completions(graph_cell, "%vars --scope layer1/") == [
        "%vars --scope layer1/b",
        "%vars --scope layer1/w",
    ]
    assert completions(graph_cell, "%vars --collection train") == [
        "%vars --collection trainable_variables"
    ]


def test_tab_completion_follows_a_new_graph(graph_cell):
    graph_cell.ok("%%graph\nv = tf.get_variable('other', [1])")
    assert completions(graph_cell, "%init ") == ["%init other"]
    assert completions(graph_cell, "%init lay") == []


def test_tab_elsewhere_is_ipythons_own_completion(graph_cell):
    graph_cell.ok("layer_count = 3")
    assert completions(graph_cell, "lay") == ["layer_count"]


def test_unload_removes_the_completer(graph_cell):
    graph_cell.ok("%unload_ext tfteach")
    assert not any("/" in c for c in completions(graph_cell, "%init lay"))

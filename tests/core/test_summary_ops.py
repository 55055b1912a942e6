"""tf.summary ops: names, tags, collections, what a run returns, and TF's errors.

Cases marked "TF" are checked against tests/fixtures/tf_summaries.json, recorded from
tensorflow-cpu 2.21.0 by tools/record_tf_summaries.py.
"""

import json
import logging
import math
import os
import subprocess
import sys

import numpy as np
import pytest
from google.protobuf import json_format
from tensorboard.compat.proto import summary_pb2

import tfteach as tf
from tfteach.core import summary_protos
from tfteach.core.graph_def import as_graph_def
from tfteach.core.summary_ops import default_bucket_limits

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "fixtures", "tf_summaries.json")
with open(FIXTURE) as f:
    TF = json.load(f)["cases"]


def decoded(value: bytes) -> summary_pb2.Summary:
    assert isinstance(value, bytes)
    return summary_pb2.Summary.FromString(value)


def run(fetch, init=False):
    with tf.Session() as sess:
        if init:
            sess.run(tf.global_variables_initializer())
        return sess.run(fetch)


def op_count() -> int:
    return len(tf.get_default_graph().get_operations())


# -- the recorded TF programs ---------------------------------------------------------------


def run_case(code: str):
    ns = {"tf": tf, "np": np}
    exec(code, ns)
    graph = tf.get_default_graph()
    ops = [
        {"name": op.name, "type": op.type, "inputs": [t.name for t in op.inputs]}
        for op in graph.get_operations()
        if op.type.endswith(("Summary", "SummaryV2"))
    ]
    return ns, ops


@pytest.mark.parametrize("case", sorted(TF))
def test_summary_ops_and_values_match_tf(case):
    """TF: the summary ops' names, types and inputs, and ``sess.run``'s decoded Summary
    (or the run-time error) are those TensorFlow 2.21 gave for the same program."""
    recorded = TF[case]
    ns, ops = run_case(recorded["code"])
    assert ops == recorded["ops"]
    try:
        value = run(ns["fetch"], init=ns.get("needs_init", False))
    except tf.errors.OpError as e:
        assert recorded["error"] == {"type": type(e).__name__, "message": e.message}
        return
    assert recorded["error"] is None
    mine = json_format.MessageToDict(decoded(value))
    theirs = recorded["summary"]
    for m, t in zip(mine["value"], theirs["value"], strict=True):
        if "histo" in t:  # sums are added in float64 in the same order: equal to the last bit
            for key in ("sum", "sumSquares"):
                assert math.isclose(
                    m["histo"].pop(key, 0.0), t["histo"].pop(key, 0.0), rel_tol=1e-15
                )
    assert mine == theirs


def test_graph_def_of_a_layer_matches_tf():
    """TF: the exported GraphDef of a layer (get_variable, Variable, matmul, a control
    dependency): node names, op types, inputs with ^control, _class and _output_shapes,
    and only attributes TF has too."""
    recorded = TF["graph_layer"]
    ns, _ = run_case(recorded["code"])
    scope = ns["graph_scope"]
    nodes = [
        n
        for n in as_graph_def(tf.get_default_graph()).node
        if any(n.name == s or (s.endswith("/") and n.name.startswith(s)) for s in scope)
    ]
    assert [n.name for n in nodes] == [r["name"] for r in recorded["graph"]]
    for node, theirs in zip(nodes, recorded["graph"]):
        assert node.op == theirs["op"], node.name
        assert list(node.input) == theirs["input"], node.name
        got_class = (
            [s.decode() for s in node.attr["_class"].list.s] if "_class" in node.attr else []
        )
        assert got_class == theirs["_class"], node.name
        shapes = [[d.size for d in s.dim] for s in node.attr["_output_shapes"].list.shape]
        assert shapes == theirs["_output_shapes"], node.name
        mine = {k for k in node.attr if not k.startswith("_")}
        assert mine <= set(theirs["attrs"]), node.name


# -- building: names, tags, collections -----------------------------------------------------


def test_scalar_is_a_string_op_named_after_the_summary_in_the_summaries_collection():
    x = tf.constant(3.0)
    s = tf.summary.scalar("loss", x)
    assert (s.name, s.op.type, s.dtype, s.shape.as_list()) == (
        "loss:0",
        "ScalarSummary",
        tf.string,
        [],
    )
    assert tf.get_collection(tf.GraphKeys.SUMMARIES) == [s]
    assert decoded(run(s)).value[0].simple_value == 3.0


def test_tags_carry_the_name_scope_and_stay_unique():
    with tf.name_scope("train"):
        a = tf.summary.scalar("loss", 1.0)
    b = tf.summary.scalar("loss", 2.0)
    c = tf.summary.scalar("loss", 3.0)
    tags = [decoded(run(t)).value[0].tag for t in (a, b, c)]
    assert tags == ["train/loss", "loss", "loss_1"]


def test_family_prefixes_the_tag():
    s = tf.summary.scalar("f", 1.0, family="fam")
    assert s.op.name == "fam/f"
    assert decoded(run(s)).value[0].tag == "fam/fam/f"


def test_bad_characters_are_replaced_with_tfs_message(caplog):
    with caplog.at_level(logging.INFO, logger="tfteach"):
        s = tf.summary.scalar("bad name!", 1.0)
        lead = tf.summary.scalar("/lead", 1.0)
    assert (s.op.name, lead.op.name) == ("bad_name_", "lead")
    assert "Summary name bad name! is illegal; using bad_name_ instead." in caplog.messages
    assert "Summary name /lead is illegal; using lead instead." in caplog.messages


def test_collections_argument_chooses_the_collections():
    quiet = tf.summary.scalar("quiet", 1.0, collections=[])
    mine = tf.summary.histogram("mine", [1.0], collections=["mine"])
    assert tf.get_collection(tf.GraphKeys.SUMMARIES) == []
    assert tf.get_collection("mine") == [mine]
    assert tf.summary.merge_all() is None
    assert quiet.op.type == "ScalarSummary"


def test_merge_all_merges_the_collection_filtered_by_scope():
    with tf.name_scope("a"):
        a = tf.summary.scalar("x", 1.0)
    tf.summary.scalar("b", 2.0)
    only_a = tf.summary.merge_all(scope="a")
    assert only_a.op.inputs == (a,)
    merged = tf.summary.merge_all(name="everything")
    assert merged.op.name == "everything/everything"
    assert merged.op.get_attr("N") == 2
    assert [v.tag for v in decoded(run(merged)).value] == ["a/x", "b"]


def test_a_summary_of_a_placeholder_runs_with_a_feed():
    x = tf.placeholder(tf.float32, [], name="x")
    s = tf.summary.scalar("x", x)
    with tf.Session() as sess:
        assert decoded(sess.run(s, {x: 4.5})).value[0].simple_value == 4.5


def test_histogram_counts_every_value_in_tfs_buckets():
    values = np.random.RandomState(1).uniform(-5, 5, size=500)
    histo = decoded(run(tf.summary.histogram("h", tf.constant(values)))).value[0].histo
    assert histo.num == 500 and sum(histo.bucket) == 500
    assert (histo.min, histo.max) == (values.min(), values.max())
    limits = np.array(histo.bucket_limit)
    assert np.all(np.diff(limits) > 0) and set(limits) <= set(default_bucket_limits())
    # each non-empty bucket holds the values between the previous limit and its own
    lower = np.concatenate([[-np.inf], limits[:-1]])
    expected = [np.sum((values >= lo) & (values < hi)) for lo, hi in zip(lower, limits)]
    assert list(histo.bucket) == expected


# -- bad input: TF's errors, and the graph as it was ---------------------------------------


def test_scalar_of_a_string_is_tfs_type_error_and_adds_nothing():
    s = tf.constant("text")
    before = op_count()
    with pytest.raises(TypeError, match="Value passed to parameter 'values' has DataType string"):
        tf.summary.scalar("s", s)
    assert op_count() == before
    assert tf.get_collection(tf.GraphKeys.SUMMARIES) == []
    assert tf.summary.scalar("s", 1.0).op.name == "s"  # the name was not used up


def test_text_needs_a_string_tensor():
    x = tf.constant(1.0)
    before = op_count()
    with pytest.raises(
        ValueError, match=r"Expected tensor Const:0 to have dtype string, got <dtype: 'float32'>"
    ):
        tf.summary.text("t", x)
    assert op_count() == before


def test_merge_rejects_no_inputs_and_non_strings():
    x = tf.constant(1.0)
    before = op_count()
    with pytest.raises(ValueError, match="with length 0 shorter than minimum length 1"):
        tf.summary.merge([])
    with pytest.raises(
        TypeError, match=r"have types \[float32\] that do not match expected type string"
    ):
        tf.summary.merge([x])
    assert op_count() == before


def test_non_scalar_fails_at_run_time_not_at_build_time():
    s = tf.summary.scalar("vec", tf.constant([1.0, 2.0]))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"\[\] != \[2\] \(tag 'vec'\)"):
        run(s)


def test_missing_tensorboard_names_the_extra_and_leaves_the_graph(monkeypatch):
    monkeypatch.setattr(summary_protos, "_loaded", None)
    monkeypatch.setitem(sys.modules, "tensorboard.compat.proto", None)
    x = tf.constant(1.0)
    before = op_count()
    with pytest.raises(ImportError, match=r"pip install 'tfteach\[tensorboard\]'"):
        tf.summary.scalar("loss", x)
    with pytest.raises(ImportError, match=r"tfteach\[tensorboard\]"):
        tf.summary.FileWriter("/nonexistent/never-made")
    assert op_count() == before
    assert not os.path.exists("/nonexistent/never-made")


def test_import_tfteach_does_not_import_tensorboard_or_protobuf():
    code = (
        "import sys, tfteach, tfteach.summary; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('tensorboard', 'google')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"

"""tfteach against recorded TensorFlow: each case's code runs with ``tf = tfteach``.

The oracle is tests/fixtures/tf1_reference.json, recorded from real TensorFlow
(tensorflow-cpu 2.21.0, ``tensorflow.compat.v1`` after ``disable_v2_behavior()``)
by tools/record_tf_reference.py; the ``tf.layers`` cases (section ``legacy_keras``) with
tf_keras 2.21.0 and ``TF_USE_LEGACY_KERAS=1``, in a second process. A case passes when
tfteach prints the same stdout and, if TF raised, raises the same exception type with the
same first line of message (``message_head``).

Topics join ``TOPICS`` as they are implemented. A case that needs an API
tfteach does not have yet is listed in ``NEEDS`` with that API; it is skipped
(with the reason) only while the API is missing, so it runs as soon as it exists.
"""

from __future__ import annotations

import contextlib
import io
import json
import pathlib
import re

import numpy as np
import pytest

import tfteach

FIXTURE = pathlib.Path(__file__).parent / "fixtures" / "tf1_reference.json"

TOPICS = {
    "graph",
    "variables",
    "session",
    "init",
    "sharing",
    "initializers",
    "training",
    "checkpoint",
    "breadth",
    "metrics",
    "layers",
    "feature_column",
}

# Deliberate differences, each with its reason; they run as strict xfails, so a case that
# starts to match (or a reason that stops applying) is noticed.
DIFFERENCES = {
    "graph_tensor_bool_truth_error": "TF 2.x's OperatorNotAllowedInGraphError advises eager "
    "mode and @tf.function; tfteach keeps TF 1.x's TypeError wording, which fits TF1 code",
    "var_tensor_has_no_assign": "TF 2.21 names its class SymbolicTensor; TF 1.x and "
    "document 003 say 'Tensor', as tfteach does",
    "session_feed_incompatible_dtype": "tfteach's message names the tensor and dtype before "
    "numpy's 'could not convert string to float' text",
    "init_report_uninitialized": "one op of type ReportUninitializedVariables (named as TF's "
    "tensor) instead of TF's boolean_mask subgraph ending in GatherV2",
    "init_initialized_value": "one op of type InitializedValue (named cond/Merge as in TF) "
    "instead of TF's cond subgraph ending in Merge",
    "initializers_keras_initializer_kind": "TF 2.21's compat.v1 keras is Keras 3 (stateless "
    "ops, input_axes); tfteach keeps TF1's tf.keras.initializers",
    "checkpoint_save_global_step": "tfteach writes its own documented format "
    "(P.index.json, P.data-NNNNN.npz), not TF's P.index/P.data-00000-of-00001/P.meta",
    "checkpoint_save_without_global_step": "as above: tfteach's own checkpoint file names",
    "checkpoint_max_to_keep": "as above: tfteach's own checkpoint file names",
    "breadth_learning_rate_schedules": "the values match; TF builds piecewise_constant from "
    "tf.case (its output is PiecewiseConstant/case/cond/Merge), tfteach from where ops",
}

# case id -> the dotted tfteach name the case needs
NEEDS = {
    "sharing_regularizer_collection": "losses.get_regularization_losses",
    "sharing_doc002_conv_relu_fails": "nn.conv2d",
    "sharing_doc002_my_image_filter_reuse_true": "nn.conv2d",
    "sharing_doc002_my_image_filter_reuse_variables": "nn.conv2d",
}


def _recorded() -> list:
    """Every recorded case: the main pass's and the legacy Keras pass's (``tf.layers``
    exists in TF 2.21 only with tf_keras and ``TF_USE_LEGACY_KERAS=1``)."""
    fixture = json.loads(FIXTURE.read_text())
    return fixture["cases"] + fixture["legacy_keras"]["cases"]


def _cases() -> list:
    cases = _recorded()
    return [
        pytest.param(c, marks=pytest.mark.xfail(reason=DIFFERENCES[c["id"]], strict=True))
        if c["id"] in DIFFERENCES
        else c
        for c in cases
        if c["topic"] in TOPICS
    ]


def _has(dotted: str) -> bool:
    obj = tfteach
    for part in dotted.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            return False
    return True


# TF 2.x describes the failing node as '{{node Assign}} = Assign[T=DT_INT32, ...](v, x)';
# TF 1.x, and tfteach, as 'Assign' (op: 'Assign').
_NODE_TEXT = re.compile(r"'\{\{node ([^}]+)\}\} = (\w+)\[[^\]]*\]\([^)]*\)'")


def message_head(message: str) -> str:
    """The first line of an error, cut where TF starts its traceback (as the recorder does)."""
    cuts = [i for i in (message.find("\n"), message.find(" Originally defined at")) if i >= 0]
    head = (message[: min(cuts)] if cuts else message).strip()
    return _NODE_TEXT.sub(r"'\1' (op: '\2')", head)


def run_case(code: str, case_id: str):
    """Runs ``code`` as the recorder ran it; returns (stdout, exception or None)."""
    namespace = {"tf": tfteach, "np": np, "__name__": "__tfref_case__"}
    out = io.StringIO()
    saved = np.get_printoptions()
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(code, f"<{case_id}>", "exec"), namespace)
    except Exception as e:  # the exception is what the case compares
        return out.getvalue(), e
    finally:
        np.set_printoptions(**saved)
    return out.getvalue(), None


@pytest.mark.parametrize("case", _cases(), ids=lambda c: c["id"])
def test_matches_tensorflow(case):
    need = NEEDS.get(case["id"])
    if need is not None and not _has(need):
        pytest.skip(f"needs tf.{need}, which tfteach does not have yet")
    stdout, error = run_case(case["code"], case["id"])
    expected = case["error"]
    if expected is None and error is not None:
        raise AssertionError(f"TensorFlow raised nothing; tfteach raised {error!r}") from error
    assert stdout == case["stdout"]
    if expected is not None:
        assert error is not None, f"TensorFlow raised {expected['type']}; tfteach did not"
        text = str(error.args[0]) if isinstance(error, KeyError) and error.args else str(error)
        assert (type(error).__name__, message_head(text)) == (
            expected["type"],
            message_head(expected["message_head"]),
        )


def test_needs_and_differences_tables_name_real_cases():
    # a renamed or removed case must not leave a stale skip or xfail behind
    ids = {c["id"] for c in _recorded()}
    assert set(NEEDS) <= ids
    assert set(DIFFERENCES) <= ids

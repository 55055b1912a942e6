"""Seeded random ops give TensorFlow's own numbers, bit for bit.

The oracle is tests/fixtures/tf_random_reference.json, recorded from real TensorFlow
(tensorflow-cpu 2.21.0, ``tensorflow.compat.v1``, CPU, Linux/glibc) by
tools/record_tf_random.py: each case's code runs again here with ``tf = tfteach`` and must
fetch arrays with exactly the recorded bytes (dtype and shape included) and print the same.
``multinomial``'s values depend on how many CPU threads TensorFlow splits its rows among;
the fixture says how many TensorFlow had, and the cases run with as many.
"""

from __future__ import annotations

import contextlib
import io
import json
import pathlib

import numpy as np
import pytest

import tfteach
from tfteach.core import philox

FIXTURE = pathlib.Path(__file__).parent.parent / "fixtures" / "tf_random_reference.json"
REFERENCE = json.loads(FIXTURE.read_text())
CASES = REFERENCE["cases"]
# Cases equal to TensorFlow's only up to rounding, each with its reason.
APPROXIMATE = {
    "initializer_orthogonal": "the normals are TF's, but the QR decomposition is numpy's "
    "(LAPACK), not Eigen's Householder QR: equal to a few units in the last place",
}


def run_case(case) -> tuple[list[np.ndarray], str]:
    results, out = [], io.StringIO()
    with tfteach.Graph().as_default(), contextlib.redirect_stdout(out):
        code = compile(case["code"], f"<{case['id']}>", "exec")
        exec(code, {"tf": tfteach, "np": np, "results": results})
    return [np.ascontiguousarray(r) for r in results], out.getvalue()


def test_the_fixture_covers_what_issue_18_asks_for():
    assert len(CASES) >= 30
    dtypes = {r["dtype"] for c in CASES for r in c["results"]}
    assert {"float16", "float32", "float64", "int32", "int64"} <= dtypes
    programs = "".join(c["code"] for c in CASES)
    assert "tf.random_shuffle(" in programs and "tf.multinomial(" in programs


@pytest.mark.parametrize(
    "case", [c for c in CASES if c["id"] not in APPROXIMATE], ids=lambda c: c["id"]
)
def test_seeded_values_are_tensorflows_bit_for_bit(case, monkeypatch):
    monkeypatch.setenv("TF_NUM_INTRAOP_THREADS", str(REFERENCE["tf_num_intraop_threads"]))
    results, stdout = run_case(case)
    assert stdout == case["stdout"]
    assert len(results) == len(case["results"])
    for i, (got, want) in enumerate(zip(results, case["results"])):
        assert (str(got.dtype), list(got.shape)) == (want["dtype"], want["shape"]), i
        expected = np.frombuffer(bytes.fromhex(want["hex"]), dtype=want["dtype"])
        differ = np.flatnonzero(got.reshape(-1).view(np.uint8) != expected.view(np.uint8))
        assert got.tobytes() == expected.tobytes(), (
            f"result {i}: {differ.size} bytes differ, first values {got.reshape(-1)[:4]} "
            f"(TensorFlow: {expected[:4]})"
        )


@pytest.mark.parametrize(
    "case", [c for c in CASES if c["id"] in APPROXIMATE], ids=lambda c: c["id"]
)
def test_seeded_values_are_tensorflows_up_to_rounding_where_noted(case):
    results, _ = run_case(case)
    for got, want in zip(results, case["results"], strict=True):
        expected = np.frombuffer(bytes.fromhex(want["hex"]), dtype=want["dtype"])
        assert got.dtype == expected.dtype
        np.testing.assert_allclose(got.reshape(-1), expected, rtol=1e-5, atol=1e-6)


def test_approximate_cases_are_recorded_cases():
    assert set(APPROXIMATE) <= {c["id"] for c in CASES}


def test_each_run_moves_the_stream_256_blocks_a_value():
    # random_op.cc reserves 256 counter blocks per output value, whatever the distribution
    first, offset = philox.uniform(1, 2, 0, (3,), np.float32)
    assert offset == 3 * 256
    second, _ = philox.uniform(1, 2, offset, (3,), np.float32)
    words = philox.philox(1, 2, np.array([0, 768], dtype=np.uint64))
    assert np.array_equal(first, philox.uint32_to_float(words[0, :3]))
    assert np.array_equal(second, philox.uint32_to_float(words[1, :3]))


def test_philox_matches_the_published_known_answer():
    # Random123's known-answer test for philox4x32-10: counter = key = all ones
    assert [hex(w) for w in philox.philox_block(2**64 - 1, 2**128 - 1)] == [
        "0x408f276d",
        "0x41c83b0e",
        "0xa20bc7c6",
        "0x6d5451fd",
    ]


@pytest.mark.parametrize("count", [1, 4, 12, 37])  # few blocks go one by one, more vectorised
def test_vectorised_philox_is_the_plain_block_function(count):
    rng = np.random.default_rng(count)
    seed, seed2 = (int(s) for s in rng.integers(0, 2**63, 2))
    blocks = rng.integers(0, 2**63, count, dtype=np.uint64)
    expected = [philox.philox_block(seed, (seed2 << 64) | int(b)) for b in blocks]
    assert philox.philox(seed, seed2, blocks).tolist() == [list(w) for w in expected]


def test_unseeded_ops_differ_between_sessions():
    r = tfteach.random_uniform([4])
    with tfteach.Session() as a, tfteach.Session() as b:
        assert not np.array_equal(a.run(r), b.run(r))


def _libm():
    import ctypes
    import ctypes.util
    import platform

    if platform.libc_ver()[0] != "glibc":
        pytest.skip("compares with glibc's libm")
    libm = ctypes.CDLL(ctypes.util.find_library("m"))
    for name in ("logf", "sinf", "cosf"):
        getattr(libm, name).restype = ctypes.c_float
        getattr(libm, name).argtypes = [ctypes.c_float]
    return libm


def _floats(low, high, count, seed):
    """``count`` float32 values in [low, high): random bit patterns, both ends, tiny ones."""
    lo, hi = np.array([low, high], dtype=np.float32).view(np.int32)
    bits = np.random.default_rng(seed).integers(lo, hi, count, dtype=np.int32)
    edges = np.array([lo, lo + 1, hi - 1], dtype=np.int32)
    return np.concatenate([bits, edges]).view(np.float32)


def test_logf_is_glibcs_to_the_last_bit():
    libm = _libm()
    x = _floats(1e-7, 1.0, 20_000, seed=1)
    assert np.array_equal(philox.logf(x), np.array([libm.logf(v) for v in x], np.float32))


def test_sincosf_is_glibcs_to_the_last_bit():
    libm = _libm()
    x = np.concatenate([_floats(0, 2**-12, 200, 2), _floats(2**-12, 6.2831855, 20_000, 3)])
    sin, cos = philox.sincosf(x)
    assert np.array_equal(sin, np.array([libm.sinf(v) for v in x], np.float32))
    assert np.array_equal(cos, np.array([libm.cosf(v) for v in x], np.float32))

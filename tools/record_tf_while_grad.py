#!/usr/bin/env python3
"""Run the programs of tests/core/while_grad_programs.py (gradients through tf.while_loop)
on real TensorFlow and record their values and gradient names, as
tests/fixtures/while_grad_reference.json.

Run with a Python that has TensorFlow 2.21 installed (never needed by tfteach itself):

    /work/tfvenv/bin/python tools/record_tf_while_grad.py

Each program runs on ``tensorflow.compat.v1`` after ``tf.disable_v2_behavior()`` (TF1's
while loop, with Enter/Exit ops and stacks for the gradient), on a fresh default graph,
exactly as tests/core/test_while_grad.py runs it on tfteach. The programs draw no random
numbers, so tfteach must reproduce every value (to float32 rounding) and name.
"""

import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import recorded_fixture
import tensorflow as tf_root
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
tf.logging.set_verbosity(tf.logging.ERROR)

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(REPO, "tests", "fixtures", "while_grad_reference.json")
sys.path.insert(0, os.path.join(REPO, "tests", "core"))

from while_grad_programs import PROGRAMS  # noqa: E402


def main() -> None:
    recorded = {}
    for name, program in sorted(PROGRAMS.items()):
        tf.reset_default_graph()
        recorded[name] = program(tf)
        print(name, recorded[name])
    recorded_fixture.write(
        OUT,
        source="tools/record_tf_while_grad.py running tests/core/while_grad_programs.py",
        tensorflow_version=tf_root.__version__,
        notes="values (float32, as float64 lists) and the names of the tensors "
        "tf.gradients returned (null: it returned None); tfteach must match both",
        programs=recorded,
    )


if __name__ == "__main__":
    main()

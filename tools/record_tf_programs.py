#!/usr/bin/env python3
"""Run the corpus of TF1 programs (tests/programs/corpus.py) on real TensorFlow and record
what each builds and reaches, as tests/fixtures/tf1_programs.json.

Run with a Python that has TensorFlow 2.21 installed (never needed by tfteach itself):

    /work/tfvenv/bin/python tools/record_tf_programs.py

Each program runs on ``tensorflow.compat.v1`` after ``tf.disable_v2_behavior()``, on a fresh
default graph with graph seed 0, exactly as tests/programs/test_corpus.py runs it on tfteach.
Recorded per program: its variables (name and shape, by collection) and the graph's collection
keys, which tfteach must match, and its figures (first and last loss, accuracy), which are for
reading only: TF's random draws differ from tfteach's.
"""

import os
import sys
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np
import recorded_fixture
import tensorflow as tf_root
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
tf.logging.set_verbosity(tf.logging.ERROR)

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(REPO, "tests", "fixtures", "tf1_programs.json")
sys.path.insert(0, os.path.join(REPO, "tests", "programs"))

from corpus import PROGRAMS, graph_facts  # noqa: E402


def plain(value):
    """A program's figure as JSON (numpy scalars to Python numbers)."""
    if isinstance(value, (np.floating, float)):
        return round(float(value), 6)
    if isinstance(value, (np.integer, np.bool_)):
        return value.item()
    return value


def main() -> None:
    recorded = {}
    for name, (program, _, _) in sorted(PROGRAMS.items()):
        tf.reset_default_graph()
        tf.set_random_seed(0)
        with tempfile.TemporaryDirectory() as workdir:
            result = program(tf, workdir)
        recorded[name] = {
            "facts": graph_facts(tf),
            "figures": {key: plain(value) for key, value in result.items()},
        }
        print(name, recorded[name]["figures"])
    recorded_fixture.write(
        OUT,
        source="tools/record_tf_programs.py running tests/programs/corpus.py",
        tensorflow_version=tf_root.__version__,
        notes="facts must match tfteach; figures differ (other random draws) and are "
        "recorded for reading only",
        programs=recorded,
    )


if __name__ == "__main__":
    main()

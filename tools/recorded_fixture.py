"""Writing a recorded fixture: the JSON file of what programs gave on real TensorFlow, with
where it came from (the recorder, TensorFlow's, numpy's and Python's versions)."""

import json
import sys

import numpy as np


def write(path: str, *, source: str, tensorflow_version: str, notes: str, programs: dict):
    """Writes ``programs`` (name -> what it recorded) to ``path`` with its provenance."""
    fixture = {
        "source": source,
        "tensorflow_version": tensorflow_version,
        "numpy_version": np.__version__,
        "python_version": sys.version.split()[0],
        "notes": notes,
        "programs": programs,
    }
    with open(path, "w") as f:
        json.dump(fixture, f, indent=1, sort_keys=True)
        f.write("\n")

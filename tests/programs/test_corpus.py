"""The corpus of TF1 tutorial-style programs (corpus.py) run on tfteach: each trains to
its target, and builds the variables and collections TF 2.21 builds for the same code
(tests/fixtures/tf1_programs.json, recorded by tools/record_tf_programs.py)."""

from __future__ import annotations

import json
import pathlib

import pytest
from corpus import PROGRAMS, graph_facts

import tfteach as tf

RECORDED_FILE = pathlib.Path(__file__).parents[1] / "fixtures" / "tf1_programs.json"
RECORDED = json.loads(RECORDED_FILE.read_text())["programs"]

# collection keys TF's graph has and tfteach's does not, and why
TF_ONLY_KEYS = {
    # TF keeps its CondContext / WhileContext objects in these; tfteach's cond and
    # while_loop keep no such objects
    "control_flow": {"cond_context", "while_context"},
    # TF's tracing of the map function asks for the local-variables collection, which
    # makes the key (with nothing in it)
    "data_pipeline": {"local_variables"},
}
# programs whose first loss depends on draws tfteach does not make as TF does
OTHER_DRAWS = {
    "data_pipeline": "the shuffle buffer's order",
    "word2vec": "the log-uniform candidate sampler",
}


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    tf.set_random_seed(0)


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_the_program_trains(name, tmp_path):
    program, max_ratio, min_accuracy = PROGRAMS[name]
    result = program(tf, str(tmp_path))
    assert result["last"] < max_ratio * result["first"], result
    if min_accuracy is not None:
        assert result["accuracy"] >= min_accuracy, result


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_the_program_builds_what_tf_builds(name, tmp_path):
    program = PROGRAMS[name][0]
    program(tf, str(tmp_path))
    facts, recorded = graph_facts(tf), dict(RECORDED[name]["facts"])
    keys, tf_keys = set(facts.pop("collection_keys")), set(recorded.pop("collection_keys"))
    assert facts == recorded
    assert keys <= tf_keys
    assert tf_keys - keys == TF_ONLY_KEYS.get(name, set())


@pytest.mark.parametrize("name", sorted(set(PROGRAMS) - set(OTHER_DRAWS)))
def test_the_program_starts_from_tfs_exact_numbers(name, tmp_path):
    # seeded random ops give TF's own numbers, so the untrained loss is TF's
    result = PROGRAMS[name][0](tf, str(tmp_path))
    assert result["first"] == pytest.approx(RECORDED[name]["figures"]["first"], rel=1e-4)


def test_the_programs_own_checks(tmp_path_factory):
    def _tmp() -> str:
        return str(tmp_path_factory.mktemp("corpus"))

    tf.reset_default_graph()
    saved = PROGRAMS["save_and_restore"][0](tf, _tmp())
    assert saved["restored_exactly"] and saved["checkpoint"] == "model.ckpt-50"
    assert saved["global_step"] == 50
    tf.reset_default_graph()
    flow = PROGRAMS["control_flow"][0](tf, _tmp())
    assert abs(flow["sqrt10"] - 10**0.5) < 1e-5
    tf.reset_default_graph()
    assert PROGRAMS["tensorboard_summaries"][0](tf, _tmp())["event_files"] == 1
    tf.reset_default_graph()
    assert PROGRAMS["word2vec"][0](tf, _tmp())["unit_norms"]

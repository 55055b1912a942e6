import pytest
from hypothesis import HealthCheck, settings

import tfteach as tf

# Random programs (tests/fuzz): "ci", the default, runs in about a minute; "long" is the
# campaign run by hand (`pytest -m fuzz --hypothesis-profile=long`). No example database:
# a run writes no files, and a failure prints its program to replay.
_FUZZ = {"deadline": None, "database": None, "suppress_health_check": [HealthCheck.too_slow]}
settings.register_profile("ci", max_examples=3000, **_FUZZ)
settings.register_profile("long", max_examples=10_000, **_FUZZ)
settings.load_profile("ci")


@pytest.fixture(autouse=True)
def fresh_default_graph():
    """Every test starts on a new, empty default graph and no default session."""
    tf.reset_default_graph()
    yield
    tf.reset_default_graph()

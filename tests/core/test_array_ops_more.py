"""More array ops TF1 tutorials use (issue 20)."""

from test_gradients import check_gradients, rand

import tfteach as tf

# -- a gather whose params have an unknown first dimension -----------------------------------


def test_gradient_of_gather_from_params_of_unknown_length():
    check_gradients(lambda t: tf.gather(t, [2, 0, 2]), rand(4, 3), static_shapes=[[None, 3]])
    check_gradients(lambda t: tf.gather(t, [1, 1], axis=1), rand(4, 3), static_shapes=[[4, None]])

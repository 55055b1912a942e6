import tfteach as tf


def test_reinitializing_resets_an_assigned_variable():
    v = tf.Variable(1.0, name="my_variable")
    init = tf.global_variables_initializer()
    with tf.Session() as sess:
        sess.run(init)
        sess.run(v.assign(2.0))
        assert sess.run(v) == 2.0
        sess.run(init)
        assert sess.run(v) == 1.0

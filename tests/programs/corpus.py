"""A corpus of complete TF1 programs in the style of well-known public tutorials (logistic
regression, a multilayer perceptron, a raw CNN, an autoencoder, a VAE, a GAN, save and
restore, metrics, control flow, tf.data, TensorBoard summaries, word2vec).

Each program is a function of the TF module it runs on, so the very same code runs on
tfteach (tests/programs/test_corpus.py) and on TensorFlow 2.21's compat.v1
(tools/record_tf_programs.py, which records what TF builds into
tests/fixtures/tf1_programs.json). A program builds its graph in the default graph,
trains on small synthetic data, and returns its figures: ``first`` and ``last`` loss
and, for classifiers, ``accuracy``. `graph_facts` reads what it built.
"""

from __future__ import annotations

import os

import numpy as np


def blobs(n: int = 200, dim: int = 4, classes: int = 2, seed: int = 0):
    """``classes`` Gaussian blobs in ``dim`` dimensions: inputs, labels, one-hot labels."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, classes, n)
    centres = rng.normal(0, 2.5, (classes, dim))
    xs = (rng.normal(size=(n, dim)) + centres[labels]).astype(np.float32)
    return xs, labels, np.eye(classes, dtype=np.float32)[labels]


def images(n: int = 64, seed: int = 2):
    """8x8 one-channel images; class 1 has a bright square in the middle."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, n)
    xs = rng.normal(0, 0.5, (n, 8, 8, 1)).astype(np.float32)
    xs[labels == 1, 2:6, 2:6, 0] += 1.5
    return xs, labels, np.eye(2, dtype=np.float32)[labels]


def logistic_regression(tf, workdir):
    """Softmax regression as the classic MNIST example writes it (zeros, GD)."""
    xs, _, onehot = blobs(classes=3)
    x = tf.placeholder(tf.float32, [None, 4])
    y = tf.placeholder(tf.float32, [None, 3])
    W = tf.Variable(tf.zeros([4, 3]))
    b = tf.Variable(tf.zeros([3]))
    pred = tf.nn.softmax(tf.matmul(x, W) + b)
    cost = tf.reduce_mean(-tf.reduce_sum(y * tf.log(pred), reduction_indices=1))
    optimizer = tf.train.GradientDescentOptimizer(0.1).minimize(cost)
    correct = tf.equal(tf.argmax(pred, 1), tf.argmax(y, 1))
    accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
    init = tf.global_variables_initializer()
    with tf.Session() as sess:
        sess.run(init)
        first = sess.run(cost, {x: xs, y: onehot})
        for _epoch in range(25):
            for i in range(0, 200, 50):
                sess.run(optimizer, {x: xs[i : i + 50], y: onehot[i : i + 50]})
        last, acc = sess.run([cost, accuracy], {x: xs, y: onehot})
    return {"first": first, "last": last, "accuracy": acc}


def multilayer_perceptron(tf, workdir):
    """Two hidden layers from dicts of weights, tf.nn.dropout with keep_prob, Adam."""
    xs, _, onehot = blobs(n=240, dim=6, classes=3, seed=1)
    x = tf.placeholder("float", [None, 6])
    y = tf.placeholder("float", [None, 3])
    keep_prob = tf.placeholder(tf.float32)
    weights = {
        "h1": tf.Variable(tf.random_normal([6, 16], stddev=0.3)),
        "h2": tf.Variable(tf.random_normal([16, 16], stddev=0.3)),
        "out": tf.Variable(tf.random_normal([16, 3], stddev=0.3)),
    }
    biases = {
        "b1": tf.Variable(tf.random_normal([16])),
        "b2": tf.Variable(tf.random_normal([16])),
        "out": tf.Variable(tf.random_normal([3])),
    }
    layer_1 = tf.nn.relu(tf.add(tf.matmul(x, weights["h1"]), biases["b1"]))
    layer_1 = tf.nn.dropout(layer_1, keep_prob)
    layer_2 = tf.nn.relu(tf.add(tf.matmul(layer_1, weights["h2"]), biases["b2"]))
    logits = tf.matmul(layer_2, weights["out"]) + biases["out"]
    cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(logits=logits, labels=y))
    optimizer = tf.train.AdamOptimizer(learning_rate=0.01).minimize(cost)
    correct = tf.equal(tf.argmax(logits, 1), tf.argmax(y, 1))
    accuracy = tf.reduce_mean(tf.cast(correct, "float"))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = sess.run(cost, {x: xs, y: onehot, keep_prob: 1.0})
        for _step in range(150):
            sess.run(optimizer, {x: xs, y: onehot, keep_prob: 0.8})
        last, acc = sess.run([cost, accuracy], {x: xs, y: onehot, keep_prob: 1.0})
    return {"first": first, "last": last, "accuracy": acc}


def raw_cnn(tf, workdir):
    """conv2d + max_pool written with tf.nn, weights from truncated normals (Deep MNIST)."""
    xs, _, onehot = images()

    def weight_variable(shape):
        return tf.Variable(tf.truncated_normal(shape, stddev=0.1))

    def bias_variable(shape):
        return tf.Variable(tf.constant(0.1, shape=shape))

    x = tf.placeholder(tf.float32, shape=[None, 8, 8, 1])
    y_ = tf.placeholder(tf.float32, shape=[None, 2])
    W_conv1 = weight_variable([3, 3, 1, 4])
    b_conv1 = bias_variable([4])
    h_conv1 = tf.nn.relu(tf.nn.conv2d(x, W_conv1, strides=[1, 1, 1, 1], padding="SAME") + b_conv1)
    h_pool1 = tf.nn.max_pool(h_conv1, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
    W_fc1 = weight_variable([4 * 4 * 4, 2])
    b_fc1 = bias_variable([2])
    h_flat = tf.reshape(h_pool1, [-1, 4 * 4 * 4])
    y_conv = tf.matmul(h_flat, W_fc1) + b_fc1
    cross_entropy = tf.reduce_mean(
        tf.nn.softmax_cross_entropy_with_logits(labels=y_, logits=y_conv)
    )
    train_step = tf.train.AdamOptimizer(1e-2).minimize(cross_entropy)
    correct_prediction = tf.equal(tf.argmax(y_conv, 1), tf.argmax(y_, 1))
    accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = sess.run(cross_entropy, {x: xs, y_: onehot})
        for _i in range(40):
            train_step.run(feed_dict={x: xs, y_: onehot})
        last = cross_entropy.eval(feed_dict={x: xs, y_: onehot})
        acc = accuracy.eval(feed_dict={x: xs, y_: onehot})
    return {"first": first, "last": last, "accuracy": acc}


def autoencoder(tf, workdir):
    """Encoder and decoder of sigmoid layers, RMSProp on the reconstruction error."""
    rng = np.random.default_rng(3)
    codes = rng.uniform(0, 1, (128, 3))
    data = (1 / (1 + np.exp(-(codes @ rng.normal(0, 2, (3, 12)))))).astype(np.float32)
    X = tf.placeholder("float", [None, 12])
    weights = {
        "encoder_h1": tf.Variable(tf.random_normal([12, 6], stddev=0.5)),
        "encoder_h2": tf.Variable(tf.random_normal([6, 3], stddev=0.5)),
        "decoder_h1": tf.Variable(tf.random_normal([3, 6], stddev=0.5)),
        "decoder_h2": tf.Variable(tf.random_normal([6, 12], stddev=0.5)),
    }
    biases = {
        "encoder_b1": tf.Variable(tf.zeros([6])),
        "encoder_b2": tf.Variable(tf.zeros([3])),
        "decoder_b1": tf.Variable(tf.zeros([6])),
        "decoder_b2": tf.Variable(tf.zeros([12])),
    }

    def encoder(x):
        layer_1 = tf.nn.sigmoid(tf.add(tf.matmul(x, weights["encoder_h1"]), biases["encoder_b1"]))
        return tf.nn.sigmoid(
            tf.add(tf.matmul(layer_1, weights["encoder_h2"]), biases["encoder_b2"])
        )

    def decoder(x):
        layer_1 = tf.nn.sigmoid(tf.add(tf.matmul(x, weights["decoder_h1"]), biases["decoder_b1"]))
        return tf.nn.sigmoid(
            tf.add(tf.matmul(layer_1, weights["decoder_h2"]), biases["decoder_b2"])
        )

    y_pred = decoder(encoder(X))
    loss = tf.reduce_mean(tf.pow(X - y_pred, 2))
    optimizer = tf.train.RMSPropOptimizer(0.02).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = sess.run(loss, {X: data})
        for _i in range(300):
            sess.run(optimizer, {X: data})
        last = sess.run(loss, {X: data})
    return {"first": first, "last": last}


def variational_autoencoder(tf, workdir):
    """Gaussian encoder, the reparameterization trick with tf.random_normal, KL term."""
    rng = np.random.default_rng(4)
    data = (rng.uniform(0, 1, (96, 2)) @ rng.normal(0, 1, (2, 10))).astype(np.float32)
    data = (data - data.min()) / (data.max() - data.min())

    def glorot_init(shape):
        return tf.random_normal(shape=shape, stddev=1.0 / tf.sqrt(shape[0] / 2.0))

    weights = {
        "encoder_h1": tf.Variable(glorot_init([10, 8])),
        "z_mean": tf.Variable(glorot_init([8, 2])),
        "z_std": tf.Variable(glorot_init([8, 2])),
        "decoder_h1": tf.Variable(glorot_init([2, 8])),
        "decoder_out": tf.Variable(glorot_init([8, 10])),
    }
    biases = {
        "encoder_b1": tf.Variable(glorot_init([8])),
        "z_mean": tf.Variable(glorot_init([2])),
        "z_std": tf.Variable(glorot_init([2])),
        "decoder_b1": tf.Variable(glorot_init([8])),
        "decoder_out": tf.Variable(glorot_init([10])),
    }
    input_data = tf.placeholder(tf.float32, shape=[None, 10])
    encoder = tf.nn.tanh(tf.matmul(input_data, weights["encoder_h1"]) + biases["encoder_b1"])
    z_mean = tf.matmul(encoder, weights["z_mean"]) + biases["z_mean"]
    z_std = tf.matmul(encoder, weights["z_std"]) + biases["z_std"]
    eps = tf.random_normal(tf.shape(z_std), dtype=tf.float32, mean=0.0, stddev=1.0, name="epsilon")
    z = z_mean + tf.exp(z_std / 2) * eps
    decoder = tf.nn.tanh(tf.matmul(z, weights["decoder_h1"]) + biases["decoder_b1"])
    decoder = tf.nn.sigmoid(tf.matmul(decoder, weights["decoder_out"]) + biases["decoder_out"])
    encode_decode_loss = input_data * tf.log(1e-10 + decoder) + (1 - input_data) * tf.log(
        1e-10 + 1 - decoder
    )
    encode_decode_loss = -tf.reduce_sum(encode_decode_loss, 1)
    kl_div_loss = 1 + z_std - tf.square(z_mean) - tf.exp(z_std)
    kl_div_loss = -0.5 * tf.reduce_sum(kl_div_loss, 1)
    loss_op = tf.reduce_mean(encode_decode_loss + kl_div_loss)
    train_op = tf.train.RMSPropOptimizer(learning_rate=0.01).minimize(loss_op)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = np.mean([sess.run(loss_op, {input_data: data}) for _ in range(5)])
        for _i in range(300):
            sess.run(train_op, {input_data: data})
        last = np.mean([sess.run(loss_op, {input_data: data}) for _ in range(5)])
    return {"first": first, "last": last}


def gan(tf, workdir):
    """Generator and discriminator in their own variable scopes, each trained on its own
    var_list with Adam; the generator learns to move its samples to the data's mean."""
    rng = np.random.default_rng(5)

    def generator(z, reuse=False):
        with tf.variable_scope("generator", reuse=reuse):
            w = tf.get_variable("w", [2, 2], initializer=tf.random_normal_initializer(0, 0.3))
            b = tf.get_variable("b", [2], initializer=tf.zeros_initializer())
            return tf.matmul(z, w) + b

    def discriminator(x, reuse=False):
        with tf.variable_scope("discriminator", reuse=reuse):
            w1 = tf.get_variable("w1", [2, 8], initializer=tf.random_normal_initializer(0, 0.3))
            b1 = tf.get_variable("b1", [8], initializer=tf.zeros_initializer())
            w2 = tf.get_variable("w2", [8, 1], initializer=tf.random_normal_initializer(0, 0.3))
            b2 = tf.get_variable("b2", [1], initializer=tf.zeros_initializer())
            h = tf.nn.relu(tf.matmul(x, w1) + b1)
            return tf.matmul(h, w2) + b2

    real = tf.placeholder(tf.float32, [None, 2])
    noise = tf.placeholder(tf.float32, [None, 2])
    fake = generator(noise)
    d_real = discriminator(real)
    d_fake = discriminator(fake, reuse=True)
    d_loss = tf.reduce_mean(
        tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.ones_like(d_real), logits=d_real)
        + tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.zeros_like(d_fake), logits=d_fake)
    )
    g_loss = tf.reduce_mean(
        tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.ones_like(d_fake), logits=d_fake)
    )
    g_vars = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope="generator")
    d_vars = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope="discriminator")
    d_train = tf.train.AdamOptimizer(0.01, beta1=0.5).minimize(d_loss, var_list=d_vars)
    g_train = tf.train.AdamOptimizer(0.01, beta1=0.5).minimize(g_loss, var_list=g_vars)
    target = np.array([3.0, -2.0], dtype=np.float32)
    z_eval = rng.normal(size=(256, 2)).astype(np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = float(np.linalg.norm(sess.run(fake, {noise: z_eval}).mean(0) - target))
        for _step in range(400):
            batch = (target + 0.3 * rng.normal(size=(64, 2))).astype(np.float32)
            z = rng.normal(size=(64, 2)).astype(np.float32)
            sess.run(d_train, {real: batch, noise: z})
            sess.run(g_train, {noise: z})
        last = float(np.linalg.norm(sess.run(fake, {noise: z_eval}).mean(0) - target))
    # the figures: the distance of the generated samples' mean from the data's mean
    return {"first": first, "last": last}


def save_and_restore(tf, workdir):
    """Train, save with tf.train.Saver, restore into a new session and go on evaluating."""
    xs, _, onehot = blobs(seed=6)
    x = tf.placeholder(tf.float32, [None, 4])
    y = tf.placeholder(tf.float32, [None, 2])
    W = tf.Variable(tf.zeros([4, 2]), name="W")
    b = tf.Variable(tf.zeros([2]), name="b")
    global_step = tf.train.get_or_create_global_step()
    logits = tf.matmul(x, W) + b
    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=logits))
    train = tf.train.MomentumOptimizer(0.1, 0.9).minimize(loss, global_step=global_step)
    saver = tf.train.Saver()
    path = os.path.join(workdir, "model.ckpt")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = sess.run(loss, {x: xs, y: onehot})
        for _ in range(50):
            sess.run(train, {x: xs, y: onehot})
        trained = sess.run(loss, {x: xs, y: onehot})
        saved = saver.save(sess, path, global_step=global_step)
    with tf.Session() as sess:
        saver.restore(sess, tf.train.latest_checkpoint(workdir))
        last = sess.run(loss, {x: xs, y: onehot})
        steps = sess.run(global_step)
    return {
        "first": first,
        "last": last,
        "restored_exactly": bool(np.isclose(last, trained)),
        "checkpoint": os.path.basename(saved),
        "global_step": int(steps),
    }


def metrics_with_local_variables(tf, workdir):
    """Streaming tf.metrics over batches: local variables, update ops, a reset."""
    xs, labels, _ = blobs(seed=7)
    x = tf.placeholder(tf.float32, [None, 4])
    y = tf.placeholder(tf.int64, [None])
    w = tf.Variable(tf.zeros([4, 2]))
    logits = tf.matmul(x, w)
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    train = tf.train.GradientDescentOptimizer(0.2).minimize(loss)
    predictions = tf.argmax(logits, 1)
    acc, acc_update = tf.metrics.accuracy(labels=y, predictions=predictions)
    prec, prec_update = tf.metrics.precision(labels=y, predictions=predictions)
    rec, rec_update = tf.metrics.recall(labels=y, predictions=predictions)
    mean_loss, mean_update = tf.metrics.mean(loss)
    updates = tf.group(acc_update, prec_update, rec_update, mean_update)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(tf.local_variables_initializer())
        first = sess.run(loss, {x: xs, y: labels})
        for _ in range(50):
            sess.run(train, {x: xs, y: labels})
        for i in range(0, 200, 40):
            sess.run(updates, {x: xs[i : i + 40], y: labels[i : i + 40]})
        a, p, r, m = sess.run([acc, prec, rec, mean_loss])
    return {"first": first, "last": m, "accuracy": a, "precision": p, "recall": r}


def control_flow(tf, workdir):
    """tf.cond picks a loss by a fed flag; tf.while_loop runs Newton's method for sqrt."""
    x = tf.placeholder(tf.float32, [None])
    use_l1 = tf.placeholder(tf.bool, [])
    w = tf.Variable(5.0)
    err = w * x - 2.0 * x
    loss = tf.cond(use_l1, lambda: tf.reduce_mean(tf.abs(err)), lambda: tf.reduce_mean(err**2))
    train = tf.train.GradientDescentOptimizer(0.05).minimize(loss)
    a = tf.constant(10.0)
    i0 = tf.constant(0)
    guess0 = tf.constant(1.0)
    _, root = tf.while_loop(
        lambda i, g: i < 20, lambda i, g: (i + 1, 0.5 * (g + a / g)), [i0, guess0]
    )
    data = np.linspace(-1, 1, 20).astype(np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = sess.run(loss, {x: data, use_l1: False})
        for step in range(100):
            sess.run(train, {x: data, use_l1: step % 2 == 0})
        last = sess.run(loss, {x: data, use_l1: False})
        sqrt10 = sess.run(root)
    return {"first": first, "last": last, "sqrt10": sqrt10}


def data_pipeline(tf, workdir):
    """tf.data: shuffled, repeated batches from arrays, an initializable iterator looped
    until OutOfRangeError each epoch."""
    xs, labels, _ = blobs(n=160, seed=8)
    dataset = tf.data.Dataset.from_tensor_slices((xs, labels.astype(np.int64)))
    dataset = (
        dataset.map(lambda feature, label: (feature / 2.0, label)).shuffle(64, seed=1).batch(32)
    )
    iterator = dataset.make_initializable_iterator()
    features, target = iterator.get_next()
    w = tf.Variable(tf.zeros([4, 2]), name="w")
    logits = tf.matmul(features, w)
    loss = tf.reduce_mean(
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=target, logits=logits)
    )
    train = tf.train.AdamOptimizer(0.05).minimize(loss)
    correct = tf.reduce_sum(tf.cast(tf.equal(tf.argmax(logits, 1), target), tf.int32))
    epoch_losses = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _epoch in range(5):
            sess.run(iterator.initializer)
            losses = []
            while True:
                try:
                    _, batch_loss = sess.run([train, loss])
                    losses.append(batch_loss)
                except tf.errors.OutOfRangeError:
                    break
            epoch_losses.append(np.mean(losses))
        sess.run(iterator.initializer)
        right = 0
        while True:
            try:
                right += sess.run(correct)
            except tf.errors.OutOfRangeError:
                break
    return {"first": epoch_losses[0], "last": epoch_losses[-1], "accuracy": right / 160}


def tensorboard_summaries(tf, workdir):
    """tf.summary.scalar/histogram, merge_all and a FileWriter with the graph."""
    xs, _, onehot = blobs(seed=9)
    with tf.name_scope("input"):
        x = tf.placeholder(tf.float32, [None, 4], name="x-input")
        y = tf.placeholder(tf.float32, [None, 2], name="y-input")
    with tf.name_scope("layer"):
        W = tf.Variable(tf.zeros([4, 2]), name="weights")
        b = tf.Variable(tf.zeros([2]), name="biases")
        logits = tf.matmul(x, W) + b
        tf.summary.histogram("weights", W)
    with tf.name_scope("loss"):
        loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=logits))
    tf.summary.scalar("loss", loss)
    train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    merged = tf.summary.merge_all()
    with tf.Session() as sess:
        writer = tf.summary.FileWriter(os.path.join(workdir, "logs"), sess.graph)
        sess.run(tf.global_variables_initializer())
        first = sess.run(loss, {x: xs, y: onehot})
        for step in range(20):
            summary, _ = sess.run([merged, train], {x: xs, y: onehot})
            writer.add_summary(summary, step)
        writer.close()
        last = sess.run(loss, {x: xs, y: onehot})
    files = os.listdir(os.path.join(workdir, "logs"))
    return {
        "first": first,
        "last": last,
        "event_files": sum(name.startswith("events.out.tfevents.") for name in files),
    }


def word2vec(tf, workdir):
    """Skip-gram embeddings trained with tf.nn.nce_loss (the word2vec basic example)."""
    rng = np.random.default_rng(10)
    vocabulary_size, embedding_size, num_sampled = 30, 8, 6
    words = rng.integers(0, vocabulary_size, 400)
    centre, context = words[:-1], (words[:-1] + 1) % vocabulary_size  # a word's next id
    train_inputs = tf.placeholder(tf.int32, shape=[None])
    train_labels = tf.placeholder(tf.int32, shape=[None, 1])
    embeddings = tf.Variable(tf.random_uniform([vocabulary_size, embedding_size], -1.0, 1.0))
    embed = tf.nn.embedding_lookup(embeddings, train_inputs)
    nce_weights = tf.Variable(
        tf.truncated_normal([vocabulary_size, embedding_size], stddev=1.0 / np.sqrt(embedding_size))
    )
    nce_biases = tf.Variable(tf.zeros([vocabulary_size]))
    loss = tf.reduce_mean(
        tf.nn.nce_loss(
            weights=nce_weights,
            biases=nce_biases,
            labels=train_labels,
            inputs=embed,
            num_sampled=num_sampled,
            num_classes=vocabulary_size,
        )
    )
    optimizer = tf.train.GradientDescentOptimizer(1.0).minimize(loss)
    norm = tf.sqrt(tf.reduce_sum(tf.square(embeddings), 1, keepdims=True))
    normalized_embeddings = embeddings / norm
    feed = {train_inputs: centre, train_labels: context[:, None]}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = np.mean([sess.run(loss, feed) for _ in range(10)])
        for _step in range(200):
            sess.run(optimizer, feed)
        last = np.mean([sess.run(loss, feed) for _ in range(10)])
        unit = sess.run(normalized_embeddings)
    return {"first": first, "last": last, "unit_norms": bool(np.allclose(np.sum(unit**2, 1), 1))}


# name -> (program, the most the last loss may be as a fraction of the first, the least
# accuracy it must reach or None)
PROGRAMS = {
    "logistic_regression": (logistic_regression, 0.5, 0.9),
    "multilayer_perceptron": (multilayer_perceptron, 0.5, 0.9),
    "raw_cnn": (raw_cnn, 0.8, 0.8),
    "autoencoder": (autoencoder, 0.7, None),
    "variational_autoencoder": (variational_autoencoder, 0.9, None),
    "gan": (gan, 0.5, None),
    "save_and_restore": (save_and_restore, 0.5, None),
    "metrics_with_local_variables": (metrics_with_local_variables, 0.9, 0.9),
    "control_flow": (control_flow, 0.1, None),
    "data_pipeline": (data_pipeline, 0.7, 0.9),
    "tensorboard_summaries": (tensorboard_summaries, 0.7, None),
    "word2vec": (word2vec, 0.7, None),
}


def graph_facts(tf) -> dict:
    """What a program built, as TF and tfteach both report it: variables (name and shape)
    by collection, and the graph's collection keys."""

    def listed(variables):
        return [[v.op.name, v.shape.as_list()] for v in variables]

    graph = tf.get_default_graph()
    return {
        "global_variables": listed(tf.global_variables()),
        "trainable_variables": listed(tf.trainable_variables()),
        "local_variables": listed(tf.local_variables()),
        "collection_keys": sorted(graph.get_all_collection_keys()),
    }

"""TensorFlow's CPU random numbers, bit for bit: Philox4x32-10 and the samplers of its kernels.

TensorFlow's stateful random ops (``RandomUniform``, ``RandomStandardNormal``,
``TruncatedNormal``, ``RandomUniformInt``) are deterministic functions of the op's two seed
attributes and of how far the op's generator has advanced. This module reproduces them in
vectorised numpy, following these TensorFlow files (paths under ``tensorflow/``):

- ``core/lib/random/philox_random.h`` -- the Philox4x32-10 block function: a 128-bit counter
  and a 64-bit key give four 32-bit words; ``Skip(n)`` adds ``n`` to the counter.
- ``core/util/guarded_philox_random.cc`` -- an op's generator: key = ``seed``, upper half of
  the counter = ``seed2``; ``(0, 0)`` means "pick random seeds".
- ``core/kernels/random_op.cc`` -- each run of an op reserves ``256 * size`` counter blocks and
  advances its generator by that much, whatever the distribution.
- ``core/kernels/random_op_cpu.h`` -- output group ``g`` (4 float32 values, 2 float64 or
  int64 values) is made from block ``g``; a truncated normal group restarts at block
  ``g * 256`` (float32) or ``g * 128`` (float64) and takes 32-bit words one at a time.
- ``core/lib/random/random_distributions.h`` -- words to floats (``Uint32ToFloat``,
  ``Uint64ToDouble``, ``Uint16ToHalf``), Box-Muller, the truncated normal's rejection.

Box-Muller calls the C library's ``logf``/``sincosf`` (float) and ``log``/``sincos``
(double). Their last bit belongs to the C library, so the float versions here follow
glibc's algorithms (``sysdeps/ieee754/flt-32/e_logf.c`` and ``s_sincosf.h``, glibc 2.28 and
later, as on the Linux machines TensorFlow's wheels run on); the double versions call the C
library itself.

Every sampler takes ``(seed, seed2, offset, shape)``, where ``offset`` is how many counter
blocks the op's generator has already skipped, and returns ``(values, new offset)``.
"""

from __future__ import annotations

import functools
import math
import sys

import numpy as np

# -- Philox4x32-10 (philox_random.h) ------------------------------------------------------
_MULTIPLIERS = np.array([[0xD2511F53], [0xCD9E8D57]], dtype=np.uint64)  # kPhiloxM4x32A/B
_KEY_STEP = (0x9E3779B9, 0xBB67AE85)  # kPhiloxW32A/B, added to the key after each round
_MASK32 = 0xFFFFFFFF
_MASK64 = (1 << 64) - 1
_LOW32 = np.uint64(_MASK32)
_SHIFT32 = np.uint64(32)
# Counter blocks per chunk: large enough that a round's array operations outweigh their
# call overhead, small enough that a chunk's working arrays stay in the CPU cache (the
# normals' many float64 temporaries want smaller chunks than the uniform words).
_CHUNK = 1 << 14
_NORMAL_CHUNK = 1 << 11
_TRUNCATED_CHUNK = 1 << 12  # groups: its later rounds take few, so larger chunks pay
_STEPS = np.arange(_CHUNK, dtype=np.uint64)
# Where the low and high 32 bits of a uint64 sit when it is viewed as two uint32s.
_LOW_HALF, _HIGH_HALF = (0, 1) if sys.byteorder == "little" else (1, 0)
# random_op.cc: every run skips this many blocks per output value ("Multiplier 256").
RESERVED_BLOCKS_PER_VALUE = 256


@functools.lru_cache(maxsize=256)
def _key_schedule(seed: int) -> tuple[tuple[int, int], ...]:
    """The key of each of the ten rounds: ``seed``'s two halves, raised by the Weyl
    constants after each round (``RaiseKey``)."""
    k0, k1 = seed & _MASK32, (seed >> 32) & _MASK32
    return tuple(
        ((k0 + r * _KEY_STEP[0]) & _MASK32, (k1 + r * _KEY_STEP[1]) & _MASK32) for r in range(10)
    )


@functools.lru_cache(maxsize=256)
def _round_keys(seed: int) -> np.ndarray:
    """The key schedule as a (10, 2, 1) array (32-bit values in uint64)."""
    return np.array(_key_schedule(seed), dtype=np.uint64).reshape(10, 2, 1)


def philox_block(seed: int, counter: int) -> tuple[int, int, int, int]:
    """Philox4x32-10 of one 128-bit ``counter`` under the 64-bit key ``seed``, in plain
    Python: the four 32-bit words TensorFlow's ``PhiloxRandom::operator()`` returns."""
    c0, c1, c2, c3 = ((counter >> shift) & _MASK32 for shift in (0, 32, 64, 96))
    for k0, k1 in _key_schedule(seed & _MASK64):
        a, b = 0xD2511F53 * c0, 0xCD9E8D57 * c2  # 64-bit products of 32-bit words
        c0, c1, c2, c3 = (b >> 32) ^ c1 ^ k0, b & _MASK32, (a >> 32) ^ c3 ^ k1, a & _MASK32
    return c0, c1, c2, c3


# Below this many blocks, philox_block in a loop beats the vectorised rounds' call overhead.
_FEW_BLOCKS = 12


def _philox_pairs(seed: int, seed2: int, low: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Philox4x32-10 of the counters ``seed2 * 2**64 + low`` under key ``seed``.

    The four words of block ``j`` come back as two (2, n) arrays: ``even[:, j]`` =
    (word 0, word 2) in uint64, ``odd[:, j]`` = (word 1, word 3) in uint32. The rounds
    multiply the even words and xor the odd ones in, so a round is three array operations.
    (A counter's low 64 bits never carry into seed2 for the offsets an op can reach, so
    words 2 and 3 start as seed2's halves.)"""
    seed, seed2, n = seed & _MASK64, seed2 & _MASK64, low.size
    if n < _FEW_BLOCKS:
        words = [philox_block(seed, (seed2 << 64) | int(c)) for c in low]
        table = np.array(words, dtype=np.uint64).reshape(n, 4).T
        return table[0::2].copy(), table[1::2].astype(np.uint32)
    return _rounds(low, seed2 & _MASK32, seed2 >> 32, _round_keys(seed))


def _philox_pairs_of_many(seeds: np.ndarray, seed2s: np.ndarray, low: np.ndarray):
    """`_philox_pairs` for blocks of several generators at once: block ``j`` under key
    ``seeds[j]``, counter ``seed2s[j] * 2**64 + low[j]`` (all uint64 arrays)."""
    steps = np.arange(10, dtype=np.uint64).reshape(10, 1, 1) * np.array(
        [[_KEY_STEP[0]], [_KEY_STEP[1]]], dtype=np.uint64
    )
    halves = np.stack([seeds & _LOW32, seeds >> _SHIFT32])  # (2, n): the key's two words
    keys = (halves + steps) & _LOW32  # (10, 2, n): the key of each round (RaiseKey)
    return _rounds(low, seed2s & _LOW32, seed2s >> _SHIFT32, keys)


def _rounds(low, seed2_low, seed2_high, keys) -> tuple[np.ndarray, np.ndarray]:
    """The ten rounds on counters whose words are (``low``'s halves, seed2's halves), under
    ``keys`` (10, 2, 1 or n); returns (even, odd) as `_philox_pairs` describes."""
    n = low.size
    even = np.empty((2, n), dtype=np.uint64)
    odd = np.empty((2, n), dtype=np.uint32)
    np.bitwise_and(low, _LOW32, out=even[0])
    np.right_shift(low, _SHIFT32, out=odd[0], casting="unsafe")
    even[1], odd[1] = seed2_low, seed2_high
    # Two product buffers taken in turn: the odd words a round reads are the low halves
    # of the previous round's products, viewed in place as uint32.
    buffers = np.empty((2, 2, n), dtype=np.uint64)
    for r in range(10):
        product = buffers[r % 2]
        np.multiply(even, _MULTIPLIERS, out=product)
        halves = product.view(np.uint32).reshape(2, n, 2)[::-1]  # rows: B*c2, A*c0
        # ComputeSingleRound: c0' = hi(B*c2) ^ c1 ^ k0, c1' = lo(B*c2),
        #                     c2' = hi(A*c0) ^ c3 ^ k1, c3' = lo(A*c0)
        np.bitwise_xor(halves[:, :, _HIGH_HALF], odd, out=even, casting="unsafe")
        even ^= keys[r]
        odd = halves[:, :, _LOW_HALF]
    return even, odd


def philox(seed: int, seed2: int, blocks: np.ndarray) -> np.ndarray:
    """Philox4x32-10 of the generator ``PhiloxRandom(seed, seed2)`` skipped by each of
    ``blocks`` (uint64 counter offsets): an array of shape ``(len(blocks), 4)`` of uint32,
    the four words each block gives, in TensorFlow's order."""
    even, odd = _philox_pairs(seed, seed2, np.asarray(blocks, dtype=np.uint64).reshape(-1))
    words = np.empty((even.shape[1], 4), dtype=np.uint32)
    words[:, 0], words[:, 1], words[:, 2], words[:, 3] = even[0], odd[0], even[1], odd[1]
    return words


def _fill(out, seed: int, seed2: int, offset: int, per_block: int, convert, chunk=_CHUNK) -> None:
    """Fills the flat ``out`` from consecutive blocks starting ``offset`` blocks in, chunk by
    chunk: ``convert(even, odd)`` turns a chunk's words into its values, ``per_block`` a
    block, in a (blocks, per_block) array."""
    blocks = -(-out.size // per_block)
    for start in range(0, blocks, chunk):
        n = min(chunk, blocks - start)
        low = _STEPS[:n] + np.uint64((offset + start) & _MASK64)
        values = convert(*_philox_pairs(seed, seed2, low)).reshape(-1)
        first = start * per_block
        part = out[first : first + values.size]
        part[...] = values[: part.size]


def _advance(offset: int, size: int) -> int:
    return offset + RESERVED_BLOCKS_PER_VALUE * size


def _count(shape) -> int:
    return math.prod(int(d) for d in shape)


# -- words to numbers (random_distributions.h) ---------------------------------------------
def _words(even: np.ndarray, odd: np.ndarray) -> np.ndarray:
    """The (n, 4) uint32 words, in TensorFlow's order, of a chunk's (even, odd) pairs."""
    words = np.empty((even.shape[1], 4), dtype=np.uint32)
    words[:, 0::2] = even.T
    words[:, 1::2] = odd.T
    return words


def uint32_to_float(words: np.ndarray) -> np.ndarray:
    """``Uint32ToFloat``: 23 random mantissa bits under exponent 0, minus 1: [0, 1)."""
    bits = (words & np.uint32(0x7FFFFF)) | np.uint32(127 << 23)
    return bits.astype(np.uint32, copy=False).view(np.float32) - np.float32(1)


def uint64_to_double(high: np.ndarray, low: np.ndarray) -> np.ndarray:
    """``Uint64ToDouble``: 20 bits of ``high`` and all of ``low`` as the mantissa, minus 1."""
    bits = (high.astype(np.uint64) & np.uint64(0xFFFFF)) << _SHIFT32
    bits |= low
    bits |= np.uint64(1023 << 52)
    return bits.view(np.float64) - 1.0


def uint16_to_half(words: np.ndarray) -> np.ndarray:
    """``Uint16ToHalf`` of the low 16 bits: 10 mantissa bits under exponent 0, minus 1."""
    bits = ((words & np.uint32(0x3FF)) | np.uint32(15 << 10)).astype(np.uint16)
    return bits.view(np.float16) - np.float16(1)


def _doubles(text: str) -> list[float]:
    """Doubles written in C's hexadecimal notation, as glibc's tables write them."""
    return [float.fromhex(h) for h in text.split()]


# e_logf_data.c: 16 (1/c, log c) pairs, ln 2, and the polynomial for log1p.
_LOGF_TABLE = np.array(
    _doubles(
        """
        0x1.661ec79f8f3bep+0 -0x1.57bf7808caadep-2 0x1.571ed4aaf883dp+0 -0x1.2bef0a7c06ddbp-2
        0x1.49539f0f010bp+0 -0x1.01eae7f513a67p-2 0x1.3c995b0b80385p+0 -0x1.b31d8a68224e9p-3
        0x1.30d190c8864a5p+0 -0x1.6574f0ac07758p-3 0x1.25e227b0b8eap+0 -0x1.1aa2bc79c81p-3
        0x1.1bb4a4a1a343fp+0 -0x1.a4e76ce8c0e5ep-4 0x1.12358f08ae5bap+0 -0x1.1973c5a611cccp-4
        0x1.0953f419900a7p+0 -0x1.252f438e10c1ep-5 0x1p+0 0x0p+0
        0x1.e608cfd9a47acp-1 0x1.aa5aa5df25984p-5 0x1.ca4b31f026aap-1 0x1.c5e53aa362eb4p-4
        0x1.b2036576afce6p-1 0x1.526e57720db08p-3 0x1.9c2d163a1aa2dp-1 0x1.bc2860d22477p-3
        0x1.886e6037841edp-1 0x1.1058bc8a07ee1p-2 0x1.767dcf5534862p-1 0x1.4043057b6ee09p-2
        """
    )
).reshape(16, 2)
(_LN2,) = _doubles("0x1.62e42fefa39efp-1")
_LOGF_POLY = _doubles("-0x1.00ea348b88334p-2 0x1.5575b0be00b6ap-2 -0x1.ffffef20a4123p-2")


def _logf_tables() -> tuple[np.ndarray, np.ndarray]:
    """1/c and ``log c + k ln 2`` for each of the 8192 values of logf's ``tmp >> 19``, whose
    top 9 bits are the exponent k (signed) and low 4 bits the table row i: one lookup then
    gives what logf computes from k and i, with the same rounding."""
    j = np.arange(1 << 13)
    k = (j >> 4) - ((j >> 4) >= 256) * 512
    i = j & 15
    return _LOGF_TABLE[i, 0].copy(), _LOGF_TABLE[i, 1] + k.astype(np.float64) * _LN2


_INVC, _Y0 = _logf_tables()


def logf(x: np.ndarray) -> np.ndarray:
    """glibc's ``logf`` for positive normal float32 ``x`` (all Box-Muller needs)."""
    ix = x.view(np.uint32)
    tmp = ix - np.uint32(0x3F330000)
    row = tmp >> np.uint32(19)
    z = (ix - (tmp & np.uint32(0x1FF << 23))).view(np.float32).astype(np.float64)
    r = z * _INVC.take(row)
    r -= 1.0
    r2 = r * r
    a0, a1, a2 = _LOGF_POLY
    y = a1 * r
    y += a2
    y += a0 * r2
    y *= r2
    r += _Y0.take(row)  # y0 + r
    y += r
    return y.astype(np.float32)


# s_sincosf_data.c, for x86-64 (no rounding intrinsics: 2/pi is pre-scaled by 2**24).
_HPI_INV, _HPI = _doubles("0x1.45F306DC9C883p+23 0x1.921FB54442D18p0")
_COS = _doubles(
    "0x1p0 -0x1.ffffffd0c621cp-2 0x1.55553e1068f19p-5 -0x1.6c087e89a359dp-10 0x1.99343027bf8c3p-16"
)
_SIN = _doubles("-0x1.555545995a603p-3 0x1.1107605230bc4p-7 -0x1.994eb3774cf24p-13")


def sincosf(v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """glibc's ``sincosf`` for float32 ``v`` in [0, 120)."""
    x = v.astype(np.float64)
    n = ((x * _HPI_INV).astype(np.int32) + np.int32(0x800000)) >> np.int32(24)
    # Below pi/4 glibc skips the reduction; n is 0 there, so reducing changes nothing.
    x -= n * _HPI
    c0, c1, c2, c3, c4 = _COS
    s1, s2, s3 = _SIN
    # sincosf_poly, with its operations and roundings (in place, to spare temporaries):
    # sin = (x + x3 s1) + x5 (s2 + x2 s3),  cos = ((c0 + x2 c1) + x4 c2) + x6 (c3 + x2 c4)
    x2 = x * x
    x3 = x2 * x
    x4 = x2 * x2
    sin = x3 * s1
    sin += x
    cos = x2 * c1
    cos += c0
    high = x2 * c4
    high += c3
    x2 *= s3
    x2 += s2  # x2 is no longer needed: the sine's high part
    x3 *= x * x  # x5
    x3 *= x2
    sin += x3
    x2 = x * x
    cos += x4 * c2
    x4 *= x2  # x6
    x4 *= high
    cos += x4
    # The quadrant n picks the result: (sin, cos) of x for n = 0, (cos, -sin) for 1,
    # (-sin, -cos) for 2, (-cos, sin) for 3 (glibc's sign table and negated cosine table).
    sin, cos = sin.astype(np.float32), cos.astype(np.float32)
    odd = (n & 1).astype(bool)
    sin_out = np.where(odd, cos, sin)
    cos_out = np.where(odd, sin, cos)
    np.negative(sin_out, out=sin_out, where=(n & 2).astype(bool))
    np.negative(cos_out, out=cos_out, where=((n + 1) & 2).astype(bool))
    # (glibc returns (v, 1) below 2**-12 without the polynomials, which round to the same)
    return sin_out, cos_out


# -- Box-Muller (random_distributions.h) ----------------------------------------------------
_TWO_PI = 2 * math.pi  # 2 * M_PI, a double


def box_muller_float(x0: np.ndarray, x1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``BoxMullerFloat``: two float32 normals from two words each."""
    u1 = np.maximum(uint32_to_float(x0), np.float32(1.0e-7))  # never log(0)
    v1 = (uint32_to_float(x1).astype(np.float64) * _TWO_PI).astype(np.float32)
    u2 = logf(u1)
    u2 *= np.float32(-2.0)
    np.sqrt(u2, out=u2)
    sin, cos = sincosf(v1)
    sin *= u2
    cos *= u2
    return sin, cos


_libm_log = np.frompyfunc(math.log, 1, 1)


def box_muller_double(
    w0: np.ndarray, w1: np.ndarray, w2: np.ndarray, w3: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """``BoxMullerDouble``: two float64 normals from four words each.

    The C library's ``log`` (through Python's ``math.log``) gives its exact last bit;
    numpy's vectorised ``log`` does not always agree with it. (numpy's float64 ``sin``
    and ``cos`` call the C library's.)"""
    u1 = np.maximum(uint64_to_double(w0, w1), 1.0e-7)
    v1 = _TWO_PI * uint64_to_double(w2, w3)
    u2 = np.sqrt(-2.0 * _libm_log(u1).astype(np.float64))
    return np.sin(v1) * u2, np.cos(v1) * u2


# -- a chunk's words to its values, (blocks, values a block) --------------------------------
def _uniform_float32(even, odd):
    return uint32_to_float(_words(even, odd))


def _uniform_float16(even, odd):
    return uint16_to_half(_words(even, odd))


def _uniform_float64(even, odd):
    return uint64_to_double(even, odd).T  # (w0, w1) and (w2, w3)


def _normal_float(even, odd):
    sin, cos = box_muller_float(even.astype(np.uint32), odd.astype(np.uint32))
    values = np.empty((even.shape[1], 2, 2), dtype=np.float32)
    values[:, :, 0] = sin.T  # (w0, w1) gives values 0 and 1, (w2, w3) values 2 and 3
    values[:, :, 1] = cos.T
    return values.reshape(-1, 4)


def _normal_float64(even, odd):
    sin, cos = box_muller_double(even[0], odd[0], even[1], odd[1])
    return np.stack([sin, cos], axis=1)


_UNIFORM = {np.float16: (_uniform_float16, 4), np.float32: (_uniform_float32, 4)}
_UNIFORM[np.float64] = (_uniform_float64, 2)
# float16 normals are float32 normals rounded (Eigen::half(f))
_NORMAL = {np.float16: (_normal_float, 4), np.float32: (_normal_float, 4)}
_NORMAL[np.float64] = (_normal_float64, 2)


# -- the samplers -------------------------------------------------------------------------
def _sample(seed, seed2, offset, shape, dtype, converters, chunk) -> tuple[np.ndarray, int]:
    dtype = np.dtype(dtype)
    convert, per_block = converters[dtype.type]
    out = np.empty(_count(shape), dtype=dtype)
    _fill(out, seed, seed2, offset, per_block, convert, chunk)
    return out.reshape(shape), _advance(offset, out.size)


def uniform(seed: int, seed2: int, offset: int, shape, dtype) -> tuple[np.ndarray, int]:
    """``RandomUniform``: [0, 1) in float16, float32 (four values a block) or float64 (two)."""
    return _sample(seed, seed2, offset, shape, dtype, _UNIFORM, _CHUNK)


def normal(seed: int, seed2: int, offset: int, shape, dtype) -> tuple[np.ndarray, int]:
    """``RandomStandardNormal``: Box-Muller pairs, four float32 (or float16) values a block,
    two float64 values a block."""
    return _sample(seed, seed2, offset, shape, dtype, _NORMAL, _NORMAL_CHUNK)


def sample_many(kind: str, requests, dtype) -> list[tuple[np.ndarray, int]]:
    """Several ops' draws of one ``kind`` ("uniform" or "normal") and ``dtype`` in one
    vectorised pass: ``requests`` are ``(seed, seed2, offset, shape)``, and each answer is
    what `uniform` or `normal` gives for that request alone (the test suite checks it).
    Many small draws (10,000 variables' initial values) then cost a few array operations
    instead of a Python call chain each."""
    dtype = np.dtype(dtype)
    convert, per_block = (_UNIFORM if kind == "uniform" else _NORMAL)[dtype.type]
    sizes = [_count(shape) for _, _, _, shape in requests]
    n_blocks = np.array([-(-size // per_block) for size in sizes], dtype=np.int64)
    first = np.concatenate([[0], np.cumsum(n_blocks)[:-1]])
    owner = np.repeat(np.arange(len(requests)), n_blocks)  # which request each block serves
    column = lambda i: np.array([r[i] & _MASK64 for r in requests], dtype=np.uint64)  # noqa: E731
    seeds, seed2s, offsets = column(0), column(1), column(2)
    within = np.arange(owner.size, dtype=np.uint64) - first[owner].astype(np.uint64)
    even, odd = _philox_pairs_of_many(seeds[owner], seed2s[owner], offsets[owner] + within)
    values = convert(even, odd).reshape(-1)
    return [
        (
            values[start * per_block : start * per_block + size].reshape(shape).astype(dtype),
            _advance(offset, size),
        )
        for (_, _, offset, shape), start, size in zip(requests, first.tolist(), sizes)
    ]


def uniform_int(
    seed: int, seed2: int, offset: int, shape, minval, maxval
) -> tuple[np.ndarray, int]:
    """``RandomUniformInt``: ``minval + bits % (maxval - minval)``, with 32 bits (one word) a
    value for int32 and 64 bits (two words) for int64."""
    lo = np.asarray(minval)
    if lo.dtype == np.int64:
        span = np.uint64((int(maxval) - int(minval)) & _MASK64)

        def convert(even, odd):  # bits = w0 | w1 << 32, w2 | w3 << 32
            return ((even | (odd << _SHIFT32)).T % span).astype(np.int64) + lo

        per_block = 2
    else:
        span = np.uint32((int(maxval) - int(minval)) & _MASK32)

        def convert(even, odd):
            return (_words(even, odd) % span).astype(np.int32) + lo

        per_block = 4
    out = np.empty(_count(shape), dtype=lo.dtype)
    _fill(out, seed, seed2, offset, per_block, convert)
    return out.reshape(shape), _advance(offset, out.size)


def truncated_normal(seed: int, seed2: int, offset: int, shape, dtype) -> tuple[np.ndarray, int]:
    """``TruncatedNormal``: normals with ``|z| < 2``, drawn again otherwise.

    Output group ``g`` (4 values; 2 for float64) starts its own stream at block
    ``g * 256`` (``g * 128``) and keeps the normals in (-2, 2) in order until it has enough.
    Vectorised: every group computes one block at a time; groups that are full drop out."""
    size = _count(shape)
    dtype = np.dtype(dtype)
    convert, per_group = _NORMAL[dtype.type]
    skip = np.uint64(per_group * RESERVED_BLOCKS_PER_VALUE // 4)
    groups = -(-size // per_group)
    out = np.empty((groups, per_group), dtype=np.float64 if per_group == 2 else np.float32)
    for start in range(0, groups, _TRUNCATED_CHUNK):
        chunk = out[start : start + _TRUNCATED_CHUNK]
        first = np.uint64((offset + start * int(skip)) & _MASK64)
        _truncated_groups(chunk, seed, seed2, first + _STEPS[: len(chunk)] * skip, convert)
    flat = out.reshape(-1)[:size]
    return flat.astype(dtype, copy=False).reshape(shape), _advance(offset, size)


# A chunk of at most this many groups draws three blocks a group at once: one round of
# calls then almost always fills every group (small draws are all call overhead).
_FEW_GROUPS = 64


def _truncated_groups(out: np.ndarray, seed, seed2, starts: np.ndarray, convert) -> None:
    """Fills each row of ``out`` from the stream starting at block ``starts[row]``."""
    per_group = out.shape[1]  # also the candidates one block gives

    def candidates(rows, first_block, depth):
        """The normals of blocks first_block .. first_block + depth - 1 of ``rows``."""
        steps = np.arange(first_block, first_block + depth, dtype=np.uint64)
        blocks = (starts[rows, None] + steps).reshape(-1)
        values = convert(*_philox_pairs(seed, seed2, blocks))
        return values.reshape(len(rows), depth * per_group)

    filled = np.zeros(len(out), dtype=np.intp)
    if len(out) > _FEW_GROUPS:
        out[...] = candidates(np.arange(len(out)), 0, 1)  # most groups keep all of these
        kept = np.abs(out) < 2
        pending = np.flatnonzero(~kept.all(axis=1))
        values, kept, block = out[pending], kept[pending], 1
    else:
        pending = np.arange(len(out))
        values, block = candidates(pending, 0, 3), 3
        kept = np.abs(values) < 2
    while pending.size:
        # the value in candidate column j goes to place filled + (values kept before j)
        place = filled[pending, None] + np.cumsum(kept, axis=1) - 1
        take = kept & (place < per_group)
        rows = np.broadcast_to(pending[:, None], take.shape)
        out[rows[take], place[take]] = values[take]
        filled[pending] = place[:, -1] + 1
        pending = pending[filled[pending] < per_group]
        if pending.size:
            values, block = candidates(pending, block, 1), block + 1
            kept = np.abs(values) < 2


# -- RandomShuffle and Multinomial: words one at a time ----------------------------------------
# These kernels read the reserved blocks as a stream of 32-bit words through
# ``SingleSampleAdapter`` (random_distributions.h): a block's four words in order, then the
# next block's; the words of a last, partly used block are thrown away.
def words(seed: int, seed2: int, offset: int, count: int) -> np.ndarray:
    """The first ``count`` 32-bit words (uint32) of the stream that starts ``offset`` counter
    blocks into the generator ``PhiloxRandom(seed, seed2)``."""
    blocks = np.arange(-(-count // 4), dtype=np.uint64) + np.uint64(offset & _MASK64)
    return philox(seed, seed2, blocks).reshape(-1)[:count]


def shuffle_permutation(seed: int, seed2: int, offset: int, size: int) -> tuple[np.ndarray, int]:
    """``RandomShuffle`` (kernels/shuffle_common.h) of ``size`` >= 2 rows: the order in which
    the rows come out (row ``i`` of the result is row ``order[i]`` of the input), and the new
    offset.

    TF's ``ShuffleRange`` is a Fisher-Yates shuffle: for ``i`` = 0 .. size - 2 it swaps
    places ``i`` and ``i + word_i % (size - i)`` (32-bit unsigned modulo), so it reserves
    ``size - 1`` words, rounded up to whole blocks (``ReserveSamples32``). The words and the
    targets are computed at once; only the swaps, which depend on each other, run one by one
    in Python: about 0.1 s for 10^5 rows and 1.5 to 2 s for 10^6 on the project's 2-core
    machine, where numpy's own permutation takes 2 ms and 60 ms (the swaps scatter a
    million Python ints in memory; benchmarks/bench_random_extra.py)."""
    draws = size - 1
    spans = np.arange(size, 1, -1, dtype=np.uint32)  # size - i
    targets = (np.arange(draws) + words(seed, seed2, offset, draws) % spans).tolist()
    order = list(range(size))
    for i, j in enumerate(targets):
        order[i], order[j] = order[j], order[i]
    return np.array(order, dtype=np.intp), offset + -(-draws // 4)


# Eigen's cost model (unsupported/Eigen/CXX11/src/Tensor/TensorCostModel.h), in cycles.
_STARTUP_CYCLES = _PER_THREAD_CYCLES = 100_000
_TASK_CYCLES = 40_000
_MAX_OVERSHARDING = 4


def parallel_for_shards(total: int, cost_per_unit: float, threads: int) -> list[int]:
    """Where TensorFlow's ``Shard`` (util/work_sharder.cc) starts the pieces of the work
    ``[0, total)`` on a CPU device with ``threads`` worker threads: through Eigen's
    ``ThreadPoolDevice::parallelFor``, whose block size depends on the thread count and on
    the cost model (``CalculateParallelForBlock``). One piece, ``[0]``, unless the work is
    worth more than one thread (about 210,000 cycles)."""
    if threads <= 1 or total <= 1:
        return [0]
    worth = (total * cost_per_unit - _STARTUP_CYCLES) / _PER_THREAD_CYCLES + 0.9
    if min(threads, max(1, int(worth))) == 1:
        return [0]
    size = min(
        total,
        max(-(-total // (_MAX_OVERSHARDING * threads)), int(1.0 / (cost_per_unit / _TASK_CYCLES))),
    )
    largest = min(total, 2 * size)
    count = -(-total // size)

    def efficiency(blocks: int) -> float:  # how evenly the blocks fill the threads' rounds
        return blocks / (-(-blocks // threads) * threads)

    best = efficiency(count)
    previous = count
    # Coarser blocks while they keep the threads as busy (Eigen's loop, step for step).
    while best < 1.0 and previous > 1:
        coarser = -(-total // (previous - 1))
        if coarser > largest:
            break
        previous = -(-total // coarser)
        if efficiency(previous) + 0.01 >= best:
            size, count = coarser, previous
            best = max(best, efficiency(previous))
    return list(range(0, total, size))


def multinomial(
    seed: int, seed2: int, offset: int, logits: np.ndarray, num_samples: int, threads: int
) -> tuple[np.ndarray, int]:
    """``Multinomial`` (kernels/multinomial_op.cc) on a CPU device with ``threads`` worker
    threads: ``num_samples`` class indices (int64) for each row of ``logits``, and the new
    offset.

    Each row's cumulative sums of ``exp(logit - max)`` (in double, over its finite logits
    only) form an unnormalized CDF; a sample is the first class whose sum exceeds
    ``u * total``, ``u`` a double from two words (``SimplePhilox::RandDouble``). The rows
    are split among threads (`parallel_for_shards`): a piece starting at row ``r`` reads the
    stream from block ``r * (num_samples + 3) // 4`` and its rows then take their words one
    after the other, so which words a row gets depends on the thread count. Every run
    reserves ``256 * 2 * batch * num_samples`` blocks (num_samples rounded up to a multiple
    of 4), none when there is nothing to draw."""
    batch, classes = logits.shape
    samples = np.empty((batch, num_samples), dtype=np.int64)
    if samples.size == 0:
        return samples, offset
    cdf = _unnormalized_cdf(logits)
    # multinomial_op.cc's "incredibly rough estimate" of a row's cycles, an int64 there
    cost = int(50 * (num_samples * math.log(classes) / math.log(2) + classes))
    starts = parallel_for_shards(batch, cost, threads)
    for start, stop in zip(starts, [*starts[1:], batch]):
        drawn = words(
            seed, seed2, offset + start * (num_samples + 3) // 4, 2 * num_samples * (stop - start)
        )
        u = uint64_to_double(drawn[0::2], drawn[1::2].astype(np.uint64))
        to_find = u.reshape(stop - start, num_samples) * cdf[start:stop, -1:]
        for row in range(start, stop):  # std::upper_bound
            samples[row] = np.searchsorted(cdf[row], to_find[row - start], side="right")
    reserved = 2 * batch * (-(-num_samples // 4) * 4)
    return samples, offset + RESERVED_BLOCKS_PER_VALUE * reserved


def _unnormalized_cdf(logits: np.ndarray) -> np.ndarray:
    """Each row's running sums of ``exp(logit - max)`` over its finite logits (double): the
    maximum is taken in the logits' dtype, over finite values (the dtype's lowest when there
    are none); an infinite or NaN logit adds nothing, so it is never drawn."""
    finite = np.isfinite(logits)
    lowest = np.finfo(logits.dtype).min
    row_max = np.where(finite, logits, lowest).max(axis=1).astype(np.float64)
    terms = np.zeros(logits.shape, dtype=np.float64)
    np.exp(logits.astype(np.float64) - row_max[:, None], out=terms, where=finite)
    return np.cumsum(terms, axis=1)  # one addition after another, as TF's loop

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

import math

import numpy as np

# -- Philox4x32-10 (philox_random.h) ------------------------------------------------------
_MULTIPLIERS = np.array([[0xD2511F53], [0xCD9E8D57]], dtype=np.uint64)  # kPhiloxM4x32A/B
_KEY_STEP = (0x9E3779B9, 0xBB67AE85)  # kPhiloxW32A/B, added to the key after each round
_MASK32 = 0xFFFFFFFF
_MASK64 = (1 << 64) - 1
# Counter blocks per chunk: the working arrays of a chunk stay in the CPU cache.
_CHUNK = 1 << 14
# random_op.cc: every run skips this many blocks per output value ("Multiplier 256").
RESERVED_BLOCKS_PER_VALUE = 256


def _round_keys(seed: int) -> np.ndarray:
    """The key of each of the ten rounds, as a (10, 2, 1) array of uint32."""
    k0, k1 = seed & _MASK32, (seed >> 32) & _MASK32
    keys = [
        ((k0 + r * _KEY_STEP[0]) & _MASK32, (k1 + r * _KEY_STEP[1]) & _MASK32) for r in range(10)
    ]
    return np.array(keys, dtype=np.uint32).reshape(10, 2, 1)


def philox(seed: int, seed2: int, blocks: np.ndarray) -> np.ndarray:
    """Philox4x32-10 of the generator ``PhiloxRandom(seed, seed2)`` skipped by each of
    ``blocks`` (uint64 counter offsets): an array of shape ``(len(blocks), 4)`` of uint32,
    the four words each block gives, in TensorFlow's order."""
    blocks = np.asarray(blocks, dtype=np.uint64).reshape(-1)
    keys = _round_keys(seed & _MASK64)
    high = seed2 & _MASK64  # the counter starts at seed2 * 2**64
    out = np.empty((blocks.size, 4), dtype=np.uint32)
    for start in range(0, blocks.size, _CHUNK):
        part = blocks[start : start + _CHUNK]
        out[start : start + part.size] = _philox_chunk(keys, high, part)
    return out


def _philox_chunk(keys: np.ndarray, high: int, low: np.ndarray) -> np.ndarray:
    n = low.size
    # The words are kept as two pairs: even = (c0, c2), which the rounds multiply,
    # and odd = (c1, c3), which they xor in. A 64-bit counter low part never carries
    # into seed2 for the offsets an op can reach (2**64 blocks), so c2, c3 are constant.
    even = np.empty((2, n), dtype=np.uint32)
    odd = np.empty((2, n), dtype=np.uint32)
    even[0] = low  # keeps the low 32 bits
    odd[0] = low >> np.uint64(32)
    even[1] = high & _MASK32
    odd[1] = high >> 32
    for r in range(10):
        product = np.multiply(even, _MULTIPLIERS, dtype=np.uint64)
        halves = product.view(np.uint32).reshape(2, n, 2)  # [..., 0] low, [..., 1] high
        # ComputeSingleRound: c0' = hi(B*c2) ^ c1 ^ k0, c1' = lo(B*c2),
        #                     c2' = hi(A*c0) ^ c3 ^ k1, c3' = lo(A*c0)
        even = halves[::-1, :, 1] ^ odd
        even ^= keys[r]
        odd = halves[::-1, :, 0]
    words = np.empty((n, 4), dtype=np.uint32)
    words[:, 0], words[:, 1], words[:, 2], words[:, 3] = even[0], odd[0], even[1], odd[1]
    return words


def _consecutive(seed: int, seed2: int, offset: int, count: int) -> np.ndarray:
    """The words of ``count`` consecutive blocks starting ``offset`` blocks in."""
    return philox(seed, seed2, np.arange(offset, offset + count, dtype=np.uint64))


def _advance(offset: int, size: int) -> int:
    return offset + RESERVED_BLOCKS_PER_VALUE * size


def _count(shape) -> int:
    return math.prod(int(d) for d in shape)


# -- words to numbers (random_distributions.h) ---------------------------------------------
def uint32_to_float(words: np.ndarray) -> np.ndarray:
    """``Uint32ToFloat``: 23 random mantissa bits under exponent 0, minus 1: [0, 1)."""
    bits = (words & np.uint32(0x7FFFFF)) | np.uint32(127 << 23)
    return bits.view(np.float32) - np.float32(1)


def uint64_to_double(high: np.ndarray, low: np.ndarray) -> np.ndarray:
    """``Uint64ToDouble``: 20 bits of ``high`` and all of ``low`` as the mantissa, minus 1."""
    bits = (high.astype(np.uint64) & np.uint64(0xFFFFF)) << np.uint64(32)
    bits |= low
    bits |= np.uint64(1023 << 52)
    return bits.view(np.float64) - 1.0


def uint16_to_half(words: np.ndarray) -> np.ndarray:
    """``Uint16ToHalf`` of the low 16 bits: 10 mantissa bits under exponent 0, minus 1."""
    bits = ((words & np.uint32(0x3FF)) | np.uint32(15 << 10)).astype(np.uint16)
    return bits.view(np.float16) - np.float16(1)


# -- glibc's logf and sincosf (float results computed in double) ---------------------------
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


def logf(x: np.ndarray) -> np.ndarray:
    """glibc's ``logf`` for positive normal float32 ``x`` below 1 (all Box-Muller needs)."""
    ix = x.view(np.uint32)
    tmp = ix - np.uint32(0x3F330000)
    i = (tmp >> np.uint32(19)) & np.uint32(15)
    k = tmp.view(np.int32) >> np.int32(23)  # arithmetic shift
    z = (ix - (tmp & np.uint32(0x1FF << 23))).view(np.float32).astype(np.float64)
    r = z * _LOGF_TABLE[i, 0] - 1.0
    y0 = _LOGF_TABLE[i, 1] + k * _LN2
    r2 = r * r
    a0, a1, a2 = _LOGF_POLY
    y = a1 * r + a2
    y = a0 * r2 + y
    y = y * r2 + (y0 + r)
    return y.astype(np.float32)


# s_sincosf_data.c, for x86-64 (no rounding intrinsics: 2/pi is pre-scaled by 2**24).
_HPI_INV, _HPI = _doubles("0x1.45F306DC9C883p+23 0x1.921FB54442D18p0")
_COS = _doubles(
    "0x1p0 -0x1.ffffffd0c621cp-2 0x1.55553e1068f19p-5 -0x1.6c087e89a359dp-10 0x1.99343027bf8c3p-16"
)
_SIN = _doubles("-0x1.555545995a603p-3 0x1.1107605230bc4p-7 -0x1.994eb3774cf24p-13")
_SIN_SIGN = np.array([1.0, -1.0, -1.0, 1.0])  # sign[n & 3]
_COS_SIGN = np.array([1.0, 1.0, -1.0, -1.0])  # the table's negated cosine when n & 2


def sincosf(v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """glibc's ``sincosf`` for float32 ``v`` in [0, 120)."""
    x = v.astype(np.float64)
    n = ((x * _HPI_INV).astype(np.int32) + np.int32(0x800000)) >> np.int32(24)
    # Below pi/4 glibc skips the reduction; n is 0 there, so reducing changes nothing.
    x -= n * _HPI
    x2 = x * x
    x3 = x2 * x
    x4 = x2 * x2
    c0, c1, c2, c3, c4 = _COS
    s1, s2, s3 = _SIN
    # sincosf_poly, with its operations in its order
    cos_high = c3 + x2 * c4
    sin_high = s2 + x2 * s3
    cos_low = c0 + x2 * c1
    sin = x + x3 * s1
    cos = cos_low + x4 * c2
    sin += (x3 * x2) * sin_high
    cos += (x4 * x2) * cos_high
    quadrant = n & 3
    sin *= _SIN_SIGN[quadrant]  # the polynomials are odd and even: signs factor out exactly
    cos *= _COS_SIGN[quadrant]
    odd = (n & 1).astype(bool)
    # (glibc returns (v, 1) below 2**-12 without the polynomials, which round to the same)
    return np.where(odd, cos, sin).astype(np.float32), np.where(odd, sin, cos).astype(np.float32)


# -- Box-Muller (random_distributions.h) ----------------------------------------------------
_TWO_PI = 2 * math.pi  # 2 * M_PI, a double


def box_muller_float(x0: np.ndarray, x1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``BoxMullerFloat``: two float32 normals from two words each."""
    u1 = np.maximum(uint32_to_float(x0), np.float32(1.0e-7))  # never log(0)
    v1 = (uint32_to_float(x1).astype(np.float64) * _TWO_PI).astype(np.float32)
    u2 = np.sqrt(np.float32(-2.0) * logf(u1))
    sin, cos = sincosf(v1)
    sin *= u2
    cos *= u2
    return sin, cos


_libm_log = np.frompyfunc(math.log, 1, 1)


def box_muller_double(words: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``BoxMullerDouble``: two float64 normals from the four words of each row.

    The C library's ``log`` (through Python's ``math.log``) gives its exact last bit;
    numpy's vectorised ``log`` does not always agree with it."""
    u1 = np.maximum(uint64_to_double(words[:, 0], words[:, 1]), 1.0e-7)
    v1 = _TWO_PI * uint64_to_double(words[:, 2], words[:, 3])
    u2 = np.sqrt(-2.0 * _libm_log(u1).astype(np.float64))
    return np.sin(v1) * u2, np.cos(v1) * u2


# -- the samplers -------------------------------------------------------------------------
def uniform(seed: int, seed2: int, offset: int, shape, dtype) -> tuple[np.ndarray, int]:
    """``RandomUniform``: [0, 1) in float16, float32 or float64."""
    size = _count(shape)
    dtype = np.dtype(dtype)
    if dtype == np.float64:
        words = _consecutive(seed, seed2, offset, -(-size // 2)).reshape(-1, 2)
        flat = uint64_to_double(words[:, 0], words[:, 1])
    else:
        words = _consecutive(seed, seed2, offset, -(-size // 4)).reshape(-1)
        convert = uint16_to_half if dtype == np.float16 else uint32_to_float
        flat = convert(words)
    return flat[:size].reshape(shape), _advance(offset, size)


def uniform_int(
    seed: int, seed2: int, offset: int, shape, minval, maxval
) -> tuple[np.ndarray, int]:
    """``RandomUniformInt``: ``minval + word % (maxval - minval)`` in int32 (one word a value)
    or int64 (two words a value)."""
    size = _count(shape)
    lo = np.asarray(minval)
    if lo.dtype == np.int64:
        words = _consecutive(seed, seed2, offset, -(-size // 2)).reshape(-1, 2)
        bits = words[:, 0].astype(np.uint64) | (words[:, 1].astype(np.uint64) << np.uint64(32))
        span = np.uint64((int(maxval) - int(minval)) & _MASK64)
    else:
        bits = _consecutive(seed, seed2, offset, -(-size // 4)).reshape(-1)
        span = np.uint32((int(maxval) - int(minval)) & _MASK32)
    values = (bits % span).astype(lo.dtype) + lo
    return values[:size].reshape(shape), _advance(offset, size)


def normal(seed: int, seed2: int, offset: int, shape, dtype) -> tuple[np.ndarray, int]:
    """``RandomStandardNormal``: Box-Muller pairs, four float32 (or float16) values a block,
    two float64 values a block."""
    size = _count(shape)
    dtype = np.dtype(dtype)
    if dtype == np.float64:
        words = _consecutive(seed, seed2, offset, -(-size // 2))
        pairs = np.stack(box_muller_double(words), axis=1)
    else:
        words = _consecutive(seed, seed2, offset, -(-size // 4)).reshape(-1, 2)
        pairs = np.stack(box_muller_float(words[:, 0], words[:, 1]), axis=1)
    flat = pairs.reshape(-1)[:size]
    return flat.astype(dtype, copy=False).reshape(shape), _advance(offset, size)


def truncated_normal(seed: int, seed2: int, offset: int, shape, dtype) -> tuple[np.ndarray, int]:
    """``TruncatedNormal``: normals with ``|z| < 2``, drawn again otherwise.

    Output group ``g`` (4 values; 2 for float64) starts its own stream at block
    ``g * 256`` (``g * 128``) and keeps the values in (-2, 2) in order until it has enough.
    Vectorised: every group computes one block at a time; groups that are full drop out."""
    size = _count(shape)
    dtype = np.dtype(dtype)
    double = dtype == np.float64
    per_group = 2 if double else 4
    skip = per_group * RESERVED_BLOCKS_PER_VALUE // 4
    groups = -(-size // per_group)
    out = np.empty((groups, per_group), dtype=np.float64 if double else np.float32)
    filled = np.zeros(groups, dtype=np.intp)
    pending = np.arange(groups, dtype=np.uint64)
    block = 0
    while pending.size:
        words = philox(seed, seed2, offset + pending * np.uint64(skip) + np.uint64(block))
        if double:
            candidates = np.stack(box_muller_double(words), axis=1)
        else:
            halves = words.reshape(-1, 2)
            pairs = np.stack(box_muller_float(halves[:, 0], halves[:, 1]), axis=1)
            candidates = pairs.reshape(-1, 4)
        kept = np.abs(candidates) < 2
        # The value in candidate column j of a group goes to place filled + (kept before j).
        rows = pending.astype(np.intp)
        place = filled[rows, None] + np.cumsum(kept, axis=1) - 1
        take = kept & (place < per_group)
        row_of = np.broadcast_to(rows[:, None], take.shape)
        out[row_of[take], place[take]] = candidates[take]
        filled[rows] = np.minimum(filled[rows] + kept.sum(axis=1), per_group)
        pending = pending[filled[rows] < per_group]
        block += 1
    flat = out.reshape(-1)[:size]
    return flat.astype(dtype, copy=False).reshape(shape), _advance(offset, size)

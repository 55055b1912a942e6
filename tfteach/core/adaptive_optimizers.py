"""The adaptive optimizers of ``tf.train``: ``RMSPropOptimizer``, ``AdagradOptimizer``,
``AdadeltaOptimizer`` and ``FtrlOptimizer``.

Each keeps per-variable slots named as TF names them (``w/RMSProp``, ``w/RMSProp_1``,
``w/Adagrad``, ``w/Adadelta``, ``w/Ftrl``...) and updates them with one ``Apply*`` op whose
kernel is TF's formula in numpy (tensorflow/core/kernels/training_ops.cc).
"""

from __future__ import annotations

import numpy as np

from .graph import get_default_graph
from .math_ops import cast
from .registry import register
from .training import Optimizer, _apply_shape, _read_refs


def _write(ctx, op, values: dict) -> None:
    """Writes each ``{input index: new value}`` to the variable behind that input."""
    for i, value in values.items():
        ctx.write(op._inputs[i]._op, value, "assign")


# -- RMSProp --------------------------------------------------------------------------------


@register("ApplyRMSProp", shape=_apply_shape(3), ref_inputs=(0, 1, 2))
def _apply_rms_prop_kernel(ctx, op, lr, rho, momentum, epsilon, grad):
    var, ms, mom = _read_refs(ctx, op, 3)
    ms = ms + (np.square(grad) - ms) * (1 - rho)  # = rho * ms + (1 - rho) * grad**2
    mom = mom * momentum + lr * grad / np.sqrt(ms + epsilon)
    var = var - mom
    _write(ctx, op, {1: ms, 2: mom, 0: var})
    return var


@register("ApplyCenteredRMSProp", shape=_apply_shape(4), ref_inputs=(0, 1, 2, 3))
def _apply_centered_rms_prop_kernel(ctx, op, lr, rho, momentum, epsilon, grad):
    var, mg, ms, mom = _read_refs(ctx, op, 4)
    ms = ms + (np.square(grad) - ms) * (1 - rho)
    mg = mg + (grad - mg) * (1 - rho)
    # centered: divide by an estimate of the gradient's standard deviation, not its RMS
    denom = ms - np.square(mg) + epsilon
    mom = mom * momentum + lr * grad / np.sqrt(denom)
    var = var - mom
    _write(ctx, op, {1: mg, 2: ms, 3: mom, 0: var})
    return var


class RMSPropOptimizer(Optimizer):
    """RMSProp (Hinton): ``ms = decay * ms + (1 - decay) * g**2``; ``mom = momentum * mom +
    learning_rate * g / sqrt(ms + epsilon)``; ``var -= mom``. Slots: ``rms`` (starts at ones,
    ``w/RMSProp``), with ``centered=True`` ``mg`` (``w/RMSProp_1``), and ``momentum``."""

    def __init__(
        self,
        learning_rate,
        decay=0.9,
        momentum=0.0,
        epsilon=1e-10,
        use_locking: bool = False,
        centered: bool = False,
        name: str = "RMSProp",
    ):
        super().__init__(use_locking, name)
        self._learning_rate, self._decay = learning_rate, decay
        self._momentum, self._epsilon = momentum, epsilon
        self._centered = bool(centered)

    def _create_slots(self, var_list) -> None:
        for v in var_list:  # TF's order, which decides the _1, _2 suffixes
            self._zeros_slot(v, "rms", self._name, fill_value=1.0)
            if self._centered:
                self._zeros_slot(v, "mg", self._name)
            self._zeros_slot(v, "momentum", self._name)

    def _prepare(self) -> None:
        self._learning_rate_tensor = self._hyper(self._learning_rate, "learning_rate")
        self._decay_tensor = self._hyper(self._decay, "decay")
        self._momentum_tensor = self._hyper(self._momentum, "momentum")
        self._epsilon_tensor = self._hyper(self._epsilon, "epsilon")

    def _apply_dense(self, grad, var):
        dtype = var.dtype.base_dtype
        hypers = [
            cast(t, dtype)
            for t in (
                self._learning_rate_tensor,
                self._decay_tensor,
                self._momentum_tensor,
                self._epsilon_tensor,
            )
        ]
        slots = ["rms", "momentum"]
        op_type = "ApplyRMSProp"
        if self._centered:
            slots = ["mg", "rms", "momentum"]
            op_type = "ApplyCenteredRMSProp"
        refs = [var._ref()] + [self.get_slot(var, s)._ref() for s in slots]
        attrs = {"use_locking": self._use_locking}
        return get_default_graph().create_op(op_type, refs + hypers + [grad], attrs, name=op_type)


# -- Adagrad --------------------------------------------------------------------------------


@register("ApplyAdagrad", shape=_apply_shape(2), ref_inputs=(0, 1))
def _apply_adagrad_kernel(ctx, op, lr, grad):
    var, accum = _read_refs(ctx, op, 2)
    accum = accum + np.square(grad)
    var = var - lr * grad / np.sqrt(accum)
    _write(ctx, op, {1: accum, 0: var})
    return var


class AdagradOptimizer(Optimizer):
    """Adagrad (Duchi et al.): ``accum += g**2``; ``var -= learning_rate * g / sqrt(accum)``.
    Slot ``accumulator`` (``w/Adagrad``) starts at ``initial_accumulator_value``."""

    def __init__(
        self,
        learning_rate,
        initial_accumulator_value=0.1,
        use_locking: bool = False,
        name: str = "Adagrad",
    ):
        if initial_accumulator_value <= 0.0:
            raise ValueError(
                f"initial_accumulator_value must be positive: {initial_accumulator_value}"
            )
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._initial_accumulator_value = initial_accumulator_value

    def _create_slots(self, var_list) -> None:
        for v in var_list:
            self._zeros_slot(
                v, "accumulator", self._name, fill_value=self._initial_accumulator_value
            )

    def _prepare(self) -> None:
        self._learning_rate_tensor = self._hyper(self._learning_rate, "learning_rate")

    def _apply_dense(self, grad, var):
        inputs = [
            var._ref(),
            self.get_slot(var, "accumulator")._ref(),
            cast(self._learning_rate_tensor, var.dtype.base_dtype),
            grad,
        ]
        attrs = {"use_locking": self._use_locking, "update_slots": True}
        return get_default_graph().create_op("ApplyAdagrad", inputs, attrs, name="ApplyAdagrad")


# -- Adadelta -------------------------------------------------------------------------------


@register("ApplyAdadelta", shape=_apply_shape(3), ref_inputs=(0, 1, 2))
def _apply_adadelta_kernel(ctx, op, lr, rho, epsilon, grad):
    var, accum, accum_update = _read_refs(ctx, op, 3)
    accum = accum * rho + np.square(grad) * (1 - rho)
    update = np.sqrt(accum_update + epsilon) / np.sqrt(accum + epsilon) * grad
    accum_update = accum_update * rho + np.square(update) * (1 - rho)
    var = var - update * lr
    _write(ctx, op, {1: accum, 2: accum_update, 0: var})
    return var


class AdadeltaOptimizer(Optimizer):
    """Adadelta (Zeiler): running averages of ``g**2`` (slot ``accum``, ``w/Adadelta``) and of
    the squared updates (slot ``accum_update``, ``w/Adadelta_1``); the step is
    ``sqrt(accum_update + eps) / sqrt(accum + eps) * g``, scaled by ``learning_rate``."""

    def __init__(
        self,
        learning_rate=0.001,
        rho=0.95,
        epsilon=1e-08,
        use_locking: bool = False,
        name: str = "Adadelta",
    ):
        super().__init__(use_locking, name)
        self._lr, self._rho, self._epsilon = learning_rate, rho, epsilon

    def _create_slots(self, var_list) -> None:
        for v in var_list:
            self._zeros_slot(v, "accum", self._name)
            self._zeros_slot(v, "accum_update", self._name)

    def _prepare(self) -> None:
        self._lr_t = self._hyper(self._lr, "lr")
        self._rho_t = self._hyper(self._rho, "rho")
        self._epsilon_t = self._hyper(self._epsilon, "epsilon")

    def _apply_dense(self, grad, var):
        dtype = var.dtype.base_dtype
        inputs = [
            var._ref(),
            self.get_slot(var, "accum")._ref(),
            self.get_slot(var, "accum_update")._ref(),
            *(cast(t, dtype) for t in (self._lr_t, self._rho_t, self._epsilon_t)),
            grad,
        ]
        attrs = {"use_locking": self._use_locking}
        return get_default_graph().create_op("ApplyAdadelta", inputs, attrs, name="ApplyAdadelta")


# -- FTRL -----------------------------------------------------------------------------------


# ApplyFtrl's inputs are (var, accum, linear, grad, lr, l1, l2, lr_power): the gradient is 3rd
@register("ApplyFtrl", shape=_apply_shape(3, grad_index=3), ref_inputs=(0, 1, 2))
def _apply_ftrl_kernel(ctx, op, grad, lr, l1, l2, lr_power):
    var, accum, linear = _read_refs(ctx, op, 3)
    new_accum = accum + np.square(grad)
    linear = linear + grad - (new_accum ** (-lr_power) - accum ** (-lr_power)) / lr * var
    quadratic = new_accum ** (-lr_power) / lr + 2 * l2
    # the L1 term makes small weights exactly zero: FTRL's sparsity
    var = np.where(np.abs(linear) > l1, (np.sign(linear) * l1 - linear) / quadratic, 0)
    var = var.astype(linear.dtype)
    _write(ctx, op, {1: new_accum, 2: linear, 0: var})
    return var


class FtrlOptimizer(Optimizer):
    """FTRL-Proximal (McMahan et al.) with L1 and L2 regularization. Slots ``accum``
    (``w/Ftrl``, starts at ``initial_accumulator_value``) and ``linear`` (``w/Ftrl_1``).
    tfteach teaches the plain form: no ``l2_shrinkage_regularization_strength``, no ``beta``."""

    def __init__(
        self,
        learning_rate,
        learning_rate_power=-0.5,
        initial_accumulator_value=0.1,
        l1_regularization_strength=0.0,
        l2_regularization_strength=0.0,
        use_locking: bool = False,
        name: str = "Ftrl",
        accum_name: str | None = None,
        linear_name: str | None = None,
        l2_shrinkage_regularization_strength=0.0,
        beta=None,
    ):
        # TF's checks, with TF's wording
        for value, what, sign in (
            (initial_accumulator_value, "initial_accumulator_value", "positive"),
            (-learning_rate_power, "learning_rate_power", "negative"),
            (l1_regularization_strength, "l1_regularization_strength", "positive"),
            (l2_regularization_strength, "l2_regularization_strength", "positive"),
        ):
            if value < 0.0:
                shown = -value if what == "learning_rate_power" else value
                raise ValueError(f"{what} {shown:f} needs to be {sign} or zero")
        if l2_shrinkage_regularization_strength or beta:
            raise NotImplementedError(
                "tfteach's FtrlOptimizer teaches plain FTRL with l1 and l2 regularization; "
                "l2_shrinkage_regularization_strength and beta are not supported."
            )
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._learning_rate_power = learning_rate_power
        self._initial_accumulator_value = initial_accumulator_value
        self._l1, self._l2 = l1_regularization_strength, l2_regularization_strength
        self._accum_name, self._linear_name = accum_name, linear_name

    def _create_slots(self, var_list) -> None:
        for v in var_list:
            self._zeros_slot(
                v,
                "accum",
                self._accum_name or self._name,
                fill_value=self._initial_accumulator_value,
            )
            self._zeros_slot(v, "linear", self._linear_name or self._name)

    def _prepare(self) -> None:
        self._learning_rate_tensor = self._hyper(self._learning_rate, "learning_rate")
        self._l1_tensor = self._hyper(self._l1, "l1_regularization_strength")
        self._l2_tensor = self._hyper(self._l2, "l2_regularization_strength")
        self._power_tensor = self._hyper(self._learning_rate_power, "learning_rate_power")

    def _apply_dense(self, grad, var):
        dtype = var.dtype.base_dtype
        inputs = [
            var._ref(),
            self.get_slot(var, "accum")._ref(),
            self.get_slot(var, "linear")._ref(),
            grad,
            *(
                cast(t, dtype)
                for t in (
                    self._learning_rate_tensor,
                    self._l1_tensor,
                    self._l2_tensor,
                    self._power_tensor,
                )
            ),
        ]
        attrs = {"use_locking": self._use_locking}
        return get_default_graph().create_op("ApplyFtrl", inputs, attrs, name="ApplyFtrl")

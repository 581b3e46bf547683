"""Optimizer: the base class that holds parameter groups and per-parameter state.

An optimizer is given the parameters to update (``model.parameters()``,
or a list of dicts to give groups their own settings) and keeps, for each
parameter, whatever its rule remembers between steps (SGD's momentum,
Adam's running averages) in ``optimizer.state[param]``.

The training loop it serves:

    optimizer.zero_grad()     # forget the last step's gradients
    loss = criterion(model(x), y)
    loss.backward()           # fill every parameter's .grad
    optimizer.step()          # move every parameter against its .grad

``step()`` changes the parameters in place, outside autograd.
"""

import copy
import functools
import sys
import warnings
from collections import defaultdict

from .. import creation, graph
from ..tensor import Tensor
from ..nn.module import zero_grads
from .stale import check_optimizer

__all__ = ["Optimizer", "required"]


class _RequiredParameter:
    """The default of a hyperparameter that every parameter group must give."""

    def __repr__(self):
        return "<required parameter>"


required = _RequiredParameter()


class Optimizer:
    """Base class: subclasses set ``defaults`` and implement ``step()``.

    ``param_groups`` is a list of dicts, each with ``'params'`` and the
    hyperparameters for them (change ``group['lr']`` to change the
    learning rate mid-training).

    Every subclass's ``step()`` first checks for a forgotten
    ``zero_grad()`` and warns (``StaleGradWarning``, once per optimizer)
    when a ``.grad`` still holds the gradient the previous step used. Set
    ``carry_grads = True`` when you carry gradients across steps on purpose.
    """

    carry_grads = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "step" in cls.__dict__:
            cls.step = _checking_stale_grads(cls.__dict__["step"])

    def __init__(self, params, defaults):
        self.defaults = defaults
        if isinstance(params, Tensor):
            raise TypeError("params argument given to the optimizer should be an iterable of "
                            f"Tensors or dicts, but got {params.type()}")
        self.state = defaultdict(dict)
        self.param_groups = []
        groups = list(params)
        if len(groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, param_group):
        """Add a group of parameters with its own hyperparameters (the others from defaults)."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group)}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, set):
            raise TypeError("optimizer parameters need to be organized in ordered collections, "
                            "but the ordering of tensors in sets will change between runs. "
                            "Please use a list instead.")
        params = list(params)
        if params and all(isinstance(p, tuple) for p in params):   # named_parameters()
            param_group["param_names"] = [name for name, _ in params]
            params = [p for _, p in params]
        param_group["params"] = params
        for param in params:
            if not isinstance(param, Tensor):
                raise TypeError("optimizer can only optimize Tensors, but one of the params is "
                                f"{type(param).__module__}.{type(param).__qualname__}")
            if not (param.is_leaf or param.retains_grad):
                raise ValueError("can't optimize a non-leaf Tensor")
        for name, default in self.defaults.items():
            if default is required and name not in param_group:
                raise ValueError("parameter group didn't specify a value of required "
                                 f"optimization parameter {name}")
            param_group.setdefault(name, default)
        ids = [id(p) for p in params]
        if len(ids) != len(set(ids)):
            warnings.warn("optimizer contains a parameter group with duplicate parameters; "
                          "in future, this will cause an error; see "
                          "github.com/pytorch/pytorch/issues/40967 for more information",
                          stacklevel=3)
        taken = {id(p) for group in self.param_groups for p in group["params"]}
        if taken & set(ids):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(param_group)

    def zero_grad(self, set_to_none=True):
        """Forget every parameter's gradient: ``.grad = None`` (or zeros in place).

        Call it before each ``backward()``: gradients add up across calls.
        """
        for group in self.param_groups:
            zero_grads(group["params"], set_to_none)

    def step(self, closure=None):
        """Update every parameter that has a gradient (subclasses define how)."""
        raise NotImplementedError(f"{type(self).__name__} does not implement step()")

    def _closure_loss(self, closure):
        if closure is None:
            return None
        with graph.enable_grad():
            return closure()

    def _check_can_step(self):
        """Raise, before any parameter or state changes, when a step could not finish.

        A gradient or a saved state tensor (a momentum buffer, Adam's
        averages) whose shape is not its parameter's would fail halfway
        through the step, after other parameters had moved. It comes from
        a state dict of an optimizer over other parameters, or from
        ``p.data`` replaced by a tensor of another shape after backward.
        """
        state = self.state
        for g, group in enumerate(self.param_groups):
            for i, param in enumerate(group["params"]):
                grad = param._grad
                if grad is None:
                    continue
                shape = param._data.shape
                saved = state.get(param) if state else None   # SGD without momentum keeps none
                if grad._data.shape == shape and not saved:
                    continue   # the usual case, told at once
                names = group.get("param_names")
                name = names[i] if names else f"param_groups[{g}]['params'][{i}]"
                if grad._data.shape != shape:
                    raise RuntimeError(
                        f"{type(self).__name__}.step(): the gradient of {name} has shape "
                        f"{list(grad._data.shape)}, but the parameter has shape "
                        f"{list(shape)}. Was the parameter replaced (p.data = ...) after "
                        "backward()? Call zero_grad() and backward() again.")
                for key, value in (saved or {}).items():
                    if key != "step" and isinstance(value, Tensor) and value._data.shape != shape:
                        raise RuntimeError(
                            f"{type(self).__name__}.step(): the state '{key}' of {name} has "
                            f"shape {list(value._data.shape)}, but the parameter has shape "
                            f"{list(shape)}. Was the state loaded (load_state_dict) from an "
                            "optimizer over other parameters? Load one saved with these, or "
                            "start without it.")

    def _params_with_grad(self, group):
        """(parameter, gradient array) for each parameter of ``group`` that has a gradient."""
        for param in group["params"]:
            if param._grad is not None:
                yield param, param._grad._data

    # ------------------------------------------------------------ saving and loading

    def state_dict(self):
        """``{'state': {index: {...}}, 'param_groups': [{..., 'params': [indices]}]}``.

        Parameters are referred to by their position across the groups, so
        the dict can be loaded into a new optimizer over a new model.
        """
        index, groups = {}, []
        for group in self.param_groups:
            packed = {k: v for k, v in group.items() if k != "params"}
            positions = []
            for param in group["params"]:
                index.setdefault(id(param), len(index))
                positions.append(index[id(param)])
            packed["params"] = positions
            groups.append(packed)
        state = {index[id(param)]: dict(value) for param, value in self.state.items()
                 if id(param) in index}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict):
        """Restore hyperparameters and state saved by ``state_dict()`` (tensors are copied)."""
        saved_groups = state_dict["param_groups"]
        if len(saved_groups) != len(self.param_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        if any(len(saved["params"]) != len(group["params"])
               for saved, group in zip(saved_groups, self.param_groups)):
            raise ValueError("loaded state dict contains a parameter group that doesn't match "
                             "the size of optimizer's group")
        by_index = {}
        for saved, group in zip(saved_groups, self.param_groups):
            by_index.update(zip(saved["params"], group["params"]))
        self.state = defaultdict(dict)
        for key, value in state_dict["state"].items():
            key = int(key)
            if key not in by_index:
                continue
            param = by_index[key]
            self.state[param] = {name: _state_value(name, v, param) for name, v in value.items()}
        for saved, group in zip(saved_groups, self.param_groups):
            for name, value in saved.items():
                if name != "params":
                    group[name] = copy.deepcopy(value)

    def __repr__(self):
        text = type(self).__name__ + " ("
        for i, group in enumerate(self.param_groups):
            text += f"\nParameter Group {i}\n"
            for key in sorted(group):
                if key != "params":
                    text += f"    {key}: {group[key]}\n"
        return text + ")"


def _checking_stale_grads(step):
    """``step`` preceded by the forgotten-zero_grad check (see stale.py); a nested
    ``super().step()`` is not checked twice."""
    @functools.wraps(step)
    def checked_step(self, *args, **kwargs):
        if self.__dict__.get("_in_step"):
            return step(self, *args, **kwargs)
        closure = args[0] if args else kwargs.get("closure")
        check_optimizer(self, closure, sys._getframe(1))
        self._in_step = True
        try:
            return step(self, *args, **kwargs)
        finally:
            self._in_step = False
    return checked_step


def count_step(state):
    """Add one to ``state['step']`` and return the new count.

    A number there (from an older checkpoint, or set by hand) becomes a
    tensor first, as PyTorch's optimizers convert it.
    """
    step = state["step"]
    if not isinstance(step, Tensor):
        step = state["step"] = creation.tensor(float(step))
    step._data += 1
    return step.item()


def _state_value(name, value, param):
    """A copy of one saved state entry, floating tensors cast to the parameter's dtype.

    A step count saved as a number becomes a tensor, as PyTorch loads it.
    """
    if name == "step" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return creation.tensor(float(value))
    if not isinstance(value, Tensor):
        return copy.deepcopy(value)
    if name != "step" and value.is_floating_point():
        value = value.to(dtype=param.dtype, device=param.device)
    return value.detach().clone()

"""Tensor: an array of numbers plus what autograd needs to know about it.

A Tensor holds:

- its storage: a NumPy array (on the CPU) or a CuPy array (on a GPU);
- ``requires_grad``: whether gradients should flow to it;
- ``grad_fn``: the node of the operation that made it (None for leaves);
- ``grad``: for leaves, the gradient accumulated by ``backward()``;
- a version counter, bumped by every in-place change, so that backward
  can refuse to use a saved value that was overwritten since.

Its operations (``+``, ``exp``, ``sum``, ``view``...) are defined once in
``ops/`` and attached here as methods, so ``x.exp()`` and
``autodidact.exp(x)`` are the same function.

    >>> x = autodidact.tensor([1.0, 2.0], requires_grad=True)
    >>> (x * x).sum().backward(); x.grad
    tensor([2., 4.])
"""

import warnings
import weakref

import numpy as np

from . import backend, function, graph
from . import dtypes as _dt
from .printing import format_tensor

__all__ = ["Tensor", "Size"]


class Size(tuple):
    """A tensor's shape: a tuple of ints that prints as ``autodidact.Size([5, 3])``."""

    __slots__ = ()

    def __repr__(self):
        return f"autodidact.Size({list(self)})"

    __str__ = __repr__

    def numel(self):
        n = 1
        for d in self:
            n *= d
        return n

    # Slicing and concatenating a Size gives a Size, as in PyTorch.
    def __getitem__(self, key):
        item = tuple.__getitem__(self, key)
        return Size(item) if isinstance(key, slice) else item

    def __add__(self, other):
        return Size(tuple.__add__(self, tuple(other)))

    def __radd__(self, other):
        return Size(tuple(other) + tuple(self))

    def __mul__(self, times):
        return Size(tuple.__mul__(self, times))

    __rmul__ = __mul__


def _new_counter():
    """A version counter: it counts in-place changes; a view and its base share one.

    It is one integer in a one-element NumPy array: an object that holds
    no references, so Python's cycle collector never tracks it (a graph
    keeps one per saved result, and the collector's full passes would walk
    every one). A tensor gets its counter only when something needs it (a
    rule saves the tensor, a view shares it, an in-place op bumps it): most
    results are used once and dropped.

        >>> c = _new_counter(); c[0] += 1; c.item()   # bumped, then read as a Python int
        1
    """
    return _ZERO_COUNT.copy()


_ZERO_COUNT = np.zeros(1, dtype=np.int64)


_NON_LEAF_GRAD_WARNING = (
    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
    "attribute won't be populated during autograd.backward(). If you indeed want the .grad "
    "field to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. "
    "If you access the non-leaf Tensor by mistake, make sure you access the leaf Tensor instead.")

_NOT_FLOAT_GRAD = "Only Tensors of floating point and complex dtype can require gradients"


class Tensor:
    """A multi-dimensional array that can record the operations done with it.

    ``Tensor(5, 3)`` is PyTorch's legacy constructor: an *uninitialised*
    5x3 float32 tensor (whatever bytes were in memory: not random, not
    zeros). ``Tensor([1.0, 2.0])`` copies data into a float32 tensor. Use
    ``autodidact.tensor(data)`` to infer the dtype, and
    ``autodidact.empty/zeros/ones/rand`` to say what you mean.
    """

    __slots__ = ("_data", "_device", "_requires_grad", "grad_fn", "_grad", "_counter",
                 "__weakref__", "__dict__")
    __module__ = "autodidact"   # type(t) prints <class 'autodidact.Tensor'>, as torch.Tensor

    # Rarely set, so kept out of every tensor's creation: an instance that
    # needs one gets its own value in its __dict__.
    _base = None            # the tensor whose storage this view shares
    _retains_grad = False
    _hooks = None           # leaf hooks, run before accumulating into .grad
    _accumulator = None     # weak reference to this leaf's AccumulateGrad node
    _grad_passes = 0        # backward passes accumulated into .grad (for viz)
    _grad_restarts = 0      # times .grad started afresh from None or zeros (optim/stale.py)
    _output_nr = 0          # which output of grad_fn this is (split's pieces: 0, 1, 2...)

    # Make `ndarray + tensor` defer to Tensor.__radd__ instead of NumPy.
    __array_priority__ = 1000

    def __init__(self, *args, device=None, **kwargs):
        from .creation import legacy_storage
        if kwargs:
            got = ", ".join([type(a).__name__ for a in args]
                            + [f"{k}={type(v).__name__}" for k, v in kwargs.items()])
            raise TypeError(
                f"new() received an invalid combination of arguments - got ({got}): Tensor() "
                f"takes only sizes or data (and device=), not {', '.join(kwargs)}. Use "
                "autodidact.tensor(data, dtype=..., requires_grad=...) or "
                "autodidact.empty(*size, dtype=...) instead.")
        array = legacy_storage(args, device)
        where = backend.device_of_array(array) if device is None else backend.as_device(device)
        _init(self, backend.move(array, where), where)

    @classmethod
    def _wrap(cls, array, device=None):
        """A new leaf around ``array`` (no copy): the fast path every op takes."""
        if type(array) is not np.ndarray and not hasattr(array, "__cuda_array_interface__"):
            array = np.asarray(array)   # NumPy returns scalars from 0-d results
        t = _new(cls)
        t._data = array
        t._device = device or backend.device_of_array(array)
        t._requires_grad = False
        t.grad_fn = None
        t._grad = None
        t._counter = None   # the version counter, made when first needed (see _vc)
        return t

    # ------------------------------------------------------------ basic facts

    @property
    def data(self):
        """The same storage as a new tensor outside autograd (and its version counting).

        Assigning ``x.data = other`` swaps the storage and keeps x a leaf.
        """
        return Tensor._wrap(self._data, self._device)

    @data.setter
    def data(self, other):
        if not isinstance(other, Tensor):
            raise TypeError(f"data must be a Tensor, got {type(other).__name__}")
        if self._requires_grad and not other.dtype.is_floating_point:
            raise RuntimeError(
                "data set to a tensor that requires gradients must be floating point or complex dtype")
        self._data = other._data
        self._device = other._device

    @property
    def dtype(self):
        return _dt._BY_NUMPY[self._data.dtype]

    @property
    def device(self):
        return self._device

    @property
    def is_cuda(self):
        return self._device.type == "cuda"

    @property
    def shape(self):
        return Size(self._data.shape)

    def size(self, dim=None):
        """The shape, or the length of one dimension: ``x.size()``, ``x.size(0)``."""
        if dim is None:
            return Size(self._data.shape)
        if self._data.ndim == 0:
            raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
        return self._data.shape[self._dim_index(dim)]

    def dim(self):
        return self._data.ndim

    ndim = property(dim)
    ndimension = dim

    def numel(self):
        return int(self._data.size)

    nelement = numel

    def element_size(self):
        return self._data.itemsize

    def is_floating_point(self):
        return self.dtype.is_floating_point

    def __len__(self):
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def _dim_index(self, dim):
        """Check ``dim`` against this tensor's rank and make it non-negative."""
        return normalize_dim(dim, self._data.ndim)

    @property
    def _vc(self):
        """The version counter (shared with views), made on first use."""
        counter = self._counter
        if counter is None:
            counter = self._counter = _new_counter()
        return counter

    @_vc.setter
    def _vc(self, counter):
        self._counter = counter

    @property
    def _version(self):
        counter = self._counter
        return 0 if counter is None else counter.item()   # never changed in place yet

    def _bump_version(self):
        counter = self._counter   # what _vc reads, without the property's call: every in-place op bumps
        if counter is None:
            counter = self._counter = _new_counter()
        counter[0] += 1

    # ---------------------------------------------------- conversions out

    def item(self):
        """The value of a one-element tensor as a Python number."""
        if self._data.size != 1:
            raise RuntimeError(
                f"a Tensor with {self._data.size} elements cannot be converted to Scalar")
        return self._data.item()   # any one-element array, whatever its shape

    def tolist(self):
        return _host(self._data).tolist()

    def __float__(self):
        self._only_one_element()
        return float(self.item())

    def __int__(self):
        self._only_one_element()
        return int(self.item())

    def __index__(self):
        if self.dtype.is_floating_point or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self.item())

    def _only_one_element(self):
        if self._data.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")

    def __bool__(self):
        if self._data.size != 1:
            raise RuntimeError("Boolean value of Tensor with "
                               f"{'no values' if self._data.size == 0 else 'more than one value'}"
                               " is ambiguous")
        return bool(self.item())

    def numpy(self, force=False):
        """The storage as a NumPy array, shared: changing one changes the other.

        Refused for a tensor that requires grad (an in-place change through
        NumPy would be invisible to autograd) and for a GPU tensor.
        """
        if force:
            return _host(self.detach()._data)
        if self._requires_grad:
            raise RuntimeError(
                "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.")
        if self._device.type != "cpu":
            raise TypeError(
                f"can't convert {self._device} device type tensor to numpy. Use Tensor.cpu() to "
                "copy the tensor to host memory first.")
        return self._data

    def __array__(self, dtype=None, copy=None):
        array = self.numpy()
        if dtype is not None and array.dtype != dtype:
            return array.astype(dtype)
        return array.copy() if copy else array

    def __repr__(self):
        suffixes = []
        if self._device.type != "cpu":
            suffixes.append(f"device='{self._device}'")
        if self.grad_fn is not None:
            suffixes.append(f"grad_fn=<{self.grad_fn.name()}>")
        elif self._requires_grad:
            suffixes.append("requires_grad=True")
        return format_tensor(_host(self._data), self.dtype.name, suffixes)

    __str__ = __repr__

    def __format__(self, spec):
        """A 0-d tensor formats as its number (f'{loss:.4f}'); others print as they repr."""
        if self._data.ndim == 0:
            return format(self.item(), spec)
        if spec:
            raise TypeError("unsupported format string passed to Tensor.__format__")
        return repr(self)

    def __hash__(self):
        return id(self)

    def __iter__(self):
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return iter(self.unbind(0))   # as PyTorch: the rows are pieces of one UnbindBackward0

    def __reduce_ex__(self, protocol):
        return (_rebuild, (_host(self._data), self._requires_grad, str(self._device)))

    # -------------------------------------------------------------- autograd

    @property
    def output_nr(self):
        """Which output of ``grad_fn`` this tensor is (0 but for ops that make several)."""
        return self._output_nr

    @property
    def requires_grad(self):
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, flag):
        self._set_requires_grad(flag, "only Tensors of floating point and complex dtype "
                                      "can require gradients")

    def requires_grad_(self, requires_grad=True):
        """Start (or stop) recording operations on this leaf; returns self."""
        if requires_grad and self.grad_fn is not None:
            return self   # a result in a graph already requires grad: nothing to change
        self._set_requires_grad(requires_grad,
                                "only Tensors of floating point dtype can require gradients")
        return self

    def _set_requires_grad(self, flag, dtype_message):
        if self.grad_fn is not None:
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to use a "
                "computed variable in a subgraph that doesn't require differentiation use "
                "var_no_grad = var.detach().")
        if flag and not self.dtype.is_floating_point:
            raise RuntimeError(dtype_message)
        self._requires_grad = bool(flag)

    @property
    def is_leaf(self):
        return self.grad_fn is None

    @property
    def grad(self):
        """The gradient accumulated by ``backward()`` (leaves, or after ``retain_grad()``)."""
        if self._grad is None and self.grad_fn is not None and not self._retains_grad:
            warnings.warn(_NON_LEAF_GRAD_WARNING, UserWarning, stacklevel=2)
        return self._grad

    @grad.setter
    def grad(self, value):
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError("assigned grad expected to be a Tensor or None but got grad of "
                                f"type {type(value).__name__}")
            if value.dtype is not self.dtype:
                from .ops.promotion import _dt_name
                from .ops.linalg import _C_TYPE
                raise RuntimeError(
                    f"attempting to assign a gradient with dtype '{_C_TYPE[value.dtype.name]}' "
                    f"to a tensor with grad_dtype '{_dt_name(self.dtype)}'. The gradient must "
                    "match the tensor's grad_dtype (defaults to the tensor's dtype). Assign "
                    "grad.to(tensor.dtype) instead.")
            if value.shape != self.shape:
                raise RuntimeError(
                    f"attempting to assign a gradient of size '{list(value.shape)}' to a tensor "
                    f"of size '{list(self.shape)}'. Please ensure that the gradient and the "
                    "tensor are the same size")
        self._grad = value

    @property
    def retains_grad(self):
        return self._retains_grad

    @property
    def grad_passes(self):
        """How many backward passes have added into ``.grad`` since it was last empty or zero.

        A pass that finds ``.grad`` None or all zeros starts again at 1,
        so ``zero_grad()`` and ``w.grad = None`` both reset it. ``viz``
        marks a leaf whose gradient has accumulated over several passes.
        """
        return self._grad_passes if self._grad is not None else 0

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        """Accumulate d(self)/d(leaf) into every leaf's ``.grad``.

        Gradients add up across calls: call ``optimizer.zero_grad()`` (or
        set ``.grad = None``) between steps, or they keep growing. The
        graph's saved tensors are freed afterwards unless ``retain_graph``
        is true (it defaults to ``create_graph``).

            >>> w = autodidact.tensor([1.0], requires_grad=True)
            >>> (w * 3).sum().backward(); w.grad
            tensor([3.])
        """
        _autograd_backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    def _grad_accumulator(self):
        """This leaf's AccumulateGrad node, one per leaf while a graph uses it."""
        node = self._accumulator() if self._accumulator is not None else None
        if node is None:
            node = function.AccumulateGrad(self)
            self._accumulator = weakref.ref(node)
        return node

    def _accumulate_grad(self, grad):
        """Add one backward pass's gradient into ``.grad`` (AccumulateGrad calls this)."""
        if self._hooks:
            for hook in self._hooks:
                result = hook(grad)
                if result is not None:
                    grad = result
        if grad._data.dtype != self._data.dtype:
            grad = grad.to(self.dtype)
        current = self._grad
        if current is None or not current._data.any():
            self._grad_passes = 1
            self._grad_restarts += 1
        else:
            self._grad_passes += 1
        if current is None:
            # Our own copy when the gradient may be shared (a view of
            # another tensor's storage, or the tensor passed to backward).
            if graph._grad_mode.enabled:
                self._grad = grad   # create_graph: keep the graph of the gradient
            else:
                # A new leaf around the gradient's array when backward made it for this
                # leaf and it is laid out as PyTorch lays out a gradient; else a copy that is.
                from .ops.layout import leaf_gradient   # ops build on this module
                owned = grad._base is None and grad._owns_storage()
                self._grad = Tensor._wrap(leaf_gradient(grad._data, self._data, owned),
                                          grad._device)
        elif graph._grad_mode.enabled:
            self._grad = current + grad
        else:
            current._data += grad._data   # in place: `g is x.grad` stays true, as in PyTorch

    def _owns_storage(self):
        return self._data.base is None and self._data.flags.owndata

    def retain_grad(self):
        """Keep the gradient of this non-leaf tensor in ``.grad`` after backward."""
        if self.grad_fn is None:
            if not self._requires_grad:
                raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
            return   # leaves keep their gradient anyway
        if self._retains_grad:
            return
        self._retains_grad = True
        # The hook may not hold the tensor strongly: tensor -> grad_fn -> hook
        # -> tensor would be a reference cycle.
        ref = weakref.ref(self)

        def keep(grad):
            tensor = ref()
            if tensor is not None:
                g = grad.detach()
                tensor._grad = g.clone() if tensor._grad is None else tensor._grad + g
        keep.keeps_grad = True   # _add_hook keeps it last: .grad is what the other hooks made
        _add_hook(self.grad_fn, keep, self._output_nr)

    def register_hook(self, hook):
        """Call ``hook(grad)`` when the gradient for this tensor is computed.

        The hook may return a new gradient to use instead: a tensor of the
        same dtype, device and shape, or backward stops with PyTorch's error
        naming the hook (see ``autodidact.hooks``). Returns a handle whose
        ``remove()`` unregisters it.

            >>> h = w.register_hook(lambda g: g * 2)   # doubles w's gradient
            >>> h.remove()
        """
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        from .hooks import checked
        hook = checked(hook)
        if self.grad_fn is None:
            if self._hooks is None:
                self._hooks = []
            return _HookHandle(self._hooks, hook)
        return _HookHandle(*_add_hook(self.grad_fn, hook, self._output_nr), appended=True)

    def detach(self):
        """The same storage as a new leaf that does not require grad.

        Unlike ``.data`` it shares the version counter, so an in-place
        change through it is still caught by backward.
        """
        out = Tensor._wrap(self._data, self._device)
        out._vc = self._vc
        return out

    def detach_(self):
        """Make this tensor a leaf that does not require grad (in place)."""
        self.grad_fn = None
        self._requires_grad = False
        return self

    # ------------------------------------------------------ dtype and device

    def to(self, *args, **kwargs):
        """Cast and/or move: ``x.to(autodidact.float64)``, ``x.to("cuda")``, ``x.to(other)``.

        Returns ``self`` when nothing changes, as in PyTorch.
        """
        dtype, device, copy = _parse_to(args, kwargs)
        from .ops.promotion import cast, move_to
        out = self
        if device is not None and device != self._device:
            out = move_to(out, device)
        if dtype is not None and dtype is not out.dtype:
            out = cast(out, dtype)
        if copy and out is self:
            out = self.clone()
        return out

    def cpu(self):
        return self.to("cpu")

    def cuda(self, device=None):
        return self.to(backend.as_device("cuda" if device is None else device))

    def type(self, dtype=None, non_blocking=False):
        """The legacy type name (``'autodidact.FloatTensor'``), or a cast to ``dtype``.

        ``dtype`` may be a dtype, a legacy class (``autodidact.IntTensor``) or
        its name (``'torch.DoubleTensor'``); returns ``self`` when nothing changes.
        """
        if dtype is None:
            where = "cuda." if self._device.type == "cuda" else ""
            return f"autodidact.{where}{self.dtype.legacy_name}"
        from .legacy import resolve_type
        dtype, device = resolve_type(dtype)
        return self.to(dtype) if device is None else self.to(device, dtype)

    def float(self):
        return self.to(_dt.float32)

    def double(self):
        return self.to(_dt.float64)

    def half(self):
        return self.to(_dt.float16)

    def long(self):
        return self.to(_dt.int64)

    def int(self):
        return self.to(_dt.int32)

    def short(self):
        return self.to(_dt.int16)

    def char(self):
        return self.to(_dt.int8)

    def byte(self):
        return self.to(_dt.uint8)

    def bool(self):
        return self.to(_dt.bool)

    def new_tensor(self, data, dtype=None, device=None, requires_grad=False):
        from .creation import tensor
        return tensor(data, dtype=dtype or self.dtype, device=device or self._device,
                      requires_grad=requires_grad)

    def new_zeros(self, *size, dtype=None, device=None, requires_grad=False):
        """Zeros of ``size`` with this tensor's dtype and device (unless given)."""
        from .creation import zeros
        return zeros(*size, dtype=dtype or self.dtype, device=device or self._device,
                     requires_grad=requires_grad)

    def new_ones(self, *size, dtype=None, device=None, requires_grad=False):
        from .creation import ones
        return ones(*size, dtype=dtype or self.dtype, device=device or self._device,
                    requires_grad=requires_grad)

    def new_empty(self, *size, dtype=None, device=None, requires_grad=False):
        from .creation import empty
        return empty(*size, dtype=dtype or self.dtype, device=device or self._device,
                     requires_grad=requires_grad)

    def new_full(self, size, fill_value, *, dtype=None, device=None, requires_grad=False):
        from .creation import full
        return full(size, fill_value, dtype=dtype or self.dtype, device=device or self._device,
                    requires_grad=requires_grad)


_new = object.__new__


def _autograd_backward(*args, **kwargs):
    """``autograd.backward``, imported on the first call (autograd imports this module).

    The import then replaces this function by the one it found, so that
    later calls skip the import statement (a few microseconds each).
    """
    global _autograd_backward
    from .autograd import backward
    _autograd_backward = backward
    return backward(*args, **kwargs)


def _init(t, array, device):
    t._data = array
    t._device = device
    t._requires_grad = False
    t.grad_fn = None
    t._grad = None
    t._counter = None


def _host(array):
    return array if isinstance(array, np.ndarray) else array.get()


def _rebuild(array, requires_grad, device="cpu"):
    where = backend.as_device(device)   # copy.deepcopy keeps a GPU tensor on its GPU
    t = Tensor._wrap(backend.move(array.copy(), where), where)
    t._requires_grad = requires_grad
    return t


def normalize_dim(dim, ndim):
    """``dim`` as a non-negative index, with PyTorch's message when out of range."""
    low, high = (-ndim, ndim - 1) if ndim > 0 else (-1, 0)
    if not low <= dim <= high:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{low}, {high}], but got {dim})")
    return dim + ndim if dim < 0 else dim if ndim > 0 else 0


def _add_hook(node, hook, output_nr=0):
    if node.num_outputs > 1:
        hook = _output_hook(hook, output_nr)
    if node._hooks is None:
        node._hooks = []
    hooks = node._hooks
    if hooks and getattr(hooks[-1], "keeps_grad", False):
        hooks.insert(len(hooks) - 1, hook)   # retain_grad's hook runs after all others
    else:
        hooks.append(hook)
    return hooks, hook


def _output_hook(hook, output_nr):
    """A node with several outputs receives a list of gradients: show the hook its tensor's."""
    keeps_grad = getattr(hook, "keeps_grad", False)

    def on_output(grads):
        if grads[output_nr] is None and keeps_grad:
            return None   # no gradient reached this output: .grad stays None
        result = hook(grads[output_nr])   # None for an output no gradient reached, as in PyTorch
        if result is None:
            return None
        grads = list(grads)
        grads[output_nr] = result
        return grads
    on_output.keeps_grad = keeps_grad
    return on_output


class _HookHandle:
    def __init__(self, hooks, hook, appended=False):
        self._hooks, self._hook = hooks, hook
        if not appended:
            hooks.append(hook)

    def remove(self):
        if self._hook in self._hooks:
            self._hooks.remove(self._hook)


def _parse_to(args, kwargs):
    """Read ``to``'s overloads: (dtype), (device), (device, dtype), (tensor)."""
    dtype = kwargs.pop("dtype", None)
    device = kwargs.pop("device", None)
    copy = kwargs.pop("copy", False)
    kwargs.pop("non_blocking", None)
    if kwargs:
        raise TypeError(f"to() got unexpected keyword arguments {sorted(kwargs)}")
    for arg in args:
        if isinstance(arg, Tensor):
            dtype, device = arg.dtype, arg.device
        elif isinstance(arg, (_dt.dtype, np.dtype)) or arg in (float, int, bool):
            dtype = arg
        elif isinstance(arg, str) and (arg in _dt._BY_NAME or arg.startswith(("autodidact.", "torch."))):
            dtype = arg
        elif isinstance(arg, (str, backend.device, int)):
            device = arg
        else:
            raise TypeError(f"to() received an invalid argument {arg!r}: expected a dtype, a device or a Tensor")
    return (None if dtype is None else _dt.to_dtype(dtype),
            None if device is None else backend.as_device(device), copy)


function.Tensor = Tensor
function._wrap = Tensor._wrap

"""autodidact.utils: helpers around training, shaped like ``torch.utils``.

    from autodidact.utils.data import DataLoader, TensorDataset   # batches of examples

``data`` loads on first use (``autodidact.utils.data``), as ``nn`` does.
"""

_LAZY_SUBMODULES = ("data",)


def __getattr__(name):
    if name in _LAZY_SUBMODULES:
        import importlib
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'autodidact.utils' has no attribute '{name}'")

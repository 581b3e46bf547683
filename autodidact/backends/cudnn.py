"""autodidact.backends.cudnn: NVIDIA's cuDNN library, which autodidact does not call.

The flags keep what a program sets (``cudnn.benchmark = True``,
``cudnn.deterministic = True``) and change nothing: autodidact's GPU ops
are CuPy's, and give the same numbers whatever these say.
"""

enabled = True
benchmark = False
deterministic = False
allow_tf32 = True


def is_available():
    """Always False: autodidact never uses cuDNN."""
    return False


def version():
    """None: no cuDNN is linked (PyTorch says the same without it)."""
    return None

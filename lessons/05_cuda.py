# %% [markdown]
# # Lesson 5: CUDA tensors
#
# **You will learn**
#
# - what a *device* is, and how to ask whether a GPU can be used here;
# - the portable idiom: pick `device` once, then `.to(device)` everything;
# - that the operands of an operation must sit on the same device;
# - to bring results back with `.cpu()` before NumPy or printing to a file;
# - why, on a machine without a usable GPU, `.cuda()` fails, and how this
#   lesson (and your code) still runs there.
#
# On a GPU, autodidact stores a tensor's numbers in a CuPy array in GPU memory
# instead of a NumPy array; everything else, autograd included, is the same.

# %%
import time

from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

import autodidact as torch
from lessons.course import Lesson, COLORS

lesson = Lesson(5)

# %% [markdown]
# ## Is there a GPU?
#
# `torch.cuda.is_available()` is True only when three things are all there: the
# CuPy library, an NVIDIA driver, and a GPU. When it is False,
# `torch.cuda.unavailable_reason()` says which one is missing.

# %%
has_gpu = torch.cuda.is_available()
print("torch.cuda.is_available() =", has_gpu)
if has_gpu:
    print("GPUs:", torch.cuda.device_count(), " the first one:", torch.cuda.get_device_name(0))
else:
    print("No usable GPU here, because:", torch.cuda.unavailable_reason())
    print("Nothing below needs one: every cell runs on the CPU instead.")

# %% [markdown]
# ## `.cuda()` on a machine without a GPU
#
# Asking for the GPU anyway fails at once, with the same reason: one clear
# error rather than a crash deep inside some later operation.

# %%
x = torch.ones(2, 3)
if has_gpu:
    print("x.cuda() =", x.cuda())
else:
    try:
        x.cuda()
    except RuntimeError as error:
        # Its message repeats the reason printed above: show only its start.
        print(f"x.cuda() raised {type(error).__name__}: {str(error).split(', ', 1)[0]} "
              f"(why: see above)")

# %% [markdown]
# ## The portable idiom
#
# Choose the device once, at the top of a program, and move data and models with
# `.to(device)`. The same code then runs on a laptop and on a GPU server.

# %%
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print("device =", device)
a = torch.rand(3, 3).to(device)
b = torch.rand(3, 3, device=device)      # or make it there directly
c = a @ b + 1
print("c.device =", c.device, "  c.is_cuda =", c.is_cuda)

# %% [markdown]
# ## Same device, or an error
#
# An operation never moves data behind your back: both operands must be on one
# device. (Moving is slow compared with computing, so it is always explicit.)

# %%
if has_gpu:
    try:
        torch.ones(2).cuda() + torch.ones(2)
    except RuntimeError as error:
        print("GPU + CPU:", error)
else:
    print("(with a GPU, adding a GPU tensor to a CPU tensor raises:",
          "'Expected all tensors to be on the same device ...')")

# %% [markdown]
# ## Back to the CPU
#
# NumPy only knows CPU memory, so a GPU tensor must come back first: `.cpu()`
# copies it (and on the CPU already, `.cpu()` returns the tensor itself).

# %%
print(f"c.cpu().numpy() =\n{c.cpu().numpy()}")
print("x.cpu() is x:", x.cpu() is x, " (already on the CPU: no copy)")

# %% [markdown]
# ## What the GPU is for
#
# A GPU runs thousands of multiplications at once. For small tensors the time is
# all overhead, and the CPU wins; for big matrix products the GPU pulls ahead.
# We time `a @ b` for growing square matrices on each device we have. (GPU work
# is queued and runs later: `torch.cuda.synchronize()` waits for it, so that we
# time the work and not the queueing.)

# %%
def time_matmul(n, device, repeats=5):
    a = torch.rand(n, n, device=device)
    b = torch.rand(n, n, device=device)
    (a @ b).sum().item()                      # warm up: first calls set things up
    best = float("inf")
    for _ in range(repeats):
        if device.type == "cuda":
            torch.cuda.synchronize()
        start = time.perf_counter()
        a @ b
        if device.type == "cuda":
            torch.cuda.synchronize()
        best = min(best, time.perf_counter() - start)
    return best


sizes = [64, 128, 256, 512]
devices = [torch.device("cpu")] + ([torch.device("cuda")] if has_gpu else [])
timings = {dev.type: [time_matmul(n, dev) * 1e3 for n in sizes] for dev in devices}
for kind, times in timings.items():
    print(f"{kind:>4}: " + ", ".join(f"{n}x{n}: {t:.3f} ms" for n, t in zip(sizes, times)))

# %%
fig, ax = lesson.figure()
for (kind, times), color, marker in zip(timings.items(), (COLORS["blue"], COLORS["orange"]),
                                        ("o", "s")):
    ax.plot(sizes, times, color=color, marker=marker, label=f"on {kind}")
ax.set_xscale("log", base=2)
ax.set_yscale("log")
ax.set_xticks(sizes, [str(n) for n in sizes])
ax.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))    # ticks at 1, 2, 5, 10, 20...
ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
ax.yaxis.set_minor_formatter(NullFormatter())
ax.set_xlabel("matrix size n (an n x n times n x n product)")
ax.set_ylabel("time (milliseconds, log scale)")
ax.legend()
ax.set_title("a @ b on each device" if has_gpu else "a @ b on the CPU (no GPU on this machine)")
lesson.save(fig, "matmul_timing", "time of a matrix product as it grows, per device")

# %%
lesson.done()

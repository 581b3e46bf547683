# autodidact: the README's two commands, and a few more.
#
#   make demo         a virtual environment in .venv, autodidact in it, the tour
#   make test         the test suite (ORACLE=0 skips installing PyTorch, the oracle)
#                     (BROWSER=0 skips installing Chromium for the walkthrough's browser tests)
#   make bench        speed against raw NumPy, PyTorch and micrograd
#   make fuzz         50,000 random tensor programs run on autodidact and on PyTorch,
#                     compared (tests/test_fuzz_torch.py; FUZZ_EXAMPLES=N for more or
#                     fewer, FUZZ_LOG=file to write every mismatch there and carry on)
#   make wheelhouse   every wheel the course needs, in wheelhouse/, for a lab without internet
#   make clean        remove .venv and everything built
#
# Stamp files in .venv remember what is installed, so a second run is quick;
# editing setup.cfg (or setup.py, pyproject.toml) reinstalls.

PY ?= python3
VENV = .venv
ORACLE ?= 1
BROWSER ?= 1
# How to get a Graphviz renderer when `dot` is missing: auto, apt or pip.
GRAPHVIZ ?= auto

BIN = $(VENV)/bin
# Not quiet: pip names each package as it goes, and draws a progress bar for a large download.
PIP = $(BIN)/python -m pip install --progress-bar on
META = setup.cfg setup.py pyproject.toml
THREADS = OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1

# The benchmarks also race micrograd (torch comes pinned from setup.cfg's extra).
MICROGRAD = micrograd==0.1.0

TEST_STAMPS = $(VENV)/.stamp-dev $(VENV)/.stamp-graphviz
ifeq ($(ORACLE),1)
TEST_STAMPS += $(VENV)/.stamp-torch
endif
ifeq ($(BROWSER),1)
TEST_STAMPS += $(VENV)/.stamp-browser
endif

# make fuzz: how many programs, and where to write mismatches (empty: stop at the first).
FUZZ_EXAMPLES ?= 50000
FUZZ_LOG ?=

.PHONY: demo test bench fuzz clean wheelhouse

demo: $(VENV)/.stamp-base $(VENV)/.stamp-graphviz
	$(BIN)/autodidact demo

test: $(TEST_STAMPS)
	@echo "==> Running the test suite (a few minutes on 2 cores; collecting it takes a while before the first dots)"
	$(THREADS) $(BIN)/python -m pytest
	@echo "==> Skipped tests (s) are the GPU runs (they need CuPy and a GPU; scripts/gpu-check runs them)"
	@echo "    and, with ORACLE=0 or BROWSER=0, the comparisons with PyTorch or the browser tests."
	@echo "    \`.venv/bin/python -m pytest -rs\` lists each reason."

# Fresh random programs each run (the suite's own run of this test is a few
# hundred fixed ones); a mismatch prints the program as a script to paste.
fuzz: $(VENV)/.stamp-dev $(VENV)/.stamp-torch
	@echo "==> $(FUZZ_EXAMPLES) random programs on autodidact and PyTorch (about 100 a second on one core)"
	AUTODIDACT_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) AUTODIDACT_FUZZ_LOG=$(FUZZ_LOG) AUTODIDACT_REQUIRE_ORACLE=1 \
	    $(THREADS) $(BIN)/python -m pytest -q -p no:cacheprovider tests/test_fuzz_torch.py

bench: $(VENV)/.stamp-bench
	@if [ -f benchmarks/run_all.py ]; then \
	    $(BIN)/python -m benchmarks.run_all; \
	else \
	    for f in benchmarks/*.py; do \
	        m=$$(basename $$f .py); [ "$$m" = __init__ ] && continue; \
	        echo "== benchmarks.$$m"; $(BIN)/python -m benchmarks.$$m || exit 1; \
	    done; \
	fi

# The course offline: autodidact's own wheel, its `lessons` extra (notebooks,
# the exercise checker) and a Graphviz renderer, with everything they need,
# plus what installing from the checkout builds with. In the lab:
#   python3 -m venv .venv
#   .venv/bin/pip install --no-index --find-links wheelhouse -e '.[lessons]' graphviz-pure
# Wheels are made for this machine's Python and platform: build on one like the lab's.
wheelhouse: $(VENV)/.stamp-venv
	$(BIN)/python -m pip wheel -q --wheel-dir wheelhouse '.[lessons]' graphviz-pure setuptools wheel
	@echo "==> $$(ls wheelhouse/*.whl | wc -l) wheels in wheelhouse/ (see lessons/README.md)"

clean:
	rm -rf $(VENV) build dist wheelhouse *.egg-info autodidact-out .pytest_cache .hypothesis
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

$(VENV)/.stamp-venv:
	@$(PY) -m venv $(VENV) || { rm -rf $(VENV); \
	    echo "Could not create a virtual environment with $(PY)." >&2; \
	    echo "On Debian or Ubuntu: apt-get install make python3-venv" >&2; exit 1; }
	@echo "==> Created $(VENV); upgrading pip"
	$(PIP) -q --upgrade pip
	@touch $@

$(VENV)/.stamp-base: $(VENV)/.stamp-venv $(META)
	@echo "==> Installing autodidact (editable) and what it needs: numpy, matplotlib, graphviz's"
	@echo "    Python binding, and pytest (the exercises are unit tests): some tens of MB to download."
	$(PIP) -e .
	@touch $@

$(VENV)/.stamp-dev: $(VENV)/.stamp-venv $(META)
	@echo "==> Installing autodidact (editable) with the test tools: pytest, hypothesis, and"
	@echo "    jupytext, nbclient, ipykernel (the suite runs a lesson as a notebook)"
	$(PIP) -e '.[dev]'
	@touch $@ $(VENV)/.stamp-base

$(VENV)/.stamp-torch: $(VENV)/.stamp-dev $(META)
	@echo "==> Installing the test oracle, torch==2.13.0 (the CPU build is about 200 MB where it must"
	@echo "    be downloaded; ORACLE=0 skips it, and the comparisons with PyTorch with it)"
	$(PIP) -e '.[torch]'
	@touch $@

$(VENV)/.stamp-bench: $(VENV)/.stamp-base $(META)
	@echo "==> Installing what the benchmarks race: torch==2.13.0, $(MICROGRAD)"
	$(PIP) -e '.[torch]' $(MICROGRAD)
	@touch $@

# viz renders with Graphviz's `dot`; where it is missing, Debian's package
# when we are root, else graphviz-pure, a static renderer from PyPI.
$(VENV)/.stamp-graphviz: $(VENV)/.stamp-venv
	@if [ "$(GRAPHVIZ)" = auto ] && command -v dot >/dev/null 2>&1; then \
	    echo "Graphviz: $$(command -v dot)"; \
	elif [ "$(GRAPHVIZ)" != pip ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
	        && echo "Graphviz: installing Debian's graphviz package" \
	        && apt-get update -qq \
	        && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz >/dev/null; then \
	    echo "Graphviz: $$(command -v dot)"; \
	else \
	    echo "Graphviz: installing graphviz-pure into $(VENV)"; \
	    $(PIP) graphviz-pure || exit 1; \
	fi
	@touch $@

# The walkthrough's browser tests drive Debian's Chromium through its own
# chromedriver (their versions match; nothing is downloaded at test time).
# Installed when missing and we are root; otherwise the tests skip, unless
# AUTODIDACT_REQUIRE_BROWSER=1 (as .ci/run sets) makes them fail.
$(VENV)/.stamp-browser: $(VENV)/.stamp-venv
	@if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then \
	    echo "Chromium: $$(command -v chromium), $$(command -v chromedriver)"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
	        && echo "Chromium: installing Debian's chromium and chromium-driver packages" \
	        && apt-get update -qq \
	        && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; then \
	    echo "Chromium: $$(command -v chromium)"; \
	else \
	    echo "Chromium: not installed (apt-get install chromium chromium-driver, as root);" \
	         "the browser tests will skip"; \
	fi
	@touch $@

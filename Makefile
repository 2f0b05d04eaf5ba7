# netpharm — the two set-up commands of the README are `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DEBIAN_PACKAGES := autodock autogrid autodock-vina openbabel chromium

.PHONY: run test venv system-deps benchmarks clean

# The main job: the microdiscectomy workflow, offline, from the shipped cache/ -> results/.
# --resume: a rerun continues or reuses finished stages; it never silently overwrites other results.
run: system-deps venv
	$(BIN)/netpharm run workflows/microdiscectomy-offline.toml --resume

# The tests (also what .ci/run calls): lint, type check, then the test suite.
test: system-deps venv
	$(BIN)/ruff check netpharm tests benchmarks
	$(BIN)/mypy netpharm
	$(BIN)/python -m pytest

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[all,test]'
	# Parse the shipped GO/Reactome files once at install (keyed by their sha256, so never stale):
	# the first enrichment stage then only reads the cache.
	$(BIN)/python -m netpharm.enrichment.build_cache --cache-dir cache/derived/enrichment
	touch $@

# AutoDock 4.2.6, AutoGrid, Vina, Open Babel and Chromium are Debian packages, not pip packages.
# Installed when running as root with apt-get; otherwise netpharm reports them as missing and writes
# ready-to-run scripts instead of docking.
system-deps:
	@missing=""; for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else echo "warning: Debian packages not installed:$$missing (need root + apt-get); docking/browser steps will say so"; fi

benchmarks: venv
	$(BIN)/python benchmarks/network_scale.py
	$(BIN)/python benchmarks/enrichment.py
	$(BIN)/python benchmarks/docking_throughput.py

clean:
	rm -rf $(VENV) results build *.egg-info

# querysep — one-command setup, test and demo.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TORCH_VERSION := 2.13.0

.PHONY: setup test demo lint format clean

$(BIN)/querysep: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade pip
	# torch first, pinned: this version is a CPU build that pip finds locally;
	# an unpinned torch would pull a multi-GB CUDA build.
	$(BIN)/pip install torch==$(TORCH_VERSION)
	$(BIN)/pip install -e '.[dev]'
	touch $(BIN)/querysep

setup: $(BIN)/querysep

test: setup
	OMP_NUM_THREADS=1 $(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

format: setup
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

demo: setup
	$(BIN)/querysep --help

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info src/*.egg-info

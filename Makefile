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

# Separates a shipped example with the shipped model, offline.
DEMO_INPUT := examples/speech_in_rain.flac
DEMO_QUERY := a person speaking

demo: setup
	$(BIN)/querysep separate $(DEMO_INPUT) --query "$(DEMO_QUERY)" -o out/demo
	$(BIN)/querysep separate $(DEMO_INPUT) --query "$(DEMO_QUERY)" --remove -o out/demo
	@echo "query: \"$(DEMO_QUERY)\"   input: $(DEMO_INPUT)"
	@echo "output: out/demo/speech_in_rain_separated.wav (the query) and out/demo/speech_in_rain_removed.wav (the rest)"
	@echo "more examples and their queries: examples/examples.csv; the web demo: $(BIN)/querysep serve"

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info src/*.egg-info

# Assay: one command to set up, demo, test and lint. Targets run as root on Debian
# bookworm; bootstrap is idempotent, so demo and test can always run it first.

VENV := .venv/bin

.PHONY: bootstrap demo test bench lint

bootstrap:
	bash scripts/bootstrap.sh

demo: bootstrap
	$(VENV)/assay demo

test: bootstrap
	$(VENV)/pytest tests

bench: bootstrap
	$(VENV)/python bench/sandbox_overhead.py

lint:
	@test -x $(VENV)/ruff || { echo "lint: no $(VENV)/ruff; run make bootstrap first" >&2; exit 1; }
	$(VENV)/ruff check .
	$(VENV)/ruff format --check .
	cd platform && ../$(VENV)/mypy

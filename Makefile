# Two commands do all the set-up on a fresh machine:
#   make run   – install, harvest every enabled platform, (index, serve)
#   make test  – install and run the whole test suite (what CI runs)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.PHONY: install run test demo clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/mooc crawl || true
	$(BIN)/mooc export --format jsonl > var/catalogue.jsonl
	@echo "catalogue: $$(wc -l < var/catalogue.jsonl) courses in var/catalogue.jsonl"

test: install
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) var .pytest_cache

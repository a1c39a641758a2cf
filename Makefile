# The two commands in README: `make run` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: run test console bench examples lock

# Installs exactly the versions in requirements.lock (what CI tested), the project editable.
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -c requirements.lock -e '.[test]'
	touch $(STAMP)

# Re-resolve requirements.lock from pyproject.toml's ranges (after changing a dependency).
lock:
	$(PYTHON) -m venv $(VENV)-lock
	$(VENV)-lock/bin/pip install --quiet pip-tools
	$(VENV)-lock/bin/pip-compile --quiet --extra test --strip-extras --no-header --no-emit-index-url \
		--no-emit-find-links -o requirements.lock pyproject.toml
	sed -i '1i # Exact versions CI tested; `make` installs with these as constraints. Regenerate: `make lock`.' requirements.lock
	rm -rf $(VENV)-lock

run: $(STAMP)
	$(VENV)/bin/python -m bot run

console: $(STAMP)
	$(VENV)/bin/python -m bot console

# Scores the parser and FAQ on the shared development examples (../shared beside the checkout).
examples: $(STAMP)
	../shared/tools/check-examples $(VENV)/bin/python

test: $(STAMP)
	$(VENV)/bin/python -m pytest

bench: $(STAMP)
	for script in bench/*.py; do $(VENV)/bin/python $$script || exit 1; done

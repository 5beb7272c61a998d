# The two commands for a fresh machine (see README):
#   make build   installs everything and builds the default contract set into output/
#   make test    installs everything and runs the whole test suite

#   make werkplaats  starts the workplace on the sample data with demo accounts (passwords printed)

.PHONY: build test installeer werkplaats

installeer:
	bash scripts/installeer.sh

build: installeer
	.venv/bin/contractgen validate contracts_data
	.venv/bin/contractgen build contracts_data --uitvoer output

test: installeer
	.venv/bin/lint-imports --no-cache
	.venv/bin/mypy
	.venv/bin/python -m pytest -q tests

werkplaats: installeer
	.venv/bin/contractgen werkplaats --demo

"""Stage 0, basis: what every stage shares and that knows nothing of contracts.

Owns the error model (`Probleem`, `ContractgenFout`), Dutch formatting of amounts,
dates and percentages, safe file names, hashing, "bedoelde u" suggestions, positions
in loaded files and text safety (bidi controls, characters XML cannot hold).
Imports nothing from other contractgen packages.
"""

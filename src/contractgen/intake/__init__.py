"""Data coming in from outside the YAML: aanbieders from a contract-management export (csv/xlsx,
`aanbieders`), next year's tariff sets derived by indexation and sealed once adopted
(`tarieven`), and the next year of a whole region (`jaarwissel`), written round-trip from the
source files (`yamlbestand`). Everything is checked like the YAML itself before anything is
written."""

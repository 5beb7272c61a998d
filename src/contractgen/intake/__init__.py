"""Data coming in from outside the YAML: aanbieders from a contract-management export (csv/xlsx,
`aanbieders`), next year's tariff sets derived by indexation and sealed once adopted (`tarieven`),
the next year of a whole region (`jaarwissel`, round-trip via `yamlbestand`), and Word: a jurist's
edits to a generated .docx as a new document version (`word_lezen` → `word_toepassen` →
`word_wijzigingen`, round-trip YAML in `yaml_rond`) and an existing Word contract as a new
document (`word_document`). Everything is checked like the YAML itself before anything is written."""

"""Data coming in from outside the YAML: aanbieders from a contract-management export (csv/xlsx,
`aanbieders`) and next year's tariff sets derived by indexation (`tarieven`). Everything is
checked like the YAML itself before anything is written."""

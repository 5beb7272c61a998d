"""Reports on the data for the inkoopteam and juristen: `check` (consistency findings with a
stable rule name and a place as a jurist names it: `plaatsnamen`; filtered and grouped by
`checkrapport`; reviewed and accepted findings from check-beoordeeld.yaml: `beoordeling`), `voorrang` (which text holds, and why:
the rangorde of DVO art. 3.1/3.2, subjects and their synonyms as data) and `overzicht` (every aanbieder: arrangementen,
kwaliteitseisen, social return, whether its documents are built and current). The `check`
rules for what a year change leaves behind live in `jaren`."""

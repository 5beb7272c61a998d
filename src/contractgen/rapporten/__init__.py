"""Reports on the data for the inkoopteam and juristen: `check` (consistency findings with a
stable rule name and a place as a jurist names it), `voorrang` (which text holds, and why:
the rangorde of DVO art. 3.1/3.2 as data) and `overzicht` (every aanbieder: arrangementen,
kwaliteitseisen, social return, whether its documents are built and current). The `check`
rules for what a year change leaves behind live in `jaren`."""

"""Stage 2, domein: the typed model of contract data and pure queries on it.

`model` is the shape of contracts_data/; `dataset` one loaded region (`RegioData`);
`zoeken` the queries every later stage shares (version in force on a peildatum, the
package of an aanbieder, walks over blocks and texts); `velden` the inline fields
(`[[looptijd.van]]`); `formule` safe arithmetic for `berekeningen`; `rekenen` the
derived figures (indexation, rekentabel totals). No I/O here.
"""

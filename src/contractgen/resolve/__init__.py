"""Stage 3, resolve: from validated data to what one document shows one aanbieder on a peildatum.

Picks the versions in force, applies domain filters, includes fragments, fills inline
fields and expands data blocks (tariffs, eisen) into typed blocks (`blokken`). Handlers
per block kind live in `tekstblokken`, `tarieven` and `eisen`, chosen by the table in
`weergave`; heading formats in `koppen`; `plaatsen` finds the text behind a place name
(`dvo:art-26.2`). Every decision about content is made here; templates only lay out.
"""

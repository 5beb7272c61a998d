"""The jurist's work in the workplace: check findings (filter, open, accept), voorrang, comparing two
dates (HTML diff and Word redline), and a Word document with edits back as a new version.

Every view calls the same library functions as the CLI (`rapporten.check`, `rapporten.beoordeling.voeg_toe`,
`rapporten.voorrang.leg_uit`, `diff`, `intake.word_wijzigingen`); every write goes through `schrijven.py`.
"""

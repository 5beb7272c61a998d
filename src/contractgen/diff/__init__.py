"""Differences between two versions of the data, for juristen: `bron` loads a side (folder,
file, `@peildatum`, `git:REV`), `zijden` picks what of each side is compared (a tariff set by
id, only the document of a single file), `blokregels` reads each document as resolve prints it
(typed blocks, region-wide, at the side's peildatum), `vergelijk` aligns artikelen and leden on
their ids and tariffs on productcode, `woorden` marks words (exactly: joined parts give both
texts back), `model` holds the result, and `tekst`, `html` and `redline` (Word with tracked
changes) present it."""

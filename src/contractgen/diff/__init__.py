"""Differences between two versions of the data, for juristen: `bron` loads a side (folder,
file, `@peildatum`, `git:REV`), `vergelijk` aligns artikelen and leden on their ids and tariffs
on productcode, `woorden` marks words, `model` holds the result, and `tekst`, `html` and
`redline` (Word with tracked changes) present it."""

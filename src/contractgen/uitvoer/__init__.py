"""Stage 5, uitvoer: the build. Plans which documents each aanbieder gets and which changed
(`bronnen`: content keys over exact inputs), renders them in worker processes, converts to PDF
with LibreOffice (`libreoffice`, or running converter services: `omzetdienst`), makes PDFs signable and reproducible (`pdf`), writes a
`manifest.json` per folder and swaps finished folders into place atomically (`bouw`). What a
build refuses or reports before writing (nothing in force, check errors, a versie label with
another text) is `controles`."""

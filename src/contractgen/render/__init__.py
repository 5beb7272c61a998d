"""Stage 4, render: typed blocks → .docx bytes through Word templates (docxtpl syntax,
sandboxed Jinja). Templates ship as package data in `sjablonen/`; a region may override
one with `<map>/<regio>/<naam>.docx` given by `--sjablonen`. `ankers` marks every block with its
stable id (a bookmark) and the document's origin (custom properties) for importing edits."""

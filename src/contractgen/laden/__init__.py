"""Stage 1, laden: files → typed models, or Dutch problems with file, line and column.

`bestand` reads YAML into data that remembers positions (duplicate keys, encodings,
hostile nesting reported); `validatie` turns pydantic's errors into Dutch messages;
`regio` loads a whole region folder, every file even when others fail.
"""

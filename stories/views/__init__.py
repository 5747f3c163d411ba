"""The story pages, split by what they are for: `studio` (asking for a story and
watching it being made), `reader` (reading and editing a book, sharing it) and
`series`."""

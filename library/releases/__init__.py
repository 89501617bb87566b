"""Release entries: what a record is (label, catalog number, format, matrix, tracklist,
reviews), imported from the places a DJ finds that out, and kept exactly as written.

`model` holds the pydantic records; one module per source reads it (`page_text`,
`discogs_json`, `musicbrainz_json`, `discogs_csv`); `detect` decides which source a file is;
`store` keeps releases and track links in SQLite. Nothing here is imported by the CLI at
start-up: pydantic is paid for only by commands that use releases.
"""

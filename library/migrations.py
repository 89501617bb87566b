"""The database schema as ordered steps, keyed by `PRAGMA user_version`.

Step N (1-based) takes a database at version N-1 to version N. A step is only ever appended,
never edited once released, so every library on every machine reaches the same schema by the
same path. `PRAGMA application_id` marks a file as setlist's, so a foreign SQLite file is
recognised and refused before anything is written to it.
"""

from __future__ import annotations

import sqlite3

APPLICATION_ID = 0x53544C53  # "STLS"

_TRACKS = """
CREATE TABLE tracks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,  -- AUTOINCREMENT: an id is never reused
    path_bytes BLOB NOT NULL UNIQUE,       -- the file name exactly as the OS gives it
    path TEXT NOT NULL,                    -- for display: undecodable bytes as U+FFFD
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    format TEXT,
    codec TEXT,
    title TEXT,
    artist TEXT,
    album TEXT,
    album_artist TEXT,
    track_number INTEGER,
    disc_number INTEGER,
    year INTEGER,
    genre TEXT,
    label TEXT,
    catalog_number TEXT,
    bpm REAL,
    key TEXT,
    camelot TEXT,
    comment TEXT,
    moods TEXT NOT NULL DEFAULT '[]',      -- JSON list, as written in the tags
    isrc TEXT,
    discogs_release_id TEXT,
    musicbrainz_album_id TEXT,
    musicbrainz_track_id TEXT,
    duration REAL,
    bitrate INTEGER,
    sample_rate INTEGER,
    channels INTEGER,
    has_artwork INTEGER NOT NULL DEFAULT 0,
    missing INTEGER NOT NULL DEFAULT 0,
    -- Case-folded copies for the query language: SQLite's LIKE and lower() fold ASCII only.
    artist_fold TEXT NOT NULL DEFAULT '',
    title_fold TEXT NOT NULL DEFAULT '',
    album_fold TEXT NOT NULL DEFAULT '',
    label_fold TEXT NOT NULL DEFAULT '',
    catno_norm TEXT NOT NULL DEFAULT '',   -- "AX-022" -> "ax022"
    search TEXT NOT NULL DEFAULT '',       -- all of the above, for free words
    added_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX tracks_missing ON tracks (missing);
CREATE INDEX tracks_camelot ON tracks (camelot);
CREATE INDEX tracks_bpm ON tracks (bpm);
CREATE INDEX tracks_artist_fold ON tracks (artist_fold, title_fold);

-- Files a scan could not read, with the stat that failed: while size, mtime and ctime (which
-- a chmod changes) stay the same, the next scan reports the error again without reopening.
CREATE TABLE scan_errors (
    path_bytes BLOB PRIMARY KEY,
    path TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    ctime_ns INTEGER NOT NULL,
    error TEXT NOT NULL,
    seen_at TEXT NOT NULL
);
"""

# Release entries. Labels and the tracklist get rows of their own because they are looked up
# and pointed at (a catalog number, a link's position); the other lists (formats,
# identifiers, companies, reviews...) are only ever read whole with their release, so they
# are JSON columns holding the values exactly as imported. `identity` is what makes a
# re-import an update: "discogs:28461", "musicbrainz:<mbid>", or for page text the label,
# catalog number and title; manual entries have none.
_RELEASES = """
CREATE TABLE releases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    source TEXT NOT NULL,
    source_id TEXT,
    identity TEXT UNIQUE,
    artists TEXT NOT NULL DEFAULT '[]',
    artist_credit TEXT,
    title TEXT NOT NULL,
    year INTEGER,
    released TEXT,
    country TEXT,
    genres TEXT NOT NULL DEFAULT '[]',
    styles TEXT NOT NULL DEFAULT '[]',
    notes TEXT,
    formats TEXT NOT NULL DEFAULT '[]',
    identifiers TEXT NOT NULL DEFAULT '[]',
    companies TEXT NOT NULL DEFAULT '[]',
    reviews TEXT NOT NULL DEFAULT '[]',
    review_count INTEGER,
    url TEXT,
    collection TEXT,
    added_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE release_labels (
    release_id INTEGER NOT NULL REFERENCES releases (id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    name TEXT NOT NULL,
    catalog_number TEXT,
    catno_norm TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (release_id, ord)
);
CREATE INDEX release_labels_catno ON release_labels (catno_norm);
CREATE TABLE release_tracks (
    release_id INTEGER NOT NULL REFERENCES releases (id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    position TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL,
    duration INTEGER,
    artists TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (release_id, ord)
);
-- One release per track. A link is kept when its track's file goes missing (tracks are
-- never deleted by a scan); `manual` links are never replaced by automatic linking.
CREATE TABLE release_links (
    track_id INTEGER PRIMARY KEY REFERENCES tracks (id) ON DELETE CASCADE,
    release_id INTEGER NOT NULL REFERENCES releases (id) ON DELETE CASCADE,
    position TEXT,
    confidence REAL NOT NULL,
    method TEXT NOT NULL,
    manual INTEGER NOT NULL DEFAULT 0,
    linked_at TEXT NOT NULL
);
CREATE INDEX release_links_release ON release_links (release_id);
"""

# The folders scanned into this library, so the app can offer to scan them again. They belong
# to the library (another database has other folders), not to the user's settings.
_SCAN_ROOTS = """
CREATE TABLE scan_roots (
    path_bytes BLOB PRIMARY KEY,           -- the folder exactly as the OS gives it
    path TEXT NOT NULL,                    -- for display: undecodable bytes as U+FFFD
    scanned_at TEXT NOT NULL,              -- the end of the last complete scan of it
    turn INTEGER NOT NULL                  -- orders scans within one second: higher is later
);
"""


# Step 4 (moves and renames): a fingerprint of each file's audio payload, which tag edits do
# not change (see library/tags/identity.py). NULL means "not computed yet": a scan reads such
# a file again even when unchanged; '' means "this container has none".
_AUDIO_IDENTITY = """
ALTER TABLE tracks ADD COLUMN audio_identity TEXT;
CREATE INDEX tracks_audio_identity ON tracks (audio_identity);
"""

# Step 5 (track notes): one row per noted track, and a journal of every change. Notes hang on
# the track id (which a move keeps); a track with notes cannot be deleted (no CASCADE: nothing
# a DJ typed may vanish as a side effect). Values are checked by library/notes/values.py. A
# track without a row has the moods of its tags as notes (library/notes/store.py).
_TRACK_NOTES = """
-- The moods of a track's tags, folded: until a track is noted, they are its notes' moods.
ALTER TABLE tracks ADD COLUMN moods_fold TEXT NOT NULL DEFAULT '';

CREATE TABLE track_notes (
    track_id INTEGER PRIMARY KEY REFERENCES tracks (id),
    moods TEXT NOT NULL DEFAULT '[]',        -- JSON list of lower-case words, sorted
    energy INTEGER,                          -- 1..10
    roles TEXT NOT NULL DEFAULT '[]',        -- JSON list, in set order (opener..encore)
    closing_note TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL DEFAULT '',
    rating INTEGER,                          -- 0..5
    colour TEXT,                             -- pink red orange yellow green aqua blue purple
    cues TEXT NOT NULL DEFAULT '[]',         -- JSON [{"at": seconds, "text": ...}], sorted
    updated_at TEXT,
    -- Derived, for the query language (folded as library/search_text.py folds):
    filled INTEGER NOT NULL DEFAULT 0,       -- 1 when anything is noted (has:notes)
    cue_count INTEGER NOT NULL DEFAULT 0,    -- has:cues
    moods_fold TEXT NOT NULL DEFAULT '',     -- "\x1fmood\x1fmood\x1f" (mood:)
    notes_fold TEXT NOT NULL DEFAULT '',     -- closing note and text (notes:)
    notes_search TEXT NOT NULL DEFAULT '',   -- every field's text (free words)
    -- Notes and the file (setlist tags write, and scans reading them back):
    file_hash TEXT,                          -- the notes the file holds, at the last write or read
    written_at TEXT                          -- when setlist last wrote them into the file
);

CREATE TABLE track_notes_journal (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    track_id INTEGER NOT NULL REFERENCES tracks (id),
    version INTEGER NOT NULL,                -- 1, 2, 3... per track
    changed_at TEXT NOT NULL,
    source TEXT NOT NULL,                    -- note (a command), restore, scan (from the file)
    previous TEXT NOT NULL,                  -- the whole notes before the change, as JSON
    notes TEXT NOT NULL,                     -- the whole notes after it, as JSON
    UNIQUE (track_id, version)
);
"""

# Step 6 (sets): ordered set lists, and the record of sets played. A set entry hangs on its
# track's id with no CASCADE: a track in a set cannot be deleted, so an entry never vanishes
# as a side effect. Entries belong to their set (deleting the set deletes them); positions are
# kept dense, 1..N, by library/set_store.py. A play is kept apart from the set it played
# (`set_id` is cleared when the set is deleted, its name and tracks stay), so a track's play
# count and last play survive edits to the set, renames and deletion.
_SETS = """
CREATE TABLE sets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL UNIQUE,           -- the name folded for case (NFKC, casefold)
    description TEXT NOT NULL DEFAULT '',
    venue TEXT NOT NULL DEFAULT '',
    date TEXT,                               -- ISO 8601 (YYYY-MM-DD)
    target_minutes INTEGER,
    allow_repeat INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE set_entries (
    set_id INTEGER NOT NULL REFERENCES sets (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,               -- 1..N, dense
    track_id INTEGER NOT NULL REFERENCES tracks (id),
    transition_note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (set_id, position)
);
CREATE INDEX set_entries_track ON set_entries (track_id);

CREATE TABLE set_plays (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    set_id INTEGER REFERENCES sets (id) ON DELETE SET NULL,
    set_name TEXT NOT NULL,                  -- the set's name when it was played
    played_on TEXT NOT NULL,                 -- ISO 8601 (YYYY-MM-DD)
    venue TEXT NOT NULL DEFAULT '',
    venue_fold TEXT NOT NULL DEFAULT '',     -- folded as library/search_text.py folds (venue:)
    recorded_at TEXT NOT NULL
);
CREATE TABLE track_plays (
    play_id INTEGER NOT NULL REFERENCES set_plays (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,               -- where the track was in the set that night
    track_id INTEGER NOT NULL REFERENCES tracks (id),
    PRIMARY KEY (play_id, position)
);
CREATE INDEX track_plays_track ON track_plays (track_id);
"""

# Step 7 (link proposals in the app): a proposed link the user turned down is not proposed
# again (library/releases/proposals.py). Self-contained: it names no table of another step
# (rows go with their track or release by the code that deletes those, which never happens).
_LINK_REJECTIONS = """
CREATE TABLE release_link_rejections (
    track_id INTEGER NOT NULL,
    release_id INTEGER NOT NULL,
    rejected_at TEXT NOT NULL,
    PRIMARY KEY (track_id, release_id)
);
"""

# Step 8 (speed of free words at 50,000 tracks): a trigram full-text index of all the text a
# free word searches (library/query.py), so a word of three letters or more finds its tracks
# through the index instead of reading every row, and several words are intersected inside
# it. One row per track (rowid = the track's id, never reused): its `search` text, its notes'
# `notes_search`, and its tags' moods while nobody has noted it (a noted track's moods are its
# notes'), as the query language reads them. `case_sensitive 1`: the columns hold folded text
# and the query folds its words the same way, so a phrase matches exactly where LIKE would.
#
# Triggers only note which tracks' rows are stale (`track_words_stale`, a plain INSERT: a
# trigger's OR IGNORE would give way to the UPSERT that fired it); `Store.transaction`
# rebuilds those rows in one statement before it commits (`REFRESH_WORDS`). Writing the
# index from the triggers themselves cost 60 us a track instead of 8: FTS5 flushes its
# pending terms at the savepoint each trigger opens, one tiny segment per row.
_WORD_INDEX = """
CREATE VIRTUAL TABLE track_words USING fts5 (
    search, notes, moods, tokenize = 'trigram case_sensitive 1'
);
INSERT INTO track_words (rowid, search, notes, moods)
    SELECT t.id, t.search, coalesce(n.notes_search, ''),
           CASE WHEN n.track_id IS NULL THEN t.moods_fold ELSE '' END
    FROM tracks t LEFT JOIN track_notes n ON n.track_id = t.id;
CREATE TABLE track_words_stale (track_id INTEGER NOT NULL);  -- repeats are harmless
CREATE TRIGGER track_words_track_insert AFTER INSERT ON tracks BEGIN
    INSERT INTO track_words_stale VALUES (new.id);
END;
CREATE TRIGGER track_words_track_update AFTER UPDATE OF search, moods_fold ON tracks
WHEN old.search IS NOT new.search OR old.moods_fold IS NOT new.moods_fold BEGIN
    INSERT INTO track_words_stale VALUES (new.id);
END;
CREATE TRIGGER track_words_track_delete AFTER DELETE ON tracks BEGIN
    INSERT INTO track_words_stale VALUES (old.id);
END;
CREATE TRIGGER track_words_notes_insert AFTER INSERT ON track_notes BEGIN
    INSERT INTO track_words_stale VALUES (new.track_id);
END;
CREATE TRIGGER track_words_notes_update AFTER UPDATE OF notes_search ON track_notes
WHEN old.notes_search IS NOT new.notes_search BEGIN
    INSERT INTO track_words_stale VALUES (new.track_id);
END;
CREATE TRIGGER track_words_notes_delete AFTER DELETE ON track_notes BEGIN
    INSERT INTO track_words_stale VALUES (old.track_id);
END;
"""

# What `Store.transaction` runs before it commits when a write left rows of the word index
# stale (see step 8): each such track's row rebuilt from the tables, in one statement each.
REFRESH_WORDS = (
    "DELETE FROM track_words WHERE rowid IN (SELECT track_id FROM track_words_stale)",
    "INSERT INTO track_words (rowid, search, notes, moods) "
    "SELECT t.id, t.search, coalesce(n.notes_search, ''), "
    "CASE WHEN n.track_id IS NULL THEN t.moods_fold ELSE '' END "
    "FROM tracks t LEFT JOIN track_notes n ON n.track_id = t.id "
    "WHERE t.id IN (SELECT track_id FROM track_words_stale)",
    "DELETE FROM track_words_stale",
)

MIGRATIONS: tuple[str, ...] = (
    _TRACKS, _RELEASES, _SCAN_ROOTS, _AUDIO_IDENTITY, _TRACK_NOTES, _SETS, _LINK_REJECTIONS,
    _WORD_INDEX,
)  # fmt: skip
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(connection: sqlite3.Connection) -> int:
    """Bring the schema up to `SCHEMA_VERSION` in one IMMEDIATE transaction; return steps run.

    The version is read again inside the transaction, so two processes opening a new library
    at once do not both run a step.
    """
    connection.execute("BEGIN IMMEDIATE")
    try:
        version: int = connection.execute("PRAGMA user_version").fetchone()[0]
        for step in MIGRATIONS[version:]:
            for statement in _statements(step):
                connection.execute(statement)
        ran = max(0, SCHEMA_VERSION - version)
        if ran:
            connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    return ran


def _statements(script: str) -> list[str]:
    """Split a step into statements (executescript would COMMIT our transaction)."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements

"""Track notes: what a DJ knows about a track (moods, energy, roles, the closing note, free
text, a rating, a colour, cue notes), kept per track id, journaled, searchable, and written
into the files on request.

    values      the vocabulary and the checks of each field (plain Python: the scanner uses it)
    model       `TrackNotes` and `Cue`, the pydantic models commands and JSON use
    edits       `NoteEdit`: a command's changes, applied to notes with every value checked
    store       SQL: the notes table, the journal, history and restore
    file_form   the notes as tag values: the versioned form setlist writes and reads back
    from_files  a scan merges the notes files hold into the library, reporting conflicts
    to_files    `setlist tags write`: the files whose notes changed, written atomically
"""

"""The setlist domain: tags, scanning, storage. Never imports Textual."""

"""The Textual app. The only package that imports Textual; the CLI imports it lazily."""

"""setlist: sets, exporters, the CLI and the TUI, on top of the `library` domain."""

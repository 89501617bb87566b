"""One module per group of CLI commands; `setlist.cli` registers them."""

"""Tests of the Textual app (a package, so its conftest and helpers have names of their own)."""

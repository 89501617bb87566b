"""`setlist demo`: placeholder until the demo library is built."""

from __future__ import annotations

import click


@click.command("demo")
def demo_command() -> None:
    """Build a demo library."""

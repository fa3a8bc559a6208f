"""`funeng version`: what is installed and where this deployment keeps its data."""

from __future__ import annotations

from importlib.metadata import version

import typer

from api.settings import Settings

NAME = ""
app = typer.Typer()


@app.command("version")
def show_version() -> None:
    """Print the package version and the configured database and model locations."""
    settings = Settings()
    typer.echo(f"funeng-match {version('funeng-match')}")
    typer.echo(f"database: {settings.database_url}")
    typer.echo(f"model:    {settings.model.name_or_path or settings.model.path}")
    typer.echo(f"index:    {settings.index.dir}")

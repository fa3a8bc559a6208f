"""The `funeng` command line. Each `api/cli/*_cmd.py` module contributes one command group:
it defines `app: typer.Typer` and `NAME: str` (the group's name, or "" for top-level commands)."""

from __future__ import annotations

import importlib
import pkgutil

import typer

app = typer.Typer(
    name="funeng",
    help="Funeng Match (赋能匹配): staff operations, indexing, matching and evaluation.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """Funeng Match (赋能匹配): staff operations, indexing, matching and evaluation."""


def _register_groups() -> None:
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not module_info.name.endswith("_cmd"):
            continue
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        group: typer.Typer = module.app
        name: str = module.NAME
        if name:
            app.add_typer(group, name=name)
        else:
            for command in group.registered_commands:
                app.registered_commands.append(command)


_register_groups()


def main() -> None:
    """Entry point of the `funeng` script."""
    app()

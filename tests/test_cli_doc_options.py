"""docs/cli.md's command synopsis names exactly the options the Typer app has (audit 25).

The synopsis ("## Commands") is what a reader scans for a flag; the help of each command is generated from
the app, so the two drift apart silently when an option is added, renamed or removed. This reads the
synopsis's code block (SETTINGS and LIMITS expanded) and the click command of every subcommand, and checks
both ways, plus the defaults the doc's tables state for the shared options.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer

from motifcli.cli import app

DOC = Path(__file__).resolve().parents[1] / "docs" / "cli.md"
FLAG = re.compile(r"(?<![\w-])(--[a-z][a-z-]*[a-z]|-[a-z])(?![\w-])")
NOTE_LEVEL_ONLY = "--max-discovery-notes"  # in LIMITS, but "(annotate and plot: ...)": embed runs no discovery


def _synopsis() -> str:
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Commands", 1)[1]
    return section.split("```", 2)[1]


def documented() -> dict[str, set[str]]:
    """Subcommand (or "" for ``motif`` itself) -> the flags its synopsis lines name, macros expanded."""
    block = _synopsis()
    macros: dict[str, str] = {}
    commands: dict[str, str] = {}
    current = None
    for line in block.splitlines():
        head = re.match(r"\s*(SETTINGS|LIMITS):(.*)", line)
        command = re.match(r"motif(?: (\w+))?(.*)", line)
        if head:
            current = ("macro", head.group(1))
            macros[head.group(1)] = head.group(2)
        elif command:
            current = ("command", command.group(1) or "")
            commands[current[1]] = commands.get(current[1], "") + command.group(2)
        elif current and line.startswith(" "):
            (macros if current[0] == "macro" else commands)[current[1]] += " " + line
    for _ in range(2):  # SETTINGS holds LIMITS
        for name, body in list(commands.items()):
            commands[name] = body.replace("[SETTINGS]", macros["SETTINGS"]).replace("[LIMITS]", macros["LIMITS"])
        macros["SETTINGS"] = macros["SETTINGS"].replace("[LIMITS]", macros["LIMITS"])
    found = {name: set(FLAG.findall(re.sub(r"\(annotate and plot:.*?\)", "", body, flags=re.S)))
             for name, body in commands.items()}
    if "embed" in found:
        found["embed"].discard(NOTE_LEVEL_ONLY)
    return found


def actual() -> dict[str, set[str]]:
    """Subcommand -> every option string of its click command (long and short), ``--help`` left out."""
    group = typer.main.get_command(app)
    out = {"": {o for p in group.params for o in p.opts if o != "--help"}}
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        out[name] = {o for p in command.params if p.param_type_name == "option" for o in p.opts if o != "--help"}
    return out


def test_the_synopsis_is_read() -> None:
    docs = documented()
    assert set(docs) >= {"annotate", "embed", "info", "plot", ""}
    assert "--sensitivity" in docs["plot"] and "--max-bytes" in docs["embed"]  # both macros expanded
    assert NOTE_LEVEL_ONLY in docs["annotate"] and NOTE_LEVEL_ONLY not in docs["embed"]


@pytest.mark.parametrize("command", ["annotate", "embed", "info", "plot", ""])
def test_synopsis_names_every_option_and_no_other(command: str) -> None:
    docs, app_options = documented()[command], actual()[command]
    short = {o for o in app_options if not o.startswith("--")}
    # a short alias may stand in for its long name in the synopsis (-o), or the long name for it (--workers)
    missing = {o for o in app_options - docs if not (o in short and _long_of(command, o) in docs)
               and not (o.startswith("--") and any(s in docs for s in _shorts_of(command, o)))}
    unknown = docs - app_options
    assert not missing, f"motif {command}: options the app has that docs/cli.md's synopsis does not name: {missing}"
    assert not unknown, f"motif {command}: options docs/cli.md's synopsis names that the app lacks: {unknown}"


def _param(command: str, option: str):  # noqa: ANN202 - a click.Parameter
    group = typer.main.get_command(app)
    params = group.commands[command].params if command else group.params  # type: ignore[attr-defined]
    return next(p for p in params if option in p.opts)


def _long_of(command: str, option: str) -> str:
    return next(o for o in _param(command, option).opts if o.startswith("--"))


def _shorts_of(command: str, option: str) -> list[str]:
    return [o for o in _param(command, option).opts if not o.startswith("--")]


@pytest.mark.parametrize("option, default, doc_says", [
    ("--sensitivity", 0.5, "| 0.5 |"),
    ("--texture-model", "cluster", "| cluster |"),
    ("--workers", 1, "`--workers N` (default 1)"),
    ("--unit", "note", "`--unit note` (the default)"),
    ("--provider", "auto", "[--provider auto|cpu|cuda]"),
])
def test_the_defaults_docs_cli_states_are_the_apps(option: str, default: object, doc_says: str) -> None:
    assert _param("annotate", option).default == default
    assert doc_says in DOC.read_text(encoding="utf-8")

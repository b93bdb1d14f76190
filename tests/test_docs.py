"""The docs cover every command and setting (datasette's test_docs idea)."""

from __future__ import annotations

from conftest import REPO
from nyhetsvakt.cli import cli
from nyhetsvakt.settings import SETTINGS

CLI_DOC = (REPO / "docs" / "cli.md").read_text("utf-8")


def test_every_command_documented():
    missing = [name for name in cli.commands if f"### `nyhetsvakt {name}" not in CLI_DOC]
    assert not missing, f"commands missing from docs/cli.md: {missing}"


def test_every_setting_documented():
    for s in SETTINGS:
        assert f"`{s.name}`" in CLI_DOC and (s.env is None or f"`{s.env}`" in CLI_DOC), s.name


def test_readme_quick_start_is_two_commands():
    readme = (REPO / "README.md").read_text("utf-8")
    block = readme.split("## Quick start", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [ln.split("#")[0].strip() for ln in block.strip().splitlines()]
    assert commands == ["make demo", "make test"]

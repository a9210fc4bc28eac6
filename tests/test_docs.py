"""The README and the documentation site (docs/) against the code: the README within its size,
every relative link resolving, and every command synopsis naming exactly the flags the command's
`--help` lists (a flag added to a command and left out of the docs fails here, and so does a
flag the docs name that no command has any more)."""

import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from conformance.cli import main as conformance_main
from mock_server import pytest_plugin
from mock_server.cli import main as mock_main

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
PAGES = sorted((ROOT / "docs").glob("*.md"))
README_MAX_BYTES = 8 * 1024
TOOLS = {"campfire-mock": mock_main, "campfire-conformance": conformance_main}

FENCE = re.compile(r"^(```|~~~).*?^\1", re.DOTALL | re.MULTILINE)
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*$", re.MULTILINE)
FLAG = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _slug(heading: str) -> str:
    """The anchor MkDocs (and GitHub) give a heading."""
    words = re.sub(r"[^\w\s-]", "", heading.replace("`", "").strip().lower())
    return re.sub(r"[\s]+", "-", words)


def _anchors(path: Path) -> set[str]:
    return {_slug(heading) for heading in HEADING.findall(FENCE.sub("", _text(path)))}


def _help_flags(args: list[str], command: click.Command) -> set[str]:
    result = CliRunner().invoke(command, [*args, "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    return set(FLAG.findall(result.output)) - {"--help"}


def _commands() -> dict[tuple[str, str], set[str]]:
    """(tool, subcommand or "") -> the flags its --help lists."""
    found = {}
    for tool, group in TOOLS.items():
        if group.invoke_without_command:
            found[tool, ""] = _help_flags([], group)
        for name in group.commands:
            found[tool, name] = _help_flags([name], group)
    return found


def _plugin_flags() -> set[str]:
    """The options the pytest plugin adds, as `pytest --help` lists them."""
    flags = set()

    class Group:
        def addoption(self, *names, **options):
            flags.update(names)

    class Parser:
        def getgroup(self, *args, **kwargs):
            return Group()

    pytest_plugin.pytest_addoption(Parser())
    return flags


def _script_flags(*command: str) -> set[str]:
    """The flags a script of the repository lists in its --help (the docs cite the dataset
    generator and the benchmark)."""
    output = subprocess.run(
        [sys.executable, *command, "--help"], cwd=ROOT, capture_output=True, text=True, check=True, timeout=60
    ).stdout
    return set(FLAG.findall(output)) - {"--help"}


def _synopses() -> list[tuple[Path, str, str, str]]:
    """Each command synopsis in a code block of the docs: (page, tool, subcommand, text). A
    synopsis is a line starting with a tool's name and the indented lines that continue it."""
    found = []
    for page in PAGES:
        for block in FENCE.finditer(_text(page)):
            lines = block.group(0).splitlines()[1:-1]
            for number, line in enumerate(lines):
                tool = next((name for name in TOOLS if line.startswith(name + " ")), None)
                if tool is None:
                    continue
                text = line
                for more in lines[number + 1 :]:
                    if not more.startswith(" "):
                        break
                    text += " " + more
                words = re.sub(r"\[[^\]]*\]|#.*", " ", text[len(tool) :]).split()
                subcommand = next((word for word in words if word in TOOLS[tool].commands), "")
                found.append((page, tool, subcommand, text))
    return found


def test_readme_is_short():
    size = len(README.read_bytes())
    assert size <= README_MAX_BYTES, f"README.md is {size:,} bytes; at most {README_MAX_BYTES:,}: move detail to docs/"


@pytest.mark.parametrize("path", [README, *PAGES], ids=lambda path: str(path.relative_to(ROOT)))
def test_every_relative_link_resolves(path):
    broken = []
    for target in LINK.findall(FENCE.sub("", _text(path))):
        if re.match(r"[a-z]+:", target):  # http:, https:, mailto:
            continue
        file_part, _, anchor = target.partition("#")
        linked = (path.parent / file_part).resolve() if file_part else path
        if not linked.exists():
            broken.append(f"{target}: no such file")
        elif anchor and linked.suffix == ".md" and anchor not in _anchors(linked):
            broken.append(f"{target}: no heading #{anchor} in {linked.name}")
    assert not broken, f"{path.name}: " + "; ".join(broken)


def test_every_flag_of_every_command_is_in_a_synopsis():
    synopses = _synopses()
    missing = []
    for (tool, subcommand), flags in _commands().items():
        mine = [text for _, t, s, text in synopses if (t, s) == (tool, subcommand)]
        assert mine, f"no synopsis of `{tool} {subcommand}` in docs/"
        best = max(mine, key=lambda text: len(flags & set(FLAG.findall(text))))
        if absent := flags - set(FLAG.findall(best)):
            missing.append(f"`{tool} {subcommand}` lacks {', '.join(sorted(absent))}")
    assert not missing, "; ".join(missing)


def test_a_synopsis_names_only_flags_its_command_has():
    commands = _commands()
    wrong = []
    for page, tool, subcommand, text in _synopses():
        known = commands[tool, subcommand] | commands.get((tool, ""), set())  # a group's options come first
        if unknown := set(FLAG.findall(text)) - known:
            wrong.append(f"{page.name}: `{tool} {subcommand}` has no {', '.join(sorted(unknown))}")
    assert not wrong, "; ".join(wrong)


def test_the_pytest_plugin_options_are_documented():
    page = _text(ROOT / "docs" / "testing-a-client.md")
    assert not {flag for flag in _plugin_flags() if flag not in page}


def test_every_flag_the_docs_name_exists():
    """A flag anywhere in the README or the docs belongs to one of the project's commands."""
    known = set().union(
        *_commands().values(),
        _plugin_flags(),
        _script_flags("-m", "mock_server.fixtures.generate"),
        _script_flags("benchmarks/bench.py"),
    )
    unknown = {
        f"{path.name}: {flag}" for path in [README, *PAGES] for flag in FLAG.findall(_text(path)) if flag not in known
    }
    assert not unknown, ", ".join(sorted(unknown))

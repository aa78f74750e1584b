"""Typer's own words in `--help` (Usage, Options, [default: …], <path>…) in the user's language.

Typer prints a few texts of its own around ours: the usage line, the panels' titles, the help
option's help, the default and required marks and the type of each value. Its fixed strings are
module constants, set here once the language is chosen (at import, before any help is printed);
the rest is per command, through `Command` and `Group`, the classes `cli.main` gives typer. A
version of typer without one of these hooks prints that word in English, nothing worse.
"""

from __future__ import annotations

import re
from typing import Any

import typer
import typer.rich_utils as rich_utils
from rich.text import Text
from typer.core import TyperCommand, TyperGroup

from roster.i18n import tr


def localize() -> None:
    """Typer's fixed strings in the language chosen; call before the first help is printed."""
    texts = {
        "ARGUMENTS_PANEL_TITLE": tr("Arguments"),
        "OPTIONS_PANEL_TITLE": tr("Options"),
        "COMMANDS_PANEL_TITLE": tr("Commands"),
        "ERRORS_PANEL_TITLE": tr("Error"),
        "ABORTED_TEXT": tr("Aborted."),
        # typer fills these in later with str.format: the placeholders go through as values
        "DEFAULT_STRING": tr("[default: {value}]", value="{}"),
        "REQUIRED_LONG_STRING": tr("[required]"),
        "RICH_HELP": tr(
            "Try {command} for help.", command="[blue]'{command_path} {help_option}'[/]"
        ),
    }
    for name, text in texts.items():
        if hasattr(rich_utils, name):
            setattr(rich_utils, name, text)
    make = getattr(rich_utils, "_make_rich_text", None)
    if callable(make) and not getattr(make, "folds", False):
        rich_utils._make_rich_text = _folding(make)


def _folding(make: Any) -> Any:
    """Help texts that break a line anywhere when no space is left: Chinese has no spaces, and a
    table cell otherwise cuts such a line short with an ellipsis (English still breaks at
    spaces first)."""

    def folding(**kwargs: Any) -> Any:
        text = make(**kwargs)
        if isinstance(text, Text):
            text.overflow = "fold"
        return text

    folding.folds = True  # type: ignore[attr-defined]
    return folding


def _type_label(label: str | None, flag: bool) -> str | None:
    """A value's type as the help shows it (`<path>`), in words; nothing for an on/off flag."""
    if flag or label is None:
        return "" if flag else label
    words = {
        "path": tr("<path>"),
        "str": tr("<text>"),
        "int": tr("<integer>"),
        "float": tr("<number>"),
    }
    listed = re.fullmatch(r"<list\[(\w+)\]>", label)
    if listed:
        return tr("{item} (repeatable)", item=words.get(listed.group(1).lower(), label))
    inner = re.fullmatch(r"<(\w+)(?: range)?>", label)  # a range is shown after it
    return words.get(inner.group(1).lower(), label) if inner else label


def _range(text: str | None) -> str | None:
    """`x>=1` as `≥ 1`: the number's range without a variable."""
    if not text:
        return text
    text = re.sub(r"^x>=(.+)$", r"≥ \1", text)
    text = re.sub(r"^x<=(.+)$", r"≤ \1", text)
    return re.sub(r"^(.+)<=x<=(.+)$", r"\1–\2", text)


def _localize_param(param: Any) -> None:
    """A parameter's type and range shown in words (its help is the command's own text)."""
    flag = bool(getattr(param, "is_flag", False))
    shown = getattr(param, "display_type_rich", None)
    # an option with a metavar shows it instead; an argument shows its metavar as its name
    named = getattr(param, "metavar", None) is not None and param.param_type_name == "option"
    if callable(shown) and not named:
        param.display_type_rich = lambda ctx, shown=shown: _type_label(shown(ctx=ctx), flag)
    ranged = getattr(param, "_get_number_range_help_str", None)
    if callable(ranged):
        param._get_number_range_help_str = lambda ranged=ranged: _range(ranged())


def _localize_command(command: Any) -> None:
    """A command's usage line (`[OPTIONS]`) and its parameters' types in words."""
    if getattr(command, "options_metavar", None):
        command.options_metavar = tr("[OPTIONS]")
    for param in getattr(command, "params", ()):
        _localize_param(param)


def adopt(command: Any) -> Any:
    """`command` with its help in the user's language: the usage line, the help option, the
    value types; a group adopts each command it hands out, so commands made elsewhere
    (`cli.workspace`, a sub-group) speak the same language. Done on the object, once."""
    if command is None or getattr(command, "_roster_localized", False):
        return command
    help_option = command.get_help_option

    def get_help_option(ctx: Any) -> Any:
        option = help_option(ctx)
        if option is not None and not getattr(option, "_roster_localized", False):
            option.help = tr("Show this message and exit.")
            _localize_param(option)
            option._roster_localized = True
        return option

    def format_usage(ctx: Any, formatter: Any) -> None:
        pieces = command.collect_usage_pieces(ctx)
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=tr("Usage: "))

    setattr(command, "get_help_option", get_help_option)  # noqa: B010 - on this object only
    setattr(command, "format_usage", format_usage)  # noqa: B010
    if isinstance(command, TyperGroup):
        get_command = command.get_command
        setattr(command, "get_command", lambda ctx, name: adopt(get_command(ctx, name)))  # noqa: B010
        command.subcommand_metavar = tr("COMMAND [ARGS]...")
    _localize_command(command)
    command._roster_localized = True
    return command


class Command(TyperCommand):
    """A command whose help speaks the user's language throughout."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        adopt(self)


class Group(TyperGroup):
    """The `roster` command itself: it and every command it hands out speak the user's language."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        adopt(self)


class BadValue(typer.BadParameter):
    """A value the command line refuses, introduced in the user's language (typer's own
    `BadParameter` says "Invalid value" in English around a translated message)."""

    def format_message(self) -> str:
        hint = self.param_hint
        if hint is None and self.param is not None:
            named: Any = self.param.get_error_hint  # takes the context in click, not in typer 0.29
            try:
                hint = named()
            except TypeError:
                hint = named(self.ctx)
        if isinstance(hint, list | tuple):
            hint = " / ".join(hint)
        if not hint:
            return tr("Invalid value: {message}", message=self.message)
        return tr("Invalid value for {option}: {message}", option=hint, message=self.message)


def command_help(text: str, example: str, more: str = "") -> str:
    """A command's help: what it does, more if any, and an example to copy (the literal command)."""
    parts = [text, more] if more else [text]
    return "\n\n".join([*parts, tr("Example: {example}", example=example)])

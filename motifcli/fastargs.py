"""Option values coerced without pydantic when that is certain to give pydantic's answer.

Typer (0.29) coerces every option through a pydantic ``TypeAdapter``: importing pydantic and
building one adapter per option costs 0.15-0.25 s of every ``motif`` run, a fifth of
``motif annotate song.mid``, which the MuseScore plugin starts on every click. Our options are
plain ``str``, ``int``, ``float``, ``bool`` and ``Path`` values (optionally ``Optional`` or a ``list``), so
:func:`install` gives typer a coercer that converts exactly those, and only in the unambiguous
forms ("0.45", "3", "song.mid"); any other value (a typo, "inf", "1_000", a constrained option)
goes to typer's own pydantic coercion, so errors and edge cases read exactly as before.
``tests/test_fastargs.py`` checks both paths give the same values and the same messages.

It hooks one private typer function (``typer.core.build_runtime_param``); with a typer that has
no such function (older or newer), :func:`install` does nothing and typer works as it always did.
"""

from __future__ import annotations

import re
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

_INT = re.compile(r"-?(0|[1-9][0-9]{0,17})\Z")
_FLOAT = re.compile(r"-?(0|[1-9][0-9]{0,17})(\.[0-9]{1,17})?([eE][-+]?[0-9]{1,2})?\Z")


class _Unsure(Exception):
    """This value is left to typer's own coercion."""


def _exactly(kind: type) -> Callable[[Any], Any]:
    """Values that already have the type (str from the command line, bool from a flag)."""
    def convert(value: Any) -> Any:
        if type(value) is not kind:
            raise _Unsure
        return value
    return convert


def _number(kind: type, pattern: re.Pattern[str], exact: tuple[type, ...]) -> Callable[[Any], Any]:
    """Numbers of these types (defaults), or text in the plain spelling ``pattern`` accepts."""
    def convert(value: Any) -> Any:
        if type(value) in exact or (type(value) is str and pattern.match(value)):
            return kind(value)
        raise _Unsure
    return convert


def _path(value: Any) -> Path:
    if isinstance(value, Path):
        return value
    if type(value) is str and value and "\x00" not in value:
        return Path(value)
    raise _Unsure


def _leaf(annotation: Any) -> Callable[[Any], Any] | None:
    """A converter for one plain value, or None when the annotation is not one we handle."""
    if annotation in (str, bool):  # flags arrive as bools (None is handled by typer before us)
        return _exactly(annotation)
    if annotation is int:
        return _number(int, _INT, (int,))
    if annotation is float:
        return _number(float, _FLOAT, (float, int))
    if annotation is Path:
        return _path
    return None


def _converter(annotation: Any) -> tuple[Callable[[Any], Any], bool] | None:
    """(converter, is_path) for ``X``, ``Optional[X]`` or ``list[X]``; None for anything else."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) != 1:
            return None
        return _converter(args[0])
    if origin is list:
        (item,) = typing.get_args(annotation) or (None,)
        leaf = _leaf(item)
        if leaf is None:
            return None

        def to_list(value: Any) -> list[Any]:
            values = value if isinstance(value, (list, tuple)) else [value]
            return [leaf(v) for v in values]
        return to_list, item is Path
    leaf = _leaf(annotation)
    return (leaf, annotation is Path) if leaf is not None else None


_PLAIN = {  # ParameterInfo attributes at these values add no check to a plain value
    "parser": None, "click_type": None, "min": None, "max": None, "clamp": False, "exists": False,
    "file_okay": True, "dir_okay": True, "writable": False, "resolve_path": False, "allow_dash": False,
    "path_type": None, "formats": None,
}


def _plain(parameter_info: Any) -> bool:
    return all(getattr(parameter_info, name, default) in (default, None) for name, default in _PLAIN.items())


def install() -> bool:
    """Hook the fast coercion into typer; True when it is in place."""
    try:
        import typer.core as core
        from typer._coercion import RuntimeParam
        from typer._param_types import coerce_cli_path
    except ImportError:
        return False
    original = getattr(core, "build_runtime_param", None)
    if original is None:
        return False
    if getattr(original, "motif_fast", False):
        return True

    @dataclass(frozen=True)
    class FastRuntimeParam(RuntimeParam):  # type: ignore[misc]
        convert: Callable[[Any], Any]
        is_path: bool
        descriptor: Any

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            try:
                result = self.convert(value)
            except _Unsure:
                return build_runtime_param.original(self.descriptor).coerce(value, param=param, ctx=ctx)
            if self.is_path:  # typer's own checks of a path (readable, ...), which need no pydantic
                if isinstance(result, list):
                    return [coerce_cli_path(p, self.parameter_info, path_type=Path, param=param, ctx=ctx)
                            for p in result]
                return coerce_cli_path(result, self.parameter_info, path_type=Path, param=param, ctx=ctx)
            return result

    def build_runtime_param(descriptor: Any) -> Any:
        found = None
        if getattr(descriptor, "file_annotation", None) is None and _plain(descriptor.parameter_info):
            found = _converter(descriptor.annotation)
        if found is None:
            return build_runtime_param.original(descriptor)  # an attribute, so a test can watch it
        convert, is_path = found
        return FastRuntimeParam(annotation=descriptor.annotation, parameter_info=descriptor.parameter_info,
                                convert=convert, is_path=is_path, descriptor=descriptor)

    build_runtime_param.motif_fast = True  # type: ignore[attr-defined]
    build_runtime_param.original = original  # type: ignore[attr-defined]
    core.build_runtime_param = build_runtime_param
    return True

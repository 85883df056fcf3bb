"""Every error the package raises on purpose is an ``AnalyserError``: one root the CLI turns into
one line and an exit code, and one place that lists every exit code."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import resiliency_analyser
from resiliency_analyser.errors import AnalyserError


def defined_exceptions() -> list[type[BaseException]]:
    """Every exception class defined in a module of the package (``__main__`` would run the CLI)."""
    found: list[type[BaseException]] = []
    for module_info in pkgutil.walk_packages(
        resiliency_analyser.__path__, f"{resiliency_analyser.__name__}."
    ):
        if module_info.name.endswith(".__main__"):
            continue
        module = importlib.import_module(module_info.name)
        found.extend(
            cls
            for _, cls in inspect.getmembers(module, inspect.isclass)
            if issubclass(cls, BaseException) and cls.__module__ == module.__name__
        )
    return found


def test_the_walk_finds_the_exceptions_the_modules_define() -> None:
    """Guards the next test: a walk that found nothing would pass it."""
    names = {cls.__qualname__ for cls in defined_exceptions()}
    assert {"AnalyserError", "UsageError", "ServiceNotInRegion", "UploadError"} <= names


def test_every_exception_defined_in_the_package_is_an_analyser_error() -> None:
    outside = [
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in defined_exceptions()
        if not issubclass(cls, AnalyserError)
    ]
    assert outside == [], "derive these from errors.AnalyserError (or one of its subclasses)"

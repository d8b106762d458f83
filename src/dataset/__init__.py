"""cryptophone-takedowns: a research data package; `dataset` is its import name and command.

    import dataset
    dataset.load("events")     # a table as a pandas DataFrame (published dtypes)
    dataset.load_all()         # every table, by name
    dataset.package()          # the datapackage.json descriptor
    dataset.tables()           # the table names

The data is the installed version's own (see dataset.datapackage.load). The API is imported on first use, so
`import dataset` (and `dataset --help`) never imports pandas.
"""

from typing import Any

_API = ("load", "load_all", "package", "tables")
__all__ = ["__version__", *_API]


def __getattr__(name: str) -> Any:
    """The API and `__version__`, each on first use: importlib.metadata alone takes ~30 ms to import, which
    every command (a no-op build, `--help`) would pay."""
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("cryptophone-takedowns")
        except PackageNotFoundError:  # running from a source tree that was never installed
            return "0+unknown"
    if name in _API:
        from dataset.datapackage import load as api

        return getattr(api, name)
    raise AttributeError(f"module 'dataset' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})

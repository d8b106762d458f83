"""cryptophone-takedowns: a research data package; `dataset` is its import name and command."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("cryptophone-takedowns")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

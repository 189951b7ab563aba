"""The version of k2nutrition."""

__version__ = "0.1.0.dev0"

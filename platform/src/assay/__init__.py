"""Assay grades backend take-home submissions in a hardened sandbox."""

__version__ = "0.1.0"

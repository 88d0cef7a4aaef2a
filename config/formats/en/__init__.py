"""Formats of the en interface (see config/formats)."""

"""Formats of the bs interface (see config/formats)."""

"""Formats of the sq interface (see config/formats)."""

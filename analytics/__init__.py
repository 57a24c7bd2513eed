"""Underwriting analytics: one module per analysis, clean records in, JSON-ready dicts out."""

"""nyhetsvakt: raw Scandinavian news in, a searchable record out."""

__version__ = "0.1.0"

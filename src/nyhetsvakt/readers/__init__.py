"""Readers: raw input files to :class:`~nyhetsvakt.records.RawDocument` objects.

:func:`expand_inputs` turns command-line paths (files, directories, globs, ``-``) into
the list of files to read; :func:`read_source` reads one of them, whatever its format
(text dump, HTML, WARC, JSON Lines, each possibly gzip-compressed), and yields its
documents and, for what cannot be read, :class:`~nyhetsvakt.errors.InputError` objects
with the reason. It never raises for bad content. See ``docs/readers.md``.
"""

from __future__ import annotations

from .html import wrap_text_as_html
from .inputs import expand_inputs
from .source import ReadOptions, read_source

__all__ = ["ReadOptions", "expand_inputs", "read_source", "wrap_text_as_html"]

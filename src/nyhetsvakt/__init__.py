"""nyhetsvakt: raw Scandinavian news in, a searchable record of articles out.

The public API; everything not listed in ``__all__`` is private and may change.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from .api import IngestReport, NewsArchive, analyze
from .errors import InputError, NyhetsvaktError, PipelineError, StoreError, UsageError
from .pipeline import FileResult, Pipeline, PipelineOptions, build_pipeline
from .records import SCHEMA_VERSION, Article, Block, DocumentHints, DroppedLine, Provenance, RawDocument
from .segment import segment_document
from .steps.base import ArticleStep, Step

__version__ = "0.1.0"

__all__ = [
    "SCHEMA_VERSION",
    "Article",
    "ArticleStep",
    "Block",
    "DocumentHints",
    "DroppedLine",
    "FileResult",
    "IngestReport",
    "InputError",
    "NewsArchive",
    "NyhetsvaktError",
    "Pipeline",
    "PipelineError",
    "PipelineOptions",
    "Provenance",
    "RawDocument",
    "Step",
    "StoreError",
    "UsageError",
    "__version__",
    "analyze",
    "article_schema",
    "build_pipeline",
    "segment_document",
]


def article_schema() -> dict[str, Any]:
    """The JSON Schema of the output contract (``nyhetsvakt.article/1``)."""
    return json.loads(resources.files(__name__).joinpath("schema/article-1.json").read_text("utf-8"))

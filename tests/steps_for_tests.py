"""Steps used by the tests through ``PipelineOptions.extra_steps`` (importable by workers)."""

from __future__ import annotations

import os

from nyhetsvakt.steps.base import ArticleStep


class KillWorkerOnMarker(ArticleStep):
    """Ends its process at once (as the OOM killer would) on an article whose text says so."""

    name = "kill-worker"

    def process(self, article):
        if any("KILL-THIS-WORKER" in b.text for b in article.blocks):
            os._exit(9)


class Shout(ArticleStep):
    name = "shout"
    requires = frozenset({"headline"})

    def process(self, article):
        if article.headline:
            article.headline = article.headline.upper()

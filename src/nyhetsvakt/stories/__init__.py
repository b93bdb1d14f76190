"""Story clustering: articles about one event or development grouped, across languages
and outlets, incrementally as news arrives.

- :mod:`.features` — :class:`StoryFeatures` of an article (:func:`features_of`): stems,
  word-initial character n-grams, names, numbers, quotes, cited sources, date;
- :mod:`.clusterer` — :class:`StoryClusterer` (blocking index, scoring, stories, links);
- :mod:`.record` — :func:`build_story_record`, the story record users see;
- :mod:`.params` — :class:`StoryParams`, with the defaults chosen by ``benchmarks/stories.py``.

See ``docs/stories.md``.
"""

from __future__ import annotations

from .clusterer import Assignment, Candidate, Link, Story, StoryClusterer, cluster, story_id_for
from .features import FEATURES_VERSION, StoryFeatures, features_of
from .params import StoryParams
from .record import build_story_record

__all__ = [
    "FEATURES_VERSION",
    "Assignment",
    "Candidate",
    "Link",
    "Story",
    "StoryClusterer",
    "StoryFeatures",
    "StoryParams",
    "build_story_record",
    "cluster",
    "features_of",
    "story_id_for",
]

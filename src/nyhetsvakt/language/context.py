"""Article context: an article is (nearly always) one language, so its blocks share evidence.

The article's posterior over sv/da/nb/nn (the sum of its blocks' scores, headline
included) becomes each block's prior, floored at ``-override``: a short or ambiguous block
inherits the article's language, and a block only keeps a different language when its own
evidence beats the article's by more than ``override`` (in temperature-scaled nats; a full
sentence of another language easily does, two Bokmål-or-Nynorsk words never do). The
override may differ by language: close pairs (nb/nn/da) need more evidence than sv.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

__all__ = ["article_prior", "log_softmax", "with_prior"]


def log_softmax(scores: Mapping[str, float]) -> dict[str, float]:
    top = max(scores.values())
    norm = top + math.log(sum(math.exp(v - top) for v in scores.values()))
    return {k: v - norm for k, v in scores.items()}


def article_prior(article_scores: Mapping[str, float], override: Mapping[str, float]) -> dict[str, float]:
    """Log-prior for each block: the article's log-posterior, floored at ``-override[language]``."""
    return {k: max(v, -override[k]) for k, v in log_softmax(article_scores).items()}


def with_prior(block_scores: Mapping[str, float], prior: Mapping[str, float]) -> dict[str, float]:
    """A block's posterior (best first) under the article prior."""
    post = log_softmax({k: v + prior.get(k, 0.0) for k, v in block_scores.items()})
    return dict(sorted(((k, math.exp(v)) for k, v in post.items()), key=lambda kv: -kv[1]))


"""Quotes and cited sources of one article, read block by block with a :class:`Discourse`.

Quotes, in the order they are tried on a paragraph:

1. a paragraph led by a quote dash ("– …, säger han till CNN."): the attribution tail
   after the last comma before a speech verb gives speaker, cue and medium; without a
   tail the paragraph carries the speaker announced just before ("ISW förklarar.") or
   the last speaker (a continuation);
2. quotation marks ("…säger ”Det här är inte vårt krig…”", "«…», sier han"), four words
   or more, next to a speech verb: shorter quoted words are scare quotes;
3. an unmarked paragraph ending in ", <say verb> <Name>" ("…, sade Mads Eberhardt"): a
   direct quote printed without its dash;
4. "X säger att …", "säger X att …": indirect speech (``kind: indirect``).

Subheadings are never quotes (a dash-led subheading is a title). Every cue word, and so
every source, comes from the article's language pack.

Sources: every attribution cue ("enligt X", "…, rapporterar X", "X uppger", "till X",
"på X:s hemsida", a hedge with a named subject) becomes a citation, with the canonical
name and a type (news outlet, news agency, government, think tank, company,
organisation, social media, person, unnamed).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from .cues import Gazetteer, LanguageCues
from .discourse import NP, Discourse, Ref, parse_np
from .entities import Mention
from .text import Word, dash_led, last_match, sentences, words

__all__ = ["Citation", "QuoteFound", "read_article"]

MIN_QUOTED_WORDS = 4
# Where something can be said: the source types a medium ("till CNN") may have.
MEDIA = frozenset({"news_outlet", "news_agency", "social_media"})
_QUOTE_PAIRS = re.compile(r"[”“\"]([^”“\"]+)[”“\"]|«([^»]+)»|„([^“”]+)[“”]")
_APPOSITION_TAIL = re.compile(r"\s*,[^.;:!?]*")
_SENTENCE_PUNCT = re.compile(r"[.;:!?]")
_APPOSITIVE = re.compile(r"^\s*,[^.;:!?]*,\s*")


@dataclass
class Citation:
    ref: Ref
    cue: str
    block: int
    start: int
    end: int
    sentence: int
    role: str = "source"  # source | medium | speaker
    via: Ref | None = None

    def as_dict(self) -> dict:
        out = {
            "name": self.ref.name,
            "canonical": self.ref.name,
            "type": self.ref.source_type,
            "cue": self.cue,
            "block": self.block,
            "start": self.start,
            "end": self.end,
            "entity_id": self.ref.entity_id,
            "named": self.ref.named,
        }
        if self.via is not None:
            out["via"] = self.via.name
        return out


@dataclass
class QuoteFound:
    text: str
    speaker: Ref | None
    kind: str  # direct | indirect
    form: str  # dash | quotation_marks | undashed | continuation | announced
    cue: str | None
    medium: Ref | None
    block: int
    start: int
    end: int
    cue_start: int | None = None
    cue_end: int | None = None

    def as_dict(self) -> dict:
        sp = self.speaker
        return {
            "text": self.text,
            "speaker": sp.name if sp else None,
            "speaker_entity_id": sp.entity_id if sp else None,
            "speaker_named": bool(sp and sp.named),
            "kind": self.kind,
            "form": self.form,
            "cue": self.cue,
            "medium": self.medium.name if self.medium else None,
            "block": self.block,
            "start": self.start,
            "end": self.end,
            "cue_start": self.cue_start,
            "cue_end": self.cue_end,
        }


@dataclass
class ArticleReading:
    quotes: list[QuoteFound] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    # (block, sentence index) -> the citations made in that sentence, and the quote it is in.
    sentence_sources: dict[tuple[int, int], list[Citation]] = field(default_factory=dict)
    quote_of_block: dict[int, QuoteFound] = field(default_factory=dict)
    unresolved_according: set[tuple[int, int]] = field(default_factory=set)


def read_article(
    blocks: list[tuple[str, str]], mentions: list[Mention], cues: LanguageCues, gaz: Gazetteer
) -> ArticleReading:
    """Quotes and citations of an article given as ``(kind, text)`` blocks."""
    d = Discourse(cues, gaz)
    d.lowercase_words = frozenset(w.text for _, text in blocks for w in words(text) if w.text.islower())
    out = ArticleReading()
    by_block: dict[int, list[Mention]] = {}
    for m in mentions:
        by_block.setdefault(m.block, []).append(m)
    for b, (kind, text) in enumerate(blocks):
        if kind != "paragraph":
            continue
        _Block(d, out, b, text, sorted(by_block.get(b, []), key=lambda m: m.start)).read()
    return out


class _Block:
    def __init__(self, d: Discourse, out: ArticleReading, b: int, text: str, mentions: list[Mention]) -> None:
        self.d, self.out, self.b, self.text, self.mentions = d, out, b, text, mentions
        self.cues = d.cues
        self.ws = words(text)
        self.starts = [w.start for w in self.ws]
        self.sents = sentences(text)
        self.sent_starts = [a for a, _ in self.sents]

    # -- helpers -------------------------------------------------------------------------
    def sentence_of(self, pos: int) -> int:
        k = bisect_right(self.sent_starts, pos) - 1
        return max(0, k)

    def word_index(self, pos: int) -> int:
        return bisect_left(self.starts, pos)

    def words_between(self, start: int, end: int) -> list[Word]:
        """The block's words inside ``[start, end)`` (no new tokenising)."""
        i = bisect_left(self.starts, start)
        j = bisect_left(self.starts, end, lo=i)
        while j > i and self.ws[j - 1].end > end:
            j -= 1
        return self.ws[i:j]

    def np_at(self, pos: int, limit: int, *, open_head: bool = False) -> NP | None:
        i = self.word_index(pos)
        if i >= len(self.ws) or self.ws[i].start >= limit:
            return None
        return parse_np(self.d, self.text, self.mentions, self.ws, i, limit, open_head=open_head)

    def cite(
        self, ref: Ref | None, cue: str, start: int, end: int, role: str = "source", via: Ref | None = None
    ) -> Citation | None:
        if ref is None:
            return None
        c = Citation(ref, cue, self.b, start, end, self.sentence_of(start), role, via)
        self.out.citations.append(c)
        self.out.sentence_sources.setdefault((self.b, c.sentence), []).append(c)
        return c

    def subject_before(self, sent_start: int, verb_start: int) -> NP | None:
        """The subject at the start of the sentence, if it runs up to the verb."""
        np = self.np_at(sent_start, verb_start)
        if np is None:
            return None
        between = self.text[np.end : verb_start]
        m = _APPOSITIVE.match(between)
        if m:
            between = between[m.end() :]
        if len(between.split()) > 3 or _SENTENCE_PUNCT.search(between):
            return None
        return np

    def medium_after(self, pos: int, limit: int) -> tuple[Ref, int, int, str] | None:
        """Where it was said: "till CNN", "i ett inlägg på Truth Social", "til kanalen"."""
        post = self.cues.medium_posts.search(self.text, pos, limit)
        if post:
            np = self.np_at(post.end(), limit)
            if np is not None and np.ref is not None and np.ref.source_type in MEDIA:
                return np.ref, post.start(), np.end, post.group().lower()
        for w in self.words_between(pos, limit):
            if w.lower in self.cues.medium_prepositions:
                np = self.np_at(w.end, limit)
                if np is not None and np.ref is not None and np.ref.source_type in MEDIA:
                    return np.ref, w.start, np.end, w.lower
        return None

    # -- reading -------------------------------------------------------------------------
    def read(self) -> None:
        body = dash_led(self.text)
        if body is not None:
            self.dash_quote(body)
        else:
            if not self.undashed_quote():
                self.marked_quotes()
            self.announcement()
        self.indirect_and_sources()

    def dash_quote(self, body: int) -> None:
        d, text = self.d, self.text
        tail = None
        for m in self.cues.speech.finditer(text, body):
            before = text[body : m.start()].rstrip()
            if not before.endswith((",", "?", "!", "…")) and not before.endswith(("?”", "!”")):
                continue
            np = self.np_at(m.end(), len(text), open_head=True)
            if np is None:
                continue
            tail = (m, np, before)
            break
        if tail is None:
            # Nothing says who speaks: the speaker announced before, or the last one.
            if d.pending is not None:
                ref, cue = d.pending
                q = QuoteFound(
                    text[body:].strip(), ref, "direct", "announced", cue, None, self.b, body, len(text)
                )
                d.pending = None
            else:
                q = QuoteFound(
                    text[body:].strip(),
                    d.speaker,
                    "direct",
                    "continuation",
                    None,
                    None,
                    self.b,
                    body,
                    len(text),
                )
            self._add_quote(q)
            return
        m, np, before = tail
        ref = np.ref
        end = body + len(before.rstrip(","))
        sent_end = self.sents[self.sentence_of(m.start())][1] if self.sents else len(text)
        medium = self.medium_after(np.end, sent_end)
        q = QuoteFound(
            text[body:end].strip(),
            ref,
            "direct",
            "dash",
            m.group().lower(),
            medium[0] if medium else None,
            self.b,
            body,
            end,
            m.start(),
            m.end(),
        )
        self._add_quote(q)
        self._cite_speaker(q, np)
        if medium:
            self.cite(medium[0], medium[3], medium[1], medium[2], "medium")
        d.pending = None
        d.read(text, self.mentions, np.end, len(text), ws=self.words_between(np.end, len(text)))

    def _cite_speaker(self, q: QuoteFound, np: NP) -> None:
        if q.speaker is None or q.cue_start is None:
            return
        self.cite(q.speaker, q.cue or "", np.start, np.end, "speaker")
        self._cite_affiliation(q.speaker, np, q.cue or "")

    def _cite_affiliation(self, speaker: Ref, np: NP, cue: str) -> None:
        """ "Sir Jeremy Fleming, chef för den brittiska underrättelsetjänsten GCHQ": the speaker's body."""
        sent_end = self.sents[self.sentence_of(np.end)][1] if self.sents else len(self.text)
        m = _APPOSITION_TAIL.match(self.text, np.end, sent_end)
        if m and speaker.kind == "person":
            for w in self.words_between(np.end, np.end + m.end()):
                ment = next((x for x in self.mentions if x.start == w.start), None)
                if ment is not None and ment.entity is not None and ment.entity.type == "ORG":
                    aff = self.np_at(w.start, np.end + m.end())
                    if aff is not None and aff.ref is not None:
                        self.cite(aff.ref, cue, aff.start, aff.end, "affiliation")
                    break

    def _add_quote(self, q: QuoteFound) -> None:
        self.out.quotes.append(q)
        self.out.quote_of_block.setdefault(self.b, q)
        if q.speaker is not None:
            self.d.speaker = q.speaker
            self.d.note(q.speaker)

    def undashed_quote(self) -> bool:
        """ "…, sade Mads Eberhardt, …": a quote paragraph printed without its dash."""
        if not self.sents or len(self.sents) < 2:
            return False
        s0, s1 = self.sents[-1]
        for m in self.cues.speech.finditer(self.text, s0, s1):
            if m.group().lower() not in self.cues.say:
                continue
            if not self.text[: m.start()].rstrip().endswith(","):
                continue
            np = self.np_at(m.end(), s1)
            if np is None or np.head != "name" or np.ref is None or np.ref.kind != "person":
                continue
            end = len(self.text[: m.start()].rstrip().rstrip(","))
            medium = self.medium_after(np.end, s1)
            q = QuoteFound(
                self.text[:end].strip(),
                np.ref,
                "direct",
                "undashed",
                m.group().lower(),
                medium[0] if medium else None,
                self.b,
                0,
                end,
                m.start(),
                m.end(),
            )
            self._add_quote(q)
            self._cite_speaker(q, np)
            if medium:
                self.cite(medium[0], medium[3], medium[1], medium[2], "medium")
            return True
        return False

    def marked_quotes(self) -> None:
        """Quoted speech in quotation marks next to a speech verb."""
        text = self.text
        for m in _QUOTE_PAIRS.finditer(text):
            inner = next(g for g in m.groups() if g is not None)
            if len(inner.split()) < MIN_QUOTED_WORDS:
                continue
            q_start, q_end = m.start() + 1, m.end() - 1
            sent = self.sents[self.sentence_of(m.start())] if self.sents else (0, len(text))
            ref, cue, cue_span = None, None, None
            verb = None
            for v in self.cues.speech.finditer(text, sent[0], m.start()):
                verb = v
            if verb is not None and not text[verb.end() : m.start()].strip(" :"):
                ref = self._subject_near(sent[0], verb.start())
                cue, cue_span = verb.group().lower(), (verb.start(), verb.end())
            if ref is None:
                after = re.match(r"\s*,?\s*", text[m.end() :])
                pos = m.end() + (after.end() if after else 0)
                v = self.cues.speech.match(text, pos)
                if v is not None:
                    np = self.np_at(v.end(), sent[1])
                    if np is not None:
                        ref, cue, cue_span = np.ref, v.group().lower(), (v.start(), v.end())
            if cue is None:
                continue
            q = QuoteFound(
                inner.strip(),
                ref,
                "direct",
                "quotation_marks",
                cue,
                None,
                self.b,
                q_start,
                q_end,
                cue_span[0] if cue_span else None,
                cue_span[1] if cue_span else None,
            )
            self._add_quote(q)

    def _subject_near(self, sent_start: int, verb_start: int) -> Ref | None:
        """The noun phrase closest before a verb ("en soldat som säger …")."""
        ws = self.words_between(sent_start, verb_start)
        for k in range(len(ws) - 1, max(-1, len(ws) - 6), -1):
            np = parse_np(self.d, self.text, self.mentions, ws, k, verb_start)
            if np is not None and np.head in ("name", "role", "pronoun") and np.ref is not None:
                start = k
                while start > 0 and ws[start - 1].lower in self.cues.indefinite | self.cues.determiners:
                    start -= 1
                if start != k:
                    np2 = parse_np(self.d, self.text, self.mentions, ws, start, verb_start)
                    if np2 is not None and np2.ref is not None:
                        return np2.ref
                return np.ref
        return None

    def announcement(self) -> None:
        """A line of its own naming who speaks next ("ISW förklarar.")."""
        if len(self.sents) != 1 or len(self.ws) > 6:
            return
        m = last_match(self.cues.speech.finditer(self.text))
        if m is None or self.text[m.end() :].strip() not in (".", ":", ""):
            return
        np = self.subject_before(0, m.start())
        if np is not None and np.ref is not None:
            self.d.pending = (np.ref, m.group().lower())

    def indirect_and_sources(self) -> None:
        text, cues = self.text, self.cues
        in_quote = self.out.quote_of_block.get(self.b)
        for k, (s0, s1) in enumerate(self.sents):
            # "enligt X"
            for m in cues.according_to.finditer(text, s0, s1):
                if cues.claims.hedged.match(text, m.start()):
                    continue
                np = self._np_after_according(m.end(), s1)
                if np is None or np.ref is None or np.head == "pronoun":
                    self.out.unresolved_according.add((self.b, k))
                    continue
                via = self._report_in(s0, s1, exclude=np.ref)
                self.cite(np.ref, m.group().lower(), np.start, np.end, via=via)
            # "<cue> X" (inverted) and "X <cue>" (subject first), "att"-clauses as indirect speech
            for m in cues.speech.finditer(text, s0, s1):
                self._speech_cue(m, k, s0, s1, in_quote)
            for m in cues.report.finditer(text, s0, s1):
                if cues.speech.match(text, m.start()):
                    continue
                np = self.np_at(m.end(), s1)
                if np is not None and np.head != "pronoun" and np.ref is not None:
                    self.cite(np.ref, m.group().lower(), np.start, np.end)
            for m in cues.claims.hedged.finditer(text, s0, s1):
                np = self.subject_before(s0, m.start())
                if np is not None and np.ref is not None and np.ref.kind == "org" and np.head != "unnamed":
                    self.cite(np.ref, m.group().lower(), np.start, np.end)
            self._publication(s0, s1)
            if in_quote is None or s1 <= in_quote.start or s0 >= in_quote.end:
                self.d.read(text, self.mentions, s0, s1, ws=self.words_between(s0, s1))

    def _np_after_according(self, pos: int, limit: int) -> NP | None:
        """ "enligt X", or "enligt en bedömning från X": a few words and a preposition before X."""
        np = self.np_at(pos, limit)
        if np is not None:
            return np
        for n, w in enumerate(self.words_between(pos, limit)[:4]):
            if w.lower in self.cues.speech_words or not w.text[:1].islower():
                return None
            if n and w.lower in self.cues.prepositions:
                return self.np_at(w.end, limit)
        return None

    def _report_in(self, s0: int, s1: int, exclude: Ref) -> Ref | None:
        for m in self.cues.report.finditer(self.text, s0, s1):
            np = self.np_at(m.end(), s1)
            if np is not None and np.ref is not None and np.ref.kind == "org" and np.ref.name != exclude.name:
                return np.ref
        return None

    def _speech_cue(self, m: re.Match[str], k: int, s0: int, s1: int, in_quote: QuoteFound | None) -> None:
        text, cues = self.text, self.cues
        if in_quote is not None and in_quote.cue_start == m.start():
            return  # the quote's own tail: cited already
        if in_quote is not None and in_quote.start <= m.start() < in_quote.end:
            return  # a verb inside quoted speech
        cue = m.group().lower()
        after = self.np_at(m.end(), s1)
        before = self.subject_before(s0, m.start())
        inverted = (
            after is not None
            and after.ref is not None
            and (after.head != "pronoun" or text[s0 : m.start()].rstrip().endswith(","))
        )
        speaker = after if inverted else before
        if speaker is None or speaker.ref is None:
            return
        medium = self.medium_after(speaker.end if inverted else m.end(), s1)
        # Indirect speech: "X säger att …", "säger X att …".
        rest = text[(speaker.end if inverted else m.end()) : s1]
        that = cues.that_re.match(rest) if cues.that_re is not None else None
        if that is not None and in_quote is None:
            start = (speaker.end if inverted else m.end()) + that.end()
            q = QuoteFound(
                text[start:s1].strip(),
                speaker.ref,
                "indirect",
                "indirect",
                cue,
                medium[0] if medium else None,
                self.b,
                start,
                s1,
                m.start(),
                m.end(),
            )
            self.out.quotes.append(q)
            self.d.speaker = speaker.ref
        if speaker.head == "name" and not inverted:
            self._cite_affiliation(speaker.ref, speaker, cue)
        if speaker.ref.kind == "org" or speaker.head in ("name", "role", "unnamed", "org_role"):
            if speaker.head != "pronoun" or speaker.ref.kind == "person":
                self.cite(
                    speaker.ref, cue, speaker.start, speaker.end, "source", via=medium[0] if medium else None
                )
        elif speaker.head == "pronoun":
            self.cite(
                speaker.ref, cue, speaker.start, speaker.end, "source", via=medium[0] if medium else None
            )
        if medium:
            self.cite(medium[0], medium[3], medium[1], medium[2], "medium")

    def _publication(self, s0: int, s1: int) -> None:
        """ "på den ukrainska säkerhetstjänstens hemsida": the owner is cited."""
        for w in self.words_between(s0, s1):
            if w.lower not in self.cues.publication_nouns:
                continue
            ws = self.words_between(s0, w.start)
            for k in range(max(0, len(ws) - 4), len(ws)):
                np = parse_np(self.d, self.text, self.mentions, ws, k, w.start)
                if np is not None and np.ref is not None and np.ref.kind == "org" and np.end == ws[-1].end:
                    ref = np.ref
                    if not ref.named and ref.name.endswith("s"):
                        ref = Ref(ref.name[:-1], None, "org", ref.source_type, False)
                    self.cite(ref, w.lower, np.start, w.end)
                    break

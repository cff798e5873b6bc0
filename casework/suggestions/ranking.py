"""Ranking a policy's clauses for one description: cues, the model, and the trust's decisions.

Three signals, each explainable, are added per clause:

* cues (``vocabulary.PROFILES``) matched in the description, plus the description's overlap
  with the clause's own wording and summary;
* the model: how close the description's vector is to the clause's text, summary and
  sketches, relative to the other clauses;
* examples: descriptions the trust has already tied to clauses (allegations HR framed,
  clauses reporters confirmed), nearest first.

Nothing here reads the database: callers hand over the clauses and the examples.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from . import vocabulary
from .model import EmbeddingModel, mean_unit
from .words import Term, Word, stem, words_of

_STOPWORD_TEXT = """a an the and or but of to in on at for with by from as is are was were be
    been being
    it its this that these those he she they them his her their hers him i we our us you your
    me my has have had do does did not no so if then than there here who whom which what when
    where why how all any some each every one two also just only very really about into over
    after before up down out off again once still even own s t can could would should will may
    might must shall says said been get got keep keeps going went like"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
CONTEXT_CONCEPTS = {
    # What the concern form already knows stands in for words the reporter did not write.
    ("account_kind", "work"): ("work_account", "a work account"),
    ("account_kind", "personal"): ("personal_account", "a personal account"),
    ("pupils_involved", "current"): ("pupil", "a current pupil"),
    ("pupils_involved", "former"): ("former_pupil", "a former pupil"),
}


@dataclass(frozen=True)
class ClauseFacts:
    code: str
    text: str
    summary: str
    safeguarding: bool = False
    data_protection: bool = False


@dataclass(frozen=True)
class Example:
    """A description the trust tied to clauses, each with how much that decision counts
    (an allegation HR framed more than a clause a reporter ticked)."""

    key: int
    text: str
    votes: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class Tuning:
    """How much each signal counts; chosen on the tuning part of the labelled incidents."""

    cues: float = 1.0
    wording: float = 0.25
    model: float = 0.35
    examples: float = 1.6
    neighbours: int = 7
    min_similarity: float = 0.45
    sharpness: float = 6.0


@dataclass(frozen=True)
class ExampleSet:
    rows: list[Example]
    vectors: np.ndarray
    concepts: list[frozenset[str]]


@dataclass
class Suggestion:
    code: str
    score: float
    summary: str
    words: list[str]
    why: str
    safeguarding: bool
    data_protection: bool
    similar_decisions: int = 0

    def as_dict(self) -> dict:
        return {"code": self.code, "score": round(self.score, 2), "why": self.why}


@dataclass
class _Clause:
    facts: ClauseFacts
    cues: tuple[vocabulary.Cue, ...]
    wording: frozenset[str]
    prototypes: np.ndarray  # (k, d) unit vectors
    centroid: np.ndarray


@dataclass
class _Evidence:
    cues: float = 0.0
    wording: float = 0.0
    model: float = 0.0
    examples: float = 0.0
    words: list[str] = field(default_factory=list)
    similar: int = 0


class Ranker:
    def __init__(
        self,
        clauses: Sequence[ClauseFacts],
        model: EmbeddingModel,
        tuning: Tuning | None = None,
    ) -> None:
        self.model = model
        self.tuning = tuning or Tuning()
        self.concepts = vocabulary.parsed_concepts()
        # Terms by the stem they start with (and those starting with a prefix), so a
        # description is read once rather than once per term.
        self.terms_by_stem: dict[str, list[tuple[str, Term]]] = {}
        self.prefix_terms: list[tuple[str, Term]] = []
        for name, terms in self.concepts.items():
            for term in terms:
                if term.prefix[0]:
                    self.prefix_terms.append((name, term))
                else:
                    self.terms_by_stem.setdefault(term.parts[0], []).append((name, term))
        self.stop_ids = self._stop_token_ids()
        profiles = {p.code: p for p in vocabulary.PROFILES}
        texts_by_clause = []
        for facts in clauses:
            profile = profiles.get(facts.code)
            if profile and not _same_opening(facts.text, profile.describes):
                profile = None  # a code reused for another rule: the profile does not apply
            texts_by_clause.append(
                (
                    facts,
                    profile,
                    [facts.summary, facts.text, *(profile.sketches if profile else ())],
                )
            )
        raw = [self._mean(text) for _, _, texts in texts_by_clause for text in texts]
        # Static embeddings share one dominant direction; removing it separates meanings.
        self.centre = np.mean(raw, axis=0) if raw else np.zeros(model.dimensions, np.float32)
        wording_counts: dict[str, int] = {}
        wordings = []
        for facts, _, _ in texts_by_clause:
            stems = content_stems(f"{facts.summary} {facts.text}")
            wordings.append(stems)
            for s in stems:
                wording_counts[s] = wording_counts.get(s, 0) + 1
        self.wording_weight = {
            s: math.log((1 + len(clauses)) / (1 + n)) for s, n in wording_counts.items()
        }
        self.clauses: list[_Clause] = []
        for (facts, profile, texts), stems in zip(texts_by_clause, wordings, strict=True):
            prototypes = np.vstack([self.embed(text) for text in texts])
            self.clauses.append(
                _Clause(
                    facts=facts,
                    cues=profile.cues if profile else (),
                    wording=stems,
                    prototypes=prototypes,
                    centroid=_unit(prototypes.mean(axis=0)),
                )
            )

    # --- vectors ---------------------------------------------------------------------------

    def _stop_token_ids(self) -> np.ndarray:
        vocabulary_size = self.model.weights.shape[0]
        stop = np.zeros(vocabulary_size, dtype=bool)
        for token_id in range(vocabulary_size):
            token = self.model.tokenizer.id_to_token(token_id) or ""
            if token.replace("▁", "").lower() in STOPWORDS:
                stop[token_id] = True
        return stop

    def _mean(self, text: str) -> np.ndarray:
        encoding = self.model.tokenizer.encode(text, add_special_tokens=False)
        ids = np.asarray(encoding.ids[:512], dtype=np.int64)
        ids = ids[(ids >= 0) & (ids < len(self.stop_ids))]
        kept = ids[~self.stop_ids[ids]] if len(ids) else ids
        if not len(kept):
            kept = ids
        if not len(kept):
            return np.zeros(self.model.dimensions, dtype=np.float32)
        return self.model.weights[kept].astype(np.float32).mean(axis=0)

    def embed(self, text: str) -> np.ndarray:
        mean = self._mean(text)
        if not mean.any():
            return mean
        return _unit(mean - getattr(self, "centre", 0))

    def prepare(self, examples: Iterable[Example]) -> ExampleSet:
        """Examples with what ranking compares: their vectors and the concepts they contain."""
        rows = list(examples)
        vectors = (
            np.vstack([self.embed(row.text) for row in rows])
            if rows
            else np.zeros((0, self.model.dimensions), dtype=np.float32)
        )
        concepts = [frozenset(self._concepts_in(words_of(row.text), {})) for row in rows]
        return ExampleSet(rows=rows, vectors=vectors, concepts=concepts)

    def example_set(self, rows, vectors, concepts) -> ExampleSet:
        """Examples already prepared, put together for ranking."""
        matrix = np.vstack(vectors) if vectors else np.zeros((0, self.model.dimensions), np.float32)
        return ExampleSet(rows=list(rows), vectors=matrix, concepts=list(concepts))

    # --- ranking ---------------------------------------------------------------------------

    def rank(
        self,
        text: str,
        *,
        examples: ExampleSet | None = None,
        ignore: int | None = None,
        context: dict[str, str] | None = None,
        limit: int | None = None,
    ) -> list[Suggestion]:
        words = words_of(text)
        vector = self.embed(text)
        matched = self._concepts_in(words, context or {})
        evidence = {c.facts.code: _Evidence() for c in self.clauses}
        text_stems = {w.stem for w in words if w.stem not in STOPWORDS}
        similarities = self.clauses and np.array(
            [float(np.max(c.prototypes @ vector)) for c in self.clauses]
        )
        spread = float(np.std(similarities)) or 1.0
        middle = float(np.mean(similarities))
        for clause, similarity in zip(self.clauses, similarities, strict=True):
            found = evidence[clause.facts.code]
            found.model = (similarity - middle) / spread
            for cue in clause.cues:
                hit = _cue_hit(cue, matched)
                if hit is not None:
                    found.cues += cue.weight
                    found.words.extend(w for w in hit if w not in found.words)
            shared = text_stems & clause.wording
            found.wording = sum(self.wording_weight.get(s, 0.0) for s in shared)
            if not found.words and shared:
                found.words.extend(
                    w.text for w in words if w.stem in shared and w.text not in found.words
                )
        if examples is not None and examples.rows:
            self._add_examples(vector, frozenset(matched), examples, evidence, ignore)

        tuning = self.tuning
        scored = []
        for clause in self.clauses:
            found = evidence[clause.facts.code]
            raw = (
                tuning.cues * (1 - math.exp(-found.cues))
                + tuning.wording * (1 - math.exp(-found.wording / 2))
                + tuning.model * found.model / 3
                + tuning.examples * found.examples
            )
            scored.append((raw, clause, found))
        scored.sort(key=lambda item: (-item[0], item[1].facts.code))
        suggestions = []
        nearest = _NearestWords(self, words)
        for raw, clause, found in scored[: limit or len(scored)]:
            words_shown = found.words[:4] or nearest.to(clause)
            suggestions.append(
                Suggestion(
                    code=clause.facts.code,
                    score=_score(raw),
                    summary=clause.facts.summary,
                    words=words_shown,
                    why=_why(clause.facts.summary, words_shown, found.similar),
                    safeguarding=clause.facts.safeguarding,
                    data_protection=clause.facts.data_protection,
                    similar_decisions=found.similar,
                )
            )
        return suggestions

    def _concepts_in(self, words: list[Word], context: dict[str, str]) -> dict[str, list]:
        """Each concept present: the (start, end, words) of its occurrences."""
        matched: dict[str, list] = {}
        for i, word in enumerate(words):
            lowered = word.text.lower()
            candidates = self.terms_by_stem.get(word.stem, [])
            prefixed = [(n, t) for n, t in self.prefix_terms if lowered.startswith(t.parts[0])]
            for name, term in (*candidates, *prefixed):
                if term.matches_at(words, i):
                    j = i + len(term.parts)
                    matched.setdefault(name, []).append(
                        (i, j, " ".join(w.text for w in words[i:j]))
                    )
        for name, (first, second, within) in vocabulary.NEAR.items():
            pairs = [
                (a[0], b[1], f"{a[2]} {b[2]}" if b[0] - a[1] == 0 else f"{a[2]} … {b[2]}")
                for a in matched.get(first, ())
                for b in matched.get(second, ())
                if 0 <= b[0] - a[1] <= within
            ]
            if pairs:
                matched[name] = pairs
        for (key, value), (concept, label) in CONTEXT_CONCEPTS.items():
            if context.get(key) == value:
                matched.setdefault(concept, []).append((None, None, f"({label})"))
        return matched

    def _add_examples(self, vector, concepts, examples: ExampleSet, evidence, ignore) -> None:
        """Nearest decided examples vote for their clauses: close in meaning (the model) and
        in what they describe (the concepts both contain)."""
        tuning = self.tuning
        rows = examples.rows
        closeness = examples.vectors @ vector
        # Where neither description has a recognised concept, meaning alone decides.
        similarities = np.array(
            [
                (close + len(concepts & other) / len(concepts | other)) / 2
                if concepts | other
                else close
                for close, other in zip(closeness, examples.concepts, strict=True)
            ]
        )
        if ignore is not None:
            similarities[[row.key == ignore for row in rows]] = -1.0
        order = np.argsort(-similarities)[: tuning.neighbours]
        total = 0.0
        votes: dict[str, float] = {}
        counts: dict[str, int] = {}
        for index in order:
            similarity = float(similarities[index])
            if similarity < tuning.min_similarity:
                break
            closeness = math.exp(tuning.sharpness * (similarity - 1))
            total += closeness * max(weight for _, weight in rows[index].votes)
            for code, weight in rows[index].votes:
                votes[code] = votes.get(code, 0.0) + closeness * weight
                counts[code] = counts.get(code, 0) + 1
        if not total:
            return
        for code, vote in votes.items():
            if code in evidence:
                evidence[code].examples = vote / (total + 0.3)
                evidence[code].similar = counts[code]


class _NearestWords:
    """When no cue matched a clause: the description's words the model finds closest to
    it (each word's vector worked out once, and only if needed)."""

    def __init__(self, ranker: Ranker, words: list[Word]) -> None:
        self.ranker = ranker
        self.candidates = [w.text for w in words if w.stem not in STOPWORDS and len(w.text) > 2]
        self.vectors: np.ndarray | None = None

    def to(self, clause: _Clause) -> list[str]:
        if not self.candidates:
            return []
        if self.vectors is None:
            self.vectors = np.vstack([self.ranker.embed(text) for text in self.candidates])
        closeness = self.vectors @ clause.centroid
        seen: list[str] = []
        for index in np.argsort(-closeness):
            text = self.candidates[index]
            if text.lower() not in (s.lower() for s in seen):
                seen.append(text)
            if len(seen) == 2:
                break
        return seen


def _cue_hit(cue: vocabulary.Cue, matched: dict[str, list]) -> list[str] | None:
    if any(name not in matched for name in cue.concepts):
        return None
    if cue.within is not None and len(cue.concepts) == 2:
        first, second = (matched[name] for name in cue.concepts)
        for a in first:
            for b in second:
                if (
                    a[0] is None
                    or b[0] is None
                    or (0 <= b[0] - a[1] <= cue.within or 0 <= a[0] - b[1] <= cue.within)
                ):
                    return [a[2], b[2]]
        return None
    return [matched[name][0][2] for name in cue.concepts]


def _same_opening(text: str, opening: str) -> bool:
    return " ".join(text.split()).lower().startswith(" ".join(opening.split()).lower())


def _unit(vector: np.ndarray) -> np.ndarray:
    return mean_unit(vector[np.newaxis, :], len(vector))


def _score(raw: float) -> float:
    """A 0-1 figure for people to read: higher is a closer fit; only the order is promised."""
    return 1 / (1 + math.exp(-4 * (raw - 0.6)))


def _why(summary: str, words: list[str], similar: int) -> str:
    reason = summary
    if words:
        quoted = ", ".join(f"“{w}”" for w in words)
        reason += f" Words that led to it: {quoted}."
    if similar:
        reason += (
            " Like a concern already tied to this clause."
            if similar == 1
            else f" Like {similar} concerns already tied to this clause."
        )
    return reason


def content_stems(text: str) -> frozenset[str]:
    return frozenset(
        w.stem for w in words_of(text) if w.stem not in STOPWORDS and len(w.stem) > 2
    ) - {stem("social"), stem("media")}


__all__ = ["ClauseFacts", "Example", "Ranker", "Suggestion", "Term", "Tuning"]

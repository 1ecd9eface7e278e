"""Turn measured signals into criterion points: a pure function of the rubric and the signals.

A reviewer's judgements (1-5 scores of manual criteria, overrides of automatic ones) are
applied by :func:`review`, also pure: the service stores what people said, not the arithmetic.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from assay.catalog.schemas import CriterionSpec, RubricSpec, SignalSpec
from assay.errors import InvalidInput
from assay.grading.report import CriterionReview, CriterionScore, Gate, SignalScore

LOWEST_SCORE, HIGHEST_SCORE = 1, 5


@dataclass(frozen=True)
class Signal:
    """A measured value and the sentence that says where it came from."""

    value: float | None
    note: str


def fraction(spec: SignalSpec, value: float | None) -> float:
    """Map ``value`` linearly from ``worst`` (0) to ``best`` (1), clamped; unmeasured is 0."""
    if value is None:
        return 0.0
    position = (value - spec.worst) / (spec.best - spec.worst)
    return min(1.0, max(0.0, position))


def _unmeasured(name: str) -> Signal:
    return Signal(None, f"{name} was not measured")


def score_criterion(
    spec: CriterionSpec, signals: dict[str, Signal], omitted: frozenset[str] = frozenset()
) -> CriterionScore:
    """Points for one criterion, leaving out omitted signals; with none left, it gets none."""
    entries = [entry for entry in spec.signals if not entry.signal.startswith(tuple(omitted))]
    if spec.manual or not entries:
        return CriterionScore(
            id=spec.id,
            title=spec.title,
            weight=spec.weight,
            manual=spec.manual,
            fraction=None,
            points=None,
        )
    scored = []
    for entry in entries:
        signal = signals.get(entry.signal) or _unmeasured(entry.signal)
        scored.append(
            SignalScore(
                signal=entry.signal,
                value=signal.value,
                fraction=round(fraction(entry, signal.value), 4),
                weight=entry.weight,
                worst=entry.worst,
                best=entry.best,
                note=signal.note,
            )
        )
    total_weight = sum(item.weight for item in scored)
    mean = sum(item.fraction * item.weight for item in scored) / total_weight
    gate = None
    if spec.gate is not None:
        gate_signal = signals.get(spec.gate) or _unmeasured(spec.gate)
        gate_value = min(1.0, max(0.0, gate_signal.value or 0.0))
        gate = Gate(signal=spec.gate, value=round(gate_value, 4), note=gate_signal.note)
        mean *= gate_value
    return CriterionScore(
        id=spec.id,
        title=spec.title,
        weight=spec.weight,
        fraction=round(mean, 4),
        points=round(mean * spec.weight, 2),
        gate=gate,
        signals=scored,
    )


def total(criteria: list[CriterionScore]) -> float:
    """Points out of 100 over the criteria that have a score (manual ones join once scored)."""
    scored = [criterion for criterion in criteria if criterion.points is not None]
    weight = sum(criterion.weight for criterion in scored)
    if not weight:
        return 0.0
    return round(sum(criterion.points or 0.0 for criterion in scored) * 100 / weight, 1)


def gated_out(rubric: RubricSpec, signals: dict[str, Signal], prefix: str) -> str | None:
    """Why no signal named ``prefix...`` can earn a point, or None when one might.

    True when every criterion reading such a signal is gated on a signal already measured at 0:
    measuring them would cost time and change nothing.
    """
    reading = [
        criterion
        for criterion in rubric.criteria
        if any(entry.signal.startswith(prefix) for entry in criterion.signals)
    ]
    closed = []
    for criterion in reading:
        gate = signals.get(criterion.gate) if criterion.gate else None
        if gate is None or gate.value is None or gate.value > 0:
            return None
        closed.append(f"{criterion.title} counts in proportion to {criterion.gate}, which is 0")
    return "; ".join(closed) or None


def score(
    rubric: RubricSpec, signals: dict[str, Signal], *, omitted: frozenset[str] = frozenset()
) -> tuple[list[CriterionScore], float]:
    """Score every criterion; ``omitted`` signal prefixes were deliberately not measured."""
    criteria = [score_criterion(spec, signals, omitted) for spec in rubric.criteria]
    return criteria, total(criteria)


@dataclass(frozen=True)
class Judgement:
    """A reviewer's word on one criterion: ``score`` (1-5) for a manual criterion, or
    ``points`` (0..weight) overriding an automatic one; ``note`` says why."""

    criterion: str
    score: int | None = None
    points: float | None = None
    note: str = ""


def manual_fraction(score: int) -> float:
    """1 earns nothing and 5 the whole weight, evenly in between, as the rubric's 1-5 reads."""
    return (score - LOWEST_SCORE) / (HIGHEST_SCORE - LOWEST_SCORE)


def check_judgement(criterion: CriterionScore, judgement: Judgement) -> None:
    """Refuse a judgement that does not fit its criterion, saying why; each needs its note."""
    if criterion.manual:
        if judgement.score is None or judgement.points is not None:
            raise InvalidInput(f"{criterion.title} is scored by a reviewer: give a 1-5 score")
        if not LOWEST_SCORE <= judgement.score <= HIGHEST_SCORE:
            raise InvalidInput(
                f"a score is {LOWEST_SCORE} to {HIGHEST_SCORE}, not {judgement.score}"
            )
        if not judgement.note.strip():
            raise InvalidInput(f"say why {criterion.title} earns {judgement.score}: add a comment")
        return
    if judgement.points is None or judgement.score is not None:
        raise InvalidInput(f"{criterion.title} is measured: override it with points")
    if not 0 <= judgement.points <= criterion.weight:
        raise InvalidInput(
            f"{criterion.title} is worth 0 to {criterion.weight:g} points, not {judgement.points:g}"
        )
    if not judgement.note.strip():
        raise InvalidInput(f"say why {criterion.title} is overridden: a reason is required")


def _judged(criterion: CriterionScore, judgement: Judgement) -> CriterionScore:
    check_judgement(criterion, judgement)
    if judgement.score is not None:
        share = manual_fraction(judgement.score)
    else:
        share = (judgement.points or 0.0) / criterion.weight
    return criterion.model_copy(
        update={
            "fraction": round(share, 4),
            "points": round(share * criterion.weight, 2),
            "review": CriterionReview(
                kind="manual" if criterion.manual else "override",
                score=judgement.score,
                automatic_points=None if criterion.manual else criterion.points,
                note=judgement.note,
            ),
        }
    )


def review(
    criteria: list[CriterionScore], judgements: Iterable[Judgement]
) -> tuple[list[CriterionScore], float]:
    """The criteria with the reviewer's judgements applied, and the total they make.

    Manual criteria join the total once scored; an override replaces the engine's points and
    keeps them beside it. A judgement naming no criterion of the report is refused.
    """
    by_id = {judgement.criterion: judgement for judgement in judgements}
    unknown = set(by_id) - {criterion.id for criterion in criteria}
    if unknown:
        raise InvalidInput(f"no criterion {', '.join(sorted(unknown))} in this report")
    reviewed = [
        _judged(criterion, by_id[criterion.id]) if criterion.id in by_id else criterion
        for criterion in criteria
    ]
    return reviewed, total(reviewed)

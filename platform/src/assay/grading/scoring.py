"""Turn measured signals into criterion points: a pure function of the rubric and the signals."""

from dataclasses import dataclass

from assay.catalog.schemas import CriterionSpec, RubricSpec, SignalSpec
from assay.grading.report import CriterionScore, Gate, SignalScore


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

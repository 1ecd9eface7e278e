import pytest

from assay.catalog.schemas import CriterionSpec, RubricSpec, SignalSpec
from assay.errors import InvalidInput
from assay.grading.scoring import (
    Judgement,
    Signal,
    fraction,
    gated_out,
    manual_fraction,
    review,
    score,
    score_criterion,
    total,
)


def entry(signal: str = "hidden.all", *, weight: float = 1.0, worst=0.0, best=1.0) -> SignalSpec:
    return SignalSpec(signal=signal, weight=weight, worst=worst, best=best)


def criterion(
    id: str = "functionality",
    *,
    weight: float = 30,
    signals: list[SignalSpec] | None = None,
    gate: str | None = None,
    manual: bool = False,
) -> CriterionSpec:
    if signals is None and not manual:
        signals = [entry()]
    return CriterionSpec(
        id=id, title=id.title(), weight=weight, signals=signals or [], gate=gate, manual=manual
    )


def measured(value: float | None, note: str = "measured") -> Signal:
    return Signal(value, note)


def test_a_value_halfway_between_worst_and_best_earns_half():
    assert fraction(entry(worst=10.0, best=20.0), 15.0) == pytest.approx(0.5)


def test_worst_earns_nothing_and_best_earns_everything():
    spec = entry(worst=10.0, best=20.0)

    assert fraction(spec, 10.0) == 0.0
    assert fraction(spec, 20.0) == 1.0


@pytest.mark.parametrize(("value", "expected"), [(-5.0, 0.0), (1.5, 1.0), (99.0, 1.0)])
def test_values_beyond_either_end_are_clamped(value, expected):
    assert fraction(entry(worst=0.0, best=1.0), value) == expected


def test_an_inverted_scale_rewards_lower_values():
    lint = entry("static.lint_per_kloc", worst=25.0, best=0.0)

    assert fraction(lint, 5.0) == pytest.approx(0.8)
    assert fraction(lint, 20.0) == pytest.approx(0.2)


@pytest.mark.parametrize(("value", "expected"), [(40.0, 0.0), (-3.0, 1.0)])
def test_an_inverted_scale_is_clamped_too(value, expected):
    assert fraction(entry(worst=25.0, best=0.0), value) == expected


def test_an_unmeasured_value_earns_nothing():
    assert fraction(entry(worst=25.0, best=0.0), None) == 0.0


def test_a_signal_absent_from_the_measurements_earns_nothing_and_says_so():
    scored = score_criterion(criterion(signals=[entry("load.p95_ratio", worst=3, best=1)]), {})

    [signal] = scored.signals
    assert signal.value is None
    assert signal.fraction == 0.0
    assert signal.note == "load.p95_ratio was not measured"
    assert scored.points == 0.0


def test_a_signal_measured_as_none_keeps_the_note_that_says_why():
    signals = {"hidden.all": measured(None, "the service never became healthy")}

    [signal] = score_criterion(criterion(), signals).signals

    assert signal.fraction == 0.0
    assert signal.note == "the service never became healthy"


def test_a_signal_score_records_the_value_its_scale_and_its_note():
    spec = criterion(signals=[entry("hidden.all", weight=2, worst=0.2, best=0.9)])

    [signal] = score_criterion(spec, {"hidden.all": measured(0.55, "7 of 10 passed")}).signals

    assert signal.model_dump() == {
        "signal": "hidden.all",
        "value": 0.55,
        "fraction": 0.5,
        "weight": 2,
        "worst": 0.2,
        "best": 0.9,
        "note": "7 of 10 passed",
    }


def test_a_criterion_earns_its_weight_times_the_weighted_mean_of_its_signals():
    spec = criterion(
        weight=30,
        signals=[entry("hidden.functionality", weight=3), entry("hidden.validation", weight=1)],
    )
    signals = {"hidden.functionality": measured(1.0), "hidden.validation": measured(0.0)}

    scored = score_criterion(spec, signals)

    assert scored.fraction == 0.75
    assert scored.points == 22.5
    assert scored.gate is None


def test_a_gate_multiplies_the_criterion():
    spec = criterion(weight=20, signals=[entry("static.format_clean")], gate="hidden.all")
    signals = {"static.format_clean": measured(1.0), "hidden.all": measured(0.25, "1 of 4")}

    scored = score_criterion(spec, signals)

    assert scored.fraction == 0.25
    assert scored.points == 5.0
    assert scored.gate is not None
    assert scored.gate.model_dump() == {"signal": "hidden.all", "value": 0.25, "note": "1 of 4"}


def test_an_unmeasured_gate_zeroes_the_criterion_and_says_so():
    spec = criterion(signals=[entry("static.format_clean")], gate="hidden.all")

    scored = score_criterion(spec, {"static.format_clean": measured(1.0)})

    assert scored.points == 0.0
    assert scored.gate is not None
    assert scored.gate.value == 0.0
    assert scored.gate.note == "hidden.all was not measured"


def test_a_manual_criterion_has_no_points():
    scored = score_criterion(criterion("design_review", weight=10, manual=True), {})

    assert scored.manual is True
    assert scored.points is None
    assert scored.fraction is None
    assert scored.signals == []


def test_manual_criteria_are_left_out_of_the_total():
    rubric = RubricSpec(
        version="1",
        criteria=[
            criterion("functionality", weight=40),
            criterion("design", weight=60, manual=True),
        ],
    )

    _, points = score(rubric, {"hidden.all": measured(0.5)})

    assert points == 50.0


def test_the_total_is_out_of_100_over_the_weights_that_were_scored():
    rubric = RubricSpec(
        version="1",
        criteria=[
            criterion("functionality", weight=30, signals=[entry("hidden.all")]),
            criterion("quality", weight=20, signals=[entry("static.format_clean")]),
        ],
    )
    signals = {"hidden.all": measured(1.0), "static.format_clean": measured(0.0)}

    criteria, points = score(rubric, signals)

    assert [c.points for c in criteria] == [30.0, 0.0]
    assert points == 60.0


def test_the_total_of_a_rubric_with_nothing_scored_is_zero():
    assert total([score_criterion(criterion(manual=True), {})]) == 0.0


def test_score_keeps_the_rubric_order():
    rubric = RubricSpec(
        version="1",
        criteria=[criterion("b"), criterion("a", manual=True), criterion("c")],
    )

    criteria, _ = score(rubric, {})

    assert [c.id for c in criteria] == ["b", "a", "c"]


# gated_out


def performance(gate: str | None = "hidden.all", **fields) -> CriterionSpec:
    return CriterionSpec(
        id="performance",
        title="Performance",
        weight=10,
        gate=gate,
        signals=[entry("load.p95_ratio", worst=3.0, best=1.0)],
        **fields,
    )


def rubric_of(*criteria: CriterionSpec) -> RubricSpec:
    return RubricSpec(version="1", criteria=[criterion(), *criteria])


def test_load_cannot_earn_when_its_only_criterion_is_gated_at_zero():
    rubric = rubric_of(performance())

    why = gated_out(rubric, {"hidden.all": measured(0.0)}, "load.")

    assert why == "Performance counts in proportion to hidden.all, which is 0"


def test_load_might_earn_when_the_gate_is_open_at_all():
    assert gated_out(rubric_of(performance()), {"hidden.all": measured(0.01)}, "load.") is None


def test_load_might_earn_when_the_gate_is_not_measured_yet():
    assert gated_out(rubric_of(performance()), {}, "load.") is None
    assert gated_out(rubric_of(performance()), {"hidden.all": measured(None)}, "load.") is None


def test_load_might_earn_when_a_criterion_reading_it_has_no_gate():
    rubric = rubric_of(performance(), performance(gate=None).model_copy(update={"id": "speed"}))

    assert gated_out(rubric, {"hidden.all": measured(0.0)}, "load.") is None


def test_every_closed_criterion_is_named():
    second = performance(gate="hidden.cache").model_copy(update={"id": "s", "title": "Speed"})
    signals = {"hidden.all": measured(0.0), "hidden.cache": measured(0.0)}

    why = gated_out(rubric_of(performance(), second), signals, "load.")

    assert why == (
        "Performance counts in proportion to hidden.all, which is 0; "
        "Speed counts in proportion to hidden.cache, which is 0"
    )


def test_nothing_is_gated_out_when_no_criterion_reads_the_prefix():
    assert gated_out(rubric_of(), {"hidden.all": measured(0.0)}, "load.") is None


# score(..., omitted=...)


def test_a_criterion_reading_only_omitted_signals_is_unscored_not_zero():
    criteria, _ = score(rubric_of(performance()), {"hidden.all": measured(1.0)}, omitted=OMIT)

    assert (criteria[1].points, criteria[1].fraction, criteria[1].manual) == (None, None, False)


def test_the_total_leaves_an_omitted_criterion_out():
    _, points = score(rubric_of(performance()), {"hidden.all": measured(0.5)}, omitted=OMIT)

    assert points == 50.0


def test_without_omission_an_unmeasured_criterion_scores_zero():
    criteria, points = score(rubric_of(performance()), {"hidden.all": measured(1.0)})

    assert criteria[1].points == 0.0
    assert points == 75.0


def test_a_criterion_that_also_reads_measured_signals_is_scored_on_those_alone():
    mixed = CriterionSpec(
        id="mixed",
        title="Mixed",
        weight=10,
        signals=[entry("load.p95_ratio", worst=3.0, best=1.0), entry("static.format_clean")],
    )
    signals = {"hidden.all": measured(1.0), "static.format_clean": measured(1.0)}

    criteria, _ = score(rubric_of(mixed), signals, omitted=OMIT)

    assert [signal.signal for signal in criteria[1].signals] == ["static.format_clean"]
    assert criteria[1].points == 10.0


OMIT = frozenset({"load."})


# review: a reviewer's judgements applied to a graded report


def graded_criteria() -> list:
    """Functionality measured at 24 of 30, and a manual design criterion worth 10, unscored."""
    rubric = RubricSpec(
        version="1",
        criteria=[
            criterion("functionality", weight=30),
            criterion("design", weight=10, manual=True),
        ],
    )
    criteria, _ = score(rubric, {"hidden.all": measured(0.8)})
    return criteria


def test_a_manual_score_of_1_to_5_earns_nothing_to_the_whole_weight():
    assert [manual_fraction(score) for score in (1, 2, 3, 4, 5)] == [0, 0.25, 0.5, 0.75, 1]


def test_a_scored_manual_criterion_joins_the_total():
    criteria = graded_criteria()
    assert total(criteria) == 80.0

    reviewed, points = review(criteria, [Judgement("design", score=4, note="clear README")])

    design = reviewed[1]
    assert (design.points, design.fraction) == (7.5, 0.75)
    assert design.review is not None
    assert (design.review.kind, design.review.score, design.review.note) == (
        "manual",
        4,
        "clear README",
    )
    assert points == round((24 + 7.5) * 100 / 40, 1)


def test_an_override_replaces_the_engines_points_and_keeps_them_beside():
    reviewed, points = review(
        graded_criteria(), [Judgement("functionality", points=15, note="hard-coded answers")]
    )

    functionality = reviewed[0]
    assert functionality.points == 15
    assert functionality.review is not None
    assert functionality.review.automatic_points == 24
    assert functionality.review.note == "hard-coded answers"
    assert points == 50.0


def test_no_judgement_leaves_the_report_as_the_engine_scored_it():
    criteria = graded_criteria()

    reviewed, points = review(criteria, [])

    assert reviewed == criteria
    assert points == 80.0


def test_review_does_not_change_the_criteria_it_is_given():
    criteria = graded_criteria()

    review(criteria, [Judgement("design", score=5, note="good")])

    assert criteria[1].points is None


@pytest.mark.parametrize(
    ("judgement", "why"),
    [
        (Judgement("design", score=6, note="x"), "a score is 1 to 5"),
        (Judgement("design", score=0, note="x"), "a score is 1 to 5"),
        (Judgement("design", score=3), "add a comment"),
        (Judgement("design", points=5, note="x"), "give a 1-5 score"),
        (Judgement("functionality", score=3), "override it with points"),
        (Judgement("functionality", points=31, note="x"), "worth 0 to 30 points"),
        (Judgement("functionality", points=-1, note="x"), "worth 0 to 30 points"),
        (Judgement("functionality", points=10, note="  "), "a reason is required"),
        (Judgement("speed", score=3), "no criterion speed"),
    ],
)
def test_a_judgement_that_does_not_fit_its_criterion_is_refused(judgement, why):
    with pytest.raises(InvalidInput, match=why):
        review(graded_criteria(), [judgement])

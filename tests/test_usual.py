from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from scipy.optimize import approx_fprime

from k2nutrition import K2NutritionError, cohort, foods
from k2nutrition.usual import (
    PERCENTILES,
    NotEnoughDaysError,
    Simulation,
    UsualIntakeError,
    _boxcox,
    _choose_lambda,
    _episodic_nll,
    _gauss_hermite,
    _group_rows,
    _inv_boxcox,
    _PersonDays,
    simulate,
    usual_intake,
)

K2 = "china-osteoporosis-2013"
PCT = [f"p{p}_ug_per_day" for p in PERCENTILES]


def true_share(sim: Simulation, low: float = 50.0, high: float = 120.0) -> float:
    truth = sim.truth["MENAQUINONES"]
    return float(((truth >= low) & (truth <= high)).mean())


def shares(sim: Simulation, **kwargs: Any) -> tuple[float, float, float]:
    """True, estimated and naive share of people within 50-120 µg/day of menaquinones."""
    result = usual_intake(sim.records, sim.persons, [K2], group_by=(), **kwargs)
    assert len(result.shares) == 1
    return (
        true_share(sim),
        float(result.shares["share_meeting"].iloc[0]),
        float(result.naive["share_meeting"].iloc[0]),
    )


# -- the simulation itself --------------------------------------------------------------


def test_simulated_truth_is_the_long_run_mean_of_recorded_days() -> None:
    sim = simulate(40, days=2000, seed=4, natto_eaters=0.5)
    daily = cohort.daily_intake(sim.records)
    observed = daily.groupby("person_id")[["MENAQUINONES", "K1_ONLY"]].mean()
    truth = sim.truth.set_index("person_id").loc[observed.index]
    for measure in ("MENAQUINONES", "K1_ONLY"):
        # A 2000-day mean is each person's usual intake up to sampling error: a wrong
        # frequency, portion or content would show as a bias or a poor correlation.
        assert np.corrcoef(observed[measure], truth[measure])[0, 1] > 0.995
        bias = float((observed[measure] - truth[measure]).mean())
        assert abs(bias) < 0.03 * float(truth[measure].mean())


def test_simulate_layout_and_repeat_share() -> None:
    sim = simulate(200, days=3, repeat_share=0.25, seed=0)
    days = sim.records.groupby("person_id")["day"].nunique()
    assert int((days == 3).sum()) == 50
    assert int((days == 1).sum()) == 150
    assert list(sim.persons.columns) == ["person_id", "age", "sex"]
    assert set(sim.truth.columns) >= {"person_id", "MENAQUINONES", "K1_ONLY", "TOTAL_K"}
    assert (sim.truth["K1_ONLY"] > 0).all()  # vegetables every day
    with pytest.raises(UsualIntakeError):
        simulate(10, repeat_share=1.5)


# -- the estimates against the truth ------------------------------------------------------


def test_one_part_model_recovers_the_percentiles_of_phylloquinone() -> None:
    sim = simulate(8000, seed=11, portion_spread=0.5)
    result = usual_intake(sim.records, sim.persons, ["efsa-2017"], group_by=())
    assert result.models["method"].tolist() == ["amount"]
    truth = np.percentile(sim.truth["K1_ONLY"], PERCENTILES)
    estimate = result.percentiles[PCT].to_numpy()[0]
    naive = result.naive[PCT].to_numpy()[0]
    assert np.all(np.abs(estimate / truth - 1) < 0.06)
    # The mean of two days spreads the tails; the model pulls them back.
    assert abs(estimate[0] - truth[0]) < abs(naive[0] - truth[0])
    assert abs(estimate[-1] - truth[-1]) < abs(naive[-1] - truth[-1])


@pytest.mark.parametrize(
    "shape",
    [
        {"natto_eaters": 1.0, "cheese_eaters": 0.0},
        {"natto_eaters": 1.0, "cheese_eaters": 0.0, "portion_spread": 0.6, "repeat_share": 0.4},
    ],
    ids=["base", "portions-vary-40%-repeats"],
)
def test_episodic_model_is_within_a_few_points_where_its_assumptions_hold(
    shape: dict[str, float],
) -> None:
    # Every person eats natto now and then; frequency and portion vary between people.
    sim = simulate(12000, seed=5, **shape)  # type: ignore[arg-type]
    truth, estimate, naive = shares(sim)
    assert abs(estimate - truth) < 0.04
    assert abs(estimate - truth) < abs(naive - truth) / 5


@pytest.mark.parametrize(
    "shape",
    [
        {},  # 30% eat natto, 60% cheese: never-eaters and a second, poorer source
        {"natto_eaters": 1.0},
        {"natto_per_week": 3.0},
    ],
    ids=["never-eaters-and-cheese", "natto-and-cheese", "frequent"],
)
def test_episodic_model_beats_the_naive_estimate_when_assumptions_fail(
    shape: dict[str, float],
) -> None:
    sim = simulate(3000, seed=7, **shape)  # type: ignore[arg-type]
    truth, estimate, naive = shares(sim)
    assert abs(estimate - truth) < abs(naive - truth)
    assert abs(estimate - truth) < 0.10  # documented: errors of about 5 points here


def test_percentiles_of_the_episodic_model_are_closer_than_the_naive_ones() -> None:
    sim = simulate(6000, seed=8, natto_eaters=1.0, cheese_eaters=0.0)
    result = usual_intake(sim.records, sim.persons, [K2], group_by=())
    truth = np.percentile(sim.truth["MENAQUINONES"], PERCENTILES)
    estimate = result.percentiles[PCT].to_numpy()[0]
    naive = result.naive[PCT].to_numpy()[0]
    assert np.abs(estimate - truth).sum() < 0.25 * np.abs(naive - truth).sum()
    assert np.all(np.abs(estimate - truth) < 0.15 * truth + 3.0)


# -- result layout --------------------------------------------------------------------------


def test_result_layout_shares_and_notes() -> None:
    sim = simulate(3000, seed=2, repeat_share=0.5)
    result = usual_intake(sim.records, sim.persons, [K2, "efsa-2017", "iom-2001"])
    assert result.n_people == 3000
    assert result.n_repeat == 1500
    assert any("1500 of 3000 people" in n for n in result.notes)
    assert any("never eat" in n for n in result.notes)
    assert any("iom-2001: an AI" in n for n in result.notes)
    assert any("K1_ONLY: " in n and "lower bounds" in n for n in result.notes)
    assert set(result.models["measure"]) == {"MENAQUINONES", "K1_ONLY", "TOTAL_K"}
    assert list(result.percentiles.columns[-len(PCT) :]) == PCT
    assert list(result.shares.columns[:5]) == [
        "guideline",
        "edition",
        "measure",
        "sex",
        "life_stage",
    ]
    k2 = result.shares[result.shares["guideline"] == K2].iloc[0]
    assert k2["target_type"] == "range"
    assert (k2["target_low"], k2["target_high"]) == (50.0, 120.0)
    assert k2["share_below"] + k2["share_meeting"] + k2["share_above"] == pytest.approx(1.0)
    assert math.isnan(k2["share_below_ear"])
    assert math.isnan(k2["share_above_ul"])
    iom = result.shares[result.shares["guideline"] == "iom-2001"]
    assert set(iom["sex"]) == {"female", "male"}
    assert iom["share_above"].isna().all()  # an AI has no upper bound
    assert (iom["share_below"] + iom["share_meeting"]).to_numpy() == pytest.approx(1.0)
    pct = result.percentiles[PCT].to_numpy()
    assert np.all(np.diff(pct, axis=1) >= 0)
    assert "Usual intake of 3000 people (1500 with repeat days)" in str(result)


def test_group_by_a_user_column_and_no_covariates() -> None:
    sim = simulate(2000, seed=3)
    persons = sim.persons.assign(region=np.where(sim.persons["person_id"] % 2, "north", "south"))
    result = usual_intake(sim.records, persons, [K2], group_by="region", covariates=())
    assert list(result.percentiles["region"]) == ["north", "south"]
    assert result.percentiles["people"].sum() == 2000
    assert any("Covariates (fixed effects): none." in n for n in result.notes)


def test_text_covariate_and_renamed_columns() -> None:
    sim = simulate(1500, seed=9)
    records = sim.records.rename(columns={"person_id": "subject"})
    persons = sim.persons.rename(columns={"person_id": "subject"}).assign(
        region=lambda f: np.where(f["subject"] % 3, "a", "b")
    )
    result = usual_intake(
        records,
        persons,
        ["efsa-2017"],
        covariates=("age", "sex", "region"),
        columns={"person_id": "subject"},
    )
    assert any("male, region_b" in n for n in result.notes)


def test_mixedlm_fit_agrees_with_the_anova_estimator() -> None:
    sim = simulate(600, seed=6)
    moments = usual_intake(sim.records, sim.persons, ["efsa-2017"])
    reml = usual_intake(sim.records, sim.persons, ["efsa-2017"], fit="mixedlm")
    assert reml.models["fit"].iloc[0] == "mixedlm"
    for column in ("var_between", "var_within"):
        assert reml.models[column].iloc[0] == pytest.approx(
            moments.models[column].iloc[0], rel=0.05
        )
    assert reml.percentiles[PCT].to_numpy() == pytest.approx(
        moments.percentiles[PCT].to_numpy(), rel=0.03
    )


def test_same_seed_same_result_and_dask_input_agrees() -> None:
    dd = pytest.importorskip("dask.dataframe")
    sim = simulate(400, seed=10)
    first = usual_intake(sim.records, sim.persons, [K2], seed=3)
    again = usual_intake(sim.records, sim.persons, [K2], seed=3)
    pd.testing.assert_frame_equal(first.percentiles, again.percentiles)
    # Partitions split by person, as the cohort engine asks.
    parts = dd.from_pandas(sim.records.set_index("person_id"), npartitions=3).reset_index()
    dask = usual_intake(parts, sim.persons, [K2], seed=3)
    pd.testing.assert_frame_equal(first.shares, dask.shares, rtol=1e-6)
    shuffled = sim.records.sample(frac=1.0, random_state=0)
    again = usual_intake(shuffled, sim.persons, [K2], seed=3)
    pd.testing.assert_frame_equal(first.percentiles, again.percentiles, rtol=1e-6)


# -- refusals -------------------------------------------------------------------------------


def test_one_day_only_is_refused_with_the_reason() -> None:
    sim = simulate(500, repeat_share=0.0, seed=1)
    with pytest.raises(NotEnoughDaysError, match="two or more recorded days") as info:
        usual_intake(sim.records, sim.persons, [K2])
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, K2NutritionError)
    assert "rare eater from a non-eater" in str(info.value)
    few = simulate(500, repeat_share=0.01, seed=1)  # 5 people with repeats
    with pytest.raises(NotEnoughDaysError, match="only 5 of 500"):
        usual_intake(few.records, few.persons, ["efsa-2017"])


def test_bad_options_are_refused() -> None:
    sim = simulate(300, seed=1)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"method": "nci"}, "method must be"),
        ({"fit": "reml"}, "fit must be"),
        ({"draws": 0}, "draws must be at least 1"),
        ({"covariates": ("bmi",)}, "covariate 'bmi'"),
        ({"covariates": "age"}, "sequence of column names"),
        ({"group_by": "region"}, "group_by column 'region'"),
    ]
    for kwargs, message in cases:
        with pytest.raises(UsualIntakeError, match=message):
            usual_intake(sim.records, sim.persons, [K2], **kwargs)
    with pytest.raises(UsualIntakeError, match="no person-day is zero"):
        usual_intake(sim.records, sim.persons, ["efsa-2017"], method="episodic")
    persons = sim.persons.astype({"age": float})
    persons.loc[0, "age"] = np.nan
    with pytest.raises(cohort.CohortError):  # the cohort engine checks persons first
        usual_intake(sim.records, persons, [K2])


def test_measure_zero_on_every_day_is_refused() -> None:
    records = pd.DataFrame(
        {
            "person_id": np.repeat(np.arange(20), 2),
            "day": np.tile([1, 2], 20),
            "food": "spinach",
            "amount_g": 10.0 + np.arange(40),
        }
    )
    persons = pd.DataFrame({"person_id": np.arange(20), "age": 40, "sex": "female"})
    with pytest.raises(UsualIntakeError, match="every recorded day has no MENAQUINONES"):
        usual_intake(records, persons, [K2])
    no_calcium = records.assign(food="miso")  # its source did not analyse calcium
    assert foods["miso"].calcium is None
    with pytest.raises(UsualIntakeError, match="did not analyse all it counts"):
        usual_intake(no_calcium, persons, "iom-2011-calcium")


def test_amount_only_model_on_data_with_some_zero_days_says_what_it_did() -> None:
    sim = simulate(2000, seed=12, natto_eaters=1.0, natto_per_week=7.0, cheese_eaters=0.0)
    result = usual_intake(sim.records, sim.persons, [K2], method="amount")
    assert result.models["method"].tolist() == ["amount"]
    assert any("half the smallest amount" in n for n in result.notes)


# -- the numerical parts --------------------------------------------------------------------


@example(y=2.0, lam=5e-324)  # a subnormal lambda once came back as e
@given(
    y=st.floats(min_value=1e-3, max_value=1e4),
    lam=st.floats(min_value=0.0, max_value=1.0),
)
def test_box_cox_round_trip(y: float, lam: float) -> None:
    back = _inv_boxcox(_boxcox(np.array([y]), lam), lam)
    assert back[0] == pytest.approx(y, rel=1e-9)


def test_lambda_is_chosen_by_likelihood() -> None:
    rng = np.random.default_rng(0)
    n_people = 3000
    codes = np.repeat(np.arange(n_people), 2)
    t = 10.0 + 1.5 * rng.standard_normal(n_people)[codes] + rng.standard_normal(2 * n_people)
    for lam in (0.25, 0.5):
        y = _inv_boxcox(t, lam)
        chosen, *_ = _choose_lambda(y, codes, np.ones((n_people, 1)), n_people)
        assert chosen == pytest.approx(lam, abs=0.05)


def test_two_part_likelihood_gradient_matches_finite_differences() -> None:
    rng = np.random.default_rng(1)
    n = 300
    x = np.column_stack([np.ones(n), rng.standard_normal(n)])
    k = rng.integers(0, 4, n).astype(float)
    s1 = k * rng.standard_normal(n)
    s2 = s1**2 / np.maximum(k, 1) + k * rng.random(n)
    data = _PersonDays(np.full(n, 3.0), k, s1, s2)
    nodes, weights = _gauss_hermite(30)
    theta = np.array([0.2, -0.3, 0.1, 0.4, 0.3, -0.2, 0.1, 0.5])
    _, grad = _episodic_nll(theta, x, data, nodes, np.log(weights))
    numeric = approx_fprime(
        theta, lambda t: _episodic_nll(t, x, data, nodes, np.log(weights))[0], 1e-6
    )
    assert grad == pytest.approx(numeric, rel=1e-4, abs=1e-3)


def test_two_part_likelihood_with_never_consumers_gradient() -> None:
    rng = np.random.default_rng(2)
    n = 300
    x = np.column_stack([np.ones(n), rng.standard_normal(n)])
    k = np.where(rng.random(n) < 0.5, 0, rng.integers(1, 4, n)).astype(float)
    s1 = k * rng.standard_normal(n)
    s2 = s1**2 / np.maximum(k, 1) + k * rng.random(n)
    data = _PersonDays(np.full(n, 4.0), k, s1, s2)
    nodes, weights = _gauss_hermite(30)
    theta = np.array([0.2, -0.3, 0.1, 0.4, 0.3, -0.2, 0.1, 0.5, 0.7])
    _, grad = _episodic_nll(theta, x, data, nodes, np.log(weights))
    numeric = approx_fprime(
        theta, lambda t: _episodic_nll(t, x, data, nodes, np.log(weights))[0], 1e-6
    )
    assert grad == pytest.approx(numeric, rel=1e-4, abs=1e-3)
    # Everyone a possible consumer (pi -> 1) is the plain two-part model.
    plain, _ = _episodic_nll(theta[:-1], x, data, nodes, np.log(weights))
    nearly, _ = _episodic_nll(np.append(theta[:-1], 30.0), x, data, nodes, np.log(weights))
    assert nearly == pytest.approx(plain)


def test_never_consumers_are_found_with_four_days() -> None:
    sim = simulate(4000, days=4, seed=7, natto_eaters=0.3, cheese_eaters=0.0)
    plain = shares(sim)
    result = usual_intake(sim.records, sim.persons, [K2], group_by=(), never_consumers=True)
    assert result.models["never_consumers"].iloc[0] == pytest.approx(0.7, abs=0.05)
    estimate = float(result.shares["share_meeting"].iloc[0])
    assert abs(estimate - plain[0]) < 0.03
    assert abs(estimate - plain[0]) < abs(plain[1] - plain[0]) / 2  # better than without
    assert not any("weakly identified" in n for n in result.notes)
    two_days = simulate(800, seed=7, natto_eaters=0.3, cheese_eaters=0.0)
    result = usual_intake(two_days.records, two_days.persons, [K2], never_consumers=True)
    assert any("weakly identified" in n for n in result.notes)


def test_gauss_hermite_gives_normal_moments() -> None:
    nodes, weights = _gauss_hermite(15)
    assert float(weights.sum()) == pytest.approx(1.0)
    assert float((weights * nodes**2).sum()) == pytest.approx(1.0)
    assert float((weights * np.exp(0.5 * nodes)).sum()) == pytest.approx(math.exp(0.125))


def test_group_shares_use_each_persons_own_target_ear_and_ul() -> None:
    # Two people, four draws each; the second has no target (not applicable).
    values = np.array([[10.0, 20.0, 30.0, 40.0], [1.0, 2.0, 3.0, 4.0]])
    nan = math.nan
    low, high = np.array([25.0, nan]), np.array([35.0, nan])
    ul, ear = np.array([38.0, nan]), np.array([15.0, 2.5])
    out = _group_rows(values, low, high, ul, ear, "range")
    assert out["share_below"] == 0.5  # 10, 20 of the first person
    assert out["share_meeting"] == 0.25  # 30
    assert out["share_above"] == 0.25  # 40
    assert out["share_above_ul"] == 0.25  # 40 > 38
    assert out["share_below_ear"] == 3 / 8  # 10 < 15; 1, 2 < 2.5
    assert out["p50_ug_per_day"] == pytest.approx(7.0)
    single = _group_rows(values, low, np.array([np.inf, nan]), np.array([nan, nan]), ear, "AI")
    assert math.isnan(single["share_above"])
    assert math.isnan(single["share_above_ul"])
    assert single["share_meeting"] == 0.5


def test_one_guideline_id_is_one_guideline() -> None:
    sim = simulate(400, seed=2)
    result = usual_intake(sim.records, sim.persons, "efsa-2017", group_by=())
    assert result.shares["guideline"].tolist() == ["efsa-2017"]


def test_calcium_from_supplements_with_ear_and_ul_in_milligrams() -> None:
    # Usual calcium known by construction: a person-specific dose with day-to-day variation.
    rng = np.random.default_rng(3)
    n = 3000
    usual_mg = 900.0 * np.exp(0.35 * rng.standard_normal(n) - 0.35**2 / 2)
    day_factor = np.exp(0.5 * rng.standard_normal((n, 2)) - 0.5**2 / 2)
    records = pd.DataFrame(
        {
            "person_id": np.repeat(np.arange(n), 2),
            "day": np.tile([1, 2], n),
            "food": "calcium",
            "amount": (usual_mg[:, None] * day_factor).ravel(),
            "unit": "mg",
        }
    )
    persons = pd.DataFrame({"person_id": np.arange(n), "age": 40.0, "sex": "female"})
    result = usual_intake(records, persons, "iom-2011-calcium", group_by=())
    assert result.models["measure"].tolist() == ["calcium"]
    assert result.models["method"].tolist() == ["amount"]
    mg = [f"p{p}_mg_per_day" for p in PERCENTILES]
    assert list(result.percentiles.columns[-len(mg) :]) == mg
    estimate = result.percentiles[mg].to_numpy()[0]
    truth = np.percentile(usual_mg, PERCENTILES)
    assert np.all(np.abs(estimate / truth - 1) < 0.06)
    row = result.shares.iloc[0]
    assert row["unit"] == "mg/day"
    assert (row["target_low"], row["target_type"]) == (1000.0, "RDA")
    true_below_ear = float((usual_mg < 800).mean())  # IOM 2011: EAR 800 mg for women 19-50
    assert row["share_below_ear"] == pytest.approx(true_below_ear, abs=0.03)
    naive_below_ear = float(result.naive["share_below_ear"].iloc[0])
    assert abs(row["share_below_ear"] - true_below_ear) < abs(naive_below_ear - true_below_ear)
    assert row["share_above_ul"] == pytest.approx(float((usual_mg > 2500).mean()), abs=0.01)

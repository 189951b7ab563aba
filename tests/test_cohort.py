from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from k2nutrition import Diet, Person, Portion, Supplement, check, foods
from k2nutrition.cohort import CohortError, assess, daily_intake, example_cohort


def test_daily_intake_sums_per_person_and_day() -> None:
    records = pd.DataFrame(
        {
            "person_id": ["a", "a", "a", "b"],
            "day": [1, 1, 2, 1],
            "food": ["natto", "纳豆", "spinach", "MK-7"],
            "amount_g": [40.0, 10.0, 100.0, 90e-6],
        }
    )
    daily = daily_intake(records)
    assert list(daily["person_id"]) == ["a", "a", "b"]
    assert daily["MK-7"].tolist() == pytest.approx([939 * 0.5, 0, 90])
    assert daily["K1"].tolist() == pytest.approx([0, 498, 0])
    assert daily["K1_ONLY"].tolist() == pytest.approx([0, 498, 0])
    assert daily["JAPAN_MK4_EQ"].tolist() == pytest.approx(
        [939 * 0.5 * 444.659 / 649.016, 498, 90 * 444.659 / 649.016], rel=1e-5
    )


def test_amount_and_unit_columns_and_renaming() -> None:
    records = pd.DataFrame(
        {
            "subject": [1, 1],
            "date": pd.to_datetime(["2026-01-01", "2026-01-01"]),
            "item": ["natto", "MK-7"],
            "qty": [1.5, 0.09],
            "u": ["oz", "mg"],
        }
    )
    daily = daily_intake(
        records,
        columns={
            "person_id": "subject",
            "day": "date",
            "food": "item",
            "amount": "qty",
            "unit": "u",
        },
    )
    assert daily["MK-7"].iloc[0] == pytest.approx(939 * 1.5 * 28.349523125 / 100 + 90)


def test_bad_rows_raise_with_row_numbers_or_are_reported() -> None:
    records = pd.DataFrame(
        {
            "person_id": [1, 1, 1, 1, 2, None],
            "day": [1, 1, 1, 1, 1, 1],
            "food": ["natto", "nato", "natto", "milk-whole", "MK-7", "natto"],
            "amount": [40, 40, -1, 250, 90, 10],
            "unit": ["g", "g", "g", "mL", "mL", "g"],
        }
    )
    with pytest.raises(
        CohortError,
        match=r"5 records cannot be used: row 1: unknown food 'nato' \(did you mean 'natto'\?\)",
    ):
        daily_intake(records)
    daily = daily_intake(records, errors="report")
    rejected = daily.attrs["rejected"]
    assert list(rejected["row"]) == [1, 2, 3, 4, 5]
    reasons = list(rejected["reason"].astype(str))
    assert "negative" in reasons[1]
    assert "no known density" in reasons[2]
    assert "needs a mass unit" in reasons[3]
    assert "missing person_id" in reasons[4]
    assert daily["MK-7"].tolist() == pytest.approx([375.6])


def test_missing_columns() -> None:
    with pytest.raises(CohortError, match="needs a column 'food'"):
        daily_intake(pd.DataFrame({"person_id": [1], "day": [1]}))
    with pytest.raises(CohortError, match="amount_g"):
        daily_intake(pd.DataFrame({"person_id": [1], "day": [1], "food": ["natto"]}))


def _diet_of(records: pd.DataFrame) -> Diet:
    days = records["day"].nunique()
    items: list[Portion | Supplement] = []
    for food, grams in zip(records["food"].astype(str), records["amount_g"], strict=True):
        per = f"1/{days} days"
        if food == "MK-7":
            items.append(Supplement("MK-7", f"{grams * 1e6!r} µg", per=per))
        else:
            items.append(Portion(food, f"{grams!r} g", per=per))
    return Diet(items)


def _person_of(row: pd.Series) -> Person:
    weight = row["body_weight_kg"]
    return Person(
        age=float(row["age"]),
        sex=str(row["sex"]),
        pregnant=bool(row["pregnant"]),
        lactating=bool(row["lactating"]),
        body_weight=None if np.isnan(weight) else f"{weight!r} kg",
    )


def test_assess_matches_check_on_a_sample() -> None:
    records, persons = example_cohort(30_000, seed=7)
    result = assess(records, persons)
    table = result.per_person.set_index(["person_id", "guideline"])
    sample = persons.sample(40, random_state=1)
    by_person = dict(tuple(records.groupby("person_id", observed=True)))
    for _, row in sample.iterrows():
        person = _person_of(row)
        diet = _diet_of(by_person[row["person_id"]])
        for gid in result.per_person["guideline"].cat.categories:
            expected = check(diet, person, gid)
            got = table.loc[(row["person_id"], gid)]
            assert got["status"] == expected.status.value, (row.to_dict(), gid)
            assert got["intake"] == pytest.approx(
                expected.intake.to("µg/day").magnitude, rel=1e-9, abs=1e-9
            )
            if expected.target is not None and expected.target.low is not None:
                assert got["target_low"] == pytest.approx(
                    expected.target.low.to("µg/day").magnitude
                )
                assert got["gap"] == pytest.approx(
                    expected.gap.to("µg/day").magnitude if expected.gap is not None else np.nan,
                    nan_ok=True,
                )
            else:
                assert np.isnan(got["target_low"])


def test_assess_summary() -> None:
    records, persons = example_cohort(5_000, seed=3)
    result = assess(records, persons, guidelines=["iom-2001", "efsa-2017"])
    summary = result.summary
    assert set(summary["guideline"]) == {"iom-2001", "efsa-2017"}
    assert {"people", "share_at_or_above", "p5", "p50", "p95"} <= set(summary.columns)
    assert ((summary["share_at_or_above"] >= 0) & (summary["share_at_or_above"] <= 1)).all()
    assert (summary["p5"] <= summary["p95"]).all()
    applicable = result.per_person[result.per_person["status"] != "not applicable"]
    assert summary["people"].sum() == len(applicable)


def test_assess_person_errors() -> None:
    records, persons = example_cohort(300)
    with pytest.raises(CohortError, match="duplicate person_id"):
        assess(records, pd.concat([persons, persons.head(2)]))
    with pytest.raises(CohortError, match="not in persons"):
        assess(records, persons.iloc[1:])
    bad = persons.copy()
    bad.loc[0, "sex"] = "male"
    bad.loc[0, "pregnant"] = True
    with pytest.raises(CohortError, match="cannot be pregnant"):
        assess(records, bad)
    bad = persons.copy()
    bad.loc[3, "age"] = -4
    with pytest.raises(CohortError, match="age is missing"):
        assess(records, bad)
    extra = pd.concat([persons, pd.DataFrame({"person_id": [999], "age": [30], "sex": ["male"]})])
    with pytest.raises(CohortError, match="no records"):
        assess(records, extra)
    result = assess(records, extra, errors="report")
    assert "person 999" in set(result.rejected["row"])
    with pytest.raises(CohortError, match="vitamin K adequacy"):
        assess(records, persons, guidelines=["iom-2011-calcium"])


@settings(max_examples=25, deadline=None)
@given(
    amounts=st.lists(st.floats(min_value=0, max_value=500), min_size=1, max_size=30),
    food=st.sampled_from(["natto", "spinach", "hard cheese", "butter", "douchi"]),
)
def test_daily_sums_are_linear(amounts: list[float], food: str) -> None:
    records = pd.DataFrame({"person_id": 1, "day": 1, "food": food, "amount_g": amounts})
    daily = daily_intake(records)
    expected = foods[food].content.total.to("µg/hg").magnitude * sum(amounts) / 100
    assert daily["TOTAL_K"].iloc[0] == pytest.approx(expected, rel=1e-9, abs=1e-9)


def test_dask_on_a_local_cluster_equals_pandas() -> None:
    dd = pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    records, persons = example_cohort(6_000, seed=11)
    expected = assess(records, persons).per_person
    expected_daily = daily_intake(records)
    # partition by person: each person's records sit in one partition
    ddf: Any = dd.from_pandas(
        records.set_index("person_id", drop=False).rename_axis(None), npartitions=4, sort=True
    )
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster),
    ):
        got_daily = daily_intake(ddf).compute()
        got = assess(ddf, persons).compute()
    key = ["person_id", "day"]
    pd.testing.assert_frame_equal(
        got_daily.sort_values(key).reset_index(drop=True),
        expected_daily.sort_values(key).reset_index(drop=True),
        check_dtype=False,
        check_categorical=False,
    )
    key = ["guideline", "person_id"]
    cols = ["intake", "status", "target_low", "gap"]
    left = got.astype({"guideline": str, "status": str}).sort_values(key).reset_index(drop=True)
    right = (
        expected.astype({"guideline": str, "status": str}).sort_values(key).reset_index(drop=True)
    )
    pd.testing.assert_frame_equal(left[key + cols], right[key + cols], check_dtype=False)

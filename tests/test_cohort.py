from __future__ import annotations

import datetime
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
            "food": ["natto", "nato", "natto", "douchi", "MK-7", "natto"],
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
    assert {"people", "share_meeting", "share_above_ul", "p5_ug_per_day", "p95_ug_per_day"} <= set(
        summary.columns
    )
    assert ((summary["share_meeting"] >= 0) & (summary["share_meeting"] <= 1)).all()
    assert summary["share_above_range"].isna().all()  # neither sets a range
    assert (summary["p5_ug_per_day"] <= summary["p95_ug_per_day"]).all()
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
    with pytest.raises(CohortError, match="supplement-safety guidelines per person"):
        assess(records, persons, guidelines=["theuwissen-2013-vka"])


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
            dashboard_address=":0",  # any free port: the machine may run other clusters
        ) as cluster,
        distributed.Client(cluster),
    ):
        got_daily = daily_intake(ddf).compute()
        got = assess(ddf, persons).compute().per_person
    key = ["person_id", "day"]
    # Dask gives a column for every vitamer (the same in every partition): the others are 0
    extra = [c for c in got_daily.columns if c not in expected_daily.columns]
    assert extra
    assert (got_daily[extra] == 0).all().all()
    pd.testing.assert_frame_equal(
        got_daily[list(expected_daily.columns)].sort_values(key).reset_index(drop=True),
        expected_daily.sort_values(key).reset_index(drop=True),
        check_dtype=False,
        check_categorical=False,
        rtol=1e-12,
    )
    key = ["guideline", "person_id"]
    cols = ["intake", "status", "target_low", "gap"]
    left = got.astype({"guideline": str, "status": str}).sort_values(key).reset_index(drop=True)
    right = (
        expected.astype({"guideline": str, "status": str}).sort_values(key).reset_index(drop=True)
    )
    pd.testing.assert_frame_equal(left[key + cols], right[key + cols], check_dtype=False)


# -- units in frames -------------------------------------------------------------------------

pint_pandas = pytest.importorskip("pint_pandas")


def _records(**columns: Any) -> pd.DataFrame:
    base = {"person_id": [1, 1, 2], "day": [1, 1, 1], "food": ["natto", "natto", "MK-7"]}
    return pd.DataFrame({**base, **columns})


def _milk_table() -> Any:
    import attrs

    from k2nutrition import Q_
    from k2nutrition.food import FoodTable

    milk = attrs.evolve(foods["natto"], density=Q_(1.25, "g/mL"))
    return FoodTable([milk])


@pytest.mark.parametrize(
    ("dtype", "grams"), [("pint[kg]", 1000.0), ("pint[g]", 1.0), ("pint[oz]", 28.349523125)]
)
def test_a_pint_dtype_amount_g_column_is_converted(dtype: str, grams: float) -> None:
    records = _records(amount_g=pd.Series([0.04, 0.01, 90e-9], dtype=dtype))
    daily = daily_intake(records)
    assert daily["MK-7"].tolist() == pytest.approx([939 * 0.05 * grams / 100, 90e-9 * grams * 1e6])


def test_a_pint_dtype_amount_column_needs_no_unit_column() -> None:
    records = _records(amount=pd.Series([40, 10, 0.09], dtype="pint[mg]"))
    daily = daily_intake(records)
    assert daily["MK-7"].tolist() == pytest.approx([939 * 0.05 / 100, 90])
    again = _records(amount=pd.Series([40, 10, 90], dtype="pint[g]"), unit="g")
    with pytest.raises(CohortError, match="could be read two ways"):
        daily_intake(again)


def test_a_volume_dtype_goes_through_the_density_or_is_refused() -> None:
    records = pd.DataFrame(
        {"person_id": [1], "day": [1], "food": ["natto"], "amount_g": [40.0]}
    ).astype({"amount_g": "pint[mL]"})
    daily = daily_intake(records, _milk_table())
    assert daily["MK-7"].iloc[0] == pytest.approx(939 * 40 * 1.25 / 100)
    with pytest.raises(CohortError, match=r"column 'amount_g' in ml: a volume .* no known density"):
        daily_intake(records)
    with pytest.raises(CohortError, match=r"'amount_g' is in 'microgram / day'"):
        daily_intake(records.assign(amount_g=pd.Series([40.0], dtype="pint[µg/day]")))


def test_plain_amount_without_unit_names_both_ways() -> None:
    with pytest.raises(CohortError, match=r"column 'unit'.*pint-pandas.*astype\('pint\[g\]'\)"):
        daily_intake(_records(amount=[40, 10, 90]))


@pytest.mark.parametrize(
    "extra",
    [
        {"amount": pd.Series([40, 10, 90], dtype="pint[µg]")},
        {"amount": [40, 10, 90], "unit": ["oz", "oz", "µg"]},
        {"amount": [40, 10, 90]},
    ],
)
def test_amount_g_and_amount_together_are_refused(extra: dict[str, Any]) -> None:
    records = _records(amount_g=[40, 10, 90e-6], **extra)
    with pytest.raises(CohortError, match=r"both a column 'amount_g' .* and a column 'amount'"):
        daily_intake(records)
    with pytest.raises(CohortError, match="read two ways"):
        assess(records, pd.DataFrame({"person_id": [1, 2], "age": [30, 40], "sex": ["f", "m"]}))
    renamed = records.rename(columns={"amount_g": "grams"})
    with pytest.raises(CohortError, match=r"both a column 'grams' .* and a column 'amount'"):
        daily_intake(renamed, columns={"amount_g": "grams"})
    # either column alone reads one way
    alone = daily_intake(records.drop(columns=list(extra)))
    assert alone["MK-7"].tolist() == pytest.approx([939 * 0.5, 90])


def _natto_days(day: list[Any], person: list[Any] | None = None) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "person_id": pd.Series(person or [1] * len(day), dtype=object),
            "day": pd.Series(day, dtype=object),
            "food": "natto",
            "amount_g": 40.0,
        }
    )


@pytest.mark.parametrize(
    ("day", "types"),
    [
        ([pd.Timestamp("2024-01-01"), "2024-01-01"], "Timestamp, str"),
        ([1, "1"], "int, str"),
        ([1.5, "1.5"], "float, str"),
        ([datetime.date(2024, 1, 1), datetime.datetime(2024, 1, 1)], "date, datetime"),
        ([1, None, "1"], "int, str"),
    ],
)
def test_a_day_column_of_mixed_types_is_refused(day: list[Any], types: str) -> None:
    records = _natto_days(day)
    with pytest.raises(CohortError, match=rf"column 'day' \(day\) mixes value types \({types}\)"):
        daily_intake(records, errors="report")
    categorical = records.astype({"day": "category"})
    with pytest.raises(CohortError, match="mixes value types"):
        daily_intake(categorical)
    with pytest.raises(CohortError, match="column 'visit' \\(day\\) mixes"):
        daily_intake(records.rename(columns={"day": "visit"}), columns={"day": "visit"})


def test_numbers_and_dates_of_one_kind_are_one_day() -> None:
    one_day = 939 * 0.8  # 80 g of natto
    for day in ([1, 1.0], ["1", "1"], [pd.Timestamp("2024-01-01"), datetime.datetime(2024, 1, 1)]):
        daily = daily_intake(_natto_days(day))
        assert len(daily) == 1
        assert daily["MK-7"].iloc[0] == pytest.approx(one_day)


def test_a_person_id_column_of_mixed_types_is_refused() -> None:
    with pytest.raises(
        CohortError, match=r"'person_id' \(person_id\) mixes value types \(int, str\)"
    ):
        daily_intake(_natto_days([1, 1], person=[7, "7"]))
    records = _natto_days([1, 2], person=[7, 7])
    persons = pd.DataFrame(
        {"person_id": pd.Series([7, "8"], dtype=object), "age": [30, 40], "sex": ["female", "male"]}
    )
    with pytest.raises(CohortError, match=r"persons column 'person_id' .* \(int, str\)"):
        assess(records, persons)
    result = assess(records, persons.iloc[:1])
    assert set(result.per_person["person_id"]) == {7}


def test_dask_refuses_mixed_keys_and_two_amount_columns_per_partition() -> None:
    dd = pytest.importorskip("dask.dataframe")
    import dask

    records = _natto_days([1, "1", 2], person=[1, 1, 2])
    persons = pd.DataFrame({"person_id": [1, 2], "age": [30, 40], "sex": ["female", "male"]})
    # Dask's own string conversion would turn the mixed column into text before we see it
    with dask.config.set({"dataframe.convert-string": False, "scheduler": "sync"}):
        ddf = dd.from_pandas(records, npartitions=2)
        with pytest.raises(CohortError, match=r"'day' \(day\) mixes value types \(int, str\)"):
            daily_intake(ddf).compute()
        with pytest.raises(CohortError, match="mixes value types"):
            assess(ddf, persons).compute()
        both = dd.from_pandas(_natto_days([1, 2]).assign(amount=[40, 40], unit="g"), npartitions=2)
        with pytest.raises(CohortError, match="read two ways"):
            daily_intake(both)
        with pytest.raises(CohortError, match="read two ways"):
            assess(both, persons)


@pytest.mark.parametrize("cell", ["100 g", "0 g", "g*2", "2g", "g/2", "1e3 mg", "g g"])
def test_unit_cells_hold_one_unit(cell: str) -> None:
    records = _records(amount=[40, 10, 90], unit=["g", cell, "µg"])
    with pytest.raises(CohortError, match=r"row 1: unit .* is not one unit"):
        daily_intake(records)
    daily = daily_intake(records, errors="report")
    assert daily["MK-7"].tolist() == pytest.approx([939 * 0.4, 90])


def test_amounts_that_would_overflow_are_refused_as_implausible() -> None:
    with pytest.raises(CohortError, match=r"row 0: amount in column 'amount_g' is more than 10 kg"):
        daily_intake(_records(amount_g=[1e308, 1.0, 1e-6]))
    with pytest.raises(CohortError, match="2 records"):
        daily_intake(_records(amount_g=[1e307, 1e307, 1e-6]))


def _one(food: str, **columns: Any) -> pd.DataFrame:
    return pd.DataFrame({"person_id": [1], "day": [1], "food": [food], **columns})


@pytest.mark.parametrize(
    ("food", "grams", "limit"),
    [
        ("MK-7", 90.0, "10 mg"),  # 90 µg typed as 90 g
        ("MK-7", 0.09, "10 mg"),  # 90 µg typed as 90 mg
        ("MK-9", 0.5, "10 mg"),
        ("K1", 0.1, "50 mg"),
        ("MK-4", 0.2, "100 mg"),
        ("calcium", 50.0, "10 g"),
        ("natto", 1e9, "10 kg"),
    ],
)
def test_a_record_above_the_dose_or_portion_bound_is_refused(
    food: str, grams: float, limit: str
) -> None:
    what = "one portion" if food == "natto" else f"a dose of {food}"
    with pytest.raises(
        CohortError,
        match=rf"column 'amount_g' is more than {limit}, which is not plausible for {what}",
    ):
        daily_intake(_one(food, amount_g=[grams]))
    report = daily_intake(_one(food, amount_g=[grams]), errors="report")
    assert len(report) == 0
    (reason,) = report.attrs["rejected"]["reason"].astype(str)
    assert reason.startswith(f"amount in column 'amount_g' is more than {limit}, which is not")


def test_the_dose_bound_applies_to_amount_and_unit_and_renamed_columns() -> None:
    with pytest.raises(CohortError, match=r"'amount' is more than 10 mg.*MK-7.*µg rather than mg"):
        daily_intake(_one("MK-7", amount=[90], unit=["mg"]))
    with pytest.raises(CohortError, match=r"'dose' is more than 10 mg"):
        daily_intake(_one("MK-7", dose=[90.0]), columns={"amount_g": "dose"})


def test_doses_at_the_bounds_are_accepted() -> None:
    # MK-4 45 mg/day (menatetrenone in Japan), K1 50 mg, MK-7 10 mg; natto 10 kg
    for food, grams in (("MK-4", 0.045), ("K1", 0.05), ("MK-7", 0.01), ("natto", 10_000.0)):
        daily = daily_intake(_one(food, amount_g=[grams]))
        assert np.isfinite(daily["TOTAL_K"]).all()
    assert daily_intake(_one("MK-4", amount_g=[0.045]))["MK-4"].tolist() == pytest.approx([45e3])


def test_a_boolean_amount_is_refused_not_read_as_one_gram() -> None:
    with pytest.raises(CohortError, match=r"column 'amount_g' holds True/False"):
        daily_intake(_one("natto", amount_g=[True]))
    with pytest.raises(CohortError, match=r"column 'amount_g' holds True/False"):
        daily_intake(_one("natto", amount_g=pd.array([True], dtype="boolean")))
    mixed = pd.DataFrame({"person_id": [1, 1], "day": [1, 1], "food": ["natto", "natto"]}).assign(
        amount_g=pd.Series([True, 40.0], dtype=object)
    )
    with pytest.raises(CohortError, match=r"row 0: amount is missing, not a number"):
        daily_intake(mixed)
    daily = daily_intake(mixed, errors="report")
    assert daily["MK-7"].tolist() == pytest.approx([939 * 0.4])


# -- persons and arguments -----------------------------------------------------------------------


def _small() -> tuple[pd.DataFrame, pd.DataFrame]:
    records = _records(amount_g=[40.0, 10.0, 90e-6])
    persons = pd.DataFrame({"person_id": [1, 2], "age": [30, 40], "sex": ["female", "male"]})
    return records, persons


def test_one_guideline_id_is_one_guideline() -> None:
    records, persons = _small()
    result = assess(records, persons, guidelines="iom-2001")
    assert list(result.per_person["guideline"].astype(str).unique()) == ["iom-2001"]
    with pytest.raises(CohortError, match="guidelines is empty"):
        assess(records, persons, guidelines=[])


@pytest.mark.parametrize("errors", ["ignore", "coerce", "", None])
def test_errors_takes_raise_or_report(errors: Any) -> None:
    records, persons = _small()
    with pytest.raises(CohortError, match="errors must be 'raise' or 'report'"):
        assess(records, persons, errors=errors)
    with pytest.raises(CohortError, match="errors must be 'raise' or 'report'"):
        daily_intake(records, errors=errors)


@pytest.mark.parametrize(
    ("weight", "message"),
    [
        ("70 kg", "body_weight_kg is not a number of kilograms"),
        ("seventy", "body_weight_kg is not a number of kilograms"),
        ("0.07", "not a plausible weight"),  # 70 g written as kg
        ("700", "not a plausible weight"),
        ("inf", "body_weight_kg is not a number"),
    ],
)
def test_body_weight_is_a_plausible_number(weight: str, message: str) -> None:
    records, persons = _small()
    persons["body_weight_kg"] = [weight, "80"]
    with pytest.raises(CohortError, match=message):
        assess(records, persons)


def test_body_weight_blank_and_pint_dtype() -> None:
    records, persons = _small()
    persons["body_weight_kg"] = ["", " 80 "]
    assess(records, persons)
    persons["body_weight_kg"] = pd.Series([60_000.0, 80_000.0], dtype="pint[g]")
    result = assess(records, persons, guidelines="uk-nhs-2020")
    assert result.per_person["target_low"].tolist() == pytest.approx([60.0, 80.0])


def test_weight_limits_match_person() -> None:
    from k2nutrition.cohort import _weight_limits
    from k2nutrition.people import _max_weight_kg, _min_weight_kg

    ages = np.array([0.0, 0.5, 0.99, 1.0, 4.9, 5.0, 11.99, 12.0, 50.0, 125.0])
    low, high = _weight_limits(ages)
    assert low.tolist() == [_min_weight_kg(a) for a in ages]
    assert high.tolist() == [_max_weight_kg(a) for a in ages]


@pytest.mark.parametrize("trimester", [257, 4, 0, -1, 1.5, "2nd", 65_538])
def test_trimester_is_1_2_or_3(trimester: object) -> None:
    records, persons = _small()
    persons["pregnant"] = [True, False]
    persons["trimester"] = pd.Series([trimester, None], dtype=object)
    with pytest.raises(CohortError, match="trimester must be 1, 2 or 3"):
        assess(records, persons)
    persons["trimester"] = pd.Series(["2", None], dtype=object)
    assess(records, persons)


# -- summaries of ranges and EARs ----------------------------------------------------------------


def test_range_summary_separates_within_and_above() -> None:
    records, persons = example_cohort(20_000, seed=5)
    result = assess(records, persons, guidelines="china-osteoporosis-2013")
    rows = result.per_person
    summary = result.summary
    assert summary["people"].sum() == (rows["status"] != "not applicable").sum()
    for r in summary.itertuples():
        group = rows[
            (rows["sex"] == r.sex)
            & (rows["life_stage"] == r.life_stage)
            & (rows["status"] != "not applicable")
        ]
        x, lo, hi = group["intake"], group["target_low"], group["target_high"]
        assert r.people == len(group)
        assert r.share_meeting == pytest.approx(((x >= lo) & (x <= hi)).mean())
        assert r.share_above_range == pytest.approx((x > hi).mean())
        assert r.p50_ug_per_day == pytest.approx(x.median())
    assert summary["share_below_ear"].isna().all()  # the handbook sets no EAR
    # natto and MK-7 put many people above the range: that is not "meeting" it
    total = (summary["people"] * summary["share_above_range"]).sum() / summary["people"].sum()
    meeting = (summary["people"] * summary["share_meeting"]).sum() / summary["people"].sum()
    assert total > meeting > 0
    assert total + meeting < 1
    # MK-7 intakes of 300 (above), 90 (within) and 20 µg/day (below): above is not "meeting"
    doses = [300.0, 300.0, 300.0, 90.0, 20.0]
    records = pd.DataFrame(
        {"person_id": range(5), "day": 1, "food": "MK-7", "amount_g": [d * 1e-6 for d in doses]}
    )
    persons = pd.DataFrame({"person_id": range(5), "age": 50, "sex": "female"})
    (row,) = assess(records, persons, "china-osteoporosis-2013").summary.itertuples()
    assert (row.people, row.share_meeting, row.share_above_range) == (5, 0.2, 0.6)


def test_ear_cut_point_and_ul_shares() -> None:
    from k2nutrition.cohort import _group_stats

    x = np.array([100.0, 500.0, 700.0, 900.0, 2600.0])
    kind = np.full(5, 2, dtype=np.int8)  # RDA
    low, high = np.full(5, 800.0), np.full(5, np.nan)
    ul, ear = np.full(5, 2500.0), np.full(5, 650.0)
    unknown = np.array([True, False, False, False, False])  # a lower bound below the RDA
    people, meeting, share_unknown, above_range, above_ul, below_ear, *quantiles = _group_stats(
        x, kind, low, high, ul, ear, unknown
    )
    assert (people, meeting, above_ul, below_ear) == (5, 0.4, 0.2, 0.4)
    assert share_unknown == 0.2
    assert np.isnan(above_range)
    assert quantiles[2] == 700.0


# -- Dask ------------------------------------------------------------------------------------------


def _sorted(frame: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    text = {c: str for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)}
    frame = frame.copy()
    frame.attrs = {}
    return frame.astype(text).sort_values(key).reset_index(drop=True)


def test_dask_with_shuffled_records_matches_pandas_person_by_person() -> None:
    dd = pytest.importorskip("dask.dataframe")
    import dask

    records, persons = example_cohort(3_000, seed=13)
    records.loc[5, "food"] = "MK-7"
    records.loc[5, "amount_g"] = 90e-6  # a dose, not a food's grams (refused as implausible)
    records = records.astype({"food": str})
    records.loc[7, "food"] = "nato"
    shuffled = records.sample(frac=1.0, random_state=3)  # persons spread over partitions
    ddf = dd.from_pandas(shuffled, npartitions=5, sort=False)
    expected = assess(records, persons, errors="report")
    with dask.config.set(scheduler="sync"):
        got = assess(ddf, persons, errors="report").compute()
        daily = daily_intake(ddf.dropna()[ddf["food"] != "nato"]).compute()
    key = ["guideline", "person_id"]
    pd.testing.assert_frame_equal(
        _sorted(got.per_person, key), _sorted(expected.per_person, key), check_dtype=False
    )
    key = ["guideline", "sex", "life_stage"]
    pd.testing.assert_frame_equal(
        _sorted(got.summary, key), _sorted(expected.summary, key), check_dtype=False
    )
    # and in the same order: by guideline, sex and life stage from the youngest
    pd.testing.assert_frame_equal(got.summary, expected.summary, check_dtype=False)
    assert sorted(got.rejected["row"].astype(str)) == sorted(expected.rejected["row"].astype(str))
    assert set(got.rejected["reason"].astype(str)) == set(expected.rejected["reason"].astype(str))
    good = daily_intake(records[records["food"] != "nato"])
    pd.testing.assert_frame_equal(
        _sorted(daily[list(good.columns)], ["person_id", "day"]),
        _sorted(good, ["person_id", "day"]),
        check_dtype=False,
    )
    with pytest.raises(CohortError, match="cannot list rejected records"):
        daily_intake(ddf, errors="report")


def test_dask_raises_for_bad_records_and_persons_without_records() -> None:
    dd = pytest.importorskip("dask.dataframe")
    import dask

    records, persons = example_cohort(600, seed=2)
    extra = pd.concat([persons, pd.DataFrame({"person_id": [999], "age": [30], "sex": ["male"]})])
    ddf = dd.from_pandas(records, npartitions=3)
    with dask.config.set(scheduler="sync"):
        with pytest.raises(CohortError, match="1 person has no records"):
            assess(ddf, extra).compute()
        result = assess(ddf, extra, errors="report").compute()
    assert list(result.rejected["row"]) == ["person 999"]


# -- calcium and vitamin D ---------------------------------------------------------------------


def _cofactor_table() -> Any:
    import attrs

    from k2nutrition.food import FoodTable

    # figures for the test only: what matters is analysed (milk) against not analysed (natto)
    milk = attrs.evolve(foods["milk"], calcium="120 mg/100 g", vitamin_d="1 µg/100 g")
    natto = attrs.evolve(foods["natto"], calcium=None, vitamin_d=None)
    return FoodTable([milk, natto])


def test_calcium_and_vitamin_d_from_foods_and_supplements_match_check() -> None:
    table = _cofactor_table()
    records = pd.DataFrame(
        {
            "person_id": [1, 1, 1, 2, 2],
            "day": [1, 1, 2, 1, 1],
            "food": ["milk", "natto", "milk", "calcium", "vitamin D"],
            "amount": [250, 50, 100, 500, 10],
            "unit": ["g", "g", "g", "mg", "µg"],
        }
    )
    persons = pd.DataFrame({"person_id": [1, 2], "age": [60, 60], "sex": ["female", "male"]})
    ids = ["iom-2011-calcium", "china-dri-2013-calcium", "iom-2011-vitamin-d", "efsa-2017"]
    result = assess(records, persons, ids, foods=table)
    rows: Any = result.per_person.set_index(["person_id", "guideline"])
    calcium = rows.loc[(1, "iom-2011-calcium")]
    assert calcium["intake"] == pytest.approx(120 * 3.5 / 2)  # 350 g of milk over 2 days
    assert calcium["unit"] == "mg/day"
    assert calcium["not_analysed_share"] == pytest.approx(50 / 400)  # natto's grams
    assert rows.loc[(2, "iom-2011-calcium"), "intake"] == pytest.approx(500)
    assert rows.loc[(2, "iom-2011-calcium"), "not_analysed_share"] == 0.0
    assert rows.loc[(1, "iom-2011-vitamin-d"), "intake"] == pytest.approx(1.75)
    assert rows.loc[(2, "iom-2011-vitamin-d"), "intake"] == pytest.approx(10)
    assert rows.loc[(1, "efsa-2017"), "unit"] == "µg/day"
    by_person = {1: records.iloc[:3], 2: records.iloc[3:]}
    for pid, person in ((1, Person(age=60, sex="female")), (2, Person(age=60, sex="male"))):
        mine = by_person[pid]
        days = mine["day"].nunique()
        items: list[Portion | Supplement] = [
            Portion(table[f], f"{a} {u}", per=f"1/{days} days")
            if f in {"milk", "natto"}
            else Supplement(f, f"{a} {u}", per=f"1/{days} days")
            for f, a, u in zip(mine["food"], mine["amount"], mine["unit"], strict=True)
        ]
        for gid in ids:
            expected = check(Diet(items), person, gid)
            got = rows.loc[(pid, gid)]
            assert got["status"] == expected.status.value, (pid, gid)
            assert got["intake"] == pytest.approx(expected.intake.magnitude)
            assert got["intake"] == pytest.approx(expected.intake.to(got["unit"]).magnitude)
    summary = result.summary.set_index(["guideline", "sex"])
    assert summary.loc[("iom-2011-calcium", "female"), "share_below_ear"] == 1.0  # 210 < 1000
    assert summary.loc[("iom-2011-calcium", "male"), "share_below_ear"] == 1.0  # 500 < 800


def test_include_computes_the_columns_asked_for_and_the_same_numbers() -> None:
    records, _ = example_cohort(3_000, seed=5)
    every = daily_intake(records)
    some = daily_intake(records, include=["TOTAL_K", "MK-7", "food_g", "MK-13"])
    assert list(some.columns) == ["person_id", "day", "TOTAL_K", "MK-7", "food_g", "MK-13"]
    for column in ("TOTAL_K", "MK-7", "food_g"):
        np.testing.assert_allclose(some[column], every[column], rtol=1e-12)
    assert (some["MK-13"] == 0).all()  # no food here holds it: zero, as a sum of nothing
    one = daily_intake(records, include="JAPAN_MK4_EQ")  # one name, not its characters
    assert list(one.columns) == ["person_id", "day", "JAPAN_MK4_EQ"]


@pytest.mark.parametrize(
    ("include", "message"),
    [
        (["TOTAL"], "unknown column 'TOTAL'"),
        ([], "include is empty"),
        (["unattributed_K1_ONLY"], "unknown column"),
    ],
)
def test_include_refuses_unknown_names(include: list[str], message: str) -> None:
    records, _ = example_cohort(100)
    with pytest.raises(CohortError, match=message):
        daily_intake(records, include=include)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**16), n=st.integers(1, 400))
def test_sorted_and_shuffled_records_give_the_same_result(seed: int, n: int) -> None:
    """Sorted records are summed by runs, others by hashing: the answers are the same."""
    records, persons = example_cohort(n, seed=seed)
    shuffled = records.sample(frac=1.0, random_state=seed)
    got = assess(shuffled, persons).per_person.sort_values(["guideline", "person_id"])
    want = assess(records, persons).per_person.sort_values(["guideline", "person_id"])
    np.testing.assert_allclose(got["intake"], want["intake"], rtol=1e-9, atol=1e-12)
    assert (got["days"].to_numpy() == want["days"].to_numpy()).all()
    key = ["person_id", "day"]
    daily_got = daily_intake(shuffled).sort_values(key).reset_index(drop=True)
    daily_want = daily_intake(records).sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(daily_got, daily_want, rtol=1e-9, atol=1e-12)


def test_days_are_counted_once_when_a_persons_days_are_interleaved() -> None:
    records = pd.DataFrame(
        {
            "person_id": [1, 1, 1, 2],
            "day": [1, 2, 1, 1],  # person 1's day 1 in two runs: not sorted, so hashed
            "food": ["natto", "natto", "natto", "natto"],
            "amount_g": [10.0, 20.0, 30.0, 40.0],
        }
    )
    persons = pd.DataFrame({"person_id": [1, 2], "age": [40, 40], "sex": ["female", "male"]})
    per_person = assess(records, persons, "china-osteoporosis-2013").per_person
    assert per_person["days"].tolist() == [2, 1]
    natto = foods["natto"].content.total.to("µg/g").magnitude
    assert per_person["intake"].tolist() == pytest.approx([natto * 60 / 2, natto * 40])


@pytest.mark.parametrize(
    ("sex", "pregnant"),
    [
        ([" Female", "MALE "], ["no", "No"]),
        (["f", "m"], [False, 0]),
        (["F", "M"], ["0", " false "]),
    ],
)
def test_person_words_are_read_whatever_their_case_and_blanks(
    sex: list[str], pregnant: list[object]
) -> None:
    records, _ = example_cohort(30)
    ids = sorted(records["person_id"].unique())
    persons = pd.DataFrame({"person_id": ids, "age": 40.0, "sex": (sex * len(ids))[: len(ids)]})
    persons["pregnant"] = pd.Series((pregnant * len(ids))[: len(ids)], dtype=object)
    result = assess(records, persons, "iom-2001").per_person
    assert result["sex"].tolist() == (["female", "male"] * len(ids))[: len(ids)]


def test_a_word_that_is_not_a_sex_is_refused() -> None:
    records, _ = example_cohort(30)
    ids = sorted(records["person_id"].unique())
    persons = pd.DataFrame({"person_id": ids, "age": 40.0, "sex": "female"})
    persons.loc[0, "sex"] = "femal"
    with pytest.raises(CohortError, match="sex must be female or male: 1 row "):
        assess(records, persons)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(0, 1e6, allow_nan=False), min_size=1, max_size=80))
def test_summary_percentiles_are_numpys_to_the_last_bit(values: list[float]) -> None:
    from k2nutrition.cohort import PERCENTILES, _percentiles

    x = np.array(values)
    assert _percentiles(x) == np.quantile(x, [p / 100 for p in PERCENTILES]).tolist()


def test_a_lower_bound_below_the_target_is_unknown_as_in_check() -> None:
    """Natto's record has no K1 figure: under a K1-only guideline its eater is unknown."""
    records = pd.DataFrame(
        {
            "person_id": [1, 2, 2],
            "day": [1, 1, 1],
            "food": ["natto", "natto", "spinach"],
            "amount_g": [10.0, 10.0, 100.0],
        }
    )
    persons = pd.DataFrame({"person_id": [1, 2], "age": [40, 40], "sex": ["female", "female"]})
    result = assess(records, persons, "efsa-2017")
    person = Person(age=40, sex="female")
    for row in result.per_person.itertuples():
        items = [
            Portion(f, f"{g} g")
            for f, g in zip(
                records.loc[records.person_id == row.person_id, "food"],
                records.loc[records.person_id == row.person_id, "amount_g"],
                strict=True,
            )
        ]
        assert row.status == check(Diet(items), person, "efsa-2017").status.value
    assert result.per_person["status"].tolist() == ["unknown: not analysed", "adequacy likely"]
    assert result.summary["share_unknown"].tolist() == [0.5]


@settings(max_examples=100, deadline=None)
@given(
    data=st.lists(
        st.tuples(
            st.floats(0, 300),  # intake
            st.integers(0, 1),  # sex
            st.integers(0, 2),  # life stage
            st.sampled_from([-1, 0, 2, 3]),  # no target, AI, RDA, range
            st.booleans(),  # a UL
            st.booleans(),  # an EAR
            st.booleans(),  # unknown status
        ),
        min_size=1,
        max_size=60,
    )
)
def test_summary_rows_equal_group_by_group_stats(data: list[tuple[Any, ...]]) -> None:
    """All groups at once (the pandas path) equals one group at a time (the Dask path)."""
    from k2nutrition.cohort import _group_stats, _summary_rows, _Targets

    x, sex, stage, kind, ul, ear, unknown = (np.array(c) for c in zip(*data, strict=True))
    low = np.where(kind >= 0, 50.0, np.nan)
    targets = _Targets(
        kind.astype(np.int8),
        low,
        np.where(kind == 3, 120.0, np.nan),
        np.where(ul, 200.0, np.nan),
        np.where(ear, 40.0, np.nan),
        stage.astype(np.intp),
        ["a", "b", "c"],
    )
    rows = _summary_rows("g", sex.astype(np.int8), targets, x.astype(float), unknown, "µg/day")
    for row in rows:
        s = ("female", "male").index(row[1])
        members = (sex == s) & (stage == ["a", "b", "c"].index(row[2])) & (kind >= 0)
        expected = _group_stats(
            x[members].astype(float),
            kind[members].astype(np.int8),
            targets.low[members],
            targets.high[members],
            targets.ul[members],
            targets.ear[members],
            unknown[members],
        )
        np.testing.assert_equal(row[3:-5], expected)  # µg/day: the mg/day columns are NaN
        assert np.isnan(row[-5:]).all()
    assert sum(row[3] for row in rows) == int((kind >= 0).sum())


@pytest.mark.parametrize("dtype", ["Int64", "int64[pyarrow]", "Float64"])
@pytest.mark.parametrize("column", ["person_id", "day"])
def test_a_missing_id_in_a_nullable_column_is_rejected(dtype: str, column: str) -> None:
    records = pd.DataFrame(
        {"person_id": [1, 1, 2], "day": [1, 2, 1], "food": ["spinach", "natto", "spinach"]}
    )
    records["amount_g"] = [50.0, 40.0, 50.0]
    values: list[Any] = [1, None, 2] if column == "person_id" else [1, None, 1]
    records[column] = pd.array(values, dtype=dtype)  # type: ignore[call-overload]
    with pytest.raises(CohortError, match="row 1: missing person_id or day"):
        daily_intake(records)
    daily = daily_intake(records, include=["MK-7"], errors="report")
    assert daily["MK-7"].tolist() == [0.0, 0.0]  # the natto of the missing key is nobody's
    assert daily.attrs["rejected"]["row"].tolist() == [1]
    persons = pd.DataFrame({"person_id": [1, 2], "age": [40, 40], "sex": ["female", "male"]})
    result = assess(records, persons, "iom-2001", errors="report")
    assert result.rejected["row"].tolist() == [1]
    assert result.per_person["person_id"].tolist() == [1, 2]


@pytest.mark.parametrize(
    ("food", "dose", "guideline"),
    [
        ("K1", "90 µg", "iom-2001"),
        ("K1", "120 µg", "iom-2001"),
        ("K1", "55 µg", "who-fao-2004"),
        ("MK-7", "50 µg", "china-osteoporosis-2013"),
        ("calcium", "1000 mg", "iom-2011-calcium"),
        ("calcium", "1 g", "iom-2011-calcium"),
        ("K1", "0.09 mg", "iom-2001"),
    ],
)
def test_a_dose_at_the_target_has_the_status_check_gives(
    food: str, dose: str, guideline: str
) -> None:
    amount, unit = dose.split()
    records = pd.DataFrame(
        {"person_id": [1], "day": [1], "food": [food], "amount": [float(amount)], "unit": [unit]}
    )
    persons = pd.DataFrame({"person_id": [1], "age": [40], "sex": ["male"]})
    row = assess(records, persons, guideline).per_person.iloc[0]
    expected = check(Diet([Supplement(food, dose)]), Person(age=40, sex="male"), guideline)
    assert row.status == expected.status.value
    assert row.intake == expected.intake.magnitude


def test_a_guideline_named_twice_is_assessed_once() -> None:
    from k2nutrition.guideline import guidelines

    records, persons = example_cohort(60)
    once = assess(records, persons, "iom-2001").per_person
    twice: list[list[Any]] = [["iom-2001", "IOM-2001"], ["iom-2001", guidelines["iom-2001"]]]
    for chosen in twice:
        pd.testing.assert_frame_equal(assess(records, persons, chosen).per_person, once)


def test_yes_no_cells_as_numbers_are_read_and_boolean_ages_refused() -> None:
    records, persons = example_cohort(600)
    persons = persons.drop(columns="body_weight_kg").assign(age=30.0, pregnant=0.0)
    first = persons.index[persons["sex"] == "female"][0]
    persons.loc[first, "pregnant"] = 1.0
    per_person = assess(records, persons, "iom-2001").per_person.set_index("person_id")
    assert per_person.loc[persons.loc[first, "person_id"], "life_stage"] == "pregnancy_19_30"
    with pytest.raises(CohortError, match="'age' holds True/False"):
        assess(records, persons.assign(age=True))


def test_calcium_percentiles_are_in_mg_columns() -> None:
    records = pd.DataFrame(
        {"person_id": [1, 2], "day": 1, "food": "calcium", "amount": [500, 700], "unit": "mg"}
    )
    persons = pd.DataFrame({"person_id": [1, 2], "age": 40, "sex": "female"})
    summary = assess(records, persons, ["iom-2011-calcium", "iom-2001"], errors="report")
    calcium = summary.summary.set_index("guideline").loc["iom-2011-calcium"]
    assert calcium["p50_mg_per_day"] == 600.0
    assert np.isnan(calcium["p50_ug_per_day"])


def test_a_long_unknown_name_is_cut_in_the_message() -> None:
    records = pd.DataFrame({"person_id": [1], "day": [1], "food": ["x" * 100_000], "amount_g": 1.0})
    with pytest.raises(CohortError) as caught:
        daily_intake(records)
    assert len(str(caught.value)) < 400


def test_none_eaten_of_an_unanalysed_food_leaves_the_intake_known() -> None:
    """0 g of natto adds nothing, known or not: check() and the cohort say the same."""
    records = pd.DataFrame(
        {
            "person_id": 1,
            "day": 1,
            "food": ["natto", "MK-7"],
            "amount": [0, 10],
            "unit": ["g", "µg"],
        }
    )
    persons = pd.DataFrame({"person_id": [1], "age": [40], "sex": ["female"]})
    row = assess(records, persons, "iom-2001").per_person.iloc[0]
    diet = Diet([Portion("natto", "0 g"), Supplement("MK-7", "10 µg")])
    expected = check(diet, Person(age=40, sex="female"), "iom-2001")
    assert not expected.intake_is_lower_bound
    assert row.status == expected.status.value == "adequacy cannot be judged"


def test_unit_cells_read_ounces_and_counts_as_check_does() -> None:
    records = pd.DataFrame(
        {
            "person_id": [1, 1, 1],
            "day": 1,
            "food": ["milk", "egg", "egg"],
            "amount": [1, 2, 2],
            "unit": ["oz", "eggs", "large"],
        }
    )
    daily = daily_intake(records, include=["food_g"], errors="report")
    assert daily["food_g"].iloc[0] == pytest.approx(28.349523125 + 2 * 50.3)
    reasons = daily.attrs["rejected"]["reason"].astype(str).tolist()
    assert len(reasons) == 1
    assert "comes in 5 sizes" in reasons[0]


@pytest.mark.parametrize(
    ("extra_ids", "dropped", "message"),
    [
        ([998], 0, "1 person has no records"),
        ([998, 999], 0, "2 persons have no records"),
        ([], 1, "1 person_id value in the records is not in persons"),
        ([], 2, "2 person_id values in the records are not in persons"),
    ],
)
def test_person_counts_in_messages_agree_in_number(
    extra_ids: list[int], dropped: int, message: str
) -> None:
    records, persons = example_cohort(300, seed=4)
    persons = persons.iloc[dropped:]
    extra = pd.DataFrame({"person_id": extra_ids, "age": 30.0, "sex": "male"})
    with pytest.raises(CohortError, match=message):
        assess(records, pd.concat([persons, extra], ignore_index=True))


def test_dask_rejected_rows_keep_the_records_labels() -> None:
    """Row labels of rejected records are the records' own, as pandas gives: not text."""
    dd = pytest.importorskip("dask.dataframe")
    import dask

    records, persons = example_cohort(300, seed=1)
    records.loc[records.index[[3, 50]], "amount_g"] = -1.0
    with dask.config.set(scheduler="sync"):
        got = assess(dd.from_pandas(records, npartitions=3), persons, errors="report").compute()
    want = assess(records, persons, errors="report")
    assert list(got.rejected["row"]) == list(want.rejected["row"]) == [3, 50]


def test_a_target_per_kg_without_a_body_weight_is_not_applicable_with_no_life_stage() -> None:
    """As ``check()``: no target, so no life stage; with a weight the adult target applies."""
    records = pd.DataFrame(
        {"person_id": [1, 2], "day": [1, 1], "food": ["natto", "natto"], "amount_g": [10.0, 10.0]}
    )
    persons = pd.DataFrame(
        {"person_id": [1, 2], "age": 40.0, "sex": "female", "body_weight_kg": [np.nan, 64.0]}
    )
    rows = assess(records, persons, "uk-nhs-2020").per_person
    assert rows["status"].tolist()[0] == "not applicable"
    assert rows["life_stage"].tolist()[0] == ""
    assert rows["life_stage"].tolist()[1] != ""
    assert rows["target_low"].tolist()[1] == pytest.approx(64.0)  # 1 µg per kg


# -- amounts written with their unit -----------------------------------------------------------


def test_amounts_written_with_their_unit_read_as_check_does() -> None:
    """'40 g', '1 cup', '2 large', '90 µg' in one column: the same as numbers and units."""
    with_text = pd.DataFrame(
        {
            "person_id": [1, 1, 1, 1],
            "day": [1, 1, 2, 2],
            "food": ["natto", "kale", "egg", "MK-7"],
            "amount": ["40 g", "1 cup", "2 large", "90 µg"],
        }
    )
    split = with_text.assign(amount=[40, 1, 2, 90], unit=["g", "cup", "large", "µg"])
    pd.testing.assert_frame_equal(daily_intake(with_text), daily_intake(split))
    mk7 = daily_intake(with_text, include=["MK-7"])["MK-7"].tolist()
    assert mk7[0] == pytest.approx(939 * 0.4)  # natto: 939 µg/100 g
    assert mk7[1] > 90.0  # the supplement, and the eggs' own MK-7


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("1,5 g", "comma in the number"),
        ("1.200 g", "can be read two ways"),
        ("40", "has no unit"),
        ("40 parsecs", "unknown unit"),
        ("2 斤", "斤"),
    ],
)
def test_amounts_with_units_are_read_strictly(cell: str, reason: str) -> None:
    records = pd.DataFrame(
        {"person_id": [1, 1], "day": [1, 1], "food": ["natto", "natto"], "amount": ["40 g", cell]}
    )
    with pytest.raises(CohortError, match=f"row 1: .*{reason}"):
        daily_intake(records)
    daily = daily_intake(records, errors="report")
    assert daily["MK-7"].tolist() == pytest.approx([939 * 0.4])
    assert daily.attrs["rejected"]["row"].tolist() == [1]


@pytest.mark.parametrize("missing", [None, np.nan])
def test_a_missing_cell_among_amounts_with_units_is_a_missing_amount(missing: object) -> None:
    records = pd.DataFrame(
        {
            "person_id": [1, 1],
            "day": [1, 1],
            "food": ["natto", "natto"],
            "amount": pd.Series(["40 g", missing], dtype=object),
        }
    )
    with pytest.raises(CohortError, match=r"row 1: amount is missing"):
        daily_intake(records)


def test_a_number_cell_among_amounts_with_units_has_no_unit() -> None:
    records = pd.DataFrame(
        {"person_id": [1, 1], "day": [1, 1], "food": ["natto", "natto"], "amount": ["40 g", 10]}
    )
    with pytest.raises(CohortError, match=r"row 1: amount 10 has no unit"):
        daily_intake(records)


def test_text_amounts_beside_a_unit_column_say_the_amount_is_a_number_only() -> None:
    records = pd.DataFrame(
        {"person_id": [1], "day": [1], "food": ["natto"], "amount": ["40 g"], "unit": ["g"]}
    )
    with pytest.raises(CohortError, match=r"text that is not a number: with a column 'unit'"):
        daily_intake(records)


@settings(max_examples=100, deadline=None)
@given(grams=st.floats(0.001, 2000, allow_nan=False), unit=st.sampled_from(["g", "mg", "kg"]))
def test_an_amount_with_its_unit_equals_the_number_and_unit(grams: float, unit: str) -> None:
    from k2nutrition.units import format_number

    text = f"{format_number(grams)} {unit}"  # never "1.125": that reads two ways
    base = pd.DataFrame({"person_id": [1], "day": [1], "food": ["natto"]})
    got = daily_intake(base.assign(amount=[text]), errors="report")
    want = daily_intake(base.assign(amount=[grams], unit=[unit]), errors="report")
    pd.testing.assert_frame_equal(got, want)


def test_ids_of_another_type_in_persons_are_named() -> None:
    records, persons = example_cohort(50, seed=1)
    persons = persons.astype({"person_id": str})
    with pytest.raises(CohortError, match="same ids as another type"):
        assess(records, persons)


def test_dask_reads_amounts_with_their_unit_as_pandas() -> None:
    dd = pytest.importorskip("dask.dataframe")
    import dask

    from k2nutrition.units import format_number

    records, persons = example_cohort(300, seed=3)
    records = records.astype({"food": str})
    records["amount"] = [
        f"{format_number(float(g) * 1e6)} µg" if f == "MK-7" else f"{format_number(float(g))} g"
        for f, g in zip(records["food"], records["amount_g"], strict=True)
    ]
    records = records.drop(columns="amount_g")
    records.loc[records.index[5], "amount"] = None
    with dask.config.set(scheduler="sync"):
        got = assess(dd.from_pandas(records, npartitions=4), persons, errors="report").compute()
    want = assess(records, persons, errors="report")
    key = ["guideline", "person_id"]
    np.testing.assert_allclose(
        got.per_person.sort_values(key)["intake"], want.per_person.sort_values(key)["intake"]
    )
    assert list(got.rejected["row"]) == list(want.rejected["row"]) == [5]


# -- found by a red team of the cohort entry points ----------------------------------------

SPINACH = pd.DataFrame({"person_id": [1], "day": [1], "food": ["spinach"]})
ONE_WOMAN = pd.DataFrame({"person_id": [1], "age": [40], "sex": ["female"]})


def test_grams_beside_a_unit_column_are_refused_as_two_readings() -> None:
    # 1 kg of spinach was counted as 1 g: the unit column was never read
    records = SPINACH.assign(amount_g=[1.0], unit=["kg"])
    with pytest.raises(CohortError, match=r"'amount_g' \(grams\) and a column 'unit'"):
        assess(records, ONE_WOMAN, "efsa-2017")
    with pytest.raises(CohortError, match="read two ways"):
        daily_intake(records)


def text_dtypes(cells: list[Any]) -> list[pd.Series]:
    """The same text cells as a categorical and as pyarrow strings (and as plain text)."""
    pa = pytest.importorskip("pyarrow")
    return [
        pd.Series(cells, dtype=object),
        pd.Series(pd.Categorical(cells)),
        pd.Series(cells, dtype=pd.ArrowDtype(pa.string())),
    ]


@pytest.mark.parametrize("kind", ["object", "categorical", "pyarrow"])
def test_two_way_numbers_are_refused_whatever_the_text_dtype(kind: str) -> None:
    column = dict(zip(["object", "categorical", "pyarrow"], text_dtypes(["1.200"]), strict=True))
    for records in (
        SPINACH.assign(amount_g=column[kind]),
        SPINACH.assign(amount=column[kind], unit=["kg"]),
    ):
        with pytest.raises(CohortError, match="can be read two ways"):
            daily_intake(records)


@pytest.mark.parametrize("kind", ["object", "categorical", "pyarrow"])
def test_amounts_with_their_unit_are_read_whatever_the_text_dtype(kind: str) -> None:
    cells = ["40 g", "1 cup", None]
    column = dict(zip(["object", "categorical", "pyarrow"], text_dtypes(cells), strict=True))
    records = pd.DataFrame(
        {"person_id": 1, "day": [1, 1, 2], "food": ["natto", "kale", "natto"]}
    ).assign(amount=column[kind])
    daily = daily_intake(records, errors="report")
    plain = daily_intake(records.iloc[:2].assign(amount=[40, 1], unit=["g", "cup"]))
    pd.testing.assert_frame_equal(daily, plain, check_like=True)
    assert daily.attrs["rejected"]["reason"].tolist() == ["amount is missing"]


def test_bare_numbers_among_text_amounts_are_read_alike_in_any_chunk() -> None:
    # a text column is read cell by cell, whatever its cells: a chunk or a partition of
    # bare numbers only rejects those rows, as the whole frame does
    records = pd.DataFrame(
        {
            "person_id": 1,
            "day": [1, 1, 1, 1],
            "food": "natto",
            "amount": pd.Series(["40 g", "20 g", "40", "10 g"], dtype=object),
        }
    )
    whole = daily_intake(records, errors="report")
    assert whole.attrs["rejected"]["row"].tolist() == [2]
    assert "has no unit" in str(whole.attrs["rejected"]["reason"].iloc[0])
    alone = daily_intake(records.iloc[2:3], errors="report")
    assert alone.empty
    assert alone.attrs["rejected"]["row"].tolist() == [2]
    dd = pytest.importorskip("dask.dataframe")
    import dask

    expected = assess(records, ONE_WOMAN, "iom-2001", errors="report")
    with dask.config.set({"scheduler": "sync"}):
        for n in (1, 2, 4):
            ddf = dd.from_pandas(records, npartitions=n)
            parts = assess(ddf, ONE_WOMAN, "iom-2001", errors="report").compute()
            assert parts.per_person["intake"].tolist() == pytest.approx(
                expected.per_person["intake"].tolist()
            )
            assert parts.rejected["row"].tolist() == [2]


@pytest.mark.parametrize(
    ("age", "unit", "stage"),
    [(6.0, "month", "infant"), (18.0, "month", "child"), (40.0, "year", "adult")],
)
def test_an_age_column_with_a_unit_is_read_in_years(age: float, unit: str, stage: str) -> None:
    pytest.importorskip("pint_pandas")
    persons = ONE_WOMAN.assign(age=pd.Series([age], dtype=f"pint[{unit}]"))
    result = assess(SPINACH.assign(amount_g=[20.0]), persons, "efsa-2017")
    assert stage in str(result.per_person["life_stage"].iloc[0])
    with pytest.raises(CohortError, match=r"persons column 'age' is in 'kilogram', not a time"):
        assess(
            SPINACH.assign(amount_g=[20.0]),
            ONE_WOMAN.assign(age=pd.Series([40.0], dtype="pint[kg]")),
        )


@pytest.mark.parametrize("name", ["food", "person_id", "amount_g"])
def test_a_records_column_given_twice_is_refused(name: str) -> None:
    records = SPINACH.assign(amount_g=[20.0])
    twice = pd.concat([records, records[[name]]], axis=1)
    with pytest.raises(CohortError, match=rf"records has 1 column more than once: '{name}'"):
        assess(twice, ONE_WOMAN)
    with pytest.raises(CohortError, match="more than once"):
        daily_intake(twice)


@pytest.mark.parametrize("name", ["age", "sex", "person_id"])
def test_a_persons_column_given_twice_is_refused(name: str) -> None:
    twice = pd.concat([ONE_WOMAN, ONE_WOMAN[[name]]], axis=1)
    with pytest.raises(CohortError, match=rf"persons has 1 column more than once: '{name}'"):
        assess(SPINACH.assign(amount_g=[20.0]), twice)


def test_a_vitamin_d_dose_in_iu_is_read_as_supplement_reads_it() -> None:
    from k2nutrition import Diet, Supplement

    expected = Diet([Supplement("vitamin D", "1000 IU")]).intake("vitamin D").magnitude
    text = pd.DataFrame(
        {"person_id": [1], "day": [1], "food": ["vitamin D"], "amount": ["1000 IU"]}
    )
    split = text.assign(amount=[1000], unit=["IU"])
    for records in (text, split):
        daily = daily_intake(records, include=["vitamin_D"])
        assert daily["vitamin_D"].tolist() == pytest.approx([expected])
    for nutrient in ("calcium", "MK-7"):  # IU is a unit of vitamin D only
        with pytest.raises(CohortError, match="read only for a vitamin D dose"):
            daily_intake(text.assign(food=[nutrient]))


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"n_records": 0}, "n_records"),
        ({"n_records": 10, "days": 0}, "days"),
        ({"n_records": 10, "items_per_day": -1}, "items_per_day"),
        ({"n_records": 2.5}, "n_records"),
    ],
)
def test_example_cohort_refuses_sizes_that_are_not_whole_and_positive(
    kwargs: dict[str, Any], name: str
) -> None:
    with pytest.raises(CohortError, match=rf"{name} must be a whole number of at least 1"):
        example_cohort(**kwargs)


def test_unit_cells_are_shortened_and_numbers_in_them_named() -> None:
    records = pd.DataFrame(
        {"person_id": 1, "day": 1, "food": "natto", "amount": [40, 40], "unit": ["g" * 100_000, 2]}
    )
    daily = daily_intake(records, errors="report")
    reasons = daily.attrs["rejected"]["reason"].astype(str).tolist()
    assert all(len(r) < 300 for r in reasons)
    assert "unit 2 is not one unit" in reasons[1]


def test_fl_oz_unit_cells_in_capitals_are_read() -> None:
    records = pd.DataFrame(
        {"person_id": 1, "day": 1, "food": "milk", "amount": [8, 8], "unit": ["fl oz", "FL OZ"]}
    )
    daily = daily_intake(records.iloc[:1]), daily_intake(records.iloc[1:])
    assert daily[0]["food_g"].tolist() == pytest.approx(daily[1]["food_g"].tolist())


@pytest.mark.parametrize(
    "values",
    [pd.to_timedelta([40], unit="s"), pd.to_datetime(["2024-01-01"]), np.array([40 + 1j])],
)
def test_amounts_of_times_dates_or_complex_numbers_are_refused(values: Any) -> None:
    records = pd.DataFrame({"person_id": [1], "day": [1], "food": ["natto"], "amount_g": values})
    with pytest.raises(CohortError, match="not amounts: give real numbers"):
        daily_intake(records)


def test_records_and_persons_of_other_types_are_refused_by_name() -> None:
    records = {"person_id": [1], "day": [1], "food": ["natto"], "amount_g": [40.0]}
    with pytest.raises(CohortError, match="records must be a pandas or Dask DataFrame; got dict"):
        assess(records, ONE_WOMAN)
    with pytest.raises(CohortError, match="got dict"):
        daily_intake(records)
    dd = pytest.importorskip("dask.dataframe")
    with pytest.raises(CohortError, match=r"persons must be a pandas DataFrame; got .*compute"):
        assess(pd.DataFrame(records), dd.from_pandas(ONE_WOMAN, npartitions=1))


def test_an_rni_printed_as_a_range_is_an_rni_in_cohorts() -> None:
    # WHO/FAO's 35-65 µg/day for boys of 10-18 is an RNI that varies within the ages: a
    # boy eating far more meets it; he is not "above range"
    records = pd.DataFrame(
        {"person_id": [1, 2], "day": [1, 1], "food": ["kale", "kale"], "amount_g": [100.0, 5.0]}
    )
    persons = pd.DataFrame({"person_id": [1, 2], "age": [16, 16], "sex": ["male", "male"]})
    got = assess(records, persons, "who-fao-2004").per_person
    assert got["target_type"].tolist() == ["RNI", "RNI"]
    assert got["target_low"].tolist() == [65.0, 65.0]
    assert got["target_high"].isna().all()
    assert got["status"].tolist() == ["meets recommendation", "below recommendation"]
    summary = assess(records, persons, "who-fao-2004").summary
    assert summary["share_above_range"].isna().all()


@pytest.mark.parametrize(
    ("food", "named"),
    [("牛油", "'butter', 'beef tallow'"), ("かき", "'oyster', 'persimmon'"), ("cheese", "'gouda'")],
)
def test_a_word_for_several_foods_is_rejected_as_such(food: str, named: str) -> None:
    records = pd.DataFrame(
        {"person_id": [1, 1], "day": [1, 1], "food": [food, "kale"], "amount_g": [10.0, 10.0]}
    )
    rejected = daily_intake(records, errors="report").attrs["rejected"]
    (reason,) = rejected["reason"].astype(str)
    assert reason.startswith(f"{food!r} names several foods, not one: {named}")
    assert "牛油果" not in reason  # not avocado


@pytest.mark.parametrize(
    ("food", "reason"),
    [
        ("menaquinone", "'menaquinone' is ambiguous"),  # not "did you mean 'mandarin orange'"
        ("K2", "'K2' is ambiguous"),
        ("MK-14", "unknown vitamer 'MK-14'; known vitamers: K1"),
        ("MK 14", "unknown vitamer 'MK 14'"),
    ],
)
def test_a_vitamer_name_that_is_not_one_form_says_so(food: str, reason: str) -> None:
    records = pd.DataFrame(
        {"person_id": [1, 1], "day": [1, 1], "food": [food, "kale"], "amount_g": [1e-6, 10.0]}
    )
    rejected = daily_intake(records, errors="report").attrs["rejected"]
    (got,) = rejected["reason"].astype(str)
    assert got.startswith(reason)

"""Property tests of the cohort engine's fast paths against their plain numpy definitions."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from k2nutrition.cohort import _band, _out_of_bounds, _sorted_runs

amounts = st.one_of(
    st.floats(0, 1e4),
    st.sampled_from([0.0, -1.0, -0.0, float("nan"), float("inf"), 1e-9, 5000.0]),
)


@settings(max_examples=300, deadline=None)
@given(
    grams=st.lists(amounts, max_size=60),
    limits=st.lists(
        st.one_of(st.floats(0, 1e4), st.sampled_from([-np.inf, np.inf, 1e-6])),
        min_size=1,
        max_size=8,
    ),
    data=st.data(),
)
def test_out_of_bounds_is_the_plain_comparison(
    grams: list[float], limits: list[float], data: st.DataObject
) -> None:
    """Only a few foods' records are compared on the fast path: the answer is the same."""
    n_foods = len(limits)
    codes = np.array(
        data.draw(st.lists(st.integers(-1, n_foods - 1), min_size=len(grams), max_size=len(grams))),
        dtype=np.intp,
    )
    limit = np.append(np.array(limits), -np.inf)  # the last: a missing food (code -1)
    x = np.array(grams, dtype=float)
    with np.errstate(invalid="ignore"):
        expected = ~(x >= 0) | (x > limit.take(codes))
    for small in (codes.astype(np.int8), codes):
        bad, largest = _out_of_bounds(x, codes, small, limit)
        assert bad.tolist() == expected.tolist()
        if len(x) and not np.isnan(x).any():
            assert largest == x.max()


@settings(max_examples=300, deadline=None)
@given(
    bounds=st.lists(st.floats(0, 130), max_size=20, unique=True).map(sorted),
    ages=st.lists(
        st.one_of(st.floats(-5, 200), st.just(float("nan"))),
        max_size=50,
    ),
)
def test_band_is_searchsorted(bounds: list[float], ages: list[float]) -> None:
    x = np.array(ages, dtype=float)
    expected = np.searchsorted(np.array(bounds, dtype=float), x, side="right")
    assert _band(bounds, x).tolist() == expected.tolist()


keys = st.lists(
    st.tuples(st.integers(-3, 3), st.integers(-2, 2)),
    min_size=1,
    max_size=40,
)


@settings(max_examples=400, deadline=None)
@given(pairs=keys, sort=st.booleans(), as_float=st.booleans())
def test_sorted_runs_finds_days_and_persons_or_says_unsorted(
    pairs: list[tuple[int, int]], sort: bool, as_float: bool
) -> None:
    if sort:
        pairs = sorted(pairs)
    dtype = float if as_float else np.int64
    persons = np.array([p for p, _ in pairs], dtype=dtype)
    days = np.array([d for _, d in pairs], dtype=dtype)
    runs = _sorted_runs(persons, days)
    if pairs != sorted(pairs):
        assert runs is None
        return
    assert runs is not None
    day_starts, person_days, run_persons, run_days = runs
    frame = pd.DataFrame({"p": persons, "d": days})
    new_day = (frame != frame.shift()).any(axis=1).to_numpy()
    assert day_starts.tolist() == np.flatnonzero(new_day).tolist()
    new_person = (frame["p"] != frame["p"].shift()).to_numpy()
    assert day_starts[person_days].tolist() == np.flatnonzero(new_person).tolist()
    assert run_persons.tolist() == persons[new_person].tolist()
    assert run_days.tolist() == days[new_day].tolist()


def test_sorted_runs_refuses_missing_keys() -> None:
    """A NaN key is never in order: such records go the hashing way (and are refused before)."""
    persons = np.array([1.0, np.nan, np.nan])
    days = np.array([1.0, 1.0, 1.0])
    assert _sorted_runs(persons, days) is None
    assert _sorted_runs(np.array([1.0, 1.0]), np.array([1.0, np.nan])) is None

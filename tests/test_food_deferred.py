"""Tests of building food tables in bulk: fold_names and FoodTable._deferred."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from k2nutrition import Food, FoodTable, Vitamer, VitaminK
from k2nutrition.errors import DataError, UnknownFoodError
from k2nutrition.food import fold_name, fold_names
from k2nutrition.sources import get_source

# -- fold_names -------------------------------------------------------------------------

ASCII_NAMES = st.text(
    alphabet=st.sampled_from(list("aZ09 -_,.()\t\n\r\x0b\x0c\x1c\x1f\x00")), max_size=12
)


@given(st.lists(ASCII_NAMES, max_size=20))
def test_fold_names_folds_ascii_names_as_fold_name(texts: list[str]) -> None:
    assert fold_names(texts) == [fold_name(t) for t in texts]


@given(st.lists(st.text(max_size=12), max_size=20))
def test_fold_names_folds_any_text_as_fold_name(texts: list[str]) -> None:
    assert fold_names(texts) == [fold_name(t) for t in texts]


@pytest.mark.parametrize(
    ("texts", "folded"),
    [
        ([], []),
        ([""], [""]),
        (["", " ", ""], ["", "", ""]),
        (["  Kale,  raw ", "NATTO"], ["kale raw", "natto"]),
        (["a\x00b", "c"], ["a\x00b", "c"]),  # a NUL of its own: folded one by one
        (["Crème fraîche", "x-y"], ["creme fraiche", "x y"]),
    ],
)
def test_fold_names_examples(texts: list[str], folded: list[str]) -> None:
    assert fold_names(texts) == folded


# -- FoodTable._deferred ----------------------------------------------------------------


def record(n: int, name: str | None = None) -> Food:
    key = f"rec-{n}"
    return Food(
        id=key,
        food=key,
        name=name or f"Food number {n}",
        content=VitaminK.from_magnitudes({Vitamer.K1: float(n)}, "content"),
        source=get_source("kamao-2007"),
    )


def deferred(count: int, made: list[str], build: Callable[[int], Food] = record) -> FoodTable:
    def names() -> list[tuple[str, tuple[str, ...]]]:
        made.append("<names>")
        return [(f"rec-{n}", (fold_name(f"Food number {n}"), f"rec {n}")) for n in range(count)]

    def make(record_id: str) -> Food:
        made.append(record_id)
        return build(int(record_id.removeprefix("rec-")))

    return FoodTable._deferred(names, make)


def test_names_are_indexed_and_records_made_on_first_use_once() -> None:
    made: list[str] = []
    table = deferred(5, made)
    assert made == []  # nothing until the table is used
    assert len(table) == 5
    assert made == ["<names>"]
    one = table["food number 3"]  # one record: only it is made
    assert made == ["<names>", "rec-3"]
    assert table["rec-3"] is one
    assert table["REC 3"] is one
    assert [f.id for f in table] == [f"rec-{n}" for n in range(5)]  # all of them: the rest
    assert sorted(made[1:]) == [f"rec-{n}" for n in range(5)]
    assert list(table)[3] is one


def test_a_deferred_table_answers_as_a_table_of_the_same_records() -> None:
    made: list[str] = []
    table = deferred(12, made)
    eager = FoodTable([record(n) for n in range(12)])
    assert list(table) == list(eager)
    assert repr(table) == repr(eager)
    assert table.keys == eager.keys
    assert table.data_sets == eager.data_sets
    for key in ["Food number 7", "food number 1", "rec-11", "REC 0", "rec 4"]:
        assert table[key] == eager[key]
        assert table.records(key) == eager.records(key)
    assert table.search("number 1") == eager.search("number 1")
    assert table.suggest("food numbr 7") == eager.suggest("food numbr 7")
    assert list(table.subset(data_sets=["given"])) == list(eager.subset(data_sets=["given"]))
    assert table.get("nothing") is None
    with pytest.raises(UnknownFoodError):
        table["nothing"]


def test_a_record_that_its_names_do_not_lead_to_is_refused() -> None:
    table = deferred(3, [], build=lambda n: record(n, name="Another name"))
    with pytest.raises(DataError, match="rec-1"):
        table["rec-1"]
    table = deferred(3, [], build=lambda n: record(n + 1))
    with pytest.raises(DataError, match="built as 'rec-2'"):
        table["rec-1"]


def test_vitamin_k_components_without_building_records_are_those_of_the_records() -> None:
    """FoodData Central rows are read from their cells: the same set as building them."""
    from k2nutrition.food import FoodTable, _load_builtin

    fresh_table = FoodTable._view(_load_builtin)  # nothing built yet, whatever ran before
    index = fresh_table._index.get()
    assert len(index.built) < len(index.ids) - 7000  # the FoodData Central rows are not built
    for table in (
        fresh_table,
        FoodTable._view(_load_builtin).subset(data_sets=["fdc"]),
        fresh_table.prefer(country="Japan"),
    ):
        fresh = table._vitamin_k_components()
        built: set[object] = set()
        for food in table:
            built.update(food.content)
            built.update(food.content.pools)
        assert fresh == built
        assert table._vitamin_k_components() == built  # once built, the same


def test_a_deferred_table_whose_records_share_a_name_ranks_them() -> None:
    """Ranking a shared name builds the records while the name index is being made."""

    def names() -> list[tuple[str, tuple[str, ...]]]:
        return [(f"rec-{n}", (fold_name("Same name"), f"rec {n}")) for n in (1, 2)]

    table = FoodTable._deferred(names, lambda rid: record(int(rid[4:]), name="Same name"))
    assert len(table) == 2
    assert [f.id for f in table.records("same name")] == ["rec-1", "rec-2"]  # then by id
    assert table["same name"] == record(1, name="Same name")
    assert table["rec 2"] == record(2, name="Same name")

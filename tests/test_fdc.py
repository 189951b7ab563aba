"""Tests of k2nutrition.fdc, the FoodData Central CSV import.

The fixture ``tests/fixtures/fdc/FoodData_Central_csv_2024-10-31`` is laid out as an FDC
download (same files, headers and quoting), with invented figures. Its ``nutrient.csv``
gives menaquinone-4 in ``MG`` and dihydrophylloquinone in ``IU`` (FDC uses ``UG`` for
both) so that unit conversion and the "unknown unit" rejection are exercised.
``food_nutrient.csv`` holds, by line: 3, 5, 6, 8, 13, 15 and 17 usable vitamin K rows;
7 an unknown fdc_id; 9 and 14 amounts that are not numbers; 10 a negative amount; 11 the
IU nutrient; 12 a second phylloquinone value for kale; 2, 4, 16, 18 and 19 other
nutrients.
"""

from __future__ import annotations

import csv
import io
import math
import re
import shutil
import sys
import tracemalloc
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal
from unittest import mock

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from k2nutrition import Vitamer, foods
from k2nutrition import fdc as fdc_module
from k2nutrition.errors import DataError, K2NutritionError, MissingDependencyError
from k2nutrition.fdc import (
    DUPLICATE,
    NEGATIVE_AMOUNT,
    NOT_A_NUMBER,
    NUTRIENTS,
    UNKNOWN_FOOD,
    UNKNOWN_UNIT,
    FdcError,
    FdcFood,
    FdcResult,
    Rejection,
    combine,
    load,
)
from k2nutrition.food import Food, FoodTable, FoodValue
from k2nutrition.profile import VitaminK
from k2nutrition.sources import Confidence, Source

from .helpers import assert_quantity_close

FIXTURES = Path(__file__).parent / "fixtures" / "fdc"
DOWNLOAD = FIXTURES / "FoodData_Central_csv_2024-10-31"
FILES = ("food.csv", "nutrient.csv", "food_nutrient.csv")
Quoting = Literal[0, 1, 2, 3]

EXPECTED_REJECTED = (
    Rejection(7, UNKNOWN_FOOD),
    Rejection(9, NOT_A_NUMBER),
    Rejection(10, NEGATIVE_AMOUNT),
    Rejection(11, UNKNOWN_UNIT),
    Rejection(12, DUPLICATE),
    Rejection(14, NOT_A_NUMBER),
)


@pytest.fixture(scope="module")
def result() -> FdcResult:
    return load(DOWNLOAD)


def copy_download(tmp_path: Path, name: str = "FoodData_Central_csv_2024-10-31") -> Path:
    target = tmp_path / name
    shutil.copytree(DOWNLOAD, target)
    return target


def zip_download(folder: Path, target: Path, *, inner: str | None) -> Path:
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in FILES:
            archive.write(folder / name, f"{inner}/{name}" if inner else name)
    return target


# -- the fixture download ----------------------------------------------------------------


def test_keeps_one_record_per_food_with_vitamin_k(result: FdcResult) -> None:
    assert [f.id for f in result.table] == [
        "fdc-320001",
        "fdc-320002",
        "fdc-320003",
        "fdc-320005",
        "fdc-320006",
        "fdc-320007",
    ]
    kale = result.table["fdc-320001"]
    assert kale.food == "fdc-320001"
    assert kale.name == "Kale, raw (FDC 320001)"
    assert result.table["kale, raw (fdc 320001)"] is kale
    assert kale.preferred
    assert (kale.group, kale.basis, kale.country) == ("", "as analysed", "USA")
    assert kale.notes == "FDC data type sr_legacy_food"
    assert kale.source is result.source
    assert kale.values == (
        FoodValue(
            component=Vitamer.K1,
            value=389.6,
            unit="ug/(100 g)",
            location="food_nutrient.csv line 3; fdc_id 320001; data type sr_legacy_food",
            confidence="high",
        ),
    )
    assert_quantity_close(kale.content[Vitamer.K1], 389.6, "µg/hg")
    assert kale.confidence is Confidence.HIGH


def test_milligrams_are_converted_and_kept_as_printed(result: FdcResult) -> None:
    natto = result.table["fdc-320002"]
    assert [(v.component, v.value, v.unit) for v in natto.values] == [
        (Vitamer.K1, 23.1, "ug/(100 g)"),
        (Vitamer.MK4, 0.0005, "mg/(100 g)"),
    ]
    assert_quantity_close(natto.content[Vitamer.MK4], 0.5, "µg/hg")
    assert_quantity_close(natto.portion("40 g").total, (23.1 + 0.5) * 0.4, "µg")
    liver = result.table["fdc-320006"]
    assert list(liver.content) == [Vitamer.MK4]
    assert_quantity_close(liver.content[Vitamer.MK4], 14.3, "µg/hg")


def test_report_lists_every_rejected_row_with_its_line(result: FdcResult) -> None:
    report = result.report
    assert report.rows_read == 18
    assert report.rows_vitamin_k == 13
    assert report.rows_kept == 7
    assert report.rows_skipped == 0
    assert report.rejected == EXPECTED_REJECTED
    assert report.rows_rejected == 6
    assert report.rows_kept + report.rows_skipped + report.rows_rejected == report.rows_vitamin_k
    assert report.counts() == {
        NOT_A_NUMBER: 2,
        DUPLICATE: 1,
        NEGATIVE_AMOUNT: 1,
        UNKNOWN_FOOD: 1,
        UNKNOWN_UNIT: 1,
    }
    assert "18 rows read, 13 of vitamin K: 7 kept" in str(report)


def test_report_as_a_frame(result: FdcResult) -> None:
    frame = result.report.to_frame()
    assert list(frame.columns) == ["line", "reason"]
    assert frame["line"].tolist() == [r.line for r in EXPECTED_REJECTED]
    assert frame["reason"].tolist() == [r.reason for r in EXPECTED_REJECTED]


def test_other_nutrients_are_left_out(result: FdcResult) -> None:
    # rice has calcium (1087) and nutrient 1118 only: no record
    assert result.table.get("fdc-320008") is None
    assert all(set(f.content) <= {Vitamer.K1, Vitamer.MK4} for f in result.table)
    # a food whose only vitamin K rows were rejected has no record either
    assert result.table.get("fdc-320004") is None


def test_duplicate_keeps_the_first_value(result: FdcResult) -> None:
    kale = result.table["fdc-320001"]
    assert [v.value for v in kale.values] == [389.6]


def test_source_and_fdc_details(result: FdcResult) -> None:
    assert result.release == "2024-10-31"
    assert result.source == Source(
        id="usda-fdc-2024-10-31",
        kind="database",
        authors=("U.S. Department of Agriculture, Agricultural Research Service",),
        year=2024,
        title="FoodData Central",
        container="USDA Agricultural Research Service",
        url="https://fdc.nal.usda.gov/",
        notes="CSV download, release 2024-10-31",
    )
    assert result.foods["fdc-320005"] == FdcFood(
        fdc_id=320005,
        data_type="branded_food",
        description="Spinach dip",
        food_category_id="",
        publication_date="2021-07-29",
    )
    assert set(result.foods) == {f.id for f in result.table}
    assert "6 foods" in repr(result)


def test_release_given_by_the_user_wins(tmp_path: Path) -> None:
    folder = copy_download(tmp_path, "my-download")
    unknown = load(folder)
    assert unknown.release is None
    assert unknown.source.id == "usda-fdc"
    assert unknown.source.year is None
    assert unknown.source.notes == "CSV download, release unknown"
    given_release = load(folder, release="2023-04-20")
    assert given_release.source.id == "usda-fdc-2023-04-20"
    assert given_release.source.year == 2023
    assert given_release.table["fdc-320001"].source.id == "usda-fdc-2023-04-20"


def test_parent_folder_of_the_download_is_accepted(result: FdcResult) -> None:
    again = load(FIXTURES)
    assert again.release == "2024-10-31"
    assert again.report == result.report


# -- zip files ----------------------------------------------------------------------------


@pytest.mark.parametrize("inner", ["FoodData_Central_csv_2024-10-31", None])
def test_zip_gives_the_same_result(tmp_path: Path, result: FdcResult, inner: str | None) -> None:
    path = zip_download(DOWNLOAD, tmp_path / "FoodData_Central_csv_2024-10-31.zip", inner=inner)
    zipped = load(path)
    assert zipped.report == result.report
    assert zipped.release == "2024-10-31"
    assert [(f.id, f.name, f.values) for f in zipped.table] == [
        (f.id, f.name, f.values) for f in result.table
    ]


def test_release_from_the_folder_inside_the_zip(tmp_path: Path) -> None:
    path = zip_download(DOWNLOAD, tmp_path / "download.zip", inner="FoodData_Central_csv_2022-04")
    assert load(path).release == "2022-04"


def test_zip_without_the_files(tmp_path: Path) -> None:
    path = tmp_path / "empty.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "nothing here")
    with pytest.raises(FdcError, match=r"no food_nutrient\.csv"):
        load(path)
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(DOWNLOAD / "food_nutrient.csv", "food_nutrient.csv")
    with pytest.raises(FdcError, match=r"has no nutrient\.csv"):
        load(path)


# -- options ------------------------------------------------------------------------------


def test_data_types_keeps_only_those_foods() -> None:
    legacy = load(DOWNLOAD, data_types={"sr_legacy_food"})
    assert [f.id for f in legacy.table] == [
        "fdc-320001",
        "fdc-320002",
        "fdc-320006",
        "fdc-320007",
    ]
    report = legacy.report
    assert report.rows_skipped == 5
    assert report.rows_kept == 5
    assert report.rejected == (
        Rejection(7, UNKNOWN_FOOD),
        Rejection(12, DUPLICATE),
        Rejection(14, NOT_A_NUMBER),
    )
    assert report.rows_kept + report.rows_skipped + report.rows_rejected == 13
    one = load(DOWNLOAD, data_types="foundation_food")
    assert [f.id for f in one.table] == ["fdc-320003"]


def test_errors_raise_lists_the_first_five_and_the_count() -> None:
    with pytest.raises(FdcError) as info:
        load(DOWNLOAD, errors="raise")
    message = str(info.value)
    assert message.startswith("6 vitamin K rows of food_nutrient.csv cannot be used: ")
    assert "line 7: unknown food; line 9: amount is not a number" in message
    assert "line 12: duplicate value for this food and nutrient (and 1 more)" in message
    assert "line 14" not in message
    assert info.value.rejected == EXPECTED_REJECTED
    assert isinstance(info.value, K2NutritionError)
    assert isinstance(info.value, ValueError)


def test_errors_raise_passes_a_clean_download(tmp_path: Path) -> None:
    folder = copy_download(tmp_path)
    lines = (folder / "food_nutrient.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    keep = [line for n, line in enumerate(lines, 1) if n not in {r.line for r in EXPECTED_REJECTED}]
    (folder / "food_nutrient.csv").write_text("".join(keep), encoding="utf-8")
    clean = load(folder, errors="raise")
    assert clean.report.rejected == ()
    assert clean.report.rows_kept == 7


def test_bad_options() -> None:
    with pytest.raises(FdcError, match="errors must be"):
        load(DOWNLOAD, errors="ignore")  # type: ignore[arg-type]
    with pytest.raises(FdcError, match="data_types"):
        load(DOWNLOAD, data_types=[1, 2])  # type: ignore[list-item]


# -- broken downloads ---------------------------------------------------------------------


def test_missing_path_or_not_a_download(tmp_path: Path) -> None:
    with pytest.raises(FdcError, match="no such file or folder"):
        load(tmp_path / "nothing-here")
    text = tmp_path / "notes.txt"
    text.write_text("hello", encoding="utf-8")
    with pytest.raises(FdcError, match="neither a folder nor a zip file"):
        load(text)
    with pytest.raises(FdcError, match=r"holds no food_nutrient\.csv"):
        load(tmp_path)


@pytest.mark.parametrize("name", FILES)
def test_missing_file(tmp_path: Path, name: str) -> None:
    folder = copy_download(tmp_path)
    (folder / name).unlink()
    expected = "holds no food_nutrient" if name == "food_nutrient.csv" else f"has no {name}"
    with pytest.raises(FdcError, match=expected):
        load(folder)


@pytest.mark.parametrize(
    ("name", "column"),
    [
        ("food.csv", "description"),
        ("food.csv", "fdc_id"),
        ("nutrient.csv", "unit_name"),
        ("nutrient.csv", "nutrient_nbr"),
        ("food_nutrient.csv", "amount"),
        ("food_nutrient.csv", "nutrient_id"),
    ],
)
def test_missing_column(tmp_path: Path, name: str, column: str) -> None:
    folder = copy_download(tmp_path)
    path = folder / name
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f'"{column}"', '"something_else"', 1), encoding="utf-8")
    with pytest.raises(FdcError, match=rf"{name}: missing column\(s\) \['{column}'\]"):
        load(folder)


def test_empty_file(tmp_path: Path) -> None:
    folder = copy_download(tmp_path)
    (folder / "food.csv").write_bytes(b"")
    with pytest.raises(FdcError, match=r"food\.csv is empty; it needs a header line"):
        load(folder)


@pytest.mark.parametrize("start", [b"\n", b"\r\n", b" \n", b"\xef\xbb\xbf\n", b"\xef\xbb\xbf"])
def test_a_blank_first_line_is_named_as_such(tmp_path: Path, start: bytes) -> None:
    folder = copy_download(tmp_path)
    header_and_rows = (folder / "food.csv").read_bytes()
    (folder / "food.csv").write_bytes(start + (header_and_rows if start.endswith(b"\n") else b""))
    what = "line 1 is blank" if start.strip(b"\xef\xbb\xbf") else "is empty"
    with pytest.raises(FdcError, match=rf"food\.csv(: | ){what}"):
        load(folder)


def test_the_foods_of_a_result_show_their_count_and_first_ids(result: FdcResult) -> None:
    shown = repr(result.foods)
    assert shown.startswith(f"<{len(result.foods)} FDC foods of a download: fdc-")
    assert shown.count("fdc-") == min(3, len(result.foods))


def test_extra_columns_and_other_order_are_read(tmp_path: Path) -> None:
    folder = copy_download(tmp_path)
    path = folder / "food_nutrient.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, quoting=csv.QUOTE_ALL, lineterminator="\n")
        for row in rows:
            writer.writerow([row[3], "loq" if row[0] == "id" else "", row[2], row[1], *row[4:]])
    again = load(folder)
    assert again.report.rejected == EXPECTED_REJECTED
    assert again.report.rows_kept == 7


def test_nutrient_that_is_not_fdcs_vitamin_k(tmp_path: Path) -> None:
    folder = copy_download(tmp_path)
    path = folder / "nutrient.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Vitamin K (phylloquinone)", "Folate, total"), encoding="utf-8")
    with pytest.raises(FdcError, match=r"nutrient\.csv, line 8: nutrient 1185 is 'Folate"):
        load(folder)
    path.write_text(text.replace('"430.0"', '"431"'), encoding="utf-8")
    with pytest.raises(FdcError, match="nutrient_nbr '431'"):
        load(folder)


def test_vitamin_k_nutrient_missing_from_nutrient_csv(tmp_path: Path) -> None:
    folder = copy_download(tmp_path)
    path = folder / "nutrient.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in lines if '"1183"' not in line), encoding="utf-8")
    report = load(folder).report
    assert Rejection(6, UNKNOWN_UNIT) in report.rejected
    assert Rejection(15, UNKNOWN_UNIT) in report.rejected
    assert Rejection(9, UNKNOWN_UNIT) in report.rejected  # the unit is checked before the amount


def test_food_listed_twice(tmp_path: Path) -> None:
    folder = copy_download(tmp_path)
    with (folder / "food.csv").open("a", encoding="utf-8") as f:
        f.write('"320002","sr_legacy_food","Natto, again","16","2019-04-01"\n')
    with pytest.raises(FdcError, match=r"food\.csv, line 10: fdc_id 320002 is also on line 3"):
        load(folder)


def test_not_utf8(tmp_path: Path) -> None:
    folder = copy_download(tmp_path)
    with (folder / "food.csv").open("ab") as f:
        f.write(b'"320009","sr_legacy_food","Cr\xe8me","1","2019-04-01"\n')
    with pytest.raises(FdcError, match=r"food\.csv, line 10: not UTF-8"):
        load(folder)


# -- the layout of food_nutrient.csv -------------------------------------------------------

FOOD_CSV = (
    '"fdc_id","data_type","description","food_category_id","publication_date"\n'
    '"1","sr_legacy_food","Kale, raw","11","2019-04-01"\n'
    '"2","foundation_food","Egg","1","2019-04-01"\n'
    '"3","branded_food","Dip","","2019-04-01"\n'
)
NUTRIENT_CSV = (
    '"id","name","unit_name","nutrient_nbr","rank"\n'
    '"1185","Vitamin K (phylloquinone)","UG","430","8800"\n'
    '"1183","Vitamin K (Menaquinone-4)","MG","428","8950"\n'
    '"1184","Vitamin K (Dihydrophylloquinone)","UG","429","8900"\n'
)


def write_download(folder: Path, food_nutrient: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "food.csv").write_text(FOOD_CSV, encoding="utf-8")
    (folder / "nutrient.csv").write_text(NUTRIENT_CSV, encoding="utf-8")
    (folder / "food_nutrient.csv").write_bytes(food_nutrient)
    return folder


def test_quoted_fields_over_several_lines_keep_file_line_numbers(tmp_path: Path) -> None:
    text = (
        '\ufeff"id","fdc_id","nutrient_id","amount","footnote"\r\n'
        '"1","1","1185","10.5","two\r\nlines"\r\n'  # lines 2-3
        '"2","1","1003","1.0","a ""quoted"" note, and\nmore\nlines"\r\n'  # lines 4-6
        "\r\n"  # line 7: blank
        '"3","9","1185","1.0",""\r\n'  # line 8: unknown food
        "3,2,1183,0.002,plain\r\n"  # line 9
        '"4","2","1185","x","1185\n1185,1185"\r\n'  # lines 10-11: not a number
        '"5","3","1184","-1",""'  # line 12, no line end: negative
    )
    result = load(write_download(tmp_path / "d", text.encode("utf-8")))
    assert result.report.rows_read == 6
    assert result.report.rows_vitamin_k == 5
    assert result.report.rejected == (
        Rejection(8, UNKNOWN_FOOD),
        Rejection(10, NOT_A_NUMBER),
        Rejection(12, NEGATIVE_AMOUNT),
    )
    assert result.table["fdc-1"].values[0].location.startswith("food_nutrient.csv line 2;")
    assert result.table["fdc-2"].values[0].location.startswith("food_nutrient.csv line 9;")
    assert_quantity_close(result.table["fdc-2"].content[Vitamer.MK4], 2.0, "µg/hg")


def test_unquoted_file_blank_lines_and_id_forms(tmp_path: Path) -> None:
    text = (
        "id,fdc_id,nutrient_id,amount\n"
        "1,1,1185.0,3\n"  # 2: a nutrient id written as a decimal
        "\n"  # 3
        "2,2, 1185 ,1e1\n"  # 4
        "3,1,11850,5\n"  # 5: another nutrient
        "4,1,1185.5,5\n"  # 6: another nutrient
        "5,3,21185,5\n"  # 7: another nutrient
        "1185,3,1003,5\n"  # 8: another nutrient
        "6,3,1185,.5\n"  # 9
        "7,3,1183\n"  # 10: no amount
        "8,3,nan,1\n"  # 11: not a nutrient id
        "\n"
    )
    result = load(write_download(tmp_path / "d", text.encode("utf-8")))
    assert result.report.rows_read == 9
    assert result.report.rows_vitamin_k == 4
    assert result.report.rejected == (Rejection(10, NOT_A_NUMBER),)
    assert [f.content[Vitamer.K1].magnitude for f in result.table] == [3.0, 10.0, 0.5]


@pytest.mark.parametrize("amount", ["nan", "inf", "-inf", "1e999", "1,5", "1_000", "0x10", "½"])
def test_amounts_that_are_not_numbers(tmp_path: Path, amount: str) -> None:
    text = f'"id","fdc_id","nutrient_id","amount"\n"1","1","1185","{amount}"\n'
    result = load(write_download(tmp_path / "d", text.encode("utf-8")))
    assert result.report.rejected == (Rejection(2, NOT_A_NUMBER),)


def test_negative_zero_is_zero(tmp_path: Path) -> None:
    text = '"id","fdc_id","nutrient_id","amount"\n"1","1","1185","-0.0"\n'
    result = load(write_download(tmp_path / "d", text.encode("utf-8")))
    assert result.report.rows_kept == 1
    assert math.copysign(1.0, float(result.table["fdc-1"].content[Vitamer.K1].magnitude)) == 1.0


def test_small_blocks_give_the_same_result(result: FdcResult) -> None:
    for size in (256, 512, 1024):  # pyarrow's blocks must hold a row
        with mock.patch("k2nutrition.fdc._BLOCK_SIZE", size):
            small = load(DOWNLOAD)
        assert small.report == result.report
        assert [f.values for f in small.table] == [f.values for f in result.table]


# -- property tests -----------------------------------------------------------------------

KNOWN_FOODS = {1: "sr_legacy_food", 2: "foundation_food", 3: "branded_food"}
NOT_NUMBERS = ["", "n/a", "abc", "nan", "inf", "1e999", "1,5", " "]
OTHER_NUTRIENTS = [1003, 1051, 1118, 11850, 2118]


@st.composite
def fdc_rows(draw: st.DrawFn) -> list[dict[str, Any]]:
    rows = []
    for _ in range(draw(st.integers(0, 30))):
        kind = draw(st.sampled_from(["valid", "negative", "not a number"]))
        if kind == "valid":
            value = draw(st.floats(0, 1e6, allow_nan=False, allow_infinity=False))
            amount = draw(st.sampled_from([repr(value), f"{value:.3f}", f"{value:e}"]))
        elif kind == "negative":
            amount = repr(-draw(st.floats(1e-6, 1e6)))
        else:
            amount = draw(st.sampled_from(NOT_NUMBERS))
        rows.append(
            {
                "fdc_id": draw(st.sampled_from([1, 2, 3, 99])),
                "nutrient_id": draw(st.sampled_from([*NUTRIENTS, *OTHER_NUTRIENTS])),
                "amount": amount,
                "kind": kind,
                "footnote": draw(st.sampled_from(["", "note", "a, b", 'say "hi"', "two\nlines"])),
            }
        )
    return rows


def write_rows(
    rows: list[dict[str, Any]], quoting: Quoting, newline: str
) -> tuple[bytes, list[int]]:
    """Return the file and the line each row starts on."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=quoting, lineterminator=newline)
    writer.writerow(["id", "fdc_id", "nutrient_id", "amount", "footnote"])
    lines = []
    line = 2
    for n, row in enumerate(rows):
        writer.writerow([n, row["fdc_id"], row["nutrient_id"], row["amount"], row["footnote"]])
        lines.append(line)
        line += 1 + row["footnote"].count("\n")
    return out.getvalue().encode("utf-8"), lines


def expected_report(
    rows: list[dict[str, Any]], lines: list[int], data_types: set[str] | None
) -> tuple[list[tuple[int, int, int, str]], int, list[Rejection]]:
    kept: list[tuple[int, int, int, str]] = []
    skipped = 0
    rejected: list[Rejection] = []
    seen: set[tuple[int, int]] = set()
    for row, line in zip(rows, lines, strict=True):
        if row["nutrient_id"] not in NUTRIENTS:
            continue
        pair = (row["fdc_id"], row["nutrient_id"])
        if row["fdc_id"] not in KNOWN_FOODS:
            rejected.append(Rejection(line, UNKNOWN_FOOD))
        elif data_types is not None and KNOWN_FOODS[row["fdc_id"]] not in data_types:
            skipped += 1
        elif row["kind"] == "not a number":
            rejected.append(Rejection(line, NOT_A_NUMBER))
        elif row["kind"] == "negative":
            rejected.append(Rejection(line, NEGATIVE_AMOUNT))
        elif pair in seen:
            rejected.append(Rejection(line, DUPLICATE))
        else:
            seen.add(pair)
            kept.append((line, row["fdc_id"], row["nutrient_id"], row["amount"]))
    return kept, skipped, rejected


@settings(deadline=None, max_examples=60)
@given(
    rows=fdc_rows(),
    quoting=st.sampled_from([csv.QUOTE_ALL, csv.QUOTE_MINIMAL]),
    newline=st.sampled_from(["\n", "\r\n"]),
    block_size=st.sampled_from([256, 1024, 1 << 22]),
    data_types=st.sampled_from([None, {"sr_legacy_food"}, {"foundation_food", "branded_food"}]),
)
def test_every_vitamin_k_row_is_kept_skipped_or_rejected(
    tmp_path_factory: pytest.TempPathFactory,
    rows: list[dict[str, Any]],
    quoting: Quoting,
    newline: str,
    block_size: int,
    data_types: set[str] | None,
) -> None:
    data, lines = write_rows(rows, quoting, newline)
    folder = write_download(tmp_path_factory.mktemp("fdc"), data)
    with mock.patch("k2nutrition.fdc._BLOCK_SIZE", block_size):
        result = load(folder, data_types=data_types)
    kept, skipped, rejected = expected_report(rows, lines, data_types)
    report = result.report
    assert report.rows_read == len(rows)
    assert report.rows_vitamin_k == sum(r["nutrient_id"] in NUTRIENTS for r in rows)
    assert report.rows_kept == len(kept)
    assert report.rows_skipped == skipped
    assert report.rejected == tuple(sorted(rejected))
    assert report.rows_kept + report.rows_skipped + report.rows_rejected == report.rows_vitamin_k
    # amounts written are read back exactly, at their line
    read_back = sorted(
        (int(v.location.split(" line ")[1].split(";")[0]), f.id, v.component, v.value)
        for f in result.table
        for v in f.values
    )
    assert read_back == [
        (line, f"fdc-{fdc_id}", NUTRIENTS[nutrient].vitamer, float(amount))
        for line, fdc_id, nutrient, amount in kept
    ]


# -- combine ------------------------------------------------------------------------------


def make_food(record_id: str, food: str, name: str, **kwargs: Any) -> Food:
    source = Source(id="test-source", kind="database")
    return Food(
        id=record_id,
        food=food,
        name=name,
        content=VitaminK.from_magnitudes({Vitamer.K1: 1.0}, "content"),
        source=source,
        **kwargs,
    )


def test_combine_keeps_the_built_in_natto_preferred(result: FdcResult) -> None:
    both = combine(foods, result.table)
    assert len(both) == len(foods) + len(result.table)
    assert both["natto"] is foods["natto"]
    assert both["纳豆"] is foods["natto"]
    assert both.records("natto") == foods.records("natto")
    fdc_natto = both["fdc-320002"]
    assert fdc_natto is result.table["fdc-320002"]
    assert both["Natto (FDC 320002)"] is fdc_natto
    for f in foods:
        assert both[f.id] is f
    for f in result.table:
        assert both[f.id] is f
        assert both[f.name] is f


def test_combine_adjusts_clashing_secondary_names() -> None:
    other = make_food(
        "natto-other",
        "natto-other",
        "Natto",
        aliases=("natto", "sticky beans"),
        name_zh="纳豆",
        name_ja="糸引き",
    )
    both = combine(foods, FoodTable([other]))
    assert both["natto"] is foods["natto"]
    assert both["纳豆"] is foods["natto"]
    added = both["natto-other"]
    assert added.name == "Natto (natto-other)"
    assert added.aliases == ("sticky beans",)
    assert added.name_zh == ""
    assert added.name_ja == "糸引き"
    assert both["sticky beans"] is added
    assert both["Natto (natto-other)"] is added
    assert attrs.evolve(added, name="Natto", aliases=other.aliases, name_zh="纳豆") == other


def test_combine_joins_a_record_of_the_same_food() -> None:
    extra = make_food("natto-extra", "natto", "Natto, extra")
    both = combine(foods, FoodTable([extra]))
    assert both["natto"] is foods["natto"]
    builtin = foods.records("natto")
    assert [f.id for f in both.records("natto")] == [
        *(f.id for f in builtin if f.food == "natto"),
        "natto-extra",
        *(f.id for f in builtin if f.food != "natto"),  # FoodData Central's natto
    ]
    assert not both["natto-extra"].preferred
    assert both["Natto, extra"] is both["natto-extra"]


def test_combine_with_the_built_in_table_as_secondary() -> None:
    mine = make_food("my-natto", "my-natto", "Natto")
    both = combine(FoodTable([mine]), foods)
    assert both["natto"] is mine
    kamao = both["natto-kamao-2007"]
    assert kamao.food == "natto-kamao-2007"  # the key "natto" is the primary's name
    assert kamao.preferred
    assert "natto" not in [a.casefold() for a in kamao.aliases]
    assert both["纳豆"] is kamao
    assert both["fermented soybeans"] is kamao
    assert {f.id for f in both.records("natto-kamao-2007")} == {
        f.id for f in foods.records("natto") if f.food == "natto"
    }
    assert both["natto-nih-ods"].name == "Natto (natto-nih-ods)"
    assert len(both) == len(foods) + 1


def test_combine_same_records_twice_and_id_clashes() -> None:
    assert len(combine(foods, foods)) == len(foods)
    changed = attrs.evolve(foods["natto-kamao-2007"], notes="changed")
    with pytest.raises(DataError, match="both tables have a record 'natto-kamao-2007'"):
        combine(foods, FoodTable([changed]))
    with pytest.raises(DataError, match="record id 'spinach' is a name"):
        combine(foods, FoodTable([make_food("spinach", "my-spinach", "My spinach")]))


def test_result_table_pickles_and_iterates(result: FdcResult) -> None:
    import pickle

    table = pickle.loads(pickle.dumps(result.table))
    assert [f.id for f in table] == [f.id for f in result.table]


def iter_lines(path: Path) -> Iterator[str]:
    with path.open(encoding="utf-8") as f:
        yield from f


def test_fixture_is_in_the_fdc_layout() -> None:
    headers = {name: next(iter_lines(DOWNLOAD / name)).strip() for name in FILES}
    assert headers["food.csv"] == (
        '"fdc_id","data_type","description","food_category_id","publication_date"'
    )
    assert headers["nutrient.csv"] == '"id","name","unit_name","nutrient_nbr","rank"'
    assert headers["food_nutrient.csv"] == (
        '"id","fdc_id","nutrient_id","amount","data_points","derivation_id","min","max",'
        '"median","footnote","min_year_acquired"'
    )


@pytest.mark.parametrize("path", [None, 3, b"folder"])
def test_load_needs_a_path(path: object) -> None:
    from k2nutrition.fdc import FdcError, load

    with pytest.raises(FdcError, match=r"path needs a folder or a \.zip file"):
        load(path)  # type: ignore[arg-type]


# -- hostile downloads: bounded memory, one row's bad value is that row's rejection ---------

FOOD_NUTRIENT_HEADER = '"id","fdc_id","nutrient_id","amount"\n'


def test_zip_of_one_long_line_fails_fast_in_bounded_memory(tmp_path: Path) -> None:
    # one 1 GiB line, compressed to a few MB; written in chunks, never held whole
    path = tmp_path / "FoodData_Central_csv_2024-10-31.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("food.csv", FOOD_CSV)
        zf.writestr("nutrient.csv", NUTRIENT_CSV)
        with zf.open("food_nutrient.csv", "w", force_zip64=True) as member:
            member.write(FOOD_NUTRIENT_HEADER.encode())
            chunk = b"1" * (1 << 24)
            for _ in range(64):
                member.write(chunk)
    assert path.stat().st_size < 16 << 20
    tracemalloc.start()
    try:
        with pytest.raises(FdcError, match=r"food_nutrient\.csv, line 2: a line longer than"):
            load(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 64 << 20


@pytest.mark.parametrize("name", FILES)
def test_long_lines_and_large_files_are_refused_in_every_file(tmp_path: Path, name: str) -> None:
    folder = copy_download(tmp_path)
    path = folder / name
    path.write_bytes(path.read_bytes() + b'"' + b"x" * 5000 + b'"\n')
    with pytest.raises(FdcError, match=rf"{name}, line \d+: a line longer than 4,096 bytes"):
        load(folder, max_line=4096)
    with pytest.raises(FdcError, match=r"longer than 100 bytes"):
        load(DOWNLOAD, max_size=100)


def test_bad_caps() -> None:
    for bad in (0, -1, 1.5, True, "1"):
        with pytest.raises(FdcError, match="must be a positive whole number"):
            load(DOWNLOAD, max_line=bad)  # type: ignore[arg-type]
        with pytest.raises(FdcError, match="must be a positive whole number"):
            load(DOWNLOAD, max_size=bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", FILES)
def test_carriage_returns_alone_are_refused(tmp_path: Path, name: str) -> None:
    folder = copy_download(tmp_path)
    path = folder / name
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r"))
    with pytest.raises(FdcError, match=rf"{name}, line 1: a carriage return alone"):
        load(folder)


def test_carriage_return_alone_after_crlf_lines(tmp_path: Path) -> None:
    text = FOOD_NUTRIENT_HEADER.replace("\n", "\r\n") + '"1","1","1185","3"\r\n"2","1","1183","4"\r'
    with pytest.raises(FdcError, match=r"food_nutrient\.csv, line 3: a carriage return alone"):
        load(write_download(tmp_path / "d", text.encode()))
    crlf = load(write_download(tmp_path / "e", text.encode() + b"\n"))
    assert crlf.report.rows_kept == 2


def test_bad_crc_in_the_zip(tmp_path: Path) -> None:
    path = tmp_path / "download.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as zf:
        for name in FILES:
            zf.write(DOWNLOAD / name, name)
    data = bytearray(path.read_bytes())
    at = data.index(b"389.6")  # kale's phylloquinone, in food_nutrient.csv
    data[at : at + 5] = b"389.7"
    path.write_bytes(bytes(data))
    with pytest.raises(FdcError, match=r"food_nutrient\.csv: cannot be read \(Bad CRC-32"):
        load(path)


def stored_zip(tmp_path: Path) -> bytearray:
    path = tmp_path / "download.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as zf:
        for name in FILES:
            zf.write(DOWNLOAD / name, name)
    return bytearray(path.read_bytes())


def headers(data: bytearray) -> Iterator[int]:
    """Where each local header and central directory entry of a zip file starts."""
    for magic in (b"PK\x03\x04", b"PK\x01\x02"):
        at = data.find(magic)
        while at >= 0:
            yield at + (6 if magic == b"PK\x03\x04" else 8)  # its general purpose flags
            at = data.find(magic, at + 4)


def encrypted(data: bytearray) -> None:
    for at in headers(data):
        data[at] |= 1


def compressed_by(data: bytearray, method: int) -> None:
    for at in headers(data):
        data[at + 2 : at + 4] = method.to_bytes(2, "little")


def overwrite(data: bytearray, find: bytes, new: bytes) -> None:
    at = data.index(find)
    data[at : at + len(new)] = new


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        # the central directory's first entry no longer starts as one
        (lambda d: overwrite(d, b"PK\x01\x02", b"XX"), "damaged zip"),
        # a member's own header, or its name there, differs from the directory
        (lambda d: overwrite(d, b"PK\x03\x04", b"XX"), "cannot be read"),
        (lambda d: overwrite(d, b"food.csv", b"F"), "cannot be read"),
        # every member marked encrypted, or compressed by a method zipfile lacks
        (encrypted, "cannot be read"),
        (lambda d: compressed_by(d, 99), "cannot be read"),
    ],
    ids=["directory", "local header", "name", "encrypted", "method"],
)
def test_a_damaged_or_unreadable_zip_stops_the_load_with_fdc_error(
    tmp_path: Path, damage: Any, message: str
) -> None:
    data = stored_zip(tmp_path)
    damage(data)
    path = tmp_path / "damaged.zip"
    path.write_bytes(bytes(data))
    with pytest.raises(FdcError, match=message):
        load(path)


def test_a_field_over_the_csv_modules_limit_is_an_fdc_error_where_it_reads(
    tmp_path: Path,
) -> None:
    big = "x" * 200_000
    head = '"id","fdc_id","nutrient_id","amount","note"\n'
    # the header line is read by the csv module
    long_name = '"id","fdc_id","nutrient_id","amount","' + big + '"\n"1","1","1185","2","a"\n'
    with pytest.raises(FdcError, match=r"food_nutrient\.csv, line 1: field larger"):
        load(write_download(tmp_path / "a", long_name.encode()))
    # so is a row of another width, and so is a file with a blank line
    odd = head + '"1","1","1185","2","a"\n"2","1","1183","3","' + big + '","extra"\n'
    with pytest.raises(FdcError, match=r"food_nutrient\.csv, line 3: field larger"):
        load(write_download(tmp_path / "b", odd.encode()))
    blank = head + '"1","1","1185","2","' + big + '"\n\n'
    with pytest.raises(FdcError, match=r"food_nutrient\.csv, line 2: field larger"):
        load(write_download(tmp_path / "c", blank.encode()))
    # pyarrow reads such a field where its rows are its lines
    whole = load(
        write_download(tmp_path / "d", (head + '"1","1","1185","2","' + big + '"\n').encode())
    )
    assert whole.report.rows_kept == 1


def test_a_row_of_another_width_that_is_not_utf8_is_read_in_its_piece(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    # pyarrow cannot give such a row as text: the piece was read again by the csv module
    # (the whole file), and pyarrow printed the error it met
    data = b"id,fdc_id,nutrient_id,amount\n1,1,1185,2\n2,2,1185,3\xff,x\n3,2,1183,4,\xff\n"
    with mock.patch("k2nutrition.fdc._rows", wraps=fdc_module._rows) as read_by_csv:
        result = load(write_download(tmp_path / "d", data))
    assert [call.args[1] for call in read_by_csv.call_args_list] == ["nutrient.csv"]
    assert result.report.rows_read == 3
    assert result.report.rejected == (Rejection(3, NOT_A_NUMBER),)
    assert [v.location.split(";")[0] for f in result.table for v in f.values] == [
        "food_nutrient.csv line 2",
        "food_nutrient.csv line 4",
    ]
    assert capfd.readouterr().err == ""


def test_a_bad_value_rejects_its_row_and_the_load_goes_on(tmp_path: Path) -> None:
    data = (
        FOOD_NUTRIENT_HEADER.encode()
        + b'"1","1","1185","\xff3"\n'  # 2: not UTF-8 in the amount: that row is rejected
        + b'"2","1","1003","\xe8"\n'  # 3: not UTF-8 in another nutrient's row: not read
        + b'"3","\xff","1185","3"\n'  # 4: not UTF-8 in the fdc_id: unknown food
        + b'"4","2","1185","'
        + b"9" * 200_000
        + b'"\n'  # 5: a huge field: kept
        + b'"5","1","1185","2.5","x","y"\n'  # 6: more fields than the header: read
        + b'"6","3","1183"\n'  # 7: fewer fields: no amount
        + b'"7","1","1184","1"\n'  # 8
    )
    result = load(write_download(tmp_path / "d", data))
    assert result.report.rows_read == 7
    assert result.report.rejected == (
        Rejection(2, NOT_A_NUMBER),
        Rejection(4, UNKNOWN_FOOD),
        Rejection(5, NOT_A_NUMBER),  # 9...9 is not finite as a float
        Rejection(7, NOT_A_NUMBER),
    )
    assert [(v.location.split(";")[0], v.value) for v in result.table["fdc-1"].values] == [
        ("food_nutrient.csv line 6", 2.5),
        ("food_nutrient.csv line 8", 1.0),
    ]


def test_without_pyarrow_the_error_says_what_to_install() -> None:
    hidden = dict.fromkeys(["pyarrow", "pyarrow.csv", "pyarrow.compute"])
    with mock.patch.dict(sys.modules, hidden), pytest.raises(MissingDependencyError) as info:
        load(DOWNLOAD)
    assert "pip install 'k2nutrition[fdc]'" in str(info.value)


# -- records made on first use -------------------------------------------------------------


def test_records_are_made_on_first_use_as_a_table_of_the_same_records(result: FdcResult) -> None:
    eager = FoodTable(list(result.table))
    assert [f.id for f in eager] == [f.id for f in result.table]
    for record in result.table:
        assert result.table[record.name] is record
        assert result.table[record.id.replace("-", " ")] is record
        assert eager[record.name] == record
    for query in ["kale", "fdc 32000", "natto (fdc"]:
        assert result.table.search(query) == eager.search(query)
    assert result.table.suggest("kale raww") == eager.suggest("kale raww")
    assert repr(result.table) == repr(eager)


def test_foods_maps_each_record_to_its_food_csv_entry(result: FdcResult) -> None:
    assert list(result.foods) == [f.id for f in result.table]
    assert len(result.foods) == len(result.table)
    assert result.foods["fdc-320001"] == FdcFood(
        320001, "sr_legacy_food", "Kale, raw", "11", "2019-04-01"
    )
    assert "fdc-320004" not in result.foods  # its rows were rejected: no record
    with pytest.raises(KeyError):
        result.foods["fdc-320004"]


def test_a_figure_too_large_in_micrograms_stops_the_load(tmp_path: Path) -> None:
    text = FOOD_NUTRIENT_HEADER + '"1","1","1183","1e306"\n'  # mg: 1e309 µg
    with pytest.raises(K2NutritionError, match="finite"):
        load(write_download(tmp_path / "d", text.encode()))


def test_utf8_is_checked_across_reads(tmp_path: Path) -> None:
    folder = write_download(
        tmp_path / "d", (FOOD_NUTRIENT_HEADER + '"1","9","1185","2"\n').encode()
    )
    head = FOOD_CSV.encode()
    row = '"{}","sr_legacy_food","Crème","",""\n'
    rows = b"".join(row.format(n).encode() for n in range(10, 3000))
    at = (1 << 16) - len(head) - 1 - len(b'"9","sr_legacy_food","Cr')  # "è" over two reads
    food = head + b'"9","sr_legacy_food","Cr' + b"x" * at + 'ème","",""\n'.encode() + rows
    assert food[(1 << 16) - 1 : (1 << 16) + 1] == "è".encode()
    (folder / "food.csv").write_bytes(food)
    assert load(folder).table["fdc-9"].name.startswith("Crxxx")
    lines = food.count(b"\n")
    (folder / "food.csv").write_bytes(food + b'"8","sr_legacy_food","Cr\xe8me","",""\n')
    with pytest.raises(FdcError, match=rf"food\.csv, line {lines + 1}: not UTF-8"):
        load(folder)


# -- the reader: pyarrow's pieces against the csv module, numbers against Python ----------


def test_numbers_are_read_as_python_reads_them() -> None:
    import pyarrow as pa

    from k2nutrition.fdc import _DECIMAL, _INTEGER, _numbers

    texts = ["5", " 07 ", "+5", "-5", "+-5", "5.000", "5.5", "1e3", "0x5", "", "1" * 19, "٣"]
    ints, whole = _numbers(pa.array([t.encode() for t in texts], pa.binary()), _INTEGER, "int64")
    assert [int(i) if w else None for i, w in zip(ints, whole, strict=True)] == [
        5, 7, 5, -5, None, 5, None, None, None, None, None, None,
    ]  # fmt: skip
    texts = ["1.200", ".5", "5.", "-0.0", "+2", "1e-400", "1,5", "nan", "inf", "1e999", "1_0"]
    values, found = _numbers(
        pa.array([t.encode() for t in texts], pa.binary()), _DECIMAL, "float64"
    )
    assert [float(v) if f else None for v, f in zip(values, found, strict=True)] == [
        1.2, 0.5, 5.0, 0.0, 2.0, 0.0, None, None, None, None, None,
    ]  # fmt: skip


@settings(deadline=None, max_examples=200)
@given(st.lists(st.text("0123456789.eE+- \t,_xn", max_size=12), max_size=20))
def test_decimals_and_integers_match_python(texts: list[str]) -> None:
    import re

    import pyarrow as pa

    from k2nutrition.fdc import _DECIMAL, _INTEGER, _numbers

    column = pa.array([t.encode() for t in texts], pa.binary())
    values, found = _numbers(column, _DECIMAL, "float64")
    for text, value, ok in zip(texts, values.tolist(), found.tolist(), strict=True):
        match = re.fullmatch(_DECIMAL, text)
        expected = float(match.group("n")) if match else math.nan
        assert ok == math.isfinite(expected)
        if ok:  # the same double, to the last bit
            assert value.hex() == expected.hex() or (value == 0 == expected)
    ints, whole = _numbers(column, _INTEGER, "int64")
    for text, number, ok in zip(texts, ints.tolist(), whole.tolist(), strict=True):
        match = re.fullmatch(_INTEGER, text)
        assert ok == (match is not None)
        if match:
            assert number == int((match.group("sign") or "") + match.group("n"))


def read_by_csv_module(folder: Path, **options: Any) -> FdcResult:
    """Load with every piece refused by pyarrow's path, so that the csv module reads all."""
    with mock.patch("k2nutrition.fdc._parse", return_value=None):
        return load(folder, **options)


def same_result(a: FdcResult, b: FdcResult) -> None:
    assert a.report == b.report
    assert [(f.id, f.name, f.values, f.content) for f in a.table] == [
        (f.id, f.name, f.values, f.content) for f in b.table
    ]
    assert dict(a.foods) == dict(b.foods)


FIELDS = ["1185", "1183", " 1184 ", "1185.0", "1003", "01185", "1", "2", "3", "9", " 2", "2.0",
          "+2", "1.5", "-0.0", "1.200", "1,5", "nan", "inf", "1e999", "", "x", 'a"b', "two\nlines",
          "a, b", 'say "hi"', "\r\n", "é"]  # fmt: skip


@st.composite
def hostile_file(draw: st.DrawFn) -> bytes:
    """A food_nutrient.csv with quotes, CRLF, BOM, blank lines, odd rows and odd numbers."""
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    out = io.StringIO()
    writer = csv.writer(out, quoting=draw(st.sampled_from([0, 1, 2])), lineterminator=newline)
    writer.writerow(["id", "fdc_id", "nutrient_id", "amount", "footnote"])
    for n in range(draw(st.integers(0, 40))):
        row = [str(n), *(draw(st.sampled_from(FIELDS)) for _ in range(4))]
        if draw(st.integers(0, 9)) == 0:
            row = row[: draw(st.integers(1, 6))] + ["x"] * draw(st.integers(0, 1))
        writer.writerow(row)
        if draw(st.integers(0, 19)) == 0:
            out.write(newline)  # a blank line
    data = out.getvalue().encode()
    if draw(st.booleans()):
        data = "\ufeff".encode() + data
    if draw(st.integers(0, 4)) == 0:  # cut short, maybe inside a row or a quoted field
        data = data[: draw(st.integers(0, len(data)))]
    return data


@settings(deadline=None, max_examples=80)
@given(data=hostile_file(), block_size=st.sampled_from([64, 200, 1 << 22]))
def test_pyarrow_pieces_read_as_the_csv_module_does(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, block_size: int
) -> None:
    folder = write_download(tmp_path_factory.mktemp("fdc"), data)
    with mock.patch("k2nutrition.fdc._BLOCK_SIZE", block_size):
        fast = outcome(lambda: load(folder))
    slow = outcome(lambda: read_by_csv_module(folder))
    if isinstance(fast, str) or isinstance(slow, str):
        assert fast == slow
    else:
        same_result(fast, slow)


def outcome(read: Any) -> FdcResult | str:
    try:
        return read()  # type: ignore[no-any-return]
    except FdcError as exc:
        return str(exc)


def test_a_quoted_field_over_the_cut_between_pieces_is_not_read_as_rows(tmp_path: Path) -> None:
    # the footnote of line 3 opens a quote that a piece's end would cut; what follows in it
    # looks like a row of its own: pyarrow must not read that piece alone
    head = FOOD_NUTRIENT_HEADER.replace('"amount"', '"amount","footnote"').encode()
    first = b'"1","1","1185","2",""\n'
    tricky = b'"2","1","1183","3","a\n"3","2","1185","9",""\n'
    data = head + first + tricky + b'"4","2","1184","1",""\n'
    folder = write_download(tmp_path / "d", data)
    for size in range(16, len(data) + 8):
        with mock.patch("k2nutrition.fdc._BLOCK_SIZE", size):
            result = load(folder)
        assert result.report.rows_read == 3, size
        assert [v.location.split(";")[0] for f in result.table for v in f.values] == [
            "food_nutrient.csv line 2",
            "food_nutrient.csv line 3",
            "food_nutrient.csv line 5",
        ], size


def test_the_size_cap_names_the_line_it_stops_at(tmp_path: Path) -> None:
    rows = "".join(f'"{n}","1","1185","{n}"\n' for n in range(100))
    folder = write_download(tmp_path / "d", (FOOD_NUTRIENT_HEADER + rows).encode())
    cap = len(FOOD_NUTRIENT_HEADER) + len(rows.splitlines(keepends=True)[0]) * 10 + 3
    with mock.patch("k2nutrition.fdc._BLOCK_SIZE", 64), pytest.raises(FdcError) as info:
        load(folder, max_size=cap)
    assert "food_nutrient.csv, line 12: the file is longer than" in str(info.value)


def test_repr_counts_agree_in_number(result: FdcResult) -> None:
    text = repr(result)
    assert text.startswith(f"FdcResult({len(result.table)} foods, ")
    assert f"{result.report.rows_kept} values kept" in text
    one = FdcResult(
        table=result.table.subset(where=lambda f: f.id == next(iter(result.table)).id),
        report=result.report,
        source=result.source,
        release=result.release,
        foods=result.foods,
    )
    assert repr(one).startswith("FdcResult(1 food, ")


# -- numbers ------------------------------------------------------------------------------

NUMBER_TEXT = st.text(alphabet="0123456789.eE+- \tnaifxX_,\u0663", max_size=22)
EDGE_NUMBERS = [
    "1000000000000000000",  # 19 digits: not a whole number for load
    "9223372036854775807",
    "0000000000000000000001",
    "-999999999999999999",
    "+5",
    "-0",
    "5.0",
    "5.00",
    "5.1",
    "1.",
    ".5",
    "1e5",
    "1E-400",
    "nan",
    "inf",
    "-Infinity",
    " 5 ",
    "0x10",
    "",
]


def numbers_by_pattern(texts: list[str], pattern: str) -> list[float | None]:
    """The number each text is for load, by the pattern and Python: None if not a number."""
    out: list[float | None] = []
    for text in texts:
        match = re.fullmatch(pattern, text)
        joined = "".join(g for g in match.groups() if g) if match else ""
        value = (int if pattern == fdc_module._INTEGER else float)(joined) if match else None
        out.append(value if value is not None and math.isfinite(value) else None)
    return out


@settings(deadline=None, max_examples=300)
@given(
    texts=st.lists(
        st.one_of(
            NUMBER_TEXT,
            st.sampled_from(EDGE_NUMBERS),
            st.integers(-(10**20), 10**20).map(str),
            st.floats().map(str),
        ),
        min_size=1,
        max_size=8,
    ),
    pattern=st.sampled_from(["_INTEGER", "_DECIMAL"]),
)
def test_columns_of_numbers_are_read_as_their_pattern_reads_each_field(
    texts: list[str], pattern: str
) -> None:
    # plain columns take a shorter way (pyarrow's cast): it must give the same numbers
    import pyarrow as pa

    regex = getattr(fdc_module, pattern)
    kind = "int64" if pattern == "_INTEGER" else "float64"
    column = pa.array([t.encode() for t in texts], pa.binary())
    values, valid = fdc_module._numbers(column, regex, kind)
    read = [v if ok else None for v, ok in zip(values.tolist(), valid.tolist(), strict=True)]
    assert read == numbers_by_pattern(texts, regex)
    for text in texts:  # each field alone, as a column of its own
        one = fdc_module._numbers(pa.array([text.encode()], pa.binary()), regex, kind)
        assert (one[0][0].item() if one[1][0] else None) == numbers_by_pattern([text], regex)[0]


@pytest.mark.parametrize("block_size", [64, 97, 300])
def test_a_file_read_into_buffers_in_turn_gives_the_rows_of_one_read(
    tmp_path: Path, block_size: int
) -> None:
    # hundreds of pieces: each buffer of the ring is read into many times, with lines of
    # every length (some longer than a block) and a last line without its end
    rows = [
        f'"{n}","{n % 3 + 1}","{(1185, 1183, 1184, 1003)[n % 4]}","{n / 7:.{n % 9}f}"'
        + (f',"{"x" * (n % 150)}"' if n % 5 == 0 else ',""')
        for n in range(600)
    ]
    head = FOOD_NUTRIENT_HEADER.replace('"amount"', '"amount","footnote"')
    folder = write_download(tmp_path / "d", (head + "\n".join(rows)).encode())
    whole = load(folder)
    assert whole.report.rows_read == 600
    with mock.patch("k2nutrition.fdc._BLOCK_SIZE", block_size):
        pieces = load(folder)
    same_result(pieces, whole)
    lines = sorted(
        int(v.location.split(" line ")[1].split(";")[0]) for f in pieces.table for v in f.values
    )
    first: dict[tuple[int, int], int] = {}  # the first line of each food and vitamin K nutrient
    for n in range(600):
        if n % 4 != 3:
            first.setdefault((n % 3, n % 4), n + 2)
    assert lines == sorted(first.values())

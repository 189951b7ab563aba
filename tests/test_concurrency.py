"""Lazy loading under many threads, pickling across processes, and foreign registries."""

from __future__ import annotations

import concurrent.futures
import pickle
import subprocess
import sys
import threading

import pytest

import k2nutrition as k2
from k2nutrition import Q_

from .helpers import other_registry

FRESH = """
import sys, threading
import k2nutrition as k2
barrier = threading.Barrier(16)
results = []
def work():
    barrier.wait()
    natto = k2.foods["natto"]
    target = k2.guidelines["iom-2001"].target_for(k2.Person(age=55, sex="female"))
    q = k2.to_amount(k2.Q_(100, "µg"), k2.Vitamer.MK7)
    a = k2.check([k2.Portion("natto", "40 g")], k2.Person(age=55, sex="female"), "efsa-2017")
    results.append((id(natto), natto.portion("40 g").total.magnitude, target.low.magnitude,
                    round(q.magnitude, 9), a.status.value, id(k2.guidelines["iom-2001"])))
threads = [threading.Thread(target=work) for _ in range(16)]
for t in threads: t.start()
for t in threads: t.join()
assert len(results) == 16, results
assert len(set(results)) == 1, set(results)
print(results[0])
"""


def test_lazy_loading_is_safe_under_16_threads_starting_at_once() -> None:
    # A fresh interpreter, so that nothing is loaded before the threads start.
    out = subprocess.run([sys.executable, "-c", FRESH], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert "375.6" in out.stdout


def test_results_are_identical_in_every_thread() -> None:
    diet = k2.Diet([k2.Portion("natto", "40 g", per="2/week"), k2.Supplement("MK-7", "90 µg")])
    person = k2.Person(age=55, sex="female")
    barrier = threading.Barrier(16)

    def work() -> list[tuple[str, str, float]]:
        barrier.wait()
        return [
            (a.guideline.id, a.status.value, float(a.intake.magnitude))
            for a in k2.check_all(diet, person)
        ]

    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        results = list(pool.map(lambda _: work(), range(16)))
    assert all(r == results[0] for r in results)


def _roundtrip_in_worker(obj: object) -> object:
    return pickle.loads(pickle.dumps(obj))


@pytest.mark.parametrize(
    "make",
    [
        lambda: k2.foods["natto"],
        lambda: k2.VitaminK({"MK-7": "90 µg"}, pools={"total_K": "3 µg"}),
        lambda: k2.Person(age=30, sex="female", pregnant=True, body_weight="60 kg"),
        lambda: k2.Diet(
            [k2.Portion("natto", "40 g", per="2/week"), k2.Supplement("vitamin D", "800 IU")]
        ),
        lambda: k2.check(
            [k2.Portion("natto", "40 g")], k2.Person(age=55, sex="female"), "iom-2001"
        ),
        lambda: k2.check_all([k2.Portion("natto", "40 g")], k2.Person(age=55, sex="female")),
        lambda: k2.guidelines["efsa-2017"],
        lambda: k2.foods,
    ],
    ids=["food", "profile", "person", "diet", "assessment", "report", "guideline", "table"],
)
def test_records_and_results_pickle_also_in_a_worker_process(make: object) -> None:
    obj = make()  # type: ignore[operator]
    assert pickle.loads(pickle.dumps(obj)) == obj or obj is k2.foods
    with concurrent.futures.ProcessPoolExecutor(1) as pool:
        back = pool.submit(_roundtrip_in_worker, obj).result()
    if isinstance(obj, k2.FoodTable):
        assert isinstance(back, k2.FoodTable)
        assert back["natto"] == obj["natto"]
    else:
        assert back == obj


def test_quantities_from_a_users_registry_give_the_same_numbers() -> None:
    reg = other_registry()
    ours = k2.foods["natto"].portion(Q_(40, "g")).total.magnitude
    theirs = k2.foods["natto"].portion(reg.Quantity(40, "gram")).total.magnitude
    assert ours == theirs
    a = k2.Person(age=reg.Quantity(7, "month"), sex="male", body_weight=reg.Quantity(8, "kg"))
    b = k2.Person(age="7 months", sex="male", body_weight="8 kg")
    assert a == b
    assert k2.to_amount(reg.Quantity(100, "microgram"), "MK-7") == k2.to_amount("100 µg", "MK-7")


def test_nothing_global_is_mutated() -> None:
    import pint

    before = pint.get_application_registry().get()  # type: ignore[no-untyped-call]
    k2.foods["natto"].portion("40 g")
    k2.check_all([k2.Portion("natto", "40 g")], k2.Person(age=30, sex="male"))
    assert pint.get_application_registry().get() is before  # type: ignore[no-untyped-call]

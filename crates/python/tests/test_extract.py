"""The Python package: tablift.extract gives the CLI's datasets as pyarrow Tables."""

import decimal
import os
import threading
import time

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import tablift
from tablift import _native
from conftest import ROOT, run_cli

D = decimal.Decimal
SEED_DOCX = ROOT / "fixtures" / "seed" / "seed.docx"
DATASETS = [
    "projects",
    "indicators",
    "goals",
    "spending_plan",
    "sections",
    "flags",
    "tables",
    "tables_index",
    "failures",
]


def test_seed_docx_gives_its_16_projects_and_48_indicators_with_exact_values():
    got = tablift.extract(str(SEED_DOCX))
    assert list(got) == DATASETS
    projects = got["projects"]
    assert projects.num_rows == 16
    assert projects.schema.field("budget_total").type == pa.decimal128(38, 6)
    assert projects.schema.field("seq").type == pa.int64()
    first = projects.slice(0, 1).to_pylist()[0]
    assert first["source"] == str(SEED_DOCX)
    assert first["seq"] == 1
    assert first["project_code"] == "467-0201-YCN-4OK6"
    assert first["project_name"] == "2020年中央大气污染防治资金"
    assert first["budget_total"] == D("4621.00")
    assert first["budget_total_raw"] == "4621.00"
    # The sample's budgets, summed by hand from its projects.csv (tests/python/test_parquet.py).
    assert sum(projects.column("budget_total").to_pylist()) == D("8827.08")
    indicators = got["indicators"]
    assert indicators.num_rows == 48
    row = indicators.slice(0, 1).to_pylist()[0]
    assert (row["level1"], row["level2"], row["level3"]) == ("产出指标", "时效指标", "完成率")
    assert (row["value_raw"], row["value_op"], row["value_number"]) == ("≥60", ">=", D("60"))
    assert got["failures"].num_rows == 0


def test_the_same_parquet_bytes_as_the_cli_for_the_same_inputs(tmp_path):
    """The package runs the CLI's pipeline and writer: every dataset's file is identical."""
    out = run_cli(["fixtures"], tmp_path / "cli")
    datasets, tables, (inputs, ok, failed) = _native.extract_parquet(["fixtures"], [], 2)
    assert [n for n, _ in datasets] == DATASETS
    assert tables == []
    assert inputs == ok + failed and inputs > 25
    for name, blob in datasets:
        assert blob == (out / f"{name}.parquet").read_bytes(), name


def test_bytes_in_memory_are_named_by_the_caller():
    data = SEED_DOCX.read_bytes()
    got = tablift.extract({"archive/2020/seed.docx": data, "b.docx": data})
    sources = got["projects"].column("source").to_pylist()
    assert sources == ["archive/2020/seed.docx"] * 16 + ["b.docx"] * 16
    unnamed = tablift.extract(data)
    assert set(unnamed["projects"].column("source").to_pylist()) == {"input-1"}
    # Content decides the reader: a .docx under a .txt name is still read as Word.
    misnamed = tablift.extract([("x.txt", data)])
    assert misnamed["projects"].num_rows == 16


def test_a_bad_input_is_a_failure_row_not_an_exception():
    got = tablift.extract(
        [("broken.docx", b"PK\x03\x04 not really a zip"), ("seed.docx", SEED_DOCX.read_bytes())]
    )
    failures = got["failures"].to_pylist()
    assert [f["source"] for f in failures] == ["broken.docx"]
    assert failures[0]["kind"] and failures[0]["message"]
    assert got["projects"].num_rows == 16


def test_to_pandas_keeps_decimals_exact():
    frame = tablift.extract(str(SEED_DOCX))["projects"].to_pandas()
    assert len(frame) == 16
    assert frame["budget_total"].sum() == D("8827.08")


def test_tables_true_gives_each_table_as_a_rectangular_table_named_as_in_the_index():
    got = tablift.extract(str(SEED_DOCX), tables=True)
    index = got["tables_index"].to_pylist()
    files = [r["file"] for r in index if r["file"]]
    assert files and all(f.startswith("tables/") and f.endswith(".csv") for f in files)
    assert sorted(n for n in got if n.startswith("tables/")) == sorted(files)
    for r in index:
        if r["file"]:
            table = got[r["file"]]
            assert table.num_columns == r["columns"], r["file"]
            assert table.num_rows == r["rows"] - r["header_rows"], r["file"]
            assert all(t == pa.string() for t in table.schema.types)
    # --spans blank leaves the slots a merged cell covers empty instead of repeating its text
    # (the seed's indicator grids merge 一级指标 cells over rows).
    blank = tablift.extract(str(SEED_DOCX), tables=True, spans="blank")
    differing = []
    for f in files:
        for a, b in zip(got[f].to_pylist(), blank[f].to_pylist()):
            differing += [(a[k], b[k]) for k in a if a[k] != b[k]]
    assert differing and all(filled and not blanked for filled, blanked in differing)


def test_no_input_gives_every_dataset_empty_with_its_schema():
    schemas = tablift.dataset_schemas()
    assert list(schemas) == DATASETS
    assert schemas["indicators"].field("value_number").type == pa.decimal128(38, 6)


@pytest.mark.parametrize(
    "bad, error",
    [
        ([str(SEED_DOCX), b"bytes"], ValueError),
        ([1], TypeError),
        ([("name", "not bytes")], TypeError),
    ],
)
def test_wrong_arguments_are_python_errors(bad, error):
    with pytest.raises(error):
        tablift.extract(bad)


def test_wrong_options_are_python_errors():
    with pytest.raises(ValueError):
        tablift.extract(str(SEED_DOCX), spans="diagonal")
    with pytest.raises(ValueError):
        tablift.extract(str(SEED_DOCX), threads=0)


def test_the_gil_is_released_while_it_works():
    """Another Python thread runs while the native call reads the fixtures: with the GIL held
    it could not tick during the call's middle half."""
    ticks = []
    stop = threading.Event()

    def ticker():
        while not stop.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    t = threading.Thread(target=ticker)
    t.start()
    try:
        start = time.perf_counter()
        _native.extract_parquet(["fixtures"], [], 1)
        end = time.perf_counter()
    finally:
        stop.set()
        t.join()
    quarter = (end - start) / 4
    assert end - start > 0.02, "the call was too short to tell"
    middle = [x for x in ticks if start + quarter <= x <= end - quarter]
    assert len(middle) >= 5, (end - start, len(middle))

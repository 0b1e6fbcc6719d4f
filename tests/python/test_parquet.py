"""Load test: tablift's Parquet and CSV outputs as pyarrow and DuckDB read them.

Runs `tablift extract --format csv,parquet` on the bundled sample and on fixtures/, then checks
that every dataset's Parquet file and CSV file hold the same values read by pyarrow and by
DuckDB, that decimal columns arrive as DECIMAL(38, 6) and integers as BIGINT, and that a DuckDB
query summing budgets per department gives the totals computed by hand from the sample's
projects.csv. Run through scripts/test-python (it sets TABLIFT_BIN).
"""

import csv
import decimal
import os
import pathlib
import subprocess

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATASETS = [
    "projects",
    "indicators",
    "goals",
    "spending_plan",
    "sections",
    "flags",
    "tables",
    "failures",
]
D = decimal.Decimal

# Budgets (预算数, 万元) of the sample disclosure (sample/seed.docx) per department, with the
# number of projects, summed by hand from its projects.csv: the 16 projects all belong to
# 467002 定州市生态环境局: 4621.00 + 306.00 + 20.00 + 300.00 + 395.90 + 6.00 + 108.00 + 59.00
# + 4.00 + 1906.00 + 565.00 + 107.64 + 104.40 + 10.00 + 110.00 + 204.14 = 8827.08.
SAMPLE_TOTALS = {
    "定州市生态环境局": (D("8827.08"), 16),
}


def run(args, out):
    binary = os.environ.get("TABLIFT_BIN", str(ROOT / "target" / "debug" / "tablift"))
    cmd = [binary, "extract", *args, "--format", "csv,parquet", "-q", "-o", str(out)]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="session")
def outputs(tmp_path_factory):
    base = tmp_path_factory.mktemp("tablift")
    return {
        "sample": run([], base / "sample"),
        "fixtures": run(["fixtures"], base / "fixtures"),
    }


def csv_header(path):
    with open(path, newline="", encoding="utf-8") as f:
        return next(csv.reader(f))


def pyarrow_csv(path):
    """The CSV as strings, as written (an empty field is the empty string)."""
    names = csv_header(path)
    return pacsv.read_csv(
        path,
        parse_options=pacsv.ParseOptions(newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(
            column_types={n: pa.string() for n in names},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )


def as_csv_field(value):
    """A typed value as the CSV writes it; decimals stay Decimals (compared by value)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return value


def same(typed, field):
    if isinstance(typed, D):
        return typed == D(field)
    return as_csv_field(typed) == field


def assert_rows_equal(name, typed_rows, csv_rows):
    assert len(typed_rows) == len(csv_rows), name
    for i, (t, c) in enumerate(zip(typed_rows, csv_rows)):
        assert len(t) == len(c), (name, i)
        for k, (tv, cv) in enumerate(zip(t, c)):
            assert same(tv, cv), (name, i + 1, k, tv, cv)


@pytest.mark.parametrize("run_name", ["sample", "fixtures"])
@pytest.mark.parametrize("name", DATASETS)
def test_pyarrow_reads_the_same_values_from_parquet_and_csv(outputs, run_name, name):
    out = outputs[run_name]
    table = pq.read_table(out / f"{name}.parquet")
    text = pyarrow_csv(out / f"{name}.csv")
    assert table.column_names == text.column_names
    typed = [tuple(r.values()) for r in table.to_pylist()]
    fields = [tuple(r.values()) for r in text.to_pylist()]
    assert_rows_equal(name, typed, fields)


@pytest.mark.parametrize("run_name", ["sample", "fixtures"])
@pytest.mark.parametrize("name", DATASETS)
def test_duckdb_reads_the_same_values_from_parquet_and_csv(outputs, run_name, name):
    out = outputs[run_name]
    con = duckdb.connect()
    typed = con.execute("SELECT * FROM read_parquet(?)", [str(out / f"{name}.parquet")]).fetchall()
    fields = con.execute(
        "SELECT * FROM read_csv(?, all_varchar = true, header = true)",
        [str(out / f"{name}.csv")],
    ).fetchall()
    # DuckDB reads an empty CSV field as NULL: the same as the CSV's empty field.
    fields = [tuple("" if v is None else v for v in r) for r in fields]
    assert_rows_equal(name, typed, fields)


def test_types_are_declared_in_parquet(outputs):
    con = duckdb.connect()
    types = dict(
        con.execute(
            "SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(?))",
            [str(outputs["sample"] / "projects.parquet")],
        ).fetchall()
    )
    assert types["budget_total"] == "DECIMAL(38,6)"
    assert types["seq"] == "BIGINT"
    assert types["project_name"] == "VARCHAR"


def test_duckdb_sums_the_sample_budgets_per_department(outputs):
    con = duckdb.connect()
    parquet = str(outputs["sample"] / "projects.parquet")
    query = """
        SELECT department_name, sum(budget_total) AS total, count(*) AS projects
        FROM read_parquet(?) WHERE source = 'sample/seed.docx'
        GROUP BY department_name ORDER BY department_name
    """
    got = {d: (t, n) for d, t, n in con.execute(query, [parquet]).fetchall()}
    assert got == SAMPLE_TOTALS
    # The sample's second form (the Tika export of the .doc) gives the same totals, and the
    # CSV summed by DuckDB the same as the Parquet.
    both = con.execute(
        "SELECT sum(budget_total) FROM read_parquet(?)", [parquet]
    ).fetchone()[0]
    assert both == 2 * sum(t for t, _ in SAMPLE_TOTALS.values())
    from_csv = con.execute(
        "SELECT sum(CAST(budget_total AS DECIMAL(38, 6))) FROM read_csv(?, all_varchar = true)",
        [str(outputs["sample"] / "projects.csv")],
    ).fetchone()[0]
    assert from_csv == both


def test_documents_jsonl_lines_are_valid_against_the_generated_schema(tmp_path):
    """docs/SCHEMA.json's JSON Schema (generated from the record types) accepts every line."""
    import json

    import jsonschema

    schema = json.loads((ROOT / "docs" / "SCHEMA.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema["documents.jsonl"])
    binary = os.environ.get("TABLIFT_BIN", str(ROOT / "target" / "debug" / "tablift"))
    out = tmp_path / "jsonl"
    done = subprocess.run(
        [binary, "extract", "fixtures", "-o", str(out), "-q", "--format", "jsonl"],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert done.returncode == 0, done.stderr
    lines = (out / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) > 20
    for line in lines:
        validator.validate(json.loads(line))

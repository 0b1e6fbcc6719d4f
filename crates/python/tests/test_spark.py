"""The Spark job (tablift.spark) in local[2] mode gives the CLI's rows for the same inputs.

Needs PySpark and Java (scripts/test-python installs PySpark; Java 17 is the machine's or
Debian's openjdk-17-jre-headless). Rows are compared as sorted lists: Spark writes them in
its own order.
"""

import os
import shutil
import sys

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import tablift
import tablift.spark
from conftest import ROOT, run_cli

pyspark = pytest.importorskip("pyspark")


@pytest.fixture(scope="module")
def spark():
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.fail("the Spark test needs Java (apt-get install openjdk-17-jre-headless)")
    # Executors run this interpreter (the one with tablift and pyarrow installed).
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("tablift-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def sorted_rows(table):
    return sorted(table.to_pylist(), key=repr)


def test_the_spark_job_gives_the_cli_rows(spark, tmp_path):
    # Absolute, so that the CLI's source column is the path Spark lists (without file:).
    inputs = ROOT / "fixtures"
    written = tablift.spark.run(spark, str(inputs), str(tmp_path / "spark"), threads=1)
    cli = run_cli([inputs], tmp_path / "cli")
    schemas = tablift.dataset_schemas()
    assert list(written) == list(schemas)
    for name, schema in schemas.items():
        expected = pq.read_table(cli / f"{name}.parquet")
        got = pq.read_table(tmp_path / "spark" / name)
        assert got.column_names == expected.column_names, name
        assert [f.type for f in got.schema] == [f.type for f in schema], name
        assert written[name] == expected.num_rows, name
        assert sorted_rows(got) == sorted_rows(expected), name
    assert written["projects"] > 200

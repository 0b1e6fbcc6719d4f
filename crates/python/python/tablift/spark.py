"""tablift on Spark, for archives that outgrow one machine.

    python -m tablift.spark INPUT OUTPUT [--master local[2]] [--threads N]

reads every file under INPUT with Spark's ``binaryFile`` source, extracts each Arrow batch of
files with :func:`tablift.extract` inside ``mapInArrow`` (so the work is spread over the
executors, and each executor's batch over its cores), and writes one Parquet folder per
dataset: ``OUTPUT/projects/``, ``OUTPUT/indicators/``, …, ``OUTPUT/failures/``, with the
types of the CLI's Parquet files. The tablift package must be installed on every executor.

Each batch is extracted once: the first stage keeps every dataset of the batch as Parquet
bytes (one row per batch and dataset, persisted), then one typed stage per dataset decodes
its rows. ``source`` is the file's path as Spark gives it, without the ``file:`` scheme, so
that ``tablift extract /abs/INPUT`` names the same files the same way; rows come in Spark's
order, not the CLI's (compare them sorted).
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import Dict, Iterator, Optional
from urllib.parse import unquote, urlparse

import pyarrow as pa
import pyarrow.parquet as pq

import tablift
from tablift import _native

PAYLOAD_SCHEMA = "dataset string, parquet binary"


def source_name(uri: str) -> str:
    """The CLI's name for a file Spark lists as ``file:/abs/path`` (local paths only keep
    their path; other schemes keep the whole URI)."""
    parsed = urlparse(uri)
    if parsed.scheme == "file":
        return unquote(parsed.path)
    return uri


def _extract_batches(threads: Optional[int]):
    def extract(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            paths = batch.column("path").to_pylist()
            contents = batch.column("content").to_pylist()
            buffers = [(source_name(p), c) for p, c in zip(paths, contents)]
            if not buffers:
                continue
            datasets, _tables, _counts = _native.extract_parquet(
                [], buffers, threads, False, "fill"
            )
            yield pa.RecordBatch.from_pydict(
                {
                    "dataset": [name for name, _ in datasets],
                    "parquet": [blob for _, blob in datasets],
                },
                schema=pa.schema([("dataset", pa.string()), ("parquet", pa.binary())]),
            )

    return extract


def _decode(schema: pa.Schema):
    def decode(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            for blob in batch.column("parquet").to_pylist():
                table = pq.read_table(pa.BufferReader(blob)).cast(schema)
                yield from table.to_batches()

    return decode


def run(spark, input_path: str, output_path: str, threads: Optional[int] = None) -> Dict[str, int]:
    """Extract every file under ``input_path`` into ``output_path`` (one Parquet folder per
    dataset, overwritten). Returns the rows written per dataset."""
    from pyspark.sql import functions as F
    from pyspark.sql.pandas.types import from_arrow_schema

    # The files a directory walk of the CLI takes: every reader's extensions, any case.
    # (Spark itself skips names starting with `.` or `_`, as Hadoop does.)
    wanted = r"(?i)\.(" + "|".join(re.escape(e) for e in tablift.extensions()) + r")$"
    files = (
        spark.read.format("binaryFile")
        .option("recursiveFileLookup", "true")
        .load(input_path)
        .where(F.col("path").rlike(wanted))
        .select("path", "content")
    )
    payload = files.mapInArrow(_extract_batches(threads), PAYLOAD_SCHEMA).persist()
    written: Dict[str, int] = {}
    try:
        for name, schema in tablift.dataset_schemas().items():
            # Field metadata (tablift:type) does not survive Spark's types: drop it here.
            plain = pa.schema([pa.field(f.name, f.type, f.nullable) for f in schema])
            rows = payload.where(F.col("dataset") == name).select("parquet")
            typed = rows.mapInArrow(_decode(plain), from_arrow_schema(plain))
            typed.write.mode("overwrite").parquet(f"{output_path}/{name}")
            written[name] = spark.read.parquet(f"{output_path}/{name}").count()
    finally:
        payload.unpersist()
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tablift.spark", description=__doc__.split("\n\n")[0])
    parser.add_argument("input", help="a folder (or any path Spark's binaryFile source reads)")
    parser.add_argument("output", help="the output folder: one Parquet folder per dataset")
    parser.add_argument("--master", default=None, help="Spark master (default: Spark's own, e.g. from spark-submit)")
    parser.add_argument("--threads", type=int, default=None, help="tablift threads per task (default: all CPUs)")
    args = parser.parse_args(argv)

    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("tablift")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    try:
        written = run(spark, args.input, args.output, args.threads)
    finally:
        spark.stop()
    for name, rows in written.items():
        print(f"{name}: {rows} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Shared by the package's tests: the repository root and the CLI binary (set by
scripts/test-python as TABLIFT_BIN)."""

import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[3]


def run_cli(args, out):
    """`tablift extract ARGS --format parquet -o OUT` from the repository root; returns OUT."""
    binary = os.environ.get("TABLIFT_BIN", str(ROOT / "target" / "debug" / "tablift"))
    cmd = [binary, "extract", *map(str, args), "--format", "parquet", "-q", "-o", str(out)]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    # 2: some inputs failed (they are rows of failures.parquet), the rest written.
    assert done.returncode in (0, 2), done.stderr
    return pathlib.Path(out)


@pytest.fixture
def root():
    return ROOT

"""tablift: the tables of published reports as typed datasets.

    import tablift
    datasets = tablift.extract(["fixtures/seed"])     # dict[str, pyarrow.Table]
    projects = datasets["projects"].to_pandas()

The same Rust pipeline as the ``tablift`` command, run in-process with the GIL released and
on all cores; each dataset comes back with the types of the CLI's Parquet output (amounts
and percentages as DECIMAL with their written scale, integers as int64, missing as null).
Inputs that cannot be read are rows of the ``failures`` table, never exceptions.
"""

from __future__ import annotations

import os
from typing import Dict, Iterable, List, Mapping, Optional, Tuple, Union

import pyarrow as pa
import pyarrow.parquet as pq

from . import _native

__all__ = ["extract", "dataset_schemas", "extensions", "__version__"]

__version__ = _native.version()

Buffer = Union[bytes, bytearray, memoryview]
Input = Union[str, "os.PathLike[str]", Buffer, Tuple[str, Buffer]]


def extract(
    inputs: Union[Input, Iterable[Input], Mapping[str, Buffer]],
    *,
    threads: Optional[int] = None,
    tables: bool = False,
    spans: str = "fill",
) -> Dict[str, pa.Table]:
    """Extract every dataset from files, directories or documents in memory.

    ``inputs`` is a path (a file, or a directory walked recursively for every format tablift
    reads), a ``(name, bytes)`` pair, bytes alone (named ``input-1``, ``input-2``, …), a
    mapping of names to bytes, or a list of these; paths and bytes cannot be mixed in one
    call. A name is what the ``source`` columns show, and its extension helps route bytes
    that no reader recognises by content.

    Returns the datasets by name, in the CLI's order: ``projects``, ``indicators``, ``goals``,
    ``spending_plan``, ``sections``, ``flags``, ``tables``, ``tables_index``, ``failures``
    (see ``tablift schema``). With ``tables=True`` also every table as its own rectangular
    table of strings, keyed by the ``file`` column of ``tables_index``
    (``tables/sample/seed.docx.t003.csv``); ``spans`` (``fill`` or ``blank``) says what the
    slots a merged cell covers hold. ``threads`` defaults to the number of CPUs; the result
    is the same for any value.
    """
    paths, buffers = _split_inputs(inputs)
    datasets, table_files, _counts = _native.extract_parquet(
        paths, buffers, threads, tables, spans
    )
    out: Dict[str, pa.Table] = {}
    for name, blob in datasets:
        out[name] = pq.read_table(pa.BufferReader(blob))
    for name, blob in table_files:
        out[name] = pq.read_table(pa.BufferReader(blob))
    return out


def dataset_schemas() -> Dict[str, pa.Schema]:
    """Every dataset's Arrow schema (what ``extract`` returns for no input)."""
    return {name: table.schema for name, table in extract([]).items()}


def extensions() -> List[str]:
    """The file extensions a directory walk takes (every reader's), lower case."""
    return list(_native.extensions())


def _split_inputs(inputs) -> Tuple[List[str], List[Tuple[str, bytes]]]:
    if isinstance(inputs, (str, os.PathLike, bytes, bytearray, memoryview, tuple)):
        inputs = [inputs]
    elif isinstance(inputs, Mapping):
        inputs = list(inputs.items())
    paths: List[str] = []
    buffers: List[Tuple[str, bytes]] = []
    for item in inputs:
        if isinstance(item, (str, os.PathLike)):
            paths.append(os.fspath(item))
        elif isinstance(item, (bytes, bytearray, memoryview)):
            buffers.append((f"input-{len(buffers) + 1}", bytes(item)))
        elif (
            isinstance(item, tuple)
            and len(item) == 2
            and isinstance(item[0], str)
            and isinstance(item[1], (bytes, bytearray, memoryview))
        ):
            buffers.append((item[0], bytes(item[1])))
        else:
            raise TypeError(
                "an input is a path, bytes, or a (name, bytes) pair; got "
                + type(item).__name__
            )
    if paths and buffers:
        raise ValueError("give paths or bytes, not both in one call")
    return paths, buffers

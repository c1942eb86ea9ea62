"""Every table of an ingest, read by every Parquet reader analysts use, and README's examples
run as printed.

    python tests/readers/check_tables.py OUT_DIR README.md

OUT_DIR holds the tables of `secreg ingest` and of `secreg backfill` (every NAME.parquet
beside its NAME.csv). Each
table is loaded with pandas (default and pyarrow dtype backends), pyarrow's
`read_table(...).to_pandas()`, polars and DuckDB; each must give the CSV's rows, with no view
type (`string_view`) in the file's Arrow schema and the enums still typed (pandas Categorical,
a polars Enum, a DuckDB ENUM or VARCHAR). Then README's ```python blocks are run verbatim, from
the folder that holds OUT_DIR as `out` (README's paths are `out/NAME.parquet`), each top-level
expression evaluated (a DuckDB relation is fetched: it is lazy).

`.ci/run` runs this in a virtual environment (`target/readers-venv`).
"""

import ast
import csv
import os
import re
import sys

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def csv_rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return sum(1 for _ in csv.reader(f)) - 1


def holds_a_view(t):
    if pa.types.is_string_view(t) or pa.types.is_binary_view(t):
        return True
    if pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_fixed_size_list(t):
        return holds_a_view(t.value_type)
    if pa.types.is_dictionary(t):
        return holds_a_view(t.value_type)
    if pa.types.is_struct(t):
        return any(holds_a_view(t.field(i).type) for i in range(t.num_fields))
    return False


def check_table(path, rows):
    name = os.path.basename(path)
    schema = pq.read_schema(path)
    enums = [f.name for f in schema if pa.types.is_dictionary(f.type)]
    for f in schema:
        if holds_a_view(f.type):
            fail(f"{name}.{f.name}: {f.type} in the file's Arrow schema")

    loaded = {
        "pandas": pd.read_parquet(path),
        "pandas (pyarrow backend)": pd.read_parquet(path, dtype_backend="pyarrow"),
        "pyarrow to_pandas": pq.read_table(path).to_pandas(),
    }
    for reader, df in loaded.items():
        if len(df) != rows:
            fail(f"{name} by {reader}: {len(df)} rows, the CSV has {rows}")
        for column in enums:
            dtype = df[column].dtype
            typed = isinstance(dtype, pd.CategoricalDtype) or (
                isinstance(dtype, pd.ArrowDtype) and pa.types.is_dictionary(dtype.pyarrow_dtype)
            )
            if not typed:
                fail(f"{name}.{column} by {reader}: {dtype}, not categorical")
        # Every value converts, lists included (what pandas could not do with string_view).
        df.to_dict("records")

    frame = pl.read_parquet(path)
    if frame.height != rows:
        fail(f"{name} by polars: {frame.height} rows, the CSV has {rows}")
    for column in enums:
        if not isinstance(frame.schema[column], (pl.Enum, pl.Categorical)):
            fail(f"{name}.{column} by polars: {frame.schema[column]}, not an Enum")
    frame.to_dicts()

    relation = duckdb.sql(f"select * from read_parquet('{path}')")
    fetched = relation.fetchall()
    if len(fetched) != rows:
        fail(f"{name} by DuckDB: {len(fetched)} rows, the CSV has {rows}")
    types = dict(zip(relation.columns, (str(t) for t in relation.types)))
    for column in enums:
        if not (types[column].startswith("ENUM") or types[column] == "VARCHAR"):
            fail(f"{name}.{column} by DuckDB: {types[column]}")
    # A filter on an enum column, as analysts write it.
    if enums:
        duckdb.sql(
            f"select count(*) from read_parquet('{path}') where \"{enums[0]}\" is not null"
        ).fetchall()
    print(f"ok  {name}: {rows} rows, enums {', '.join(enums) or '-'}")


def readme_blocks(readme, language):
    return re.findall(r"```" + language + r"\n(.*?)```", readme, flags=re.S)


def run_verbatim(code, label):
    """Runs a README block as printed, evaluating each top-level expression and fetching what
    it gives (a DuckDB relation runs its query only when fetched)."""
    scope = {}
    for statement in ast.parse(code).body:
        if isinstance(statement, ast.Expr):
            value = eval(compile(ast.Expression(statement.value), label, "eval"), scope)
            if hasattr(value, "fetchall"):
                value = value.fetchall()
            repr(value)
        else:
            exec(compile(ast.Module([statement], type_ignores=[]), label, "exec"), scope)
    return scope


def main():
    out_dir, readme_path = sys.argv[1], sys.argv[2]
    print(
        f"pandas {pd.__version__}, pyarrow {pa.__version__}, polars {pl.__version__}, "
        f"duckdb {duckdb.__version__}"
    )
    tables = sorted(f for f in os.listdir(out_dir) if f.endswith(".parquet"))
    # 8 of `ingest`, 2 of `backfill` (.ci/run writes both).
    if len(tables) < 10:
        fail(f"{out_dir}: {len(tables)} Parquet tables, 10 expected")
    for table in tables:
        path = os.path.join(out_dir, table)
        check_table(path, csv_rows(path[: -len(".parquet")] + ".csv"))

    with open(readme_path, encoding="utf-8") as f:
        readme = f.read()
    blocks = readme_blocks(readme, "python")
    if not blocks:
        fail("README.md has no ```python block")
    # README's paths are out/NAME.parquet: run from the folder that holds the tables as out.
    here = os.getcwd()
    os.chdir(os.path.dirname(os.path.abspath(out_dir)))
    if os.path.basename(os.path.abspath(out_dir)) != "out":
        fail(f"{out_dir}: README's examples read out/; ingest into a folder named out")
    try:
        for i, block in enumerate(blocks):
            scope = run_verbatim(block, f"README.md python block {i + 1}")
            # What the README's comments claim of the types.
            if "dcc" in scope and not isinstance(scope["dcc"]["status"].dtype, pd.CategoricalDtype):
                fail("README: dcc_status.status is not a pandas Categorical")
            if "events" in scope and not isinstance(scope["events"].schema["event"], pl.Enum):
                fail("README: events.event is not a polars Enum")
            print(f"ok  README.md python block {i + 1}")
        for i, block in enumerate(readme_blocks(readme, "sql")):
            duckdb.sql(block).fetchall()
            print(f"ok  README.md sql block {i + 1}")
    finally:
        os.chdir(here)
    print("every table read by every reader; README's examples ran as printed")


if __name__ == "__main__":
    main()

//! Typed columns built as records arrive, turned into polars frames once, with the schema of
//! `schema.rs`.

use polars::prelude::*;

use super::schema::{ColumnType, Field, Table, TableSchema};
use crate::grammar::Date;

/// One value of a row, as the schema types it: what a column's getter returns.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Null,
    Text(String),
    Date(Date),
    UInt32(u32),
    UInt64(u64),
    Float32(f32),
    Bool(bool),
    TextList(Vec<String>),
}

impl From<Option<String>> for Value {
    fn from(v: Option<String>) -> Value {
        v.map_or(Value::Null, Value::Text)
    }
}

impl From<String> for Value {
    fn from(v: String) -> Value {
        Value::Text(v)
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Value {
        Value::Text(v.to_string())
    }
}

impl From<Option<Date>> for Value {
    fn from(v: Option<Date>) -> Value {
        v.map_or(Value::Null, Value::Date)
    }
}

impl From<u32> for Value {
    fn from(v: u32) -> Value {
        Value::UInt32(v)
    }
}

impl From<Option<u32>> for Value {
    fn from(v: Option<u32>) -> Value {
        v.map_or(Value::Null, Value::UInt32)
    }
}

impl From<bool> for Value {
    fn from(v: bool) -> Value {
        Value::Bool(v)
    }
}

impl From<Option<f32>> for Value {
    fn from(v: Option<f32>) -> Value {
        v.map_or(Value::Null, Value::Float32)
    }
}

impl From<f32> for Value {
    fn from(v: f32) -> Value {
        Value::Float32(v)
    }
}

#[derive(Debug, Clone)]
enum ColumnData {
    Text(Vec<Option<String>>),
    Date(Vec<Option<i32>>),
    UInt32(Vec<Option<u32>>),
    UInt64(Vec<Option<u64>>),
    Float32(Vec<Option<f32>>),
    Bool(Vec<Option<bool>>),
    TextList(Vec<Option<Vec<String>>>),
}

/// A table being filled: one typed vector per column.
#[derive(Debug, Clone)]
pub(crate) struct TableBuilder {
    pub table: TableSchema,
    columns: Vec<ColumnData>,
    rows: usize,
}

impl TableBuilder {
    pub fn new(table: Table) -> TableBuilder {
        let table = table.schema();
        let columns = table
            .columns
            .iter()
            .map(|c| match c.ty {
                ColumnType::Text | ColumnType::Enum(_) => ColumnData::Text(Vec::new()),
                ColumnType::Date => ColumnData::Date(Vec::new()),
                ColumnType::UInt32 => ColumnData::UInt32(Vec::new()),
                ColumnType::UInt64 => ColumnData::UInt64(Vec::new()),
                ColumnType::Float32 => ColumnData::Float32(Vec::new()),
                ColumnType::Bool => ColumnData::Bool(Vec::new()),
                ColumnType::TextList => ColumnData::TextList(Vec::new()),
            })
            .collect();
        TableBuilder {
            table,
            columns,
            rows: 0,
        }
    }

    /// The builder of the same table, empty.
    pub fn emptied(&self) -> TableBuilder {
        TableBuilder::new(self.table.table)
    }

    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// Appends the row of `context` and `record`, each value taken by its column's getter
    /// (`fields` is the table's definition in `schema.rs`). Panics when a getter's value does
    /// not fit its column: a bug in the definition, not bad input.
    pub fn push<C, R>(&mut self, fields: &[Field<C, R>], context: &C, record: &R) {
        assert_eq!(
            fields.len(),
            self.columns.len(),
            "fields of table {}",
            self.table.name
        );
        for (field, data) in fields.iter().zip(self.columns.iter_mut()) {
            let name = field.column.name;
            match (data, (field.get)(context, record)) {
                // No empty strings in the tables: CSV cannot tell them from nulls.
                (ColumnData::Text(v), Value::Text(s)) => v.push((!s.is_empty()).then_some(s)),
                (ColumnData::Text(v), Value::Null) => v.push(None),
                (ColumnData::Date(v), Value::Date(d)) => v.push(Some(d.days_since_epoch())),
                (ColumnData::Date(v), Value::Null) => v.push(None),
                (ColumnData::UInt32(v), Value::UInt32(x)) => v.push(Some(x)),
                (ColumnData::UInt32(v), Value::Null) => v.push(None),
                (ColumnData::UInt64(v), Value::UInt64(x)) => v.push(Some(x)),
                (ColumnData::UInt64(v), Value::Null) => v.push(None),
                (ColumnData::Float32(v), Value::Float32(x)) => v.push(Some(x)),
                (ColumnData::Float32(v), Value::Null) => v.push(None),
                (ColumnData::Bool(v), Value::Bool(x)) => v.push(Some(x)),
                (ColumnData::Bool(v), Value::Null) => v.push(None),
                (ColumnData::TextList(v), Value::TextList(x)) => v.push(Some(x)),
                (ColumnData::TextList(v), Value::Null) => v.push(None),
                (_, value) => panic!(
                    "{}.{name}: value {value:?} does not fit the column",
                    self.table.name
                ),
            }
        }
        self.rows += 1;
    }

    /// The finished frame, every column cast to its schema type.
    pub fn into_frame(self) -> PolarsResult<DataFrame> {
        let mut series = Vec::with_capacity(self.columns.len());
        for (column, data) in self.table.columns.iter().zip(self.columns) {
            let name: PlSmallStr = column.name.into();
            let s = match data {
                ColumnData::Text(v) => Series::new(name, v),
                ColumnData::Date(v) => Int32Chunked::from_iter_options(name, v.into_iter())
                    .into_date()
                    .into_series(),
                ColumnData::UInt32(v) => Series::new(name, v),
                ColumnData::UInt64(v) => Series::new(name, v),
                ColumnData::Float32(v) => Series::new(name, v),
                ColumnData::Bool(v) => Series::new(name, v),
                ColumnData::TextList(v) => text_lists(name, &v),
            };
            let s = match &column.ty {
                ColumnType::Enum(values) => {
                    let categories = FrozenCategories::new(values.iter().copied())?;
                    let dtype = DataType::from_frozen_categories(categories);
                    match s.null_count() == s.len() {
                        true => all_null_enum(s.name().clone(), s.len(), dtype)?,
                        // strict: a value outside the vocabulary is a bug, not a null.
                        false => s.strict_cast(&dtype)?,
                    }
                }
                _ => s,
            };
            series.push(s.into_column());
        }
        DataFrame::new_infer_height(series)
    }
}

// The columns below are built typed, never cast from nulls: polars makes a column of nulls
// (a cast of one, `Series::full_null`) from 8 MiB of zeroes it fills once a process, and the
// empty frames every run begins with did so (2,048 pages touched, 8 MB of a one-report run's
// peak; 8.4M of its instructions).

/// A column of lists of text, typed `List<String>` even when empty or all null (a column
/// collected from lists would infer `List<Null>`).
fn text_lists(name: PlSmallStr, lists: &[Option<Vec<String>>]) -> Series {
    let items = lists.iter().flatten().map(Vec::len).sum();
    let mut builder = ListStringChunkedBuilder::new(name, lists.len(), items);
    for list in lists {
        match list {
            Some(items) => builder.append_values_iter(items.iter().map(String::as_str)),
            None => builder.append_null(),
        }
    }
    builder.finish().into_series()
}

/// A column of `len` nulls of an enum type.
fn all_null_enum(name: PlSmallStr, len: usize, dtype: DataType) -> PolarsResult<Series> {
    // SAFETY: every id is null, so none is outside the categories.
    Ok(match dtype.cat_physical()? {
        CategoricalPhysical::U8 => unsafe {
            let ids = UInt8Chunked::from_iter_options(name, std::iter::repeat_n(None, len));
            Categorical8Chunked::from_cats_and_dtype_unchecked(ids, dtype).into_series()
        },
        CategoricalPhysical::U16 => unsafe {
            let ids = UInt16Chunked::from_iter_options(name, std::iter::repeat_n(None, len));
            Categorical16Chunked::from_cats_and_dtype_unchecked(ids, dtype).into_series()
        },
        CategoricalPhysical::U32 => unsafe {
            let ids = UInt32Chunked::from_iter_options(name, std::iter::repeat_n(None, len));
            Categorical32Chunked::from_cats_and_dtype_unchecked(ids, dtype).into_series()
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::schema::{self, Source};
    use crate::model::{Diagnostic, DiagnosticCode, Provenance, Severity};

    fn source() -> Source {
        Source {
            report_id: "abc".into(),
            source_file: "f.pdf".into(),
            report_date: Date::new(2020, 6, 12),
        }
    }

    #[test]
    fn frames_carry_the_schema_types() {
        let mut b = TableBuilder::new(Table::Diagnostics);
        let d = Diagnostic {
            at: Some(Provenance {
                page: 3,
                line: 4,
                snippet: "a line".into(),
            }),
            severity: Severity::Warning,
            code: DiagnosticCode::AmbiguousId,
            message: "m".into(),
        };
        b.push(&schema::diagnostics(), &source(), &d);
        let df = b.into_frame().unwrap();
        assert_eq!(df.height(), 1);
        assert_eq!(df.column("report_date").unwrap().dtype(), &DataType::Date);
        assert!(matches!(
            df.column("severity").unwrap().dtype(),
            DataType::Enum(_, _)
        ));
        assert!(matches!(
            df.column("code").unwrap().dtype(),
            DataType::Enum(_, _)
        ));
        assert_eq!(df.column("page").unwrap().dtype(), &DataType::UInt32);
    }

    #[test]
    fn empty_and_all_null_columns_carry_the_schema_types() {
        for table in Table::ingested() {
            let empty = TableBuilder::new(table).into_frame().unwrap();
            assert_eq!(empty.height(), 0);
            // The types built without a cast (the others are polars' own for their values).
            for column in &table.columns() {
                let got = empty.column(column.name).unwrap().dtype().clone();
                let want = match &column.ty {
                    ColumnType::Date => DataType::Date,
                    ColumnType::TextList => DataType::List(Box::new(DataType::String)),
                    ColumnType::Enum(values) => DataType::from_frozen_categories(
                        FrozenCategories::new(values.iter().copied()).unwrap(),
                    ),
                    _ => continue,
                };
                assert_eq!(got, want, "{}.{}", table.name(), column.name);
                if let DataType::Enum(..) = want {
                    let nulls = all_null_enum(column.name.into(), 3, want.clone()).unwrap();
                    assert_eq!((nulls.len(), nulls.null_count()), (3, 3));
                    assert_eq!(nulls.dtype(), &want);
                }
            }
        }
        let lists = text_lists("l".into(), &[None, Some(vec!["a".into()]), Some(vec![])]);
        assert_eq!(lists.dtype(), &DataType::List(Box::new(DataType::String)));
        assert_eq!((lists.len(), lists.null_count()), (3, 1));
    }

    #[test]
    #[should_panic(expected = "does not fit")]
    fn a_getter_whose_value_does_not_fit_its_column_is_a_bug() {
        let mut fields = schema::diagnostics();
        fields[3].get = |_, _| Value::Text("three".into());
        let mut b = TableBuilder::new(Table::Diagnostics);
        let d = Diagnostic {
            at: None,
            severity: Severity::Info,
            code: DiagnosticCode::ReadNote,
            message: "m".into(),
        };
        b.push(&fields, &source(), &d);
    }
}

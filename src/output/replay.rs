//! The row groups of a Parquet table file an earlier run wrote, read back as the compressed
//! pages they are made of, to be written again unchanged into the new file (issue 26): a
//! monthly run copies the row groups of the reports it already wrote instead of encoding and
//! compressing their rows again. Parquet's writer computes each column chunk's metadata and
//! statistics from its pages' headers, so a row group written from the pages read back is
//! the bytes the same rows encode to (`tests/cache.rs` holds the tables to a `--force`
//! run's, byte for byte).

use std::io::Cursor;
use std::path::Path;

use polars_buffer::Buffer;
use polars_parquet::parquet::page::CompressedPage;
use polars_parquet::parquet::read::{get_page_iterator, read_metadata};

/// One row group's pages, column by column, as they were written.
pub struct RowGroupPages {
    pub rows: u64,
    pub columns: Vec<Vec<CompressedPage>>,
}

/// No page of a table's file is larger than this (a damaged header must not make the reader
/// allocate more).
const MAX_PAGE_BYTES: usize = 1 << 30;

/// Every row group of the Parquet file at `path`, in order, with the number of columns of its
/// schema; a row group is `None` when it cannot be written again from its pages as they are
/// (a column chunk of more than one data page: the writer would need each page's row count,
/// which its header does not hold). An error when the file cannot be read as Parquet.
pub fn read_row_groups(path: &Path) -> Result<(usize, Vec<Option<RowGroupPages>>), String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let buffer = Buffer::from_vec(bytes);
    let metadata = read_metadata(&mut Cursor::new(buffer.clone())).map_err(|e| e.to_string())?;
    let columns = metadata.schema_descr.columns().len();
    let mut groups = Vec::with_capacity(metadata.row_groups.len());
    for group in &metadata.row_groups {
        let rows = group.num_rows() as u64;
        let mut pages_of = Vec::with_capacity(columns);
        let mut whole = group.parquet_columns().len() == columns;
        for chunk in group.parquet_columns() {
            let reader = Cursor::new(buffer.clone());
            let pages = get_page_iterator(chunk, reader, Vec::new(), MAX_PAGE_BYTES)
                .map_err(|e| e.to_string())?;
            let mut out = Vec::new();
            let mut data_pages = 0;
            for page in pages {
                let mut page = page.map_err(|e| e.to_string())?;
                if let CompressedPage::Data(data) = &mut page {
                    data_pages += 1;
                    data.num_rows = Some(rows as usize);
                }
                out.push(page);
            }
            whole &= data_pages == 1;
            pages_of.push(out);
        }
        groups.push(whole.then_some(RowGroupPages {
            rows,
            columns: pages_of,
        }));
    }
    Ok((columns, groups))
}

//! Reports this project's parser was not written against: made by `fixtures/generator`
//! (realistic Appendix A tables: wrapped titles centred on their ids, tables across pages
//! with their header repeated, `Mod No.` / `MP#` headers, ids like `0094v2` and `37`), with
//! the truth the generator wrote beside each. Appendix A rows are scored against it cell by
//! cell: the digital report must read nearly all of them, its OCR'd scan most.

mod common;

use std::collections::BTreeMap;

use common::*;

/// A cell for comparing: lower case, whitespace collapsed, quotes and dashes plain, a final
/// stop dropped.
fn norm(text: &str) -> String {
    let plain: String = text
        .chars()
        .map(|c| match c {
            '‘' | '’' => '\'',
            '“' | '”' => '"',
            '–' | '—' => '-',
            c => c,
        })
        .collect();
    let words: Vec<&str> = plain.split_whitespace().collect();
    words.join(" ").trim_end_matches('.').to_lowercase()
}

const CELLS: [&str; 10] = [
    "title",
    "status",
    "comment",
    "date_added",
    "pa_request_date",
    "pa_target_date",
    "pa_actual_date",
    "ia_request_date",
    "ia_target_date",
    "ia_actual_date",
];

/// Per cell, (right, truth cells) over the truth's rows; and rows found of rows true.
fn score(
    truth: &serde_json::Value,
    got: &polars::prelude::DataFrame,
) -> (BTreeMap<&'static str, (usize, usize)>, usize, usize) {
    let text = |column: &str, i: usize| -> String {
        got.column(column)
            .unwrap()
            .str()
            .unwrap()
            .get(i)
            .map(norm)
            .unwrap_or_default()
    };
    let mut rows: BTreeMap<(String, String), usize> = BTreeMap::new();
    for i in 0..got.height() {
        rows.entry((
            got.column("mod_id")
                .unwrap()
                .str()
                .unwrap()
                .get(i)
                .unwrap_or("")
                .to_string(),
            text("dcc_table", i),
        ))
        .or_insert(i);
    }
    let mut cells: BTreeMap<&'static str, (usize, usize)> = BTreeMap::new();
    let (mut found, mut total) = (0, 0);
    for row in truth["dcc_status"].as_array().unwrap() {
        total += 1;
        let key = (
            row["mod_id"].as_str().unwrap().to_string(),
            row["dcc_table"].as_str().unwrap().to_string(),
        );
        let at = rows.get(&key);
        found += at.is_some() as usize;
        for cell in CELLS {
            let want = row[cell].as_str().map(norm).unwrap_or_default();
            if want.is_empty() {
                continue;
            }
            let entry = cells.entry(cell).or_default();
            entry.1 += 1;
            entry.0 += at.is_some_and(|&i| text(cell, i) == want) as usize;
        }
    }
    (cells, found, total)
}

/// A generated report's truth (the JSON the generator wrote beside it).
fn truth_at(path: &std::path::Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// True (and says so) where tesseract is not installed: the test that asks is skipped.
fn tesseract_missing() -> bool {
    use secreg::reading::ocr::{self, OcrOptions};
    let missing = ocr::tool_version(&OcrOptions::default().tesseract).is_none();
    if missing {
        println!("skipped: tesseract is not installed (.ci/run installs tesseract-ocr)");
    }
    missing
}

/// A temporary folder holding a copy of one file of `from`: the file read alone.
fn alone_in_a_folder(from: &std::path::Path, file: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(from.join(file), dir.path().join(file)).unwrap();
    dir
}

/// Ingests a folder (one job, CSV only, `--force`) with OCR `mode`; the output folder.
fn ingest_csv(dir: &std::path::Path, mode: secreg::reading::ocr::OcrMode) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let options = secreg::pipeline::IngestOptions {
        inputs: vec![dir.to_path_buf()],
        out_dir: out.path().to_path_buf(),
        jobs: Some(1),
        formats: vec![secreg::output::Format::Csv],
        progress: false,
        force: true,
        file_timeout: secreg::pipeline::DEFAULT_FILE_TIMEOUT,
        ocr: secreg::reading::ocr::OcrOptions::new(mode, "eng", Some(1)),
    };
    secreg::pipeline::ingest(&options, secreg::grammar::Grammar::builtin()).unwrap();
    out
}

#[test]
fn generated_reports_appendix_a_rows_read_whole() {
    let dir = fixtures().join("generated");
    let (out, summary) = run_ingest(vec![dir.clone()], None);
    assert_eq!(summary.failed, 0);
    let table = read_csv_as_text(out.path(), "dcc_status");
    let mut report = String::new();
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|f| f.ends_with(".pdf"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    for file in files {
        // A scan's truth is its digital twin's.
        let stem = file.trim_end_matches(".pdf").replace("-scan", "-digital");
        let truth = truth_at(&dir.join(format!("{stem}.truth.json")));
        let (cells, found, total) = score(&truth, &rows_of(&table, &file));
        let scan = file.contains("-scan");
        // Digital: every row and nearly every cell. Scans: what OCR leaves readable (the
        // measured shares, less a margin, so that a regression fails).
        let (min_rows, min_cells) = if scan { (0.8, 0.15) } else { (0.97, 0.95) };
        let rows = found as f64 / total as f64;
        report.push_str(&format!("{file}: rows {found}/{total}\n"));
        assert!(
            rows >= min_rows,
            "{file}: {found} of {total} rows\n{report}"
        );
        for (cell, (right, of)) in cells {
            let share = right as f64 / of as f64;
            report.push_str(&format!("  {cell:<16} {right:>3}/{of:<3} {share:.2}\n"));
            assert!(
                share >= min_cells,
                "{file}: {cell} {right} of {of} right\n{report}"
            );
        }
    }
    println!("{report}");
}

#[test]
fn a_scans_table_rules_are_found_in_its_page_images() {
    // The generated scan's text layer was written by OCR (ocrmypdf) over JPEG pages; its
    // Appendix A tables are ruled between rows. Each row's id stands between two rules, and
    // the rules lean as the page does (at most a few points across the table).
    let scan = fixtures().join("generated/csr-gen-2000-scan.pdf");
    let texts = secreg::pipeline::read_pages(&scan).expect("the scan reads");
    let digital =
        secreg::pipeline::read_pages(&fixtures().join("generated/csr-gen-2000-digital.pdf"))
            .expect("the digital twin reads");
    // The digital twin's rules are the ones its pages draw: level, and as many a page as
    // the scan's found in its image, give or take a rule the scan's skew or noise cost.
    let drawn: usize = digital.words.iter().map(|p| p.rules.len()).sum();
    let found: usize = texts.words.iter().map(|p| p.rules.len()).sum();
    assert!(
        digital
            .words
            .iter()
            .flat_map(|p| &p.rules)
            .all(|r| r.y0 == r.y1),
        "a digital page's drawn rules are level"
    );
    assert!(
        drawn >= 50 && found.abs_diff(drawn) * 10 <= drawn,
        "rules drawn {drawn}, found in the scan's images {found}"
    );
    let mut ruled_ids = 0;
    for (i, page) in texts.words.iter().enumerate() {
        for r in &page.rules {
            assert!(r.x1 - r.x0 > 100., "page {}: a short rule {r:?}", i + 1);
            assert!(
                (r.y1 - r.y0).abs() < 0.09 * (r.x1 - r.x0),
                "page {}: {r:?}",
                i + 1
            );
        }
        // Ids alone in the first column (`0057`, `37v2`) of a page with rules.
        for w in page.words.iter().filter(|w| {
            w.x0 < 90. && w.text.len() >= 2 && w.text.chars().take(2).all(|c| c.is_ascii_digit())
        }) {
            let above = page.rules.iter().any(|r| r.y_at(w.x_mid()) < w.top);
            let below = page.rules.iter().any(|r| r.y_at(w.x_mid()) > w.bottom);
            let crossing = page
                .rules
                .iter()
                .any(|r| (w.top + 1.0..w.bottom - 1.0).contains(&r.y_at(w.x_mid())));
            if above && below {
                assert!(!crossing, "page {}: a rule crosses the id {w:?}", i + 1);
                ruled_ids += 1;
            }
        }
    }
    assert!(ruled_ids >= 50, "only {ruled_ids} ids stand between rules");
}

#[test]
fn a_scans_ruled_cells_read_again_by_tesseract_read_more_of_its_rows() {
    // A scan ruled between rows and columns (fixtures/lattice: generated report 4000's cover
    // and DCC table pages). Its OCR layer was read from whole pages, the rules beside the words
    // (`ules for Modification`); its cells read one by one give more cells as printed.
    // `--ocr never` keeps the layer as it is.
    use secreg::reading::ocr::OcrMode;
    if tesseract_missing() {
        return;
    }
    let from = fixtures().join("lattice");
    let scan = "csr-gen-4000-scan-tables.pdf";
    let dir = alone_in_a_folder(&from, scan);
    // (The truth is the whole report's: the rows of other pages are missed by both reads.)
    let truth = truth_at(&from.join("csr-gen-4000-digital.truth.json"));
    let right = |mode: OcrMode| {
        let out = ingest_csv(dir.path(), mode);
        let table = read_csv_as_text(out.path(), "dcc_status");
        let (cells, _, _) = score(&truth, &rows_of(&table, scan));
        cells.values().map(|(r, _)| r).sum::<usize>()
    };
    let (layer, again) = (right(OcrMode::Never), right(OcrMode::Auto));
    println!("DCC cells right: layer {layer}, cells read again {again}");
    assert!(
        again > layer + 10,
        "layer {layer}, cells read again {again}"
    );
}

#[test]
fn a_scan_page_whose_layer_lost_its_rows_is_read_again_from_its_image() {
    // fixtures/thin-layer: generated scan 7603 cut to four pages. ocrmypdf's tesseract read
    // the last page's table header (white on a dark band) and none of its eight rows (grey):
    // the layer leaves most of that page's ink unread, so secreg OCRs the page again. With
    // `--ocr never` the rows are lost, and a note says why.
    use secreg::reading::ocr::OcrMode;
    if tesseract_missing() {
        return;
    }
    let from = fixtures().join("thin-layer");
    let scan = "csr-gen-7603-scan-delivery.pdf";
    let dir = alone_in_a_folder(&from, scan);
    let truth = truth_at(&from.join("csr-gen-7603-digital.truth.json"));
    // The eight rows printed on the page the layer lost.
    let lost = [
        "MP021", "MP034", "MP035", "MP038", "MP040", "MP043", "MP046", "MP049",
    ];
    let read = |mode: OcrMode| {
        let out = ingest_csv(dir.path(), mode);
        let table = read_csv_as_text(out.path(), "dcc_status");
        let ids: Vec<String> = (0..table.height())
            .filter_map(|i| table.column("mod_id").unwrap().str().unwrap().get(i))
            .map(str::to_string)
            .collect();
        let found = lost
            .iter()
            .filter(|id| ids.iter().any(|i| i == *id))
            .count();
        let (cells, _, _) = score(&truth, &rows_of(&table, scan));
        let right = cells.values().map(|(r, _)| r).sum::<usize>();
        let notes = std::fs::read_to_string(out.path().join("diagnostics.csv")).unwrap();
        (found, right, notes)
    };
    let (layer_rows, layer_cells, layer_notes) = read(OcrMode::Never);
    let (again_rows, again_cells, again_notes) = read(OcrMode::Auto);
    println!(
        "rows of the lost page: layer {layer_rows}, read again {again_rows}; \
         DCC cells right: {layer_cells} -> {again_cells}"
    );
    assert_eq!(layer_rows, 0, "the layer holds none of the page's rows");
    assert!(again_rows >= 6, "only {again_rows} of 8 rows read again");
    assert!(
        again_cells > layer_cells + 30,
        "{layer_cells} -> {again_cells}"
    );
    assert!(
        again_notes.contains("page 4: the text layer leaves")
            && again_notes.contains("read again by OCR from its image"),
        "{again_notes}"
    );
    assert!(
        layer_notes.contains("page 4: the text layer leaves")
            && layer_notes.contains("not read again"),
        "{layer_notes}"
    );
}

#[test]
fn a_scan_whose_layer_misread_its_dcc_statuses_has_its_appendix_read_again() {
    // fixtures/misread-layer: generated scan 8700 cut to three pages. ocrmypdf's tesseract,
    // reading the 150 dpi page whole, misread the delivery table's closed vocabulary of
    // statuses (`PAlmprogess`, `IAin pros progress`, `Nocutstanding assessment Teduest`) and
    // the titles beside them (`Amentiments tothe SEC`, `SupportMaier`): a layer that misreads
    // a third of its statuses is read again from the page images. With `--ocr never` the
    // layer stands, and a note says it is poor.
    use secreg::reading::ocr::OcrMode;
    if tesseract_missing() {
        return;
    }
    let from = fixtures().join("misread-layer");
    let scan = "csr-gen-8700-scan-delivery.pdf";
    let dir = alone_in_a_folder(&from, scan);
    let truth = truth_at(&from.join("csr-gen-8700-digital.truth.json"));
    let read = |mode: OcrMode| {
        let out = ingest_csv(dir.path(), mode);
        let table = read_csv_as_text(out.path(), "dcc_status");
        let (cells, found, _) = score(&truth, &rows_of(&table, scan));
        let notes = std::fs::read_to_string(out.path().join("diagnostics.csv")).unwrap();
        (found, cells["title"].0, cells["status"].0, notes)
    };
    let (layer_rows, layer_titles, layer_statuses, layer_notes) = read(OcrMode::Never);
    let (again_rows, again_titles, again_statuses, again_notes) = read(OcrMode::Auto);
    println!(
        "rows {layer_rows} -> {again_rows}, titles right {layer_titles} -> {again_titles}, \
         statuses right {layer_statuses} -> {again_statuses}"
    );
    assert!(again_rows >= layer_rows + 3, "{layer_rows} -> {again_rows}");
    assert!(
        again_titles >= layer_titles + 3,
        "{layer_titles} -> {again_titles}"
    );
    assert!(
        again_statuses >= layer_statuses + 5,
        "{layer_statuses} -> {again_statuses}"
    );
    assert!(
        again_notes.contains("the text layer misread")
            && again_notes.contains("read again by OCR from their images"),
        "{again_notes}"
    );
    assert!(
        layer_notes.contains("the text layer misread") && layer_notes.contains("not read again"),
        "{layer_notes}"
    );
}

#[test]
fn ids_the_layer_read_as_no_ids_are_read_again_from_the_image() {
    // fixtures/grey-ids: generated scan 8300 cut to three pages. ocrmypdf's tesseract read the
    // delivery table's ids printed in grey on page 11 (the cut's third) as `poe`, `sae`,
    // `Pay`: their rows were not read. Cut alone from the image, each id cell reads as
    // printed. With `--ocr never` the layer's words stand, and the rows are lost.
    use secreg::reading::ocr::OcrMode;
    if tesseract_missing() {
        return;
    }
    let from = fixtures().join("grey-ids");
    let scan = "csr-gen-8300-scan-grey-ids.pdf";
    let dir = alone_in_a_folder(&from, scan);
    let truth = truth_at(&from.join("csr-gen-8300-digital.truth.json"));
    let true_ids: Vec<&str> = truth["dcc_status"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["mod_id"].as_str())
        .collect();
    // The rows of page 11 whose ids are printed in grey.
    let grey = [
        "MP139", "MP144", "MP149", "MP158", "MP166", "MP169", "MP174", "MP175",
    ];
    let read = |mode: OcrMode| {
        let out = ingest_csv(dir.path(), mode);
        let table = read_csv_as_text(out.path(), "dcc_status");
        let ids: Vec<String> = (0..table.height())
            .filter_map(|i| table.column("mod_id").unwrap().str().unwrap().get(i))
            .map(str::to_string)
            .collect();
        let notes = std::fs::read_to_string(out.path().join("diagnostics.csv")).unwrap();
        (ids, notes)
    };
    let (layer, layer_notes) = read(OcrMode::Never);
    let (again, again_notes) = read(OcrMode::Auto);
    let found = |ids: &[String]| grey.iter().filter(|g| ids.iter().any(|i| i == *g)).count();
    println!(
        "grey ids read: layer {}, read again {} of {}; rows {} -> {}",
        found(&layer),
        found(&again),
        grey.len(),
        layer.len(),
        again.len()
    );
    assert_eq!(found(&layer), 0, "the layer reads none of the grey ids");
    assert!(found(&again) >= 7, "{again:?}");
    for id in &again {
        assert!(true_ids.contains(&id.as_str()), "{id} is not in the report");
    }
    assert!(
        again_notes.contains("page 3: ")
            && again_notes.contains("read again from the image")
            && again_notes.contains("\"\"poe\"\" -> \"\"0139\"\""),
        "{again_notes}"
    );
    assert!(!layer_notes.contains("read again from the image"));
}

#[test]
fn a_continued_table_whose_layer_gives_it_column_by_column_reads_by_its_rows() {
    // fixtures/column-by-column: generated scan 7901 cut to three pages. The layer gives
    // page 9's ids, then its titles, then its header's `Status` cell, then the rest: read to
    // that cell in the text, the table's region held two words and its sixteen rows were
    // read as text, without a date. Page 8's header runs words together (`ActualPA`,
    // `Target!A`, `ActuallA`) that still name their columns. The layer alone (`--ocr never`):
    // no tesseract needed.
    use secreg::reading::ocr::OcrMode;
    let from = fixtures().join("column-by-column");
    let scan = "csr-gen-7901-scan-delivery.pdf";
    let dir = alone_in_a_folder(&from, scan);
    let truth = truth_at(&from.join("csr-gen-7901-digital.truth.json"));
    let out = ingest_csv(dir.path(), OcrMode::Never);
    let table = read_csv_as_text(out.path(), "dcc_status");
    let column = |name: &str, i: usize| {
        table
            .column(name)
            .unwrap()
            .str()
            .unwrap()
            .get(i)
            .unwrap_or("")
            .to_string()
    };
    let on_page_9 = (0..table.height()).filter(|&i| column("page", i) == "3");
    let (rows, dated) = on_page_9.fold((0, 0), |(rows, dated), i| {
        let from = column("read_from", i);
        (
            rows + 1,
            dated + (from == "positions" && !column("pa_request_date", i).is_empty()) as usize,
        )
    });
    let (cells, found, _) = score(&truth, &rows_of(&table, scan));
    let right = |cell: &str| cells.get(cell).map_or(0, |c| c.0);
    println!(
        "page 9: {rows} rows, {dated} read from positions with dates; rows found {found}; \
         right: titles {}, statuses {}, IA targets {}, comments {}",
        right("title"),
        right("status"),
        right("ia_target_date"),
        right("comment")
    );
    assert_eq!(rows, 16, "page 9 prints sixteen rows");
    assert!(dated >= 15, "only {dated} of page 9's rows read with dates");
    assert!(right("ia_target_date") >= 8, "{cells:?}");
    assert!(right("status") >= 15, "{cells:?}");
}

#[test]
fn a_leaning_grid_page_keeps_its_rows_when_its_cells_are_read_again() {
    // fixtures/skewed-grid: generated scan 8003 cut to three pages; its last, a grid-ruled
    // table leaning 1.2 degrees, reads whole from the layer, and its cells read again are
    // cut with two columns joined. Read so, the page once held no table and its rows were
    // lost; the page then kept the layer's reading (`pipeline/page_choice.rs`, its own
    // test). Since columns take a cell that starts just short of their edge, the cells read
    // again hold the rows too. Either way, no row the layer reads is lost.
    use secreg::reading::ocr::OcrMode;
    if tesseract_missing() {
        return;
    }
    let from = fixtures().join("skewed-grid");
    let scan = "csr-gen-8003-scan-no-further.pdf";
    let dir = alone_in_a_folder(&from, scan);
    let read = |mode: OcrMode| {
        let out = ingest_csv(dir.path(), mode);
        let table = read_csv_as_text(out.path(), "dcc_status");
        let on_page_3 = (0..table.height())
            .filter(|&i| table.column("page").unwrap().str().unwrap().get(i) == Some("3"))
            .count();
        let notes = std::fs::read_to_string(out.path().join("diagnostics.csv")).unwrap();
        (on_page_3, notes)
    };
    let (layer, _) = read(OcrMode::Never);
    let (again, notes) = read(OcrMode::Auto);
    let kept = notes.contains("page 3: its tables read from the cells read again held fewer rows");
    println!(
        "rows on the leaning page: layer {layer}, with cells read again {again} (the layer's \
         reading kept: {kept})"
    );
    assert!(layer >= 20, "the layer reads {layer} of the page's 28 rows");
    assert!(
        again >= layer,
        "layer {layer}, with cells read again {again}"
    );
}

#[test]
fn tables_whose_header_lost_its_first_cells_read_by_their_columns_of_white() {
    // fixtures/lost-header: generated scan 8103 cut to five pages. The layer lost `Mod No.`
    // and `Title` of the delivery table's header (white on a dark band), kept only `Mod No.`
    // and `DCC Assessm` of the last table's, and read none of the implementation table's
    // grey rows. The body's corridors of white part the columns, one corridor inside the
    // ragged comments dropped (it stands under no header cell); the grey page is OCR'd again
    // stretched. Before: 3 of 43 statuses right and no date.
    use secreg::reading::ocr::{self, OcrMode, OcrOptions};
    let from = fixtures().join("lost-header");
    let scan = "csr-gen-8103-scan-appendix.pdf";
    let dir = alone_in_a_folder(&from, scan);
    let truth = truth_at(&from.join("csr-gen-8103-digital.truth.json"));
    let read = |mode: OcrMode| {
        let out = ingest_csv(dir.path(), mode);
        let table = read_csv_as_text(out.path(), "dcc_status");
        let (cells, found, total) = score(&truth, &rows_of(&table, scan));
        let right = |cell: &str| cells.get(cell).map_or((0, 0), |c| *c);
        let dates: (usize, usize) = CELLS
            .iter()
            .filter(|c| c.ends_with("date") || **c == "date_added")
            .map(|c| right(c))
            .fold((0, 0), |a, c| (a.0 + c.0, a.1 + c.1));
        (found, total, right("status"), right("title"), dates)
    };
    let (found, total, status, title, dates) = read(OcrMode::Never);
    println!(
        "the layer alone: rows {found} of {total}, statuses {status:?}, titles {title:?}, \
         dates {dates:?}"
    );
    assert!(status.0 >= 28, "statuses {status:?}");
    assert!(title.0 >= 28, "titles {title:?}");
    assert!(dates.0 >= 60, "dates {dates:?}");
    if ocr::tool_version(&OcrOptions::default().tesseract).is_none() {
        println!(
            "skipped the grey page: tesseract is not installed (.ci/run installs tesseract-ocr)"
        );
        return;
    }
    let (found, total, status, title, dates) = read(OcrMode::Auto);
    println!(
        "with the grey page read again: rows {found} of {total}, statuses {status:?}, \
         titles {title:?}, dates {dates:?}"
    );
    assert!(found >= 39, "rows {found} of {total}");
    assert!(status.0 >= 36, "statuses {status:?}");
    assert!(dates.0 >= 78, "dates {dates:?}");
}

#[test]
fn dcc_rows_whose_ids_ocr_lost_or_changed_take_the_ids_the_report_gives_them() {
    // fixtures/lost-ids: generated scans 9300 (150 dpi) and 9301 (200 dpi, grey), each cut to
    // the pages that show it, their OCR layers read as they stand (no tesseract).
    // - 9300's layer read MP050's and MP054's ids as `0080` and `0084`, other modifications'
    //   ids, out of the delivery table's order; their titles are MP050's and MP054's as the
    //   report's lists print them.
    // - 9301's read MP071's as `0Qa71`, between `0061` and `0075`, and lost MP081's: the row
    //   is titled `Alignment of DUIS and CHISM to reflect current DCC Processing`, as the
    //   report's list prints MP081.
    // Each row takes its id, flagged, with a diagnostic saying why.
    use secreg::reading::ocr::OcrMode;
    let from = fixtures().join("lost-ids");
    let read = |scan: &str| {
        let dir = alone_in_a_folder(&from, scan);
        let out = ingest_csv(dir.path(), OcrMode::Never);
        let table = read_csv_as_text(out.path(), "dcc_status");
        let column = |name: &str| text_column(&table, name);
        let rows: Vec<[String; 5]> = {
            let c = ["mod_id", "dcc_table", "raw_id", "id_repaired", "title"].map(column);
            (0..c[0].len())
                .map(|i| std::array::from_fn(|k| c[k][i].clone()))
                .collect()
        };
        let notes = std::fs::read_to_string(out.path().join("diagnostics.csv")).unwrap();
        (rows, notes)
    };
    let row = |rows: &[[String; 5]], id: &str| {
        rows.iter()
            .find(|r| r[0] == id && r[1] == "delivery")
            .map(|r| (r[2].clone(), r[3].clone(), r[4].clone()))
    };
    let (rows, notes) = read("csr-gen-9300-scan-ids.pdf");
    let (raw, repaired, title) = row(&rows, "MP050").expect("MP050's row");
    assert_eq!((raw.as_str(), repaired.as_str()), ("0080", "true"));
    assert_eq!(
        title,
        "Section D Review: Moving the Working Group Terms of Reference to a separate document"
    );
    let (raw, repaired, title) = row(&rows, "MP054").expect("MP054's row");
    assert_eq!((raw.as_str(), repaired.as_str()), ("0084", "true"));
    assert!(
        title.contains("DCC Explicit Charges for Test Houses"),
        "{title}"
    );
    for wrong in ["MP080", "MP084"] {
        assert_eq!(row(&rows, wrong), None, "{wrong} is not in the table");
    }
    for why in [
        "read as MP050, not MP080 (OCR repair): it stands between MP048 and MP051",
        "read as MP054, not MP084 (OCR repair): it stands between MP051 and MP057",
    ] {
        assert!(notes.contains(why), "{why}\n{notes}");
    }
    let (rows, notes) = read("csr-gen-9301-scan-ids.pdf");
    let (raw, repaired, title) = row(&rows, "MP071").expect("MP071's row");
    assert_eq!((raw.as_str(), repaired.as_str()), ("0Qa71", "true"));
    // (The layer alone, whose repeated header lost its `Title` cell on this page, puts `the
    // DCC` and `Service` in the status column: read with tesseract, the cells are read
    // again from the image and the title is whole.)
    assert!(title.starts_with("Publishing"), "{title}");
    let (raw, repaired, title) = row(&rows, "MP081").expect("MP081's row");
    assert_eq!((raw.as_str(), repaired.as_str()), ("", "true"));
    assert_eq!(
        title,
        "Alignment of DUIS and CHISM to reflect current DCC Processing"
    );
    for why in [
        "read as MP071 (OCR repair): the one number its digits give, between MP061 and MP075",
        "read as MP081 (OCR repair): its title is MP081's, as page 3 line 34 prints it",
    ] {
        assert!(notes.contains(why), "{why}\n{notes}");
    }
}

#[test]
fn a_row_a_pages_foot_cuts_under_a_header_printed_again_reads_whole() {
    // Generated reports (digital), each row cut by a page's foot under its table's header
    // printed again there:
    // - 9504: SECMP0189's id and its comment's first lines end page 14; its title, status,
    //   dates and the comment's end stand under the header repeated on page 15, with no id.
    // - 9601: `Approved by the Authority on 25`, the start of SECMP0057's comment, stands under
    //   the header printed again below 0082, the last row of page 8; 0057's id and the rest
    //   are on page 9. It is neither 0082's comment's end nor lost.
    // Each row is one row, read whole, and says each thing once (a part's read is not said).
    for (file, ids) in [
        ("csr-gen-9504-digital", &["MP189"][..]),
        ("csr-gen-9601-digital", &["MP057", "MP082"][..]),
    ] {
        let pdf = format!("{file}.pdf");
        let dir = alone_in_a_folder(&fixtures().join("generated"), &pdf);
        let out = ingest_csv(dir.path(), secreg::reading::ocr::OcrMode::Never);
        let table = read_csv_as_text(out.path(), "dcc_status");
        let truth = truth_at(&fixtures().join(format!("generated/{file}.truth.json")));
        let got = rows_of(&table, &pdf);
        let read_ids = got.column("mod_id").unwrap().str().unwrap();
        let notes = std::fs::read_to_string(out.path().join("diagnostics.csv")).unwrap();
        for &id in ids {
            let want = truth["dcc_status"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["mod_id"] == id)
                .expect("the row in the truth");
            let at = (0..got.height())
                .find(|&i| read_ids.get(i) == Some(id))
                .unwrap_or_else(|| panic!("{file}: {id}'s row"));
            for cell in CELLS {
                let read = got.column(cell).unwrap().str().unwrap().get(at);
                assert_eq!(
                    norm(read.unwrap_or("")),
                    norm(want[cell].as_str().unwrap_or("")),
                    "{file}: {id}'s {cell}"
                );
            }
            let about: Vec<&str> = notes.lines().filter(|l| l.contains(id)).collect();
            assert!(about.is_empty(), "{file}: {about:#?}");
        }
    }
}

#[test]
fn a_page_whose_cells_read_again_lost_rows_is_read_from_its_layer_with_its_rules() {
    // fixtures/lost-ids: generated scan 9705 (200 dpi, grey) cut to its cover and its
    // delivery table's pages 8 to 10. The table prints each id on its row's top line, its
    // other cells centred beside the title; page 9 (the cut's page 3) begins with the end of
    // page 8's last row. Its ruled cells read again lost the grey ids, so the page is read
    // from its layer's words, and the rules found in its image part its rows. Without them,
    // its rows were parted as if each id stood at its row's middle: each title took the lower
    // half of the title above (`... Premises Section D-Review Moving the`), and each row the
    // dates of the row above.
    use secreg::reading::ocr::OcrMode;
    if tesseract_missing() {
        return;
    }
    let from = fixtures().join("lost-ids");
    let dir = alone_in_a_folder(&from, "csr-gen-9705-scan-cut.pdf");
    let out = ingest_csv(dir.path(), OcrMode::Auto);
    let table = read_csv_as_text(out.path(), "dcc_status");
    let column = |name: &str| text_column(&table, name);
    let (ids, pages) = (column("mod_id"), column("page"));
    let (titles, targets) = (column("title"), column("pa_target_date"));
    let truth = truth_at(&from.join("csr-gen-9705-digital.truth.json"));
    let printed = |id: &str, field: &str| {
        let rows = truth["dcc_status"].as_array().unwrap();
        let row = rows.iter().find(|r| r["mod_id"] == id).unwrap();
        row[field].as_str().unwrap_or("").to_string()
    };
    let on_page_3: Vec<usize> = (0..ids.len()).filter(|&i| pages[i] == "3").collect();
    assert!(on_page_3.len() >= 10, "page 3's rows: {on_page_3:?}");
    for &i in &on_page_3 {
        let id = &ids[i];
        assert_eq!(
            targets[i],
            printed(id, "pa_target_date"),
            "{id}'s PA target date"
        );
    }
    // Each title begins with its own first word, and holds none of the title above's last.
    let title_of = |id: &str| {
        let i = ids
            .iter()
            .position(|x| x == id)
            .unwrap_or_else(|| panic!("{id}'s row"));
        norm(&titles[i])
    };
    for (id, above) in [
        ("MP050", "premises"),
        ("MP032", "smart meters"),
        ("MP035", "materials"),
    ] {
        let first_word = norm(&printed(id, "title"));
        let first_word = first_word.split(' ').next().unwrap();
        let title = title_of(id);
        assert!(
            title.starts_with(first_word) && !title.contains(above),
            "{id}: {title}"
        );
    }
}

#[test]
fn a_row_whose_id_a_pages_foot_cut_away_is_one_row_that_takes_its_id_from_the_report() {
    // fixtures/lost-ids: generated scan 9505 (200 dpi, grey) cut to its cover, its list
    // (page 2), Appendix A's heading, the delivery table's pages 4 and 5 and page 6's
    // tables. SECMP0040's row
    // begins under the table's header printed again at page 4's foot (`Changes to how DCC
    // Users schedule and carry out User Security`) and ends atop page 5 (`Assessments after
    // completion of the User Entry Process`); its id, centred on the row, was cut between
    // the two. One row, no id read: it takes MP040, whose title the list prints, and the
    // rows above and below keep their own titles. (Before, the end went to MP039's title and
    // the start to MP042's, and MP040 was lost.) Page 6's grey table lost its header to OCR:
    // the number of its heading, `4 Modifications - Implementation Status`, stands where the
    // ids do, and is no row (it was MP004's, a modification the report never names).
    use secreg::reading::ocr::OcrMode;
    if tesseract_missing() {
        return;
    }
    let from = fixtures().join("lost-ids");
    let dir = alone_in_a_folder(&from, "csr-gen-9505-scan-cut.pdf");
    let out = ingest_csv(dir.path(), OcrMode::Auto);
    let table = read_csv_as_text(out.path(), "dcc_status");
    let column = |name: &str| text_column(&table, name);
    let (ids, titles, repaired) = (column("mod_id"), column("title"), column("id_repaired"));
    let title_of = |id: &str| {
        let i = ids.iter().position(|x| x == id);
        i.map(|i| (norm(&titles[i]), repaired[i].clone()))
    };
    let truth = truth_at(&from.join("csr-gen-9505-digital.truth.json"));
    let printed = |id: &str| {
        let rows = truth["dcc_status"].as_array().unwrap();
        let row = rows.iter().find(|r| r["mod_id"] == id).unwrap();
        norm(row["title"].as_str().unwrap())
    };
    assert_eq!(
        title_of("MP040"),
        Some((printed("MP040"), "true".to_string()))
    );
    assert_eq!(title_of("MP004"), None);
    for id in ["MP039", "MP042"] {
        let (title, _) = title_of(id).unwrap_or_else(|| panic!("{id}'s row"));
        assert!(
            !title.contains("user entry process") && !title.contains("schedule and carry out"),
            "{id}: {title}"
        );
    }
}

#[test]
fn a_grey_tables_greyed_out_rows_are_read_whole_from_their_cells() {
    // fixtures/grey-rows: generated scan 9805 (200 dpi, grey) cut to its cover and its
    // delivery table's two pages. The table is ruled; its header is printed on a dark band
    // (no rule at its foot), and its greyed-out rows' text stands some 50 below a grey paper.
    // Those rows were never read again: their cells held no ink darker than the paper by a
    // third, the band under the header ran up to the heading above, a rule between a grey
    // row and a shaded status cell broke over that column, and tesseract, reading every cell
    // of a page at the one level of ink its black cells set, lost the grey strokes. The
    // layer's reading stood (`Network Ope ) Power Otitag`, `Ck yes SMKI Independe rance`,
    // MP166 without its status and dates, MP158 without its row).
    use secreg::reading::ocr::OcrMode;
    if tesseract_missing() {
        return;
    }
    let from = fixtures().join("grey-rows");
    let dir = alone_in_a_folder(&from, "csr-gen-9805-scan-grey-rows.pdf");
    let out = ingest_csv(dir.path(), OcrMode::Auto);
    let table = read_csv_as_text(out.path(), "dcc_status");
    let column = |name: &str| text_column(&table, name);
    let ids = column("mod_id");
    let truth = truth_at(&from.join("csr-gen-9805-digital.truth.json"));
    let printed = |id: &str, field: &str| {
        let rows = truth["dcc_status"].as_array().unwrap();
        let row = rows.iter().find(|r| r["mod_id"] == id).unwrap();
        row[field].as_str().unwrap_or("").to_string()
    };
    // Three greyed-out rows (MP149 and MP158 on the cut's page 2, MP166 on page 3) and the
    // black row above MP166, whose title took a grey row's line.
    for id in ["MP149", "MP158", "MP163", "MP166"] {
        let i = ids
            .iter()
            .position(|x| x == id)
            .unwrap_or_else(|| panic!("{id}'s row"));
        for field in ["title", "status", "pa_request_date", "pa_target_date"] {
            assert_eq!(
                norm(&column(field)[i]),
                norm(&printed(id, field)),
                "{id}'s {field}"
            );
        }
    }
}

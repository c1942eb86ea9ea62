//! Any bytes as a PDF: the reader returns pages or an error; it does not panic, hang or
//! allocate without bound. (The pipeline also contains panics; this target finds them.)
#![no_main]

use libfuzzer_sys::fuzz_target;
use secreg::reading::{PageTextReader, PdfTextReader};

fuzz_target!(|data: &[u8]| {
    let _ = PdfTextReader.read(data);
});

//! Stream data, decoded within a size limit: a compression bomb is refused, never inflated.

use std::borrow::Cow;
use std::io::Read;

use lopdf::{Object, Stream};

/// The most one stream may inflate to. A report page's content stream is tens of kB; more
/// than this is a compression bomb, not a report.
pub const MAX_INFLATED_BYTES: u64 = 64 << 20;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StreamError {
    #[error("a stream inflates to more than {} MiB (a compression bomb?): not read", MAX_INFLATED_BYTES >> 20)]
    TooLarge,
    #[error("a stream could not be decoded: {0}")]
    Undecodable(String),
}

/// Inflates zlib data, refusing more than [`MAX_INFLATED_BYTES`]. A stream cut short gives
/// what could be inflated (readers show what is there).
pub fn inflate(data: &[u8]) -> Result<Vec<u8>, StreamError> {
    let mut out = Vec::with_capacity(data.len() * 4);
    let read = flate2::read::ZlibDecoder::new(data)
        .take(MAX_INFLATED_BYTES + 1)
        .read_to_end(&mut out);
    match read {
        Ok(n) if n as u64 > MAX_INFLATED_BYTES => Err(StreamError::TooLarge),
        Ok(_) => Ok(out),
        Err(_) if !out.is_empty() => Ok(out),
        Err(e) => Err(StreamError::Undecodable(e.to_string())),
    }
}

/// A stream's decoded bytes: borrowed when it has no filter, inflated within the limit when
/// it is Flate without a predictor, else decoded by lopdf (rare filters in text streams).
pub fn stream_bytes(stream: &Stream) -> Result<Cow<'_, [u8]>, StreamError> {
    let filters = stream.filters().unwrap_or_default();
    let has_params = !matches!(stream.dict.get(b"DecodeParms"), Err(_) | Ok(Object::Null));
    match filters.as_slice() {
        [] => Ok(Cow::Borrowed(&stream.content)),
        [f] if *f == b"FlateDecode" && !has_params => inflate(&stream.content).map(Cow::Owned),
        _ => stream
            .decompressed_content()
            .map(Cow::Owned)
            .map_err(|e| StreamError::Undecodable(e.to_string())),
    }
}

use polars::prelude::*;
use std::time::Instant;
fn main() {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).unwrap());
    let out = std::path::PathBuf::from(std::env::args().nth(2).unwrap());
    std::fs::create_dir_all(&out).unwrap();
    let names = ["reports","mentions","events","assessments","dcc_status","history","modifications","stages","changes","diagnostics"];
    let mut frames = vec![];
    let t = Instant::now();
    for n in names {
        let f = std::fs::File::open(dir.join(format!("{n}.parquet"))).unwrap();
        let df = ParquetReader::new(f).finish().unwrap();
        frames.push((n, df));
    }
    eprintln!("read {:?}", t.elapsed());
    for fmt in [secreg::output::Format::Parquet, secreg::output::Format::Csv] {
        let mut total = 0.0;
        for (n, df) in &frames {
            let t = Instant::now();
            let empty = df.slice(0, 0);
            let mut sink = secreg::output::TableSink::create(&out, n, &empty, &[fmt]).unwrap();
            let h = df.height();
            let step = (h / 16).max(1);
            let mut o = 0;
            while o < h { sink.write(&df.slice(o as i64, step)).unwrap(); o += step; }
            let t2 = Instant::now();
            sink.commit().unwrap();
            let e = t.elapsed().as_secs_f64()*1e3;
            total += e;
            eprintln!("{fmt:?} {n} rows {h} {:.1} ms (commit {:.1})", e, t2.elapsed().as_secs_f64()*1e3);
        }
        eprintln!("{fmt:?} total {total:.1} ms");
    }
}

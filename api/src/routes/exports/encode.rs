//! The open data's two encodings of a page of rows: CSV (UTF-8 with a byte order mark and CRLF, as
//! spreadsheets in Korea expect, text that a spreadsheet would run as a formula defused) and NDJSON
//! (one JSON object per row, keys in the dictionary's order, values as stored).

use actix_web::web::Bytes;
use ocf_domain::export::{Cell, ExportRow};

const BOM: &[u8] = "\u{feff}".as_bytes();

/// Text as a CSV cell. Citizens write titles and comments, and a spreadsheet runs a cell that begins
/// with `=`, `+`, `-`, `@`, a tab or a carriage return as a formula (OWASP "CSV injection"): such text
/// gets a leading apostrophe, which spreadsheets show as text and hide. NDJSON carries it unchanged.
fn text_cell(s: &str) -> std::borrow::Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}").into()
    } else {
        s.into()
    }
}

pub(super) fn csv_chunk(rows: &[ExportRow], header: Option<&[&str]>) -> Result<Bytes, csv::Error> {
    let mut out = Vec::with_capacity(rows.len() * 256 + 512);
    if header.is_some() {
        out.extend_from_slice(BOM);
    }
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        if let Some(h) = header {
            w.write_record(h)?;
        }
        for r in rows {
            for c in &r.cells {
                match c {
                    Cell::Null => w.write_field("")?,
                    Cell::Text(s) => w.write_field(text_cell(s).as_bytes())?,
                    Cell::Integer(n) => w.write_field(n.to_string())?,
                }
            }
            w.write_record(std::iter::empty::<&[u8]>())?;
        }
        w.flush()?;
    }
    Ok(Bytes::from(out))
}

/// One row as a JSON object whose keys keep the dictionary's column order.
struct OrderedRow<'a> {
    names: &'a [&'a str],
    cells: &'a [Cell],
}

impl serde::Serialize for OrderedRow<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.names.len()))?;
        for (name, cell) in self.names.iter().zip(self.cells) {
            match cell {
                Cell::Null => map.serialize_entry(name, &())?,
                Cell::Text(s) => map.serialize_entry(name, s)?,
                Cell::Integer(n) => map.serialize_entry(name, n)?,
            }
        }
        map.end()
    }
}

pub(super) fn ndjson_chunk(rows: &[ExportRow], names: &[&str]) -> Bytes {
    let mut out = Vec::with_capacity(rows.len() * 256);
    for r in rows {
        let row = OrderedRow {
            names,
            cells: &r.cells,
        };
        if serde_json::to_writer(&mut out, &row).is_ok() {
            out.push(b'\n');
        }
    }
    Bytes::from(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: Vec<Cell>) -> ExportRow {
        ExportRow { seq: 1, cells }
    }

    #[test]
    fn text_a_spreadsheet_would_run_is_defused_in_csv_only()
    -> Result<(), Box<dyn std::error::Error>> {
        let rows = [row(vec![
            Cell::Text("=HYPERLINK(\"http://x\")".into()),
            Cell::Text("+1".into()),
            Cell::Text("-2".into()),
            Cell::Text("@SUM(A1)".into()),
            Cell::Text("\tx".into()),
            Cell::Text("a=b".into()),
            Cell::Integer(-3),
            Cell::Null,
        ])];
        let csv = csv_chunk(&rows, None)?;
        assert_eq!(
            std::str::from_utf8(&csv)?,
            "\"'=HYPERLINK(\"\"http://x\"\")\",'+1,'-2,'@SUM(A1),'\tx,a=b,-3,\r\n"
        );
        let names = ["a", "b", "c", "d", "e", "f", "g", "h"];
        let json = ndjson_chunk(&rows, &names);
        let v: serde_json::Value = serde_json::from_slice(&json)?;
        assert_eq!(v["a"], "=HYPERLINK(\"http://x\")");
        assert_eq!(v["g"], -3);
        Ok(())
    }

    #[test]
    fn the_first_page_has_the_bom_and_the_header() -> Result<(), Box<dyn std::error::Error>> {
        let rows = [row(vec![Cell::Text("서울".into())])];
        let csv = csv_chunk(&rows, Some(&["region"]))?;
        assert!(csv.starts_with(BOM));
        assert_eq!(&csv[BOM.len()..], "region\r\n서울\r\n".as_bytes());
        assert!(!csv_chunk(&rows, None)?.starts_with(BOM));
        Ok(())
    }
}

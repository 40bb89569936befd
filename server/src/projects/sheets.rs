//! Reading an uploaded buyer list: the first sheet of an XLSX workbook, or a CSV file as
//! Excel saves it (UTF-8 with or without a BOM, or GBK on Chinese Windows). Cells come back
//! as the text people see: `1201`, not `1201.0`; phone numbers whole.

use calamine::{Data, Reader, Xlsx};
use std::io::Cursor;

/// Larger than any sales office's list (a project has a few thousand flats).
pub const MAX_ROWS: usize = 20_000;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SheetError {
    #[error("only .xlsx and .csv files can be read")]
    UnknownKind,
    #[error("the file could not be read as {0}")]
    Unreadable(&'static str),
    #[error("the file has no rows")]
    Empty,
    #[error("the file has more than {MAX_ROWS} rows")]
    TooLong,
}

/// The rows of the file, the header row first.
pub fn read(file_name: &str, bytes: &[u8]) -> Result<Vec<Vec<String>>, SheetError> {
    let lower = file_name.to_lowercase();
    let rows = if lower.ends_with(".xlsx") || lower.ends_with(".xlsm") {
        read_xlsx(bytes)?
    } else if lower.ends_with(".csv") || lower.ends_with(".txt") {
        read_csv(bytes)?
    } else {
        return Err(SheetError::UnknownKind);
    };
    match rows.len() {
        0 => Err(SheetError::Empty),
        n if n > MAX_ROWS + 1 => Err(SheetError::TooLong),
        _ => Ok(rows),
    }
}

fn read_xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>, SheetError> {
    let unreadable = |_| SheetError::Unreadable("XLSX");
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(unreadable)?;
    let range = book
        .worksheet_range_at(0)
        .ok_or(SheetError::Empty)?
        .map_err(unreadable)?;
    Ok(range
        .rows()
        .map(|row| row.iter().map(cell_text).collect())
        .collect())
}

fn cell_text(cell: &Data) -> String {
    match cell {
        // Whole numbers (rooms, phones typed as numbers) without Excel's `.0`.
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

fn read_csv(bytes: &[u8]) -> Result<Vec<Vec<String>>, SheetError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => {
            let (text, _, had_errors) = encoding_rs::GB18030.decode(bytes);
            if had_errors {
                return Err(SheetError::Unreadable("CSV"));
            }
            text
        }
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| {
            r.map(|record| record.iter().map(str::to_string).collect())
                .map_err(|_| SheetError::Unreadable("CSV"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_saved_by_excel_in_gbk_reads_as_chinese() {
        let (gbk, _, _) = encoding_rs::GBK.encode("楼栋,单元,房号\n3,1,1201\n");
        let rows = read("名单.csv", &gbk).unwrap();
        assert_eq!(rows[0], ["楼栋", "单元", "房号"]);
        assert_eq!(rows[1], ["3", "1", "1201"]);
        let with_bom = read("list.CSV", "\u{feff}a,b\n".as_bytes()).unwrap();
        assert_eq!(with_bom[0], ["a", "b"]);
    }

    #[test]
    fn other_files_are_refused_by_name() {
        assert_eq!(read("list.pdf", b"%PDF"), Err(SheetError::UnknownKind));
        assert_eq!(
            read("list.xlsx", b"not a zip"),
            Err(SheetError::Unreadable("XLSX"))
        );
        assert_eq!(read("list.csv", b""), Err(SheetError::Empty));
    }

    #[test]
    fn whole_numbers_lose_excels_decimal_point() {
        assert_eq!(cell_text(&Data::Float(13800138000.0)), "13800138000");
        assert_eq!(cell_text(&Data::Float(2.5)), "2.5");
        assert_eq!(cell_text(&Data::String("1201室".into())), "1201室");
    }
}

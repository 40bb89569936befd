//! Reading an uploaded buyer list: the first sheet of an XLSX workbook, or a CSV file as
//! Excel saves it (UTF-8 with or without a BOM, or GBK on Chinese Windows). Cells come back
//! as the text people see: `1201`, not `1201.0`; phone numbers whole.

use calamine::{Data, Reader, Xlsx};
use std::io::Cursor;

/// Larger than any sales office's list (a project has a few thousand flats).
pub const MAX_ROWS: usize = 20_000;
/// Columns read; anything further right is ignored (a list has a handful).
pub const MAX_COLUMNS: usize = 50;
/// Longest cell text kept (a header or a name is far shorter).
const MAX_CELL_CHARS: usize = 200;

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

/// The rows of a sheet from its first non-empty one (the header) on, and that row's
/// number as the office sees it (1 for the sheet's first row), so problems are reported
/// where the office will look.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    pub header_row: u32,
    pub rows: Vec<Vec<String>>,
}

/// Reads the file, cell by cell: a sheet that claims a million rows or columns (cheap to
/// make) is refused or cut, never allocated whole.
pub fn read(file_name: &str, bytes: &[u8]) -> Result<Sheet, SheetError> {
    let lower = file_name.to_lowercase();
    let rows = if lower.ends_with(".xlsx") || lower.ends_with(".xlsm") {
        read_xlsx(bytes)?
    } else if lower.ends_with(".csv") || lower.ends_with(".txt") {
        read_csv(bytes)?
    } else {
        return Err(SheetError::UnknownKind);
    };
    let first = rows
        .iter()
        .position(|r| r.iter().any(|c| !c.trim().is_empty()))
        .ok_or(SheetError::Empty)?;
    Ok(Sheet {
        header_row: u32::try_from(first + 1).unwrap_or(u32::MAX),
        rows: rows.into_iter().skip(first).collect(),
    })
}

fn clip(text: String) -> String {
    if text.chars().count() > MAX_CELL_CHARS {
        text.chars().take(MAX_CELL_CHARS).collect()
    } else {
        text
    }
}

fn read_xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>, SheetError> {
    let unreadable = |_| SheetError::Unreadable("XLSX");
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(unreadable)?;
    let name = book
        .sheet_names()
        .into_iter()
        .next()
        .ok_or(SheetError::Empty)?;
    let mut cells = book.worksheet_cells_reader(&name).map_err(unreadable)?;
    let mut rows: Vec<Vec<String>> = Vec::new();
    while let Some(cell) = cells.next_cell().map_err(unreadable)? {
        let (row, column) = cell.get_position();
        let (row, column) = (row as usize, column as usize);
        if row > MAX_ROWS {
            return Err(SheetError::TooLong);
        }
        if column >= MAX_COLUMNS {
            continue;
        }
        let text = cell_text(&Data::from(cell.get_value().clone()));
        if text.is_empty() {
            continue;
        }
        if rows.len() <= row {
            rows.resize(row + 1, Vec::new());
        }
        let cells_of_row = &mut rows[row];
        if cells_of_row.len() <= column {
            cells_of_row.resize(column + 1, String::new());
        }
        cells_of_row[column] = clip(text);
    }
    Ok(rows)
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
    let mut rows: Vec<Vec<String>> = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|_| SheetError::Unreadable("CSV"))?;
        // Blank lines are skipped by the reader; rows keep their line numbers all the same.
        let line = record.position().map_or(rows.len() + 1, |p| {
            usize::try_from(p.line()).unwrap_or(usize::MAX)
        });
        if line > MAX_ROWS + 1 {
            return Err(SheetError::TooLong);
        }
        while rows.len() + 1 < line {
            rows.push(Vec::new());
        }
        rows.push(
            record
                .iter()
                .take(MAX_COLUMNS)
                .map(|c| clip(c.to_string()))
                .collect(),
        );
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_saved_by_excel_in_gbk_reads_as_chinese() {
        let (gbk, _, _) = encoding_rs::GBK.encode("楼栋,单元,房号\n3,1,1201\n");
        let sheet = read("名单.csv", &gbk).unwrap();
        assert_eq!(sheet.rows[0], ["楼栋", "单元", "房号"]);
        assert_eq!(sheet.rows[1], ["3", "1", "1201"]);
        let with_bom = read("list.CSV", "\u{feff}\n,\na,b\n".as_bytes()).unwrap();
        assert_eq!(with_bom.rows[0], ["a", "b"]);
        assert_eq!(
            with_bom.header_row, 3,
            "rows are counted as the office sees them"
        );
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
    fn a_sheet_claiming_the_last_row_and_column_is_refused_without_allocating_it() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "楼栋").unwrap();
        sheet.write_string(0, 16_383, "far right").unwrap();
        sheet.write_string(1_048_575, 16_383, "far down").unwrap();
        let bytes = book.save_to_buffer().unwrap();
        assert_eq!(read("bomb.xlsx", &bytes), Err(SheetError::TooLong));
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(2, 0, "楼栋").unwrap();
        sheet.write_string(2, 16_383, "far right").unwrap();
        let read_back = read("wide.xlsx", &book.save_to_buffer().unwrap()).unwrap();
        assert_eq!(read_back.header_row, 3);
        assert_eq!(read_back.rows[0], ["楼栋"]);
    }

    #[test]
    fn whole_numbers_lose_excels_decimal_point() {
        assert_eq!(cell_text(&Data::Float(13800138000.0)), "13800138000");
        assert_eq!(cell_text(&Data::Float(2.5)), "2.5");
        assert_eq!(cell_text(&Data::String("1201室".into())), "1201室");
    }
}

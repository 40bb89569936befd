//! The year's figures as the workbook the office pastes into its annual report: the
//! figures with Chinese and English labels, a sheet by town, and the organisations.

use super::export::file;
use crate::error::{AppError, AppResult};
use axum::response::Response;
use model::year_figures::{Rate, TownFigures};
use model::{Lang, OrganisationYear, YearFigures};
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

fn internal(e: XlsxError) -> AppError {
    AppError::Internal(e.to_string())
}

/// A figure's cell: a count, a percentage, or words.
enum Cell {
    Count(u32),
    Share(Option<f64>),
    Text(String),
}

fn rate(r: Rate) -> [Cell; 2] {
    [
        Cell::Share(r.percent()),
        Cell::Text(format!("{} / {}", r.count, r.of)),
    ]
}

/// The rows of the first sheet: label, value, and a note.
fn figure_rows(f: &YearFigures) -> Vec<(String, Cell, Option<Cell>)> {
    let label = |zh: &str, en: &str| format!("{zh} {en}");
    let count = |zh: &str, en: &str, n: u32| (label(zh, en), Cell::Count(n), None);
    let town = f.town.map_or_else(
        || "全区 Whole district".to_string(),
        |t| format!("{} {}", t.name(Lang::Zh), t.name(Lang::En)),
    );
    let mut rows = vec![
        (
            label("时间范围", "Period"),
            Cell::Text(format!("{} – {}", f.from, f.to)),
            None,
        ),
        (label("范围", "Area"), Cell::Text(town), None),
        count("举办活动（场）", "Events held", f.events.total),
    ];
    for k in &f.events.by_kind {
        rows.push((
            format!(
                "　其中 {} {}",
                k.category.name(Lang::Zh),
                k.category.name(Lang::En)
            ),
            Cell::Count(k.events),
            None,
        ));
    }
    let o = &f.organisations;
    rows.extend([
        count(
            "企业参与（家次）",
            "Organisation participations",
            o.participations,
        ),
        count("参与企业（家）", "Organisations", o.organisations),
        count("企业参与人数", "People sent by organisations", o.attendees),
        count("居民参与（人次）", "Resident participants", f.residents),
        (
            label("统计口径", "How participants are counted"),
            Cell::Text(format!(
                "有签到的 {} 场按签到统计，无签到的 {} 场按报名统计 / from check-ins at {} \
                 events, from sign-ups at {} events without check-in",
                f.counted.from_checkins,
                f.counted.from_signups,
                f.counted.from_checkins,
                f.counted.from_signups
            )),
            None,
        ),
    ]);
    let [share, of] = rate(f.waitlist);
    rows.push((label("候补率（%）", "Waitlist rate (%)"), share, Some(of)));
    let [share, of] = rate(f.no_shows);
    rows.push((label("缺席率（%）", "No-show rate (%)"), share, Some(of)));
    let i = &f.inspections;
    rows.extend([
        count("预看房预约（户）", "Pre-inspection visits booked", i.booked),
        count("已验房（户）", "Visited", i.visited),
        count("未到（户）", "No-shows", i.no_shows),
        count("登记缺陷（项）", "Defects recorded", i.defects),
        count("未整改", "Still open", i.open),
        count("已整改待确认", "Repaired", i.repaired),
        count("业主已确认", "Confirmed", i.confirmed),
    ]);
    for w in &f.surveys {
        rows.push((
            format!(
                "满意度调查 {} 问卷（份） / {} responses",
                w.name.zh, w.name.en
            ),
            Cell::Count(w.responses),
            None,
        ));
        rows.push((
            format!("满意度指数 {} / {} index", w.name.zh, w.name.en),
            match w.index {
                Some(e) => Cell::Share(Some(e.value)),
                None => Cell::Text("样本过少，不予公布 / too few responses to report".into()),
            },
            None,
        ));
    }
    rows
}

fn write_cell(sheet: &mut Worksheet, row: u32, col: u16, cell: &Cell) -> AppResult<()> {
    match cell {
        Cell::Count(n) => sheet.write_number(row, col, f64::from(*n)),
        Cell::Share(Some(x)) => sheet.write_number(row, col, *x),
        Cell::Share(None) => sheet.write_string(row, col, "—"),
        Cell::Text(s) => sheet.write_string(row, col, s),
    }
    .map_err(internal)?;
    Ok(())
}

fn headers(sheet: &mut Worksheet, names: &[&str]) -> AppResult<()> {
    let bold = Format::new().set_bold();
    for (col, h) in (0u16..).zip(names) {
        sheet
            .write_string_with_format(0, col, *h, &bold)
            .map_err(internal)?;
    }
    Ok(())
}

pub fn xlsx(figures: &YearFigures, organisations: &[OrganisationYear]) -> AppResult<Response> {
    let mut book = Workbook::new();

    let sheet = book.add_worksheet();
    sheet.set_name("年度数据 Figures").map_err(internal)?;
    headers(sheet, &["项目 Figure", "数值 Value", "说明 Note"])?;
    for (row, (label, value, note)) in (1u32..).zip(figure_rows(figures)) {
        sheet.write_string(row, 0, &label).map_err(internal)?;
        write_cell(sheet, row, 1, &value)?;
        if let Some(note) = note {
            write_cell(sheet, row, 2, &note)?;
        }
    }
    sheet.set_column_width(0, 44).map_err(internal)?;
    sheet.set_column_width(1, 24).map_err(internal)?;

    let sheet = book.add_worksheet();
    sheet.set_name("分镇 By town").map_err(internal)?;
    headers(
        sheet,
        &[
            "镇（街道） Town",
            "举办活动 Events held",
            "企业参与 Organisation participations",
            "居民参与 Resident participants",
            "已验房 Visits",
            "问卷 Survey responses",
        ],
    )?;
    let one_town = figures.town.map(|town| TownFigures {
        town,
        events: figures.events.total,
        org_participations: figures.organisations.participations,
        residents: figures.residents,
        visits: figures.inspections.visited,
        survey_responses: figures.surveys.iter().map(|w| w.responses).sum(),
    });
    let towns = one_town.iter().chain(&figures.by_town);
    for (row, t) in (1u32..).zip(towns) {
        sheet
            .write_string(row, 0, t.town.name(Lang::Zh))
            .map_err(internal)?;
        let counts = [
            t.events,
            t.org_participations,
            t.residents,
            t.visits,
            t.survey_responses,
        ];
        for (col, n) in (1u16..).zip(counts) {
            write_cell(sheet, row, col, &Cell::Count(n))?;
        }
    }
    sheet.set_column_width(0, 18).map_err(internal)?;

    let sheet = book.add_worksheet();
    sheet.set_name("参与企业 Organisations").map_err(internal)?;
    headers(
        sheet,
        &[
            "单位 Organisation",
            "统一社会信用代码 Credit code",
            "参与次数 Participations",
            "参与人数 People",
        ],
    )?;
    for (row, o) in (1u32..).zip(organisations) {
        sheet.write_string(row, 0, &o.name).map_err(internal)?;
        sheet
            .write_string(row, 1, &o.credit_code)
            .map_err(internal)?;
        write_cell(sheet, row, 2, &Cell::Count(o.participations))?;
        write_cell(sheet, row, 3, &Cell::Count(o.attendees))?;
    }
    sheet.set_column_width(0, 36).map_err(internal)?;
    sheet.set_column_width(1, 22).map_err(internal)?;

    let bytes = book.save_to_buffer().map_err(internal)?;
    let area = figures.town.map_or("district", |t| t.slug());
    file(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        format!("year-{}-{}-{area}.xlsx", figures.from, figures.to),
    )
}

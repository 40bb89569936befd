//! Running the satisfaction survey (analysts, admins): the waves, one wave's questions and
//! status, paper forms typed in, the live analysis and the comments.

mod analysis;
mod list;
mod paper;
mod wave;

pub use analysis::WaveAnalysisPage;
pub use list::SurveyList;
pub use paper::PaperEntry;
pub use wave::WaveDesk;

use leptos::prelude::*;
use model::survey_wave::{StaffWave, WaveDetails};
use model::{BeijingDate, FieldError, FieldErrors};
use quality_month_web::components::{ErrorSummary, TextField};

use crate::fields::{pair, problems, text};
use crate::i18n::surveys::SurveyTexts;
use crate::i18n::{StaffTexts, use_staff_texts};

/// The wave's name in the language shown.
fn name(t: &StaffTexts, w: &StaffWave) -> String {
    w.details.wave.get(t.lang).to_string()
}

/// A wave's name and dates as the forms type them.
#[derive(Clone, Copy)]
struct DetailsInput {
    name: [RwSignal<String>; 2],
    opens: RwSignal<String>,
    closes: RwSignal<String>,
}

impl DetailsInput {
    fn new(d: Option<&WaveDetails>) -> Self {
        let date = |f: fn(&WaveDetails) -> BeijingDate| {
            RwSignal::new(d.map(|d| f(d).to_string()).unwrap_or_default())
        };
        Self {
            name: pair(&d.map(|d| d.wave.clone()).unwrap_or_default()),
            opens: date(|d| d.opens_on),
            closes: date(|d| d.closes_on),
        }
    }

    /// The details, or every problem by field.
    fn read(&self) -> Result<WaveDetails, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut date = |s: RwSignal<String>, field: &str| {
            BeijingDate::parse(s.get_untracked().trim()).unwrap_or_else(|| {
                errors.insert(field.into(), FieldError::Invalid);
                BeijingDate::new(2000, 1, 1).expect("a date")
            })
        };
        let details = WaveDetails {
            wave: text(self.name),
            opens_on: date(self.opens, "opens_on"),
            closes_on: date(self.closes, "closes_on"),
        };
        let validated = details.validate();
        crate::fields::checked(details, errors, validated)
    }
}

const DETAIL_IDS: &[(&str, &str)] = &[
    ("wave.zh", "wave-zh"),
    ("wave.en", "wave-en"),
    ("opens_on", "opens-on"),
    ("closes_on", "closes-on"),
];

/// The error summary and the name and date fields of a wave's form.
#[component]
fn DetailsFields(input: DetailsInput, errors: Signal<FieldErrors>) -> impl IntoView {
    let t = use_staff_texts();
    let field_problems =
        Signal::derive(move || problems(&errors.get(), DETAIL_IDS, |e| t.get().field_error(e)));
    let error_of = move |field: &'static str| {
        Signal::derive(move || errors.get().get(field).map(|e| t.get().field_error(*e)))
    };
    let s = move |f: fn(&SurveyTexts) -> &'static str| Signal::derive(move || f(t.get().surveys));
    view! {
        <ErrorSummary problems=field_problems />
        <div class="form__pair">
            <TextField id="wave-zh" label=s(|s| s.field_wave_zh) hint="" error=error_of("wave.zh") value=input.name[0] maxlength=80 />
            <TextField id="wave-en" label=s(|s| s.field_wave_en) hint="" error=error_of("wave.en") value=input.name[1] maxlength=80 />
        </div>
        <div class="form__pair">
            <TextField id="opens-on" label=s(|s| s.field_opens) hint=s(|s| s.field_date_hint) error=error_of("opens_on") value=input.opens input_type="date" />
            <TextField id="closes-on" label=s(|s| s.field_closes) hint=s(|s| s.field_date_hint) error=error_of("closes_on") value=input.closes input_type="date" />
        </div>
    }
}

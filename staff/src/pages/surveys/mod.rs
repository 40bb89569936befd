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

use model::survey_wave::StaffWave;

use crate::i18n::StaffTexts;

/// The wave's name in the language shown.
fn name(t: &StaffTexts, w: &StaffWave) -> String {
    w.details.wave.get(t.lang).to_string()
}

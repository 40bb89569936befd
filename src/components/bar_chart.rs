use leptos::prelude::*;

/// A horizontal bar chart of values from 0 to 100, drawn as SVG. It is an image labelled
/// by `caption_id`; the page shows the same figures in a table beside it, which is what a
/// screen reader reads.
#[component]
pub fn BarChart(
    /// The id of the caption that names the chart.
    caption_id: &'static str,
    /// (label, value 0–100) per bar.
    rows: Vec<(String, f64)>,
) -> impl IntoView {
    const ROW: f64 = 44.0;
    const WIDTH: f64 = 320.0;
    let height = ROW * rows.len() as f64;
    view! {
        <svg class="chart" viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-labelledby=caption_id
            preserveAspectRatio="xMinYMin meet">
            {rows.into_iter().enumerate().map(|(i, (label, value))| {
                let y = ROW * i as f64;
                let bar = (WIDTH - 48.0) * value.clamp(0.0, 100.0) / 100.0;
                view! {
                    <g aria-hidden="true">
                        <text class="chart__label" x="0" y=y + 14.0>{label}</text>
                        <rect class="chart__track" x="0" y=y + 20.0 width=WIDTH - 48.0 height="16" rx="3" />
                        <rect class="chart__bar" x="0" y=y + 20.0 width=bar height="16" rx="3" />
                        <text class="chart__value" x=WIDTH - 44.0 y=y + 33.0>{format!("{value:.1}")}</text>
                    </g>
                }
            }).collect_view()}
        </svg>
    }
}

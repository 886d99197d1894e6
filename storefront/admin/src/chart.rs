//! Small SVG charts drawn from the KPI figures: no chart library, nothing
//! fetched, readable without colour (values are labelled) and described for
//! screen readers.

use leptos::prelude::*;

/// One bar: its label under the axis and its value.
#[derive(Clone)]
pub struct Bar {
    /// `23/11`.
    pub label: String,
    /// Height, in the chart's unit.
    pub value: i64,
    /// What a hover or a screen reader says: `23/11 : 4 commandes`.
    pub title: String,
}

const WIDTH: i64 = 640;
const HEIGHT: i64 = 180;
const BASE: i64 = 150;

/// A bar chart scaled to its largest bar; `id` lets tests find it.
#[component]
pub fn BarChart(id: &'static str, caption: String, bars: Vec<Bar>) -> impl IntoView {
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1);
    let count = i64::try_from(bars.len()).unwrap_or(1).max(1);
    let step = WIDTH / count;
    let width = (step * 7 / 10).max(2);
    let every = (count / 10).max(1);
    let total: i64 = bars.iter().map(|b| b.value).sum();
    view! {
        <figure class="chart">
            <svg id=id viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=caption.clone()
                data-total=total.to_string() preserveAspectRatio="none">
                <line x1="0" y1=BASE x2=WIDTH y2=BASE class="axis"/>
                {bars.into_iter().enumerate().map(|(i, b)| {
                    let i = i64::try_from(i).unwrap_or(0);
                    let h = b.value * (BASE - 10) / max;
                    let x = i * step + (step - width) / 2;
                    let label = (i % every == 0).then(|| view! {
                        <text x=x + width / 2 y=HEIGHT - 8 text-anchor="middle" class="tick">{b.label.clone()}</text>
                    });
                    view! {
                        <g>
                            <rect x=x y=BASE - h width=width height=h class="bar"><title>{b.title}</title></rect>
                            {label}
                        </g>
                    }
                }).collect_view()}
            </svg>
            <figcaption>{caption}</figcaption>
        </figure>
    }
}

/// One stage of a [`FunnelChart`]: its name, count, and conversion from the
/// stage before, already written out (`45,0 %`).
#[derive(Clone)]
pub struct Stage {
    /// `Visites`.
    pub label: String,
    /// How many reached it.
    pub count: i64,
    /// `45,0 %`, or empty for the first stage.
    pub conversion: String,
}

const ROW: i64 = 34;
const LABELS: i64 = 150;

/// A funnel: one centred bar per stage, as wide as its share of the first
/// stage, with its name, count and step conversion written beside it (so
/// it reads without colour), and the whole described for screen readers.
#[component]
pub fn FunnelChart(id: &'static str, caption: String, stages: Vec<Stage>) -> impl IntoView {
    let max = stages.iter().map(|s| s.count).max().unwrap_or(0).max(1);
    let height = ROW * i64::try_from(stages.len()).unwrap_or(0) + 8;
    let span = WIDTH - 2 * LABELS;
    let description = stages
        .iter()
        .map(|s| {
            let step = if s.conversion.is_empty() {
                String::new()
            } else {
                format!(" ({})", s.conversion)
            };
            format!("{} : {}{step}", s.label, s.count)
        })
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <figure class="chart">
            <svg id=id viewBox=format!("0 0 {WIDTH} {height}") role="img"
                aria-label=format!("{caption} — {description}")>
                {stages.into_iter().enumerate().map(|(i, s)| {
                    let y = i64::try_from(i).unwrap_or(0) * ROW + 4;
                    let w = (s.count * span / max).max(2);
                    let x = LABELS + (span - w) / 2;
                    view! {
                        <g data-stage=s.label.clone() data-count=s.count.to_string()>
                            <text x=LABELS - 8 y=y + ROW / 2 + 4 text-anchor="end" class="tick">{s.label.clone()}</text>
                            <rect x=x y=y width=w height=ROW - 8 class="bar">
                                <title>{format!("{} : {}", s.label, s.count)}</title>
                            </rect>
                            <text x=WIDTH - LABELS + 8 y=y + ROW / 2 + 4 class="tick">
                                {if s.conversion.is_empty() { s.count.to_string() } else { format!("{} ({})", s.count, s.conversion) }}
                            </text>
                        </g>
                    }
                }).collect_view()}
            </svg>
            <figcaption>{caption}</figcaption>
        </figure>
    }
}

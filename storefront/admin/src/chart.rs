//! Small SVG charts drawn from the staff figures (bars, lines, a heatmap, a
//! funnel, a SKU's forecast): no chart library, nothing fetched, readable without
//! colour (values are labelled) and described for screen readers.

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

/// One row of a [`Heatmap`]: its label and, per column, the cell's share
/// (basis points, shading) and the text written in it; `None` draws an
/// empty cell (nothing to measure yet).
#[derive(Clone)]
pub struct HeatRow {
    /// `2026-01 (42)`.
    pub label: String,
    /// Per column: `(share in bps, text)`.
    pub cells: Vec<Option<(i64, String)>>,
}

const CELL_W: i64 = 46;
const CELL_H: i64 = 26;
const LABEL_W: i64 = 110;

/// A cell's fill opacity (`0.05` for 0 %, so an empty share still shows a
/// cell, to `1.00` for 100 %) and the ink its number is written in (white
/// on the darker half).
pub fn shade(bps: i64) -> (String, &'static str) {
    let bps = bps.clamp(0, 10_000);
    let hundredths = 5 + bps * 95 / 10_000;
    let ink = if bps > 5_000 { "#ffffff" } else { "#1f2430" };
    (format!("{}.{:02}", hundredths / 100, hundredths % 100), ink)
}

/// The SVG path through `points` (`None`: a gap): `M` starts a run, `L`
/// joins a point to the one before it.
pub fn line_path(points: &[Option<(i64, i64)>]) -> String {
    points
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let (x, y) = (*p)?;
            let joined = i > 0 && points.get(i - 1).is_some_and(Option::is_some);
            Some(format!("{}{x} {y}", if joined { "L" } else { "M" }))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A grid of cells shaded by their share (darker is more), every cell's
/// number written in it, with `caption` as its accessible name; the page
/// gives the same numbers as a table.
#[component]
pub fn Heatmap(
    id: &'static str,
    caption: String,
    columns: Vec<String>,
    rows: Vec<HeatRow>,
) -> impl IntoView {
    let width = LABEL_W + CELL_W * i64::try_from(columns.len()).unwrap_or(0);
    let height = CELL_H * (i64::try_from(rows.len()).unwrap_or(0) + 1);
    view! {
        <figure class="chart heatmap">
            <svg id=id viewBox=format!("0 0 {width} {height}") role="img" aria-label=caption.clone()>
                {columns.into_iter().enumerate().map(|(c, label)| {
                    let x = LABEL_W + CELL_W * i64::try_from(c).unwrap_or(0) + CELL_W / 2;
                    view! { <text x=x y=CELL_H - 8 text-anchor="middle" class="tick">{label}</text> }
                }).collect_view()}
                {rows.into_iter().enumerate().map(|(r, row)| {
                    let y = CELL_H * (i64::try_from(r).unwrap_or(0) + 1);
                    view! {
                        <g>
                            <text x="0" y=y + CELL_H - 8 class="tick">{row.label}</text>
                            {row.cells.into_iter().enumerate().map(|(c, cell)| {
                                let x = LABEL_W + CELL_W * i64::try_from(c).unwrap_or(0);
                                match cell {
                                    None => view! {
                                        <rect x=x + 1 y=y + 1 width=CELL_W - 2 height=CELL_H - 2
                                            fill="none" stroke="#d0d4dc" stroke-dasharray="2 2"/>
                                    }.into_any(),
                                    Some((bps, text)) => {
                                        let (opacity, ink) = shade(bps);
                                        view! {
                                            <g>
                                                <rect x=x + 1 y=y + 1 width=CELL_W - 2 height=CELL_H - 2
                                                    fill="#1d4ed8" fill-opacity=opacity/>
                                                <text x=x + CELL_W / 2 y=y + CELL_H - 8 text-anchor="middle"
                                                    font-size="11" fill=ink>{text}</text>
                                            </g>
                                        }.into_any()
                                    }
                                }
                            }).collect_view()}
                        </g>
                    }
                }).collect_view()}
            </svg>
            <figcaption>{caption}</figcaption>
        </figure>
    }
}

/// One point of a [`LineChart`]: its label, its value (`None`: a gap) and
/// the text written above it.
#[derive(Clone)]
pub struct Point {
    /// `2026-11`.
    pub label: String,
    /// In the chart's unit; `None` when there is nothing to plot.
    pub value: Option<i64>,
    /// `3,3` or `+33`.
    pub text: String,
}

/// A line over `[min, max]` (values may be negative), each point labelled
/// with its value; gaps where a point has none.
#[component]
pub fn LineChart(
    id: &'static str,
    caption: String,
    points: Vec<Point>,
    min: i64,
    max: i64,
) -> impl IntoView {
    let span = (max - min).max(1);
    let count = i64::try_from(points.len()).unwrap_or(1).max(1);
    let step = WIDTH / count;
    let y_of = |v: i64| 20 + (max - v.clamp(min, max)) * (BASE - 30) / span;
    let xy: Vec<Option<(i64, i64)>> = points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            p.value
                .map(|v| (i64::try_from(i).unwrap_or(0) * step + step / 2, y_of(v)))
        })
        .collect();
    let path = line_path(&xy);
    let zero = (min < 0 && max > 0).then(|| y_of(0));
    let every = (count / 12).max(1);
    view! {
        <figure class="chart">
            <svg id=id viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=caption.clone()>
                <line x1="0" y1=BASE x2=WIDTH y2=BASE class="axis"/>
                {zero.map(|y| view! { <line x1="0" y1=y x2=WIDTH y2=y class="axis" stroke-dasharray="4 4"/> })}
                <path d=path fill="none" stroke="#1d4ed8" stroke-width="2"/>
                {points.into_iter().zip(xy).enumerate().map(|(i, (p, at))| {
                    let i = i64::try_from(i).unwrap_or(0);
                    let x = i * step + step / 2;
                    let label = (i % every == 0).then(|| view! {
                        <text x=x y=HEIGHT - 8 text-anchor="middle" class="tick">{p.label.clone()}</text>
                    });
                    view! {
                        <g>
                            {at.map(|(x, y)| view! {
                                <circle cx=x cy=y r="3" fill="#1d4ed8"/>
                                <text x=x y=y - 6 text-anchor="middle" class="tick">{p.text.clone()}</text>
                            })}
                            {label}
                        </g>
                    }
                }).collect_view()}
            </svg>
            <figcaption>{caption}</figcaption>
        </figure>
    }
}

/// `3,2` from thousandths of a unit.
fn units(milli: u64) -> String {
    format!("{},{}", milli / 1000, (milli % 1000) / 100)
}

/// One day of a SKU's sales for [`ForecastChart`].
#[derive(Clone)]
pub struct SalesBar {
    /// `2026-12-01`.
    pub date: String,
    /// Units sold.
    pub sold: u32,
    /// Whether it could be sold (a day out of stock is missing demand).
    pub in_stock: bool,
}

/// A SKU's daily sales then its forecast: sold days as bars, days out of
/// stock as a hatched band (nothing to sell, not zero demand), the forecast
/// as a dashed line after today. Described in words below the chart.
#[component]
pub fn ForecastChart(
    id: &'static str,
    history: Vec<SalesBar>,
    forecast_milli: Vec<u64>,
) -> impl IntoView {
    let n = (history.len() + forecast_milli.len()).max(1) as f64;
    let step = WIDTH as f64 / n;
    let top = history
        .iter()
        .map(|d| u64::from(d.sold) * 1000)
        .chain(forecast_milli.iter().copied())
        .max()
        .unwrap_or(0)
        .max(1000) as f64;
    let y = |milli: f64| BASE as f64 - milli * (BASE - 10) as f64 / top;
    let sold: u64 = history.iter().map(|d| u64::from(d.sold)).sum();
    let out = history.iter().filter(|d| !d.in_stock).count();
    let ahead: u64 = forecast_milli.iter().sum();
    let today_x = history.len() as f64 * step;
    let line: Vec<String> = forecast_milli
        .iter()
        .enumerate()
        .map(|(i, m)| {
            format!(
                "{:.1},{:.1}",
                today_x + (i as f64 + 0.5) * step,
                y(*m as f64)
            )
        })
        .collect();
    let first = history.first().map(|d| d.date.clone()).unwrap_or_default();
    let caption = format!(
        "{} derniers jours depuis le {first} : {sold} vendus, {out} jours en rupture (demande manquante, non nulle). \
         Prévision des {} prochains jours : {} unités.",
        history.len(),
        forecast_milli.len(),
        units(ahead)
    );
    view! {
        <figure class="chart">
            <svg id=id viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=caption.clone() preserveAspectRatio="none">
                <line x1="0" y1=BASE x2=WIDTH y2=BASE class="axis"/>
                {history.into_iter().enumerate().map(|(i, d)| {
                    let x = i as f64 * step;
                    if d.in_stock {
                        let top = y(f64::from(d.sold) * 1000.0);
                        view! {
                            <rect x=format!("{x:.1}") y=format!("{top:.1}") width=format!("{:.1}", step * 0.8)
                                height=format!("{:.1}", BASE as f64 - top) class="bar">
                                <title>{format!("{} : {} vendus", d.date, d.sold)}</title>
                            </rect>
                        }.into_any()
                    } else {
                        view! {
                            <rect x=format!("{x:.1}") y="10" width=format!("{:.1}", step) height=BASE - 10 class="stockout">
                                <title>{format!("{} : rupture", d.date)}</title>
                            </rect>
                        }.into_any()
                    }
                }).collect_view()}
                <line x1=format!("{today_x:.1}") y1="0" x2=format!("{today_x:.1}") y2=BASE class="today"/>
                <text x=format!("{:.1}", today_x + 4.0) y="12" class="tick">"aujourd'hui"</text>
                <polyline points=line.join(" ") class="forecast"/>
            </svg>
            <figcaption>{caption}</figcaption>
        </figure>
    }
}

/// The units expected to be available each coming day (available now minus
/// forecast sales), against the reorder point: when the line crosses it,
/// order; when it reaches zero, the shelf is empty.
#[component]
pub fn StockChart(
    id: &'static str,
    available: i64,
    forecast_milli: Vec<u64>,
    reorder_point: Option<u32>,
) -> impl IntoView {
    let mut left = available.max(0) * 1000;
    let mut levels = vec![left];
    for m in &forecast_milli {
        left = (left - i64::try_from(*m).unwrap_or(i64::MAX)).max(0);
        levels.push(left);
    }
    let reorder = reorder_point.map(|r| i64::from(r) * 1000);
    let top = levels
        .iter()
        .copied()
        .chain(reorder)
        .max()
        .unwrap_or(0)
        .max(1000) as f64;
    let step = WIDTH as f64 / (levels.len().max(2) - 1) as f64;
    let y = |milli: i64| BASE as f64 - milli as f64 * (BASE - 10) as f64 / top;
    let points: Vec<String> = levels
        .iter()
        .enumerate()
        .map(|(i, l)| format!("{:.1},{:.1}", i as f64 * step, y(*l)))
        .collect();
    let crosses = reorder.and_then(|r| levels.iter().position(|l| *l <= r));
    let empty = levels.iter().position(|l| *l == 0);
    let caption = format!(
        "Stock disponible prévu sur {} jours, de {available} unités aujourd'hui{}{}.",
        forecast_milli.len(),
        match (reorder_point, crosses) {
            (Some(r), Some(0)) => format!(" ; déjà au point de commande ({r})"),
            (Some(r), Some(d)) => format!(" ; au point de commande ({r}) dans {d} jours"),
            (Some(r), None) => format!(" ; au-dessus du point de commande ({r})"),
            (None, _) => " ; pas de point de commande (aucun fournisseur)".to_owned(),
        },
        match empty {
            Some(0) => " ; en rupture".to_owned(),
            Some(d) => format!(" ; rupture dans {d} jours"),
            None => String::new(),
        }
    );
    view! {
        <figure class="chart">
            <svg id=id viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=caption.clone() preserveAspectRatio="none">
                <line x1="0" y1=BASE x2=WIDTH y2=BASE class="axis"/>
                {reorder.map(|r| view! {
                    <line x1="0" y1=format!("{:.1}", y(r)) x2=WIDTH y2=format!("{:.1}", y(r)) class="threshold"/>
                    <text x="4" y=format!("{:.1}", y(r) - 4.0) class="tick">"point de commande"</text>
                })}
                <polyline points=points.join(" ") class="level"/>
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_darken_with_their_share_and_stay_legible() {
        assert_eq!(shade(0), ("0.05".to_owned(), "#1f2430"));
        assert_eq!(shade(3333), ("0.36".to_owned(), "#1f2430"));
        assert_eq!(shade(10_000), ("1.00".to_owned(), "#ffffff"));
        assert_eq!(shade(20_000), shade(10_000));
    }

    #[test]
    fn a_line_breaks_where_a_point_has_no_value() {
        let path = line_path(&[
            Some((0, 10)),
            Some((5, 20)),
            None,
            Some((15, 5)),
            Some((20, 0)),
        ]);
        assert_eq!(path, "M0 10 L5 20 M15 5 L20 0");
        assert_eq!(line_path(&[None, None]), "");
    }
}

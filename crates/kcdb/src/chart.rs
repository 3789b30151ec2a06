//! The conventional degrees-of-equivalence chart as a self-contained SVG string.
//!
//! As in KCDB graphs of equivalence (and the Metrologia Technical Supplement reports): one point
//! per participant at `d_i`, a vertical bar `±U(d_i)`, a horizontal line at zero (the KCRV), the
//! band `±U(KCRV)` shaded when known, laboratory codes along the x axis, `d / unit` on the y axis,
//! and a title.
//!
//! Rendered with `plotters`' SVG backend into a `String` (no files, no fonts loaded: text is
//! emitted as SVG `<text>` with the generic `sans-serif` family and laid out with `plotters`'
//! built-in metrics), so the output references nothing external. Each participant's marker is
//! the only `<circle>` element drawn for it; nothing else in the chart is a circle.

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::doe::DoeTable;

/// Why a chart could not be drawn.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ChartError {
    /// No points.
    #[error("no degrees of equivalence to draw")]
    Empty,
    /// A non-finite or negative number.
    #[error("degree of equivalence of {0} is not a finite value with a non-negative uncertainty")]
    BadValue(String),
    /// The drawing backend failed.
    #[error("rendering failed: {0}")]
    Render(String),
}

const MARKER: RGBColor = RGBColor(31, 85, 160);
const BAND: RGBColor = RGBColor(120, 160, 210);

/// Draws the DoE chart of `table` as an SVG document.
pub fn doe_svg(table: &DoeTable) -> Result<String, ChartError> {
    let n = table.points.len();
    if n == 0 {
        return Err(ChartError::Empty);
    }
    for p in &table.points {
        if !(p.d.is_finite() && p.expanded.is_finite() && p.expanded >= 0.0) {
            return Err(ChartError::BadValue(p.lab.clone()));
        }
    }
    let band = table.reference_band.filter(|b| b.is_finite() && *b > 0.0);
    let mut low = table
        .points
        .iter()
        .map(|p| p.d - p.expanded)
        .fold(-band.unwrap_or(0.0), f64::min)
        .min(0.0);
    let mut high = table
        .points
        .iter()
        .map(|p| p.d + p.expanded)
        .fold(band.unwrap_or(0.0), f64::max)
        .max(0.0);
    let pad = (high - low) * 0.08;
    if !pad.is_finite() {
        return Err(ChartError::BadValue("(range)".into()));
    }
    if pad == 0.0 {
        low -= 1.0;
        high += 1.0;
    } else {
        low -= pad;
        high += pad;
    }

    let longest = table
        .points
        .iter()
        .map(|p| p.lab.chars().count())
        .max()
        .unwrap_or(0) as u32;
    let width = (140 + 34 * n as u32).clamp(480, 2400);
    let label_area = (12 + 8 * longest).clamp(40, 220);
    let height = 420 + label_area;
    let unit = if table.unit.is_empty() {
        "d".to_string()
    } else {
        format!("d / {}", table.unit)
    };
    let labels: Vec<String> = table.points.iter().map(|p| p.lab.clone()).collect();

    let mut svg = String::new();
    {
        let render = |e: &dyn std::fmt::Display| ChartError::Render(e.to_string());
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| render(&e))?;
        let mut chart = ChartBuilder::on(&root)
            .caption(&table.title, ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(label_area)
            .y_label_area_size(80)
            .build_cartesian_2d((0..n - 1).into_segmented(), low..high)
            .map_err(|e| render(&e))?;
        // The mesh draws the ticks; the lab codes are drawn below, rotated and end-anchored at
        // their tick (the mesh centres rotated labels on the tick, across the axis).
        let no_label = |_: &SegmentValue<usize>| String::new();
        chart
            .configure_mesh()
            .disable_x_mesh()
            .max_light_lines(1)
            .x_labels(n + 1)
            .x_label_formatter(&no_label)
            .y_desc(unit)
            .axis_desc_style(("sans-serif", 14))
            .draw()
            .map_err(|e| render(&e))?;
        let left = || SegmentValue::Exact(0);
        let right = || SegmentValue::Last;
        if let Some(b) = band {
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(left(), -b), (right(), b)],
                    BAND.mix(0.3).filled(),
                )))
                .map_err(|e| render(&e))?;
        }
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(left(), 0.0), (right(), 0.0)],
                BLACK.stroke_width(1),
            )))
            .map_err(|e| render(&e))?;
        let bar = MARKER.stroke_width(2);
        chart
            .draw_series(table.points.iter().enumerate().map(|(i, p)| {
                let x = || SegmentValue::CenterOf(i);
                PathElement::new(vec![(x(), p.d - p.expanded), (x(), p.d + p.expanded)], bar)
            }))
            .map_err(|e| render(&e))?;
        for sign in [-1.0, 1.0] {
            chart
                .draw_series(table.points.iter().enumerate().map(|(i, p)| {
                    EmptyElement::at((SegmentValue::CenterOf(i), p.d + sign * p.expanded))
                        + PathElement::new(vec![(-5, 0), (5, 0)], bar)
                }))
                .map_err(|e| render(&e))?;
        }
        chart
            .draw_series(table.points.iter().enumerate().map(|(i, p)| {
                // Open marker for participants outside the reference set.
                let style = if p.in_reference == Some(false) {
                    MARKER.stroke_width(2)
                } else {
                    MARKER.filled()
                };
                Circle::new((SegmentValue::CenterOf(i), p.d), 4, style)
            }))
            .map_err(|e| render(&e))?;
        let label_style = TextStyle::from(
            ("sans-serif", 12)
                .into_font()
                .transform(FontTransform::Rotate270),
        )
        .pos(Pos::new(HPos::Right, VPos::Center));
        for (i, lab) in labels.iter().enumerate() {
            let (x, y) = chart.backend_coord(&(SegmentValue::CenterOf(i), low));
            root.draw(&Text::new(lab.as_str(), (x, y + 10), &label_style))
                .map_err(|e| render(&e))?;
        }
        root.present().map_err(|e| render(&e))?;
    }
    Ok(svg)
}

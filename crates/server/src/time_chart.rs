//! The chart of a laboratory's [UTC − UTC(k)] over time, as a self-contained SVG string: one
//! point per Circular T date, joined by a line, with a vertical bar ±u (the combined standard
//! uncertainty of its month), the zero line (UTC itself), MJD along the x axis and ns on the y
//! axis.
//!
//! Drawn with `plotters`' SVG backend into a `String`, like the degrees-of-equivalence chart of
//! `sevres-kcdb`: no files, no fonts loaded, nothing external referenced. Each date's marker is
//! the only `<circle>` drawn for it.

use plotters::prelude::*;

/// One date of the chart.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ChartPoint {
    /// The date (MJD).
    pub(crate) mjd: i64,
    /// [UTC − UTC(k)], ns.
    pub(crate) value_ns: f64,
    /// Its combined standard uncertainty, ns.
    pub(crate) u_ns: Option<f64>,
}

/// Why a chart could not be drawn.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum ChartError {
    /// Nothing to draw.
    #[error("no [UTC − UTC(k)] values to draw")]
    Empty,
    /// A non-finite value or a negative uncertainty.
    #[error("the value at MJD {0} is not a finite number with a non-negative uncertainty")]
    BadValue(i64),
    /// The drawing backend failed.
    #[error("rendering failed: {0}")]
    Render(String),
}

const LINE: RGBColor = RGBColor(31, 85, 160);
const BAR: RGBColor = RGBColor(120, 160, 210);

/// Draws `points` (in date order) under `title`.
pub(crate) fn utc_offset_svg(title: &str, points: &[ChartPoint]) -> Result<String, ChartError> {
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return Err(ChartError::Empty);
    };
    for p in points {
        let u_ok = p.u_ns.is_none_or(|u| u.is_finite() && u >= 0.0);
        if !(p.value_ns.is_finite() && u_ok) {
            return Err(ChartError::BadValue(p.mjd));
        }
    }
    let u = |p: &ChartPoint| p.u_ns.unwrap_or(0.0);
    let mut low = points.iter().map(|p| p.value_ns - u(p)).fold(0.0, f64::min);
    let mut high = points.iter().map(|p| p.value_ns + u(p)).fold(0.0, f64::max);
    let pad = ((high - low) * 0.08).max(0.5);
    low -= pad;
    high += pad;
    // Integer MJDs as f64 are exact.
    let x0 = first.mjd as f64 - 3.0;
    let x1 = (last.mjd as f64 + 3.0).max(x0 + 6.0);

    let mut svg = String::new();
    {
        let render = |e: &dyn std::fmt::Display| ChartError::Render(e.to_string());
        let root = SVGBackend::with_string(&mut svg, (900, 420)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| render(&e))?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(44)
            .y_label_area_size(70)
            .build_cartesian_2d(x0..x1, low..high)
            .map_err(|e| render(&e))?;
        let mjd_label = |x: &f64| format!("{x:.0}");
        chart
            .configure_mesh()
            .max_light_lines(1)
            .x_labels(10)
            .x_label_formatter(&mjd_label)
            .x_desc("MJD")
            .y_desc("[UTC − UTC(k)] / ns")
            .axis_desc_style(("sans-serif", 14))
            .draw()
            .map_err(|e| render(&e))?;
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(x0, 0.0), (x1, 0.0)],
                BLACK.stroke_width(1),
            )))
            .map_err(|e| render(&e))?;
        let bar = BAR.stroke_width(2);
        chart
            .draw_series(points.iter().filter(|p| p.u_ns.is_some()).map(|p| {
                let x = p.mjd as f64;
                PathElement::new(vec![(x, p.value_ns - u(p)), (x, p.value_ns + u(p))], bar)
            }))
            .map_err(|e| render(&e))?;
        chart
            .draw_series(std::iter::once(PathElement::new(
                points
                    .iter()
                    .map(|p| (p.mjd as f64, p.value_ns))
                    .collect::<Vec<_>>(),
                LINE.stroke_width(1),
            )))
            .map_err(|e| render(&e))?;
        chart
            .draw_series(
                points
                    .iter()
                    .map(|p| Circle::new((p.mjd as f64, p.value_ns), 3, LINE.filled())),
            )
            .map_err(|e| render(&e))?;
        root.present().map_err(|e| render(&e))?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(mjd: i64, value_ns: f64, u_ns: Option<f64>) -> ChartPoint {
        ChartPoint {
            mjd,
            value_ns,
            u_ns,
        }
    }

    #[test]
    fn one_circle_per_date_and_the_title() {
        let points = [
            point(60_309, 1.5, Some(2.0)),
            point(60_314, -0.5, Some(2.0)),
            point(60_319, 0.25, None),
        ];
        let svg = utc_offset_svg("[UTC − UTC(SIM-B)]", &points).unwrap();
        assert!(svg.starts_with("<svg"), "{svg}");
        assert_eq!(svg.matches("<circle").count(), 3);
        assert!(svg.contains("SIM-B"));
        assert!(svg.contains("MJD"));
    }

    #[test]
    fn refuses_nothing_and_non_finite_values() {
        assert_eq!(utc_offset_svg("t", &[]), Err(ChartError::Empty));
        assert_eq!(
            utc_offset_svg("t", &[point(60_309, f64::NAN, None)]),
            Err(ChartError::BadValue(60_309))
        );
        assert_eq!(
            utc_offset_svg("t", &[point(60_309, 1.0, Some(-1.0))]),
            Err(ChartError::BadValue(60_309))
        );
        // A single date still draws.
        assert!(utc_offset_svg("t", &[point(60_309, 0.0, Some(0.0))]).is_ok());
    }
}

//! The frame shared by every page: header with navigation, main content, footer.

use maud::{html, Markup, DOCTYPE};

/// A complete HTML page with `title` and `body` inside the common frame.
pub(crate) fn page(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                link rel="stylesheet" href="/assets/sevres.css";
            }
            body {
                header {
                    a.brand href="/" { "Sevres" }
                    nav {
                        a href="/si" { "SI" }
                        a href="/si/convert" { "Converter" }
                        a href="/comparisons" { "Comparisons" }
                        a href="/comparisons/analyse" { "Analyse" }
                        a href="/cmc" { "CMCs" }
                        a href="/dcc" { "DCCs" }
                        a href="/time" { "Time" }
                        a href="/api/v1/openapi.json" { "API" }
                    }
                }
                main {
                    h1 { (title) }
                    (body)
                }
                footer {
                    "Sevres " (env!("CARGO_PKG_VERSION"))
                    " · open-source software for the international measurement system"
                }
            }
        }
    }
}

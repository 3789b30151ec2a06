//! Fuzzes the comparison data-set readers (JSON, CSV, Excel): any input gives a data set or a
//! typed error, never a panic; what is read must analyse (or fail with a typed error).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sevres_comparison::{analyse, Method, Options};

fuzz_target!(|data: &[u8]| {
    let options = Options {
        draws: 100,
        max_subsets: 1 << 10,
        ..Options::default()
    };
    let mut sets = vec![sevres_kcdb::import_xlsx("fuzz", data)];
    if let Ok(text) = std::str::from_utf8(data) {
        sets.push(sevres_kcdb::import_json(text));
        sets.push(sevres_kcdb::import_csv("fuzz", text));
    }
    for set in sets.into_iter().flatten() {
        for method in Method::ALL {
            let _ = analyse(&set.input, method, &options);
        }
    }
});

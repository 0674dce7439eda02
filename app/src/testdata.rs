//! Where the field cases and real company lists live (`shared/`, beside the checkout), for
//! tests and benchmarks. One lookup, so a clone anywhere on the machine finds them.

use std::path::PathBuf;

/// The `shared/` folder: `$CELLSTACK_SHARED`, else a `shared/` beside the repository or any
/// folder above it, else `/work/shared`. Panics (tests fail, never skip) when none holds the
/// field cases.
pub fn shared_dir() -> PathBuf {
    let mut tried = Vec::new();
    if let Some(dir) = std::env::var_os("CELLSTACK_SHARED") {
        tried.push(PathBuf::from(dir));
    }
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    tried.extend(manifest.ancestors().map(|a| a.join("shared")));
    tried.push(PathBuf::from("/work/shared"));
    tried.iter().find(|d| d.join("cases/INDEX.md").is_file()).cloned().unwrap_or_else(|| {
        panic!("shared/ (field cases and data) not found; tried {tried:?}; set CELLSTACK_SHARED")
    })
}

/// The path of a file under `shared/`, e.g. `cases/c01_utf8_bom_header.csv`.
pub fn shared_path(rel: &str) -> PathBuf {
    shared_dir().join(rel)
}

/// The bytes of a file under `shared/`; panics with its path when it cannot be read.
pub fn read_shared(rel: &str) -> Vec<u8> {
    let p = shared_path(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("reading {}: {e}", p.display()))
}

//! Compiles every documented response example in `fixtures/responses/` into the kit, so adding an
//! action's example is adding its file: no list to keep in step.

use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let dir = manifest.join("../../fixtures/responses");
    // A directory's modification time changes when a file is added or removed; each file's
    // content is tracked by its `include_str!`.
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut examples: Vec<(String, PathBuf)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            if path.extension()? != "json" {
                return None;
            }
            let stem = path.file_stem()?.to_str()?.to_string();
            Some((stem, path.canonicalize().ok()?))
        })
        .collect();
    examples.sort();
    let mut out = String::from(
        "/// The documented response example of each action, by action name\n\
         /// (`fixtures/responses/<action>.json`, compiled in by the build script).\n\
         pub(crate) const RESPONSE_EXAMPLES: &[(&str, &str)] = &[\n",
    );
    for (stem, path) in &examples {
        out.push_str(&format!("    ({stem:?}, include_str!({path:?})),\n"));
    }
    out.push_str("];\n");
    let target =
        PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo")).join("responses.rs");
    std::fs::write(&target, out)
        .unwrap_or_else(|e| panic!("cannot write {}: {e}", target.display()));
}

//! The workspace's test layout: each crate builds its `tests/` as one binary (`autotests = false`,
//! root `tests/integration.rs`), so a file there that the root does not declare would never be
//! compiled or run. This fails for such a file.

use std::path::{Path, PathBuf};

/// The modules a `tests/` directory holds: each `*.rs` file but the root, and each directory with
/// a `mod.rs`.
fn modules_in(dir: &Path) -> Vec<String> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("entry").path();
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("utf-8 name");
        let module = if path.is_dir() {
            path.join("mod.rs").is_file()
        } else {
            path.extension().is_some_and(|e| e == "rs") && name != "integration"
        };
        if module {
            names.push(name.to_owned());
        }
    }
    names.sort();
    names
}

/// The names a root declares with `mod name;` lines.
fn declared(root: &str) -> Vec<String> {
    let mut names: Vec<String> = root
        .lines()
        .filter_map(|l| l.trim().strip_prefix("mod ")?.strip_suffix(';'))
        .map(str::to_owned)
        .collect();
    names.sort();
    names
}

#[test]
fn every_file_of_each_crates_tests_directory_is_a_module_of_its_one_test_binary() {
    let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    for krate in ["mock-server", "client", "conformance"] {
        // Arrange
        let dir = workspace.join("crates").join(krate).join("tests");
        let root = std::fs::read_to_string(dir.join("integration.rs")).expect("the root");
        let manifest = std::fs::read_to_string(dir.join("../Cargo.toml")).expect("Cargo.toml");
        // Act
        let (on_disk, in_root) = (modules_in(&dir), declared(&root));
        // Assert
        assert!(on_disk.len() > 2, "{krate}: found only {on_disk:?}");
        assert_eq!(
            on_disk, in_root,
            "{krate}: tests/ files vs tests/integration.rs"
        );
        assert!(manifest.contains("autotests = false"), "{krate}");
        assert!(
            manifest.contains("path = \"tests/integration.rs\""),
            "{krate}"
        );
    }
}

#[test]
fn a_declaration_is_read_from_its_line_and_a_stray_file_is_seen() {
    assert_eq!(
        declared("//! x\nmod a;\n  mod b_c;\nuse d;\nmod e {}\n"),
        ["a", "b_c"]
    );
    let dir = std::env::temp_dir().join(format!("zego-layout-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("common")).expect("temp dir");
    std::fs::create_dir_all(dir.join("data")).expect("temp dir");
    for file in ["integration.rs", "a.rs", "common/mod.rs", "notes.md"] {
        std::fs::write(dir.join(file), "").expect("write");
    }
    let found = modules_in(&dir);
    std::fs::remove_dir_all(&dir).expect("cleanup");
    assert_eq!(found, ["a", "common"]);
}

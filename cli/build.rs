//! Embeds the default digest (`data/digests/*`) into the command-line program, so that
//! `paperbloom check|search` without `--digest` work from anywhere.
use std::{env, fs, path::PathBuf};

fn main() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../data/digests");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<PathBuf> = match fs::read_dir(&dir) {
        Ok(rd) => rd.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.is_file()).collect(),
        Err(e) => {
            eprintln!("cannot read the default digest folder {}: {e}", dir.display());
            std::process::exit(1);
        }
    };
    files.sort();
    let mut code = String::from("/// The default digest: (file name, bytes), sorted by name.\npub static DEFAULT_DIGEST: &[(&str, &[u8])] = &[\n");
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let name = f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        code.push_str(&format!(
            "    ({:?}, include_bytes!({:?})),\n",
            format!("data/digests/{name}"),
            f.display().to_string()
        ));
    }
    code.push_str("];\n");
    let out = PathBuf::from(env::var("OUT_DIR").unwrap_or_default()).join("default_digest.rs");
    if let Err(e) = fs::write(&out, code) {
        eprintln!("cannot write {}: {e}", out.display());
        std::process::exit(1);
    }
}

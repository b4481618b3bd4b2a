//! Output formats: snapshots of human, JSON and SARIF over fixtures/basic, and SARIF checked
//! against the official 2.1.0 schema.

use std::path::Path;

use crate::common::keyhound;

fn run(format: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/basic");
    let out = keyhound()
        .current_dir(&root)
        .args(["scan", ".", "--format", format, "--color", "never"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn human_snapshot() {
    let text = run("human");
    insta::with_settings!({filters => vec![(r"in \d+\.\d\d s", "in [elapsed] s"), (r"with \d+ rules", "with [n] rules")]}, {
        insta::assert_snapshot!(text);
    });
}

#[test]
fn json_snapshot() {
    let v: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    insta::assert_json_snapshot!(v, {".stats.elapsed_ms" => "[ms]", ".stats.rules" => "[n]", ".tool.version" => "[version]"});
}

#[test]
fn sarif_snapshot_and_schema() {
    let v: serde_json::Value = serde_json::from_str(&run("sarif")).unwrap();
    let schema_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&v)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF is invalid:\n{}",
        errors.join("\n")
    );

    let run0 = &v["runs"][0];
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    for r in rules {
        assert!(r["properties"]["tags"]
            .as_array()
            .unwrap()
            .contains(&"security".into()));
        assert!(r["properties"]["security-severity"].is_string());
        assert!(r["helpUri"].as_str().unwrap().starts_with("https://"));
    }
    for res in run0["results"].as_array().unwrap() {
        let fp = &res["partialFingerprints"];
        assert!(fp.get("primaryLocationLineHash").is_none());
        assert!(fp["keyhound/occurrence/v1"].is_string());
        let idx = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[idx]["id"], res["ruleId"]);
    }
    insta::assert_json_snapshot!(v, {".runs[0].tool.driver.version" => "[version]", ".runs[0].tool.driver.semanticVersion" => "[version]"});
}

#[test]
fn sarif_never_carries_the_secret_in_messages_or_snippets() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/basic");
    let out = keyhound()
        .args(["scan", "--format", "sarif", "--show-secrets"])
        .arg(&root)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for res in v["runs"][0]["results"].as_array().unwrap() {
        if res["properties"]["kind"] != "secret" {
            continue;
        }
        let secret = res["properties"]["secret"].as_str().unwrap();
        let probe: String = secret.chars().take(24).collect();
        assert!(!res["message"]["text"].as_str().unwrap().contains(&probe));
        let snippet = res["locations"][0]["physicalLocation"]["region"]["snippet"]["text"]
            .as_str()
            .unwrap();
        assert!(!snippet.contains(&probe), "{snippet}");
    }
}

//! SARIF 2.1.0 (built with serde-sarif) for GitHub code scanning and other viewers: every rule
//! that fired in `tool.driver.rules` (with `security` tag, `security-severity`, help and
//! helpUri), one result per finding with a percent-encoded relative URI, a region in Unicode
//! code points, and `partialFingerprints` under keyhound's own key. The secret never appears in
//! a message or snippet, whatever the options, because viewers render both.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde_json::json;
use serde_sarif::sarif::{
    ArtifactContent, ArtifactLocation, Location, Message, MultiformatMessageString,
    PhysicalLocation, PropertyBag, Region, ReportingDescriptor, Result as SarifResult, ResultLevel,
    Run, Sarif, Tool, ToolComponent, VersionControlDetails,
};

use super::{snippet_text, Options, Report, RuleInfo, INFORMATION_URI, TOOL_NAME, TOOL_VERSION};
use crate::findings::Finding;
use crate::rules::Severity;

pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The key of keyhound's own entry in `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "keyhound/occurrence/v1";

fn level(s: Severity) -> ResultLevel {
    match s {
        Severity::Critical | Severity::High => ResultLevel::Error,
        Severity::Medium => ResultLevel::Warning,
        Severity::Low => ResultLevel::Note,
    }
}

/// GitHub's `security-severity` score for a severity.
fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
    }
}

/// Percent-encodes a relative path for a SARIF URI, keeping `/` and RFC 3986 unreserved bytes.
pub fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn descriptor(rule: &RuleInfo) -> ReportingDescriptor {
    let mut tags = vec!["security".to_string(), "secret".to_string()];
    tags.extend(
        rule.tags
            .iter()
            .filter(|t| *t != "security" && *t != "secret")
            .cloned(),
    );
    let mut extra = BTreeMap::new();
    extra.insert(
        "security-severity".to_string(),
        json!(security_severity(rule.severity)),
    );
    extra.insert("severity".to_string(), json!(rule.severity.as_str()));
    let help_uri = rule
        .references
        .first()
        .cloned()
        .unwrap_or_else(|| format!("{INFORMATION_URI}#rules"));
    let help_markdown = {
        let mut md = rule.remediation.clone();
        for r in &rule.references {
            md.push_str(&format!("\n\n- <{r}>"));
        }
        md
    };
    ReportingDescriptor::builder()
        .id(rule.id.clone())
        .name(rule.name.clone())
        .short_description(
            MultiformatMessageString::builder()
                .text(rule.name.clone())
                .build(),
        )
        .full_description(
            MultiformatMessageString::builder()
                .text(rule.description.clone())
                .build(),
        )
        .help(
            MultiformatMessageString::builder()
                .text(rule.remediation.clone())
                .markdown(help_markdown)
                .build(),
        )
        .help_uri(help_uri)
        .properties(
            PropertyBag::builder()
                .tags(tags)
                .additional_properties(extra)
                .build(),
        )
        .build()
}

fn result(f: &Finding, rule_index: usize, opts: Options) -> SarifResult {
    let region = Region::builder()
        .start_line(f.line as i64)
        .start_column(f.column as i64)
        .end_line(f.end_line as i64)
        .end_column(f.end_column as i64)
        // Always redacted: viewers render snippets.
        .snippet(
            ArtifactContent::builder()
                .text(snippet_text(f, false))
                .build(),
        )
        .build();
    let location = Location::builder()
        .physical_location(
            PhysicalLocation::builder()
                .artifact_location(ArtifactLocation::builder().uri(uri(&f.path)).build())
                .region(region)
                .build(),
        )
        .build();
    let occurrence = crate::findings::fingerprint(&f.fingerprint, f.path.as_bytes());
    let mut partial = BTreeMap::new();
    partial.insert(FINGERPRINT_KEY.to_string(), occurrence);
    let mut props = BTreeMap::new();
    props.insert("severity".to_string(), json!(f.severity.as_str()));
    props.insert("kind".to_string(), json!(f.kind.as_str()));
    props.insert("fingerprint".to_string(), json!(f.fingerprint));
    props.insert("clientSafe".to_string(), json!(f.client_safe));
    props.insert(
        "secretRedacted".to_string(),
        json!(super::redact(&f.secret)),
    );
    if opts.show_secrets {
        props.insert("secret".to_string(), json!(f.secret));
    }
    if let Some(why) = &f.exposure {
        props.insert("exposure".to_string(), json!(why));
    }
    if let Some(e) = &f.env {
        props.insert("envName".to_string(), json!(e.name));
        props.insert("exampleFile".to_string(), json!(e.example_file));
        props.insert("references".to_string(), json!(e.references));
    }
    if let Some(g) = &f.git {
        props.insert("commit".to_string(), json!(g.commit));
        props.insert("author".to_string(), json!(g.author_name));
        props.insert("authorEmail".to_string(), json!(g.author_email));
        props.insert("date".to_string(), json!(g.date));
        props.insert("commitSummary".to_string(), json!(g.summary));
        props.insert("blob".to_string(), json!(g.blob));
        props.insert("presentAtHead".to_string(), json!(g.present_at_head));
        props.insert("occurrences".to_string(), json!(g.occurrences.len()));
        if let (Some(first), Some(last)) = (g.occurrences.first(), g.occurrences.last()) {
            props.insert("firstCommit".to_string(), json!(first.commit));
            props.insert("lastCommit".to_string(), json!(last.commit));
        }
    }
    SarifResult::builder()
        .rule_id(f.rule_id.clone())
        .rule_index(rule_index as i64)
        .level(level(f.severity))
        .message(Message::builder().text(f.message.clone()).build())
        .locations(vec![location])
        .partial_fingerprints(partial)
        .properties(PropertyBag::builder().additional_properties(props).build())
        .build()
}

pub fn write(report: &Report, opts: Options, out: &mut dyn Write) -> io::Result<()> {
    // `report.rules` is a BTreeMap: rule order (and so ruleIndex) is stable.
    let index: BTreeMap<&str, usize> = report
        .rules
        .keys()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();
    let rules: Vec<ReportingDescriptor> = report.rules.values().map(descriptor).collect();
    let results: Vec<SarifResult> = report
        .findings
        .iter()
        .map(|f| result(f, index.get(f.rule_id.as_str()).copied().unwrap_or(0), opts))
        .collect();
    let driver = ToolComponent::builder()
        .name(TOOL_NAME.to_string())
        .version(TOOL_VERSION.to_string())
        .semantic_version(TOOL_VERSION.to_string())
        .information_uri(INFORMATION_URI.to_string())
        .rules(rules)
        .build();
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
        .column_kind(json!("unicodeCodePoints"));
    let run = match &report.vcs {
        Some(v) => {
            let details = VersionControlDetails::builder().repository_uri(v.repository_uri.clone());
            let details = match (&v.revision, &v.branch) {
                (Some(r), Some(b)) => details.revision_id(r.clone()).branch(b.clone()).build(),
                (Some(r), None) => details.revision_id(r.clone()).build(),
                (None, Some(b)) => details.branch(b.clone()).build(),
                (None, None) => details.build(),
            };
            run.version_control_provenance(vec![details]).build()
        }
        None => run.build(),
    };
    let sarif = Sarif::builder()
        .schema(SARIF_SCHEMA.to_string())
        .version(json!("2.1.0"))
        .runs(vec![run])
        .build();
    serde_json::to_writer_pretty(&mut *out, &sarif)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn uri_encoding() {
        assert_eq!(super::uri("src/a b/ü.py"), "src/a%20b/%C3%BC.py");
        assert_eq!(super::uri("a/b-c_d.e~f"), "a/b-c_d.e~f");
    }
}

//! The printable annual report in a real headless Chromium: the page renders, every figure it shows is
//! the JSON's, and it prints to PDF on A4 with a Korean font.
//!
//! Chromium is found as `$OCF_CHROMIUM`, or `chromium`, `chromium-browser` or `google-chrome` on the
//! `PATH`. Without one the test says so and passes, so that the README's test command works on a bare
//! machine; CI installs Chromium and sets `OCF_REQUIRE_CHROMIUM=1`, which makes a missing browser (or a
//! missing Korean font) a failure.

use std::path::{Path, PathBuf};
use std::process::Command;

use ocf_tests::TestApp;
use serde_json::Value;

use crate::reports::{report_fixture, report_json, this_year};

fn required() -> bool {
    std::env::var("OCF_REQUIRE_CHROMIUM").is_ok_and(|v| !v.is_empty() && v != "0")
}

fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("OCF_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|p| p.is_file())
}

/// Runs headless Chromium on `url` with `args`, in its own profile; its standard output.
fn run(browser: &Path, profile: &Path, args: &[&str], url: &str) -> String {
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-extensions",
            "--disable-background-networking",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(url)
        .output()
        .expect("chromium runs");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

/// The value of attribute `name` in the tag text `tag` (`name="..."`), unescaped.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = start + tag[start..].find('"')?;
    Some(
        tag[start..end]
            .replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&"),
    )
}

/// Every element with `data-figure`: (pointer, data-value, the text shown).
fn figures(dom: &str) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let mut rest = dom;
    while let Some(i) = rest.find(" data-figure=\"") {
        let open = rest[..i].rfind('<').expect("a tag");
        let close = i + rest[i..].find('>').expect("tag end");
        let tag = &rest[open..=close];
        let text_end = close + 1 + rest[close + 1..].find('<').expect("text end");
        let text = rest[close + 1..text_end].to_owned();
        out.push((
            attribute(tag, "data-figure").expect("figure"),
            attribute(tag, "data-value").expect("value"),
            text,
        ));
        rest = &rest[close..];
    }
    out
}

/// The JSON's value as the page writes it in `data-value`: numbers as numbers, times as the day in Korea,
/// other text as it is, `null` as nothing.
fn as_written(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => match s.parse::<chrono::DateTime<chrono::Utc>>() {
            Ok(t) => (t + chrono::Duration::hours(9)).date_naive().to_string(),
            Err(_) => s.clone(),
        },
        other => other.to_string(),
    }
}

#[tokio::test]
async fn the_printable_report_renders_in_chromium_with_the_jsons_figures_on_a4() {
    let Some(browser) = chromium() else {
        assert!(
            !required(),
            "OCF_REQUIRE_CHROMIUM is set but no Chromium was found"
        );
        eprintln!("no Chromium on this machine: the browser test of the annual report did not run");
        return;
    };
    let app = TestApp::spawn().await;
    report_fixture(&app).await;
    let year = this_year();
    let json = report_json(&app, year).await;
    let url = format!("{}/api/v1/reports/annual/{year}?format=html", app.address);
    let dir = tempfile::tempdir().unwrap();
    let (profile, pdf) = (dir.path().join("profile"), dir.path().join("report.pdf"));
    let (dom, pdf_bytes) = tokio::task::spawn_blocking(move || {
        let dom = run(&browser, &profile, &["--dump-dom"], &url);
        run(
            &browser,
            &profile,
            &[
                "--no-pdf-header-footer",
                &format!("--print-to-pdf={}", pdf.display()),
            ],
            &url,
        );
        (dom, std::fs::read(&pdf).expect("the PDF"))
    })
    .await
    .unwrap();

    // It rendered: the browser's own serialisation of the document, headings in both languages.
    assert!(
        dom.contains("<html lang=\"ko\">"),
        "{}",
        &dom[..dom.len().min(200)]
    );
    assert!(dom.contains(&format!("{year}년 열린소통포럼 연례 보고서")));
    for heading in [
        "The funnel",
        "Forums held",
        "The most voted topics",
        "Each organization's record",
        "Proposals implemented",
    ] {
        assert!(dom.contains(heading), "{heading}");
    }
    // Every figure shown is the JSON's, and shows what it says.
    let found = figures(&dom);
    assert!(found.len() > 40, "{} figures", found.len());
    for (pointer, value, text) in &found {
        let expected = json
            .pointer(pointer)
            .unwrap_or_else(|| panic!("{pointer} is in the JSON"));
        assert_eq!(value, &as_written(expected), "{pointer}");
        match expected {
            Value::Number(n) if n.is_i64() || n.is_u64() => {
                assert_eq!(
                    text.replace(',', ""),
                    value.as_str(),
                    "{pointer} shows its number"
                );
            }
            Value::String(_) => assert_eq!(text, value, "{pointer} shows its day"),
            Value::Null => assert_eq!(text, "–", "{pointer}"),
            _ => assert!(!text.is_empty(), "{pointer}"),
        }
    }
    for pointer in [
        "/funnel/stages/0/count",
        "/forums/attended",
        "/top_topics/0/votes",
        "/organizations/0/received",
        "/implemented/0/journey/implemented_at",
    ] {
        assert!(
            found.iter().any(|(p, _, _)| p == pointer),
            "{pointer} is shown"
        );
    }

    // Printed: a PDF whose every page is A4 (595.28 x 841.89 pt, within a point).
    assert!(pdf_bytes.starts_with(b"%PDF-"));
    let pdf = String::from_utf8_lossy(&pdf_bytes);
    let boxes: Vec<&str> = pdf
        .match_indices("/MediaBox [")
        .map(|(i, _)| &pdf[i + 11..])
        .collect();
    assert!(!boxes.is_empty(), "pages");
    for b in boxes {
        let nums: Vec<f64> = b[..b.find(']').unwrap()]
            .split_whitespace()
            .map(|n| n.parse().unwrap())
            .collect();
        let (w, h) = (nums[2] - nums[0], nums[3] - nums[1]);
        assert!(
            (w - 595.28).abs() < 1.0 && (h - 841.89).abs() < 1.0,
            "A4, not {w} x {h}"
        );
    }
    // The Korean text was set in a font that has it (fontconfig's Korean fonts, when it lists any).
    let korean = Command::new("fc-list")
        .args([":lang=ko", "family"])
        .output();
    let families: Vec<String> = korean
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .flat_map(|l| l.split(','))
                .map(|f| f.trim().replace(' ', ""))
                .filter(|f| !f.is_empty())
                .collect()
        })
        .unwrap_or_default();
    if families.is_empty() {
        assert!(
            !required(),
            "OCF_REQUIRE_CHROMIUM is set but fontconfig lists no Korean font"
        );
        eprintln!("no Korean font on this machine: the PDF's Korean glyphs were not checked");
    } else {
        assert!(
            families.iter().any(|f| pdf.contains(f.as_str())),
            "a Korean font ({families:?}) is embedded"
        );
    }
}

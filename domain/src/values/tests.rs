//! The value types' rules, on samples and on generated strings.
#![allow(clippy::unwrap_used)]

use super::HttpsUrl;

#[test]
fn https_urls_are_parsed_by_the_url_standard() {
    for ok in [
        "https://tv.example.kr/live/1",
        "  https://ideas.go.kr/p?id=7#top ",
        "https://xn--3e0b707e.kr:8443/hook",
        "https://localhost:0/",
        "https://10.0.0.1/",
        "https://[2001:db8::1]:8443/hook",
        "https://[::ffff:1.2.3.4]",
        "https://a.kr:65535?q=[1]#frag",
        "https://1.2.3.example/한글/경로",
    ] {
        assert_eq!(
            HttpsUrl::parse(ok).map(|u| u.as_str().to_owned()),
            Ok(ok.trim().to_owned())
        );
    }
    for bad in [
        "http://insecure.example",
        "https://",
        "https:///path",
        "https://[",
        "https://[::1/x",
        "https://a b.kr",
        "https://bad[host.kr/",
        "https://user:secret@ideas.go.kr/",
        "https://ideas.go.kr:99999/",
        "https://ideas.go.kr:65536/",
        "https://ideas.go.kr:/",
        "https://010.0.0.1/",
        "https://1.2.3.256/",
        "https://[::1",
        "https://[1:2:3:4:5:6:7:8:9]/",
        "https://[fe80::1%25eth0]/",
        "https://a.0x1/",
        "https://한국.kr/",
        "https://a..kr/",
        "https://a.kr./",
        "https://ideas.go.kr\\evil",
    ] {
        assert!(HttpsUrl::parse(bad).is_err(), "{bad} was accepted");
    }
    let long = format!("https://a.kr/{}", "x".repeat(2_000));
    assert!(HttpsUrl::parse(&long).is_err());
}

/// The document's `pattern` and the parser agree: on the samples above and on strings built from the
/// pieces where they could differ (a fixed seed, so a failure reproduces).
#[test]
fn the_pattern_and_the_parser_accept_the_same_urls() {
    let pattern = regex::Regex::new(HttpsUrl::PATTERN).unwrap();
    let pieces = [
        "https://",
        "a",
        "Z",
        "0",
        "9",
        "-",
        ".",
        ":",
        "443",
        "65535",
        "65536",
        "0x",
        "/",
        "?",
        "#",
        "[",
        "]",
        "[::1]",
        ":00443",
        ":0443",
        "\u{feff}",
        "user@",
        "[1:2:3:4:5:6:7:8]",
        "1.2.3.4",
        "::",
        "ff",
        "256",
        "08",
        "@",
        "\\",
        " ",
        "\t",
        "\u{85}",
        "\u{a0}",
        "\u{3000}",
        "\u{7f}",
        "\u{9f}",
        "한",
        "%",
        "xn--",
        "~",
    ];
    let mut state: u64 = 20_261_201;
    let mut next = |n: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        usize::try_from(state >> 33).unwrap() % n
    };
    let (mut accepted, mut bracketed) = (0, 0);
    for _ in 0..200_000 {
        let mut url = String::from("https://");
        for _ in 0..next(9) {
            url.push_str(pieces[next(pieces.len())]);
        }
        // The parser trims first, as every text field of the API does.
        let by_pattern = pattern.is_match(url.trim());
        let by_parser = HttpsUrl::parse(&url).is_ok();
        let punycode = url.to_ascii_lowercase().contains("xn--");
        assert!(
            by_pattern == by_parser || (punycode && !by_parser),
            "{url:?}"
        );
        accepted += usize::from(by_parser);
        bracketed += usize::from(by_parser && url.contains('['));
    }
    assert!(
        accepted > 1_000 && bracketed > 20,
        "{accepted} accepted, {bracketed} with [IPv6]: the generator is too narrow"
    );
}

//! The committed YAML: quoting what a YAML 1.1 loader (PyYAML, SnakeYAML) would read as a date or a boolean.

/// Quotes the plain scalars a YAML 1.1 loader (PyYAML and most of the Python and Ruby world) would not
/// read as strings: timestamps such as `2026-11-27T09:30:00Z`, `yes`/`no`/`on`/`off`, sexagesimal
/// numbers. The serializer already quotes what YAML 1.2 would misread, so any plain scalar that is not a
/// number was a string; numbers stay as they are.
pub fn yaml_1_1_safe(yaml: &str) -> String {
    fn indent(line: &str) -> usize {
        line.len() - line.trim_start_matches(' ').len()
    }
    fn is_number(v: &str) -> bool {
        let digits = v.strip_prefix('-').unwrap_or(v);
        let (mantissa, exponent) = match digits.split_once(['e', 'E']) {
            Some((m, e)) => (m, Some(e.strip_prefix(['+', '-']).unwrap_or(e))),
            None => (digits, None),
        };
        let (whole, fraction) = match mantissa.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (mantissa, None),
        };
        let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        all_digits(whole)
            && (whole == "0" || !whole.starts_with('0'))
            && fraction.is_none_or(all_digits)
            && exponent.is_none_or(all_digits)
    }
    fn needs_quotes(v: &str) -> bool {
        const WORDS: &[&str] = &[
            "y", "Y", "n", "N", "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off",
            "Off", "OFF", "=", "<<",
        ];
        let first = v.as_bytes().first().copied().unwrap_or(b'\'');
        let second = v.as_bytes().get(1).copied().unwrap_or(b' ');
        let starts_numeric = first.is_ascii_digit()
            || (matches!(first, b'-' | b'+' | b'.') && second.is_ascii_digit());
        let plain = !matches!(
            first,
            b'\'' | b'"' | b'|' | b'>' | b'[' | b'{' | b'&' | b'*' | b'!'
        );
        plain && ((starts_numeric && !is_number(v)) || WORDS.contains(&v))
    }
    fn quote(v: &str) -> String {
        format!("'{}'", v.replace('\'', "''"))
    }
    let mut out = String::with_capacity(yaml.len() + yaml.len() / 20);
    let mut block: Option<usize> = None;
    for line in yaml.lines() {
        if let Some(parent) = block {
            if line.trim().is_empty() || indent(line) > parent {
                out.push_str(line);
                out.push('\n');
                continue;
            }
            block = None;
        }
        let mut start = indent(line);
        while line[start..].starts_with("- ") {
            start += 2;
        }
        let (prefix, rest) = line.split_at(start);
        let (key, value) = if let Some(quoted) = rest.strip_prefix('\'') {
            match quoted.find('\'') {
                Some(end) => {
                    let (k, v) = rest.split_at(end + 2);
                    match v.strip_prefix(": ") {
                        Some(v) => (k.to_owned(), Some(v.to_owned())),
                        None => (format!("{k}{v}"), None),
                    }
                }
                None => (String::new(), Some(rest.to_owned())),
            }
        } else if let Some((k, v)) = rest.split_once(": ") {
            (
                if needs_quotes(k) {
                    quote(k)
                } else {
                    k.to_owned()
                },
                Some(v.to_owned()),
            )
        } else if let Some(k) = rest.strip_suffix(':') {
            (
                format!(
                    "{}:",
                    if needs_quotes(k) {
                        quote(k)
                    } else {
                        k.to_owned()
                    }
                ),
                None,
            )
        } else {
            (String::new(), Some(rest.to_owned()))
        };
        out.push_str(prefix);
        out.push_str(&key);
        if let Some(value) = value {
            if !key.is_empty() {
                out.push_str(": ");
            }
            if value.starts_with('|') || value.starts_with('>') {
                block = Some(indent(line));
            }
            if needs_quotes(&value) {
                out.push_str(&quote(&value));
            } else {
                out.push_str(&value);
            }
        }
        out.push('\n');
    }
    out
}

//! Maps a JSON Pointer to the line and column of its node in JSON text.
//!
//! Used only on error paths and by exporters: the text is scanned, not parsed into values.

/// 1-based line and column (in characters) of the node at `pointer` in `text`, if it is there.
pub fn locate(text: &str, pointer: &str) -> Option<(usize, usize)> {
    let segments = split_pointer(pointer)?;
    let mut s = Scanner {
        b: text.as_bytes(),
        i: 0,
    };
    s.skip_bom();
    for seg in &segments {
        s.ws();
        match s.peek()? {
            b'{' => {
                s.i += 1;
                // A repeated key keeps its last value (as loading does): the last match wins.
                let mut found = None;
                loop {
                    s.ws();
                    if s.peek()? == b'}' {
                        break;
                    }
                    let key = s.string()?;
                    s.ws();
                    s.expect(b':')?;
                    s.ws();
                    if key == *seg {
                        found = Some(s.i);
                    }
                    s.skip_value()?;
                    s.ws();
                    if s.peek()? == b',' {
                        s.i += 1;
                    }
                }
                s.i = found?;
            }
            b'[' => {
                let want: usize = seg.parse().ok()?;
                s.i += 1;
                for _ in 0..want {
                    s.ws();
                    if s.peek()? == b']' {
                        return None;
                    }
                    s.skip_value()?;
                    s.ws();
                    s.expect(b',')?;
                }
                s.ws();
                if s.peek()? == b']' {
                    return None;
                }
            }
            _ => return None,
        }
    }
    s.ws();
    Some(line_col(text, s.i))
}

/// 1-based line and column (in characters) of byte offset `at`; a byte order mark that starts
/// the text is not counted, as the parser does not see it.
pub fn line_col(text: &str, at: usize) -> (usize, usize) {
    let before = text.get(..at).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |p| p + 1);
    let line_text = before.get(start..).unwrap_or_default();
    let line_text = match start {
        0 => line_text.strip_prefix('\u{feff}').unwrap_or(line_text),
        _ => line_text,
    };
    (line, line_text.chars().count() + 1)
}

/// The column in characters of a parser's position given as `line` and `byte_column` (both
/// 1-based, the column counted in bytes as serde_json counts it) in `text`.
pub fn char_column(text: &str, line: usize, byte_column: usize) -> usize {
    let start = match line {
        0 | 1 => 0,
        n => match text.match_indices('\n').nth(n - 2) {
            Some((at, _)) => at + 1,
            None => return byte_column,
        },
    };
    // The parser's column points just after the byte it stopped at, which may lie inside a
    // character: count the characters that start before it.
    let end = (start + byte_column).min(text.len());
    text.as_bytes()
        .get(start..end)
        .map_or(byte_column, |b| {
            b.iter().filter(|&&c| (c & 0xC0) != 0x80).count()
        })
        .max(1)
}

/// Byte offset of the first `[` or `{` that opens nesting level `level` (the root container is
/// level 1), strings skipped; `None` if the text never nests that deep.
pub fn opening_at_level(text: &str, level: usize) -> Option<usize> {
    let b = text.as_bytes();
    let (mut depth, mut i, mut in_string) = (0usize, 0usize, false);
    while let Some(&c) = b.get(i) {
        if in_string {
            match c {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
        } else {
            match c {
                b'"' => in_string = true,
                b'[' | b'{' => {
                    depth += 1;
                    if depth == level {
                        return Some(i);
                    }
                }
                b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        i += 1;
    }
    None
}

/// Splits a JSON Pointer into unescaped segments; `None` if it is malformed.
pub fn split_pointer(pointer: &str) -> Option<Vec<String>> {
    if pointer.is_empty() {
        return Some(Vec::new());
    }
    let rest = pointer.strip_prefix('/')?;
    rest.split('/').map(unescape_checked).collect()
}

/// Unescapes one JSON Pointer segment (`~1` is `/`, `~0` is `~`).
pub fn unescape(seg: &str) -> String {
    seg.replace("~1", "/").replace("~0", "~")
}

/// Unescapes one JSON Pointer segment; `None` when a `~` is not followed by `0` or `1`, the
/// only escapes JSON Pointer has (RFC 6901).
pub fn unescape_checked(seg: &str) -> Option<String> {
    let mut rest = seg;
    while let Some(i) = rest.find('~') {
        let after = rest.get(i + 1..)?;
        if !(after.starts_with('0') || after.starts_with('1')) {
            return None;
        }
        rest = after;
    }
    Some(unescape(seg))
}

/// Escapes one JSON Pointer segment.
pub fn escape(seg: &str) -> String {
    if seg.contains(['~', '/']) {
        seg.replace('~', "~0").replace('/', "~1")
    } else {
        seg.to_owned()
    }
}

struct Scanner<'a> {
    b: &'a [u8],
    i: usize,
}

impl Scanner<'_> {
    fn skip_bom(&mut self) {
        if self.b.starts_with(&[0xEF, 0xBB, 0xBF]) {
            self.i = 3;
        }
    }
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }
    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }
    fn expect(&mut self, c: u8) -> Option<()> {
        (self.peek()? == c).then(|| self.i += 1)
    }
    /// Reads a string token and returns its decoded text.
    fn string(&mut self) -> Option<String> {
        let start = self.i;
        self.skip_string()?;
        let raw = std::str::from_utf8(self.b.get(start..self.i)?).ok()?;
        serde_json::from_str(raw).ok()
    }
    fn skip_string(&mut self) -> Option<()> {
        self.expect(b'"')?;
        loop {
            match self.peek()? {
                b'\\' => self.i += 2,
                b'"' => {
                    self.i += 1;
                    return Some(());
                }
                _ => self.i += 1,
            }
        }
    }
    fn skip_value(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' => self.skip_string(),
            b'{' | b'[' => {
                let mut depth = 0usize;
                loop {
                    match self.peek()? {
                        b'"' => {
                            self.skip_string()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth -= 1;
                            if depth == 0 {
                                self.i += 1;
                                return Some(());
                            }
                        }
                        _ => {}
                    }
                    self.i += 1;
                }
            }
            _ => {
                while !matches!(
                    self.peek()?,
                    b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'
                ) {
                    self.i += 1;
                }
                Some(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_escapes_are_only_tilde_zero_and_one() {
        assert_eq!(unescape_checked("a~1b~0c").as_deref(), Some("a/b~c"));
        assert_eq!(unescape_checked("~01").as_deref(), Some("~1"));
        assert_eq!(unescape_checked("plain").as_deref(), Some("plain"));
        for bad in ["a~2b", "a~", "~", "~~0", "x~a"] {
            assert_eq!(unescape_checked(bad), None, "{bad}");
        }
        assert_eq!(
            split_pointer("/a~1b/c"),
            Some(vec!["a/b".to_owned(), "c".to_owned()])
        );
        assert_eq!(split_pointer("/a~2b"), None);
        assert_eq!(split_pointer("a"), None);
    }

    #[test]
    fn finds_nested_nodes() {
        let text = "{\n  \"a\": [1, {\"b\": \"x\"}],\n  \"c/d\": {\"e\": true}\n}";
        assert_eq!(locate(text, ""), Some((1, 1)));
        assert_eq!(locate(text, "/a"), Some((2, 8)));
        assert_eq!(locate(text, "/a/1/b"), Some((2, 18)));
        assert_eq!(locate(text, "/c~1d/e"), Some((3, 16)));
        assert_eq!(locate(text, "/a/2"), None);
        assert_eq!(locate(text, "/zz"), None);
    }

    #[test]
    fn a_repeated_key_is_found_at_its_last_copy() {
        let text = "{\"a\": 1,\n \"a\": {\"b\": 2, \"b\": 3}}";
        assert_eq!(locate(text, "/a"), Some((2, 7)));
        assert_eq!(locate(text, "/a/b"), Some((2, 21)));
    }

    #[test]
    fn a_leading_byte_order_mark_is_not_a_column() {
        let text = "\u{feff}{\"a\": 1}";
        assert_eq!(locate(text, "/a"), Some((1, 7)));
        assert_eq!(line_col(text, text.len()), (1, 9));
        // Only at the start of the text.
        assert_eq!(line_col("{}\n\u{feff}x", 8), (2, 3));
    }

    #[test]
    fn parser_columns_become_character_columns() {
        let text = "{\n  \"é\u{f8}\": 1, oops}";
        // serde_json says 2:14 (bytes); the `o` of oops is the 12th character of line 2.
        let e = serde_json::from_str::<serde_json::Value>(text).unwrap_err();
        assert_eq!((e.line(), e.column()), (2, 14));
        assert_eq!(char_column(text, e.line(), e.column()), 12);
        assert_eq!(char_column("abc", 1, 2), 2);
        assert_eq!(char_column("abc", 9, 2), 2);
    }

    #[test]
    fn the_opening_of_a_nesting_level_is_found() {
        let text = r#"{"a": "[[{", "b": [[{"c": [1]}]]}"#;
        assert_eq!(opening_at_level(text, 1), Some(0));
        assert_eq!(opening_at_level(text, 2), Some(18));
        assert_eq!(opening_at_level(text, 4), Some(20));
        assert_eq!(opening_at_level(text, 5), Some(26));
        assert_eq!(opening_at_level(text, 6), None);
        assert_eq!(opening_at_level(r#"{"s": "\"[["}"#, 2), None);
    }

    #[test]
    fn strings_with_brackets_and_escapes() {
        let text = r#"{"s": "a}\"]", "t": 1}"#;
        assert_eq!(locate(text, "/t"), Some((1, 21)));
    }
}

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
                loop {
                    s.ws();
                    if s.peek()? == b'}' {
                        return None;
                    }
                    let key = s.string()?;
                    s.ws();
                    s.expect(b':')?;
                    s.ws();
                    if key == *seg {
                        break;
                    }
                    s.skip_value()?;
                    s.ws();
                    if s.peek()? == b',' {
                        s.i += 1;
                    }
                }
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

/// 1-based line and column of byte offset `at`.
pub fn line_col(text: &str, at: usize) -> (usize, usize) {
    let before = text.get(..at).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |p| p + 1);
    let column = before.get(start..).map_or(1, |l| l.chars().count() + 1);
    (line, column)
}

/// Splits a JSON Pointer into unescaped segments; `None` if it is malformed.
pub fn split_pointer(pointer: &str) -> Option<Vec<String>> {
    if pointer.is_empty() {
        return Some(Vec::new());
    }
    let rest = pointer.strip_prefix('/')?;
    Some(rest.split('/').map(unescape).collect())
}

/// Unescapes one JSON Pointer segment (`~1` is `/`, `~0` is `~`).
pub fn unescape(seg: &str) -> String {
    seg.replace("~1", "/").replace("~0", "~")
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
    fn strings_with_brackets_and_escapes() {
        let text = r#"{"s": "a}\"]", "t": 1}"#;
        assert_eq!(locate(text, "/t"), Some((1, 21)));
    }
}

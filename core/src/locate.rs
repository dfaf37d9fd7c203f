//! Maps a JSON Pointer to the line and column of its node in JSON text.
//!
//! Used only on error paths and by exporters: the text is scanned, not parsed into values, by
//! one scanner (`Positions`) that finds any number of pointers in a single pass.

use std::collections::{HashMap, HashSet};

/// 1-based line and column (in characters) of the node at `pointer` in `text`, if it is there.
pub fn locate(text: &str, pointer: &str) -> Option<(usize, usize)> {
    let pointer = canonical(pointer)?;
    Positions::in_text(text, [pointer.as_str()]).get(&pointer)
}

/// 1-based lines and columns of the nodes at `pointers` in `text`, in the order of
/// `pointers`: for each, what [`locate`] gives, but all found in one pass over the text rather
/// than one pass each (a thousand issues of a large model would otherwise scan it a thousand
/// times).
///
/// ```
/// let text = "{\"a\": [1,\n 2], \"b\": {}}";
/// let at = aimscheck::locate::locate_each(text, ["/a/1", "/zz", "/b", "not a pointer"]);
/// assert_eq!(at, vec![Some((2, 2)), None, Some((2, 11)), None]);
/// ```
pub fn locate_each<'p>(
    text: &str,
    pointers: impl IntoIterator<Item = &'p str>,
) -> Vec<Option<(usize, usize)>> {
    let pointers: Vec<Option<String>> = pointers.into_iter().map(canonical).collect();
    let positions = Positions::in_text(text, pointers.iter().flatten().map(String::as_str));
    pointers
        .iter()
        .map(|p| p.as_deref().and_then(|p| positions.get(p)))
        .collect()
}

/// Byte offset in `text` of the node at `pointer` (where its value starts), if it is there.
pub fn offset(text: &str, pointer: &str) -> Option<usize> {
    let pointer = canonical(pointer)?;
    offsets(text, [pointer.as_str()])
        .into_iter()
        .rev()
        .find(|(_, p)| *p == pointer)
        .map(|(at, _)| at)
}

/// `pointer` with each segment escaped the one way [`escape`] does; `None` if malformed.
fn canonical(pointer: &str) -> Option<String> {
    Some(
        split_pointer(pointer)?
            .iter()
            .map(|seg| format!("/{}", escape(seg)))
            .collect(),
    )
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

/// Byte offsets of the nodes at `pointers` and at all their ancestors in `text`, in offset
/// order, found in one pass that descends only into the wanted nodes. Pointers are matched as
/// written, so they must be canonical (segments escaped as [`escape`] does). A repeated key
/// is found at each copy; the last is the one loading keeps.
fn offsets<'p>(text: &str, pointers: impl IntoIterator<Item = &'p str>) -> Vec<(usize, String)> {
    let mut wanted: HashSet<&str> = HashSet::new();
    for p in pointers {
        let mut p = p;
        while wanted.insert(p) {
            match p.rfind('/') {
                Some(cut) => p = p.get(..cut).unwrap_or_default(),
                None => break,
            }
        }
    }
    let mut walk = Walk {
        b: text.as_bytes(),
        i: 0,
        wanted: &wanted,
        found: Vec::new(),
    };
    if walk.b.starts_with("\u{feff}".as_bytes()) {
        walk.i = "\u{feff}".len();
    }
    let mut path = String::new();
    // A malformed text leaves what was found before the scanner lost its way.
    let _ = walk.value(&mut path);
    let mut found = walk.found;
    found.sort();
    found
}

/// Lines and columns of the nodes at some JSON Pointers of a JSON text, found in one pass.
///
/// [`Model::position`](crate::Model::position) scans the text from its start for each pointer;
/// with thousands of findings in a large model that is quadratic, so the exporters index the
/// pointers they need (and their ancestors) in a single pass instead. Same positions.
#[derive(Debug, Default)]
pub(crate) struct Positions {
    at: HashMap<String, (usize, usize)>,
}

impl Positions {
    /// Positions of `pointers` and of all their ancestors in `text`.
    pub(crate) fn in_text<'p>(text: &str, pointers: impl IntoIterator<Item = &'p str>) -> Self {
        let found = offsets(text, pointers);
        let mut at = HashMap::with_capacity(found.len());
        // A leading byte order mark is not a column, as in `locate::line_col`.
        let bom = match text.starts_with('\u{feff}') {
            true => '\u{feff}'.len_utf8(),
            false => 0,
        };
        // The characters of the current line are counted once, from the last node found on
        // it: a text of one long line (compact JSON) is not counted again for each node.
        let (mut line, mut scanned, mut column) = (1, bom, 1);
        for (offset, pointer) in found {
            let before = text.get(scanned..offset).unwrap_or_default();
            let counted = match before.rfind('\n') {
                Some(nl) => {
                    line += before.matches('\n').count();
                    column = 1;
                    before.get(nl + 1..).unwrap_or_default()
                }
                None => before,
            };
            column += counted.chars().count();
            scanned = offset;
            // In offset order: a repeated key ends at its last copy, the one loading keeps.
            at.insert(pointer, (line, column));
        }
        Positions { at }
    }

    /// Line and column of the node at `pointer`, if it was found.
    pub(crate) fn get(&self, pointer: &str) -> Option<(usize, usize)> {
        self.at.get(pointer).copied()
    }

    /// Line and column of the node at `pointer`, or of its nearest ancestor in the text.
    pub(crate) fn find(&self, pointer: &str) -> Option<(usize, usize)> {
        let mut p = pointer;
        loop {
            if let Some(at) = self.at.get(p) {
                return Some(*at);
            }
            p = p.get(..p.rfind('/')?)?;
        }
    }
}

/// A scanner over JSON text that records the offsets of the wanted pointers.
struct Walk<'t, 'w> {
    b: &'t [u8],
    i: usize,
    wanted: &'w HashSet<&'w str>,
    found: Vec<(usize, String)>,
}

impl Walk<'_, '_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn ws(&mut self) {
        while self.peek().is_some_and(|c| c.is_ascii_whitespace()) {
            self.i += 1;
        }
    }

    fn value(&mut self, path: &mut String) -> Option<()> {
        self.ws();
        if !self.wanted.contains(path.as_str()) {
            return self.skip();
        }
        self.found.push((self.i, path.clone()));
        let close = match self.peek()? {
            b'{' => b'}',
            b'[' => b']',
            _ => return self.skip(),
        };
        self.i += 1;
        let mut index = 0usize;
        loop {
            self.ws();
            if self.peek()? == close {
                self.i += 1;
                return Some(());
            }
            let len = path.len();
            path.push('/');
            if close == b'}' {
                let key = self.string()?;
                path.push_str(&escape(&key));
                self.ws();
                if self.peek()? != b':' {
                    return None;
                }
                self.i += 1;
            } else {
                path.push_str(&index.to_string());
                index += 1;
            }
            self.value(path)?;
            path.truncate(len);
            self.ws();
            if self.peek()? == b',' {
                self.i += 1;
            }
        }
    }

    /// Reads a string and returns its value.
    fn string(&mut self) -> Option<String> {
        let start = self.i;
        self.skip_string()?;
        let raw = std::str::from_utf8(self.b.get(start..self.i)?).ok()?;
        let inner = raw.get(1..raw.len().checked_sub(1)?)?;
        if inner.contains('\\') {
            serde_json::from_str(raw).ok()
        } else {
            Some(inner.to_owned())
        }
    }

    fn skip_string(&mut self) -> Option<()> {
        self.i += 1; // the opening quote
        loop {
            match self.peek()? {
                b'"' => {
                    self.i += 1;
                    return Some(());
                }
                b'\\' => self.i += 2,
                _ => self.i += 1,
            }
        }
    }

    fn skip(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' => self.skip_string(),
            b'{' | b'[' => {
                let mut depth = 0usize;
                loop {
                    match self.peek()? {
                        b'"' => self.skip_string()?,
                        b'{' | b'[' => {
                            depth += 1;
                            self.i += 1;
                        }
                        b'}' | b']' => {
                            depth = depth.checked_sub(1)?;
                            self.i += 1;
                            if depth == 0 {
                                return Some(());
                            }
                        }
                        _ => self.i += 1,
                    }
                }
            }
            _ => {
                while self
                    .peek()
                    .is_some_and(|c| !matches!(c, b',' | b'}' | b']') && !c.is_ascii_whitespace())
                {
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

    #[test]
    fn positions_find_a_node_or_its_nearest_ancestor() {
        let text = "\u{feff}{\n  \"a\": [1, {\"b\": \"x}]\\\"\"},\n   [ ] ],\n  \"c/d\": {\"e~f\": null},\n  \"\\u00e9\": {\"\u{e9}\": true}, \"g\": 2\n}\n";
        let pointers = [
            "",
            "/a",
            "/a/0",
            "/a/1",
            "/a/1/b",
            "/a/2",
            "/c~1d",
            "/c~1d/e~0f",
            "/\u{e9}",
            "/\u{e9}/\u{e9}",
            "/g",
        ];
        let positions = Positions::in_text(text, pointers.iter().copied());
        for p in pointers {
            let expected = locate(text, p);
            assert!(expected.is_some(), "{p} is in the text");
            assert_eq!(positions.find(p), expected, "{p}");
        }
        // An absent member falls back to the object it is missing from.
        let positions = Positions::in_text(text, ["/c~1d/missing", "/a/9/x"]);
        assert_eq!(positions.find("/c~1d/missing"), locate(text, "/c~1d"));
        assert_eq!(positions.find("/a/9/x"), locate(text, "/a"));
        assert_eq!(positions.find("/zzz"), locate(text, ""));
        // A repeated key is found at its last copy, as `locate` finds it.
        let text = "{\"a\": 1,\n \"a\": {\"b\": 2, \"b\": 3}}";
        let positions = Positions::in_text(text, ["/a/b"]);
        for p in ["/a", "/a/b"] {
            assert_eq!(positions.find(p), locate(text, p), "{p}");
        }
        assert_eq!(positions.find("/a/b"), Some((2, 21)));
    }

    #[test]
    fn each_pointer_is_placed_in_one_pass_as_locate_places_it() {
        // Line 1 (the byte order mark no column): {"é": [1, "ü", {"k": 2}],
        // Line 2:  "b": [true,   Line 3 empty.   Line 4:   "x"]}
        let text = "\u{feff}{\"é\": [1, \"ü\", {\"k\": 2}],\n \"b\": [true,\n\n  \"x\"]}";
        let pointers = [
            "/b/1", "/é/2/k", "", "/é/1", "/nope", "/b", "/é/0", "/é/2", "/é", "b", "/b/0",
        ];
        let expected = [
            Some((4, 3)),
            Some((1, 22)),
            Some((1, 1)),
            Some((1, 11)),
            None,
            Some((2, 7)),
            Some((1, 8)),
            Some((1, 16)),
            Some((1, 7)),
            None,
            Some((2, 8)),
        ];
        assert_eq!(locate_each(text, pointers), expected);
        for (p, at) in pointers.iter().zip(expected) {
            assert_eq!(locate(text, p), at, "{p}");
        }
        // A pointer escaped otherwise than `escape` does is placed all the same.
        let text = "{\"a/b\": {\"~\": 1}}";
        assert_eq!(
            locate_each(text, ["/a~1b/~0", "/a~1b"]),
            [Some((1, 15)), Some((1, 9))]
        );
        assert!(locate_each(text, std::iter::empty()).is_empty());
    }

    #[test]
    fn offsets_are_where_values_start() {
        let text = "{\"a\": {\"b\": \"x\"}, \"a\": {\"b\": \"y\"}}";
        // The last copy of a repeated key, as loading keeps it.
        assert_eq!(offset(text, "/a/b"), text.find("\"y\""));
        assert_eq!(offset(text, ""), Some(0));
        assert_eq!(offset(text, "/c"), None);
        assert_eq!(offset(text, "a"), None);
    }
}

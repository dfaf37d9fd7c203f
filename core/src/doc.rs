//! An arena document: a JSON value held in a few flat vectors instead of a tree of
//! `serde_json::Value`s, with object keys interned and members sorted by key.
//!
//! A model is loaded into it (`crate::model`) and never held as a whole `Value`: it replaces
//! that tree, since a `Value` takes about ten times its JSON text in memory and its `BTreeMap`
//! lookups dominate evaluation.
//!
//! Layout (structure of arrays, one entry per node, 17 bytes a node):
//! - `kinds[id]` (1 byte): null, bool, number, string, array or object;
//! - `spans[id]` (2 × u32): a bool's 0 or 1, a number's index in `numbers`, a string's byte
//!   offset and length in `strings`, a container's first child and child count;
//! - `parents[id]` (u32, `NONE` for the root) and `steps[id]` (u32): the key symbol (in an
//!   object) or index (in an array) that reaches the node from its parent, so a JSON Pointer
//!   can be rendered from any node.
//!
//! A container's children are contiguous node ids; an object's are sorted by key bytes (the
//! order of serde_json's default `BTreeMap` map), and symbols are numbered in that same order,
//! so an object's `steps` are a sorted `u32` slice: a lookup by symbol is a binary search over
//! integers. Children are placed before their parent, so the root is the last node.
//!
//! The document is normalized as `crate::model` normalizes a model: a repeated key keeps its
//! last value, a null member is removed, and a whole float with |f| < 9e15 becomes an integer.
//! Offsets are u32: a document holds at most `u32::MAX - 1` nodes, string bytes and symbols.

use crate::locate::escape;
use foldhash::{HashMap, HashMapExt};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::fmt::{self, Write as _};
use std::io;

/// No node: the root's parent.
const NONE: u32 = u32::MAX;
/// Largest node id, string offset or symbol a document holds.
const MAX: u32 = u32::MAX - 1;
/// Longest text [`Doc::parse`] always holds: each node, string byte, key and key byte takes at
/// least one byte of the text.
pub(crate) const MAX_TEXT: usize = MAX as usize;

/// A node of one [`Doc`] (meaningless in another).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct NodeId(u32);

impl NodeId {
    /// The node's index in its document (0 to `node_count() - 1`).
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Consecutive node ids: the children of one array or object.
#[derive(Clone, Debug)]
pub(crate) struct NodeRange(std::ops::Range<u32>);

impl Iterator for NodeRange {
    type Item = NodeId;

    fn next(&mut self) -> Option<NodeId> {
        self.0.next().map(NodeId)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl DoubleEndedIterator for NodeRange {
    fn next_back(&mut self) -> Option<NodeId> {
        self.0.next_back().map(NodeId)
    }
}

impl ExactSizeIterator for NodeRange {}

/// An interned object key of one [`Doc`]; symbols are numbered in key byte order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Sym(u32);

/// What a node is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Kind {
    Null,
    Bool,
    Number,
    String,
    Array,
    Object,
}

impl Kind {
    fn is_container(self) -> bool {
        matches!(self, Kind::Array | Kind::Object)
    }
}

/// How a node is reached from its parent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Step {
    /// The root has no parent.
    Root,
    /// A member of an object, under this key.
    Key(Sym),
    /// An item of an array, at this index.
    Index(usize),
}

/// The document is too large for 32-bit offsets.
#[derive(Debug)]
struct Full;

impl fmt::Display for Full {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the document holds more than {MAX} nodes, string bytes or keys"
        )
    }
}

/// A normalized JSON document in flat vectors; see the module documentation.
#[derive(Clone, Debug, Default)]
pub(crate) struct Doc {
    kinds: Vec<Kind>,
    spans: Vec<[u32; 2]>,
    parents: Vec<u32>,
    steps: Vec<u32>,
    /// The text of every string value, one after another.
    strings: String,
    numbers: Vec<Number>,
    /// Where each symbol's text starts in `sym_text`, and a last entry for the end.
    sym_starts: Vec<u32>,
    sym_text: String,
    /// Each symbol by its text: `sym` and `get` hash the key instead of comparing strings.
    sym_ids: HashMap<Box<str>, u32>,
    root: u32,
    depth: usize,
}

impl Doc {
    /// Parses JSON text into a normalized document in one pass, with serde_json's parser (and
    /// so its errors, lines and columns): the document of `serde_json::from_str::<Value>`
    /// normalized as `crate::model` normalizes a value.
    #[cfg(test)]
    pub fn parse(text: &str) -> serde_json::Result<Doc> {
        Doc::parse_limited(text, usize::MAX).map_err(|e| match e {
            ParseError::Json(e) => e,
            ParseError::LongArray { pointer, .. } => de::Error::custom(pointer),
        })
    }

    /// As [`Doc::parse`], but an array with more than `max_array_len` items stops the parse
    /// as soon as its item past the limit is read: the array is never built.
    pub fn parse_limited(text: &str, max_array_len: usize) -> Result<Doc, ParseError> {
        let mut builder = Builder::new(max_array_len);
        let mut de = serde_json::Deserializer::from_str(text);
        let root = match Seed(&mut builder).deserialize(&mut de) {
            Ok(root) => root,
            Err(e) => return Err(builder.long_array().unwrap_or(ParseError::Json(e))),
        };
        de.end().map_err(ParseError::Json)?;
        builder
            .finish(root)
            .map_err(|e| ParseError::Json(de::Error::custom(e)))
    }

    /// The normalized document of a value. Fails only when it exceeds the 32-bit offsets.
    pub fn from_value(value: &Value) -> serde_json::Result<Doc> {
        let mut builder = Builder::new(usize::MAX);
        let root = Seed(&mut builder).deserialize(value)?;
        builder.finish(root).map_err(de::Error::custom)
    }

    /// The document as a `Value` (equal to the normalized value it was built from).
    pub fn to_value(&self) -> Value {
        self.node_value(self.root())
    }

    /// The node as a `Value`.
    pub fn node_value(&self, id: NodeId) -> Value {
        match self.kind(id) {
            Kind::Null => Value::Null,
            Kind::Bool => Value::Bool(self.as_bool(id).unwrap_or_default()),
            Kind::Number => self
                .as_number(id)
                .map_or(Value::Null, |n| Value::Number(n.clone())),
            Kind::String => Value::String(self.as_str(id).unwrap_or_default().to_owned()),
            Kind::Array => Value::Array(self.items(id).map(|c| self.node_value(c)).collect()),
            Kind::Object => Value::Object(
                self.members(id)
                    .map(|(k, c)| (k.to_owned(), self.node_value(c)))
                    .collect::<Map<String, Value>>(),
            ),
        }
    }

    /// The root node (the last one).
    pub fn root(&self) -> NodeId {
        NodeId(self.root)
    }

    /// How many nodes the document holds (every one reachable from the root).
    #[cfg(test)]
    pub fn node_count(&self) -> usize {
        self.kinds.len()
    }

    /// Nesting depth, as `crate::model` counts it: 0 for a scalar, one more than the deepest
    /// member or item (or 1 if there is none) for an array or object.
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// What the node is (`Null` for an id that is not of this document).
    pub fn kind(&self, id: NodeId) -> Kind {
        self.kinds.get(id.index()).copied().unwrap_or(Kind::Null)
    }

    fn span(&self, id: NodeId) -> [u32; 2] {
        self.spans.get(id.index()).copied().unwrap_or_default()
    }

    /// First child and child count of an array or object of kind `kind`.
    fn children(&self, id: NodeId, kind: Kind) -> Option<(u32, u32)> {
        (self.kind(id) == kind).then(|| {
            let [first, len] = self.span(id);
            (first, len)
        })
    }

    /// The sorted key symbols of an object's members, and its first member.
    fn member_steps(&self, id: NodeId) -> Option<(u32, &[u32])> {
        let (first, len) = self.children(id, Kind::Object)?;
        let start = first as usize;
        Some((first, self.steps.get(start..start + len as usize)?))
    }

    pub fn is_null(&self, id: NodeId) -> bool {
        self.kind(id) == Kind::Null
    }

    pub fn as_bool(&self, id: NodeId) -> Option<bool> {
        (self.kind(id) == Kind::Bool).then(|| self.span(id)[0] != 0)
    }

    pub fn as_number(&self, id: NodeId) -> Option<&Number> {
        if self.kind(id) != Kind::Number {
            return None;
        }
        self.numbers.get(self.span(id)[0] as usize)
    }

    /// As `Value::as_i64`.
    #[cfg(test)]
    pub fn as_i64(&self, id: NodeId) -> Option<i64> {
        self.as_number(id)?.as_i64()
    }

    /// As `Value::as_u64`.
    #[cfg(test)]
    pub fn as_u64(&self, id: NodeId) -> Option<u64> {
        self.as_number(id)?.as_u64()
    }

    /// As `Value::as_f64` (integers too).
    pub fn as_f64(&self, id: NodeId) -> Option<f64> {
        self.as_number(id)?.as_f64()
    }

    pub fn as_str(&self, id: NodeId) -> Option<&str> {
        if self.kind(id) != Kind::String {
            return None;
        }
        let [start, len] = self.span(id);
        let start = start as usize;
        self.strings.get(start..start + len as usize)
    }

    /// Number of items or members (0 for a scalar).
    pub fn count(&self, id: NodeId) -> usize {
        if self.kind(id).is_container() {
            self.span(id)[1] as usize
        } else {
            0
        }
    }

    /// An array's items (none for anything else).
    pub fn items(&self, id: NodeId) -> impl ExactSizeIterator<Item = NodeId> + '_ {
        let (first, len) = self.children(id, Kind::Array).unwrap_or_default();
        (first..first + len).map(NodeId)
    }

    /// The ids of an array's items (none for anything else).
    pub fn item_ids(&self, id: NodeId) -> NodeRange {
        let (first, len) = self.children(id, Kind::Array).unwrap_or_default();
        NodeRange(first..first + len)
    }

    /// The ids of an object's member values, in key byte order (none for anything else).
    pub fn member_ids(&self, id: NodeId) -> NodeRange {
        let (first, len) = self.children(id, Kind::Object).unwrap_or_default();
        NodeRange(first..first + len)
    }

    /// An array's item at `index`.
    pub fn item(&self, id: NodeId, index: usize) -> Option<NodeId> {
        let (first, len) = self.children(id, Kind::Array)?;
        let index = u32::try_from(index).ok().filter(|&i| i < len)?;
        Some(NodeId(first + index))
    }

    /// An object's members with their keys, in key byte order (none for anything else).
    pub fn members(&self, id: NodeId) -> impl ExactSizeIterator<Item = (&str, NodeId)> + '_ {
        let (first, len) = self.children(id, Kind::Object).unwrap_or_default();
        (first..first + len).map(move |c| {
            let key = self.steps.get(c as usize).copied().unwrap_or(NONE);
            (self.sym_name(Sym(key)), NodeId(c))
        })
    }

    /// An object's member under `key`, as `Value::get` with a `&str`: the key's symbol by
    /// hash, then [`Doc::get_sym`] (a binary search over the members' key strings was 4 times
    /// slower on the generated models' 11-member process objects).
    pub fn get(&self, id: NodeId, key: &str) -> Option<NodeId> {
        self.get_sym(id, self.sym(key)?)
    }

    /// An object's member under the key `sym`: a binary search over integers.
    pub fn get_sym(&self, id: NodeId, sym: Sym) -> Option<NodeId> {
        let (first, steps) = self.member_steps(id)?;
        let at = steps.binary_search(&sym.0).ok()?;
        Some(NodeId(first + u32::try_from(at).ok()?))
    }

    /// The symbol of `key`, if some object of the document had that key.
    pub fn sym(&self, key: &str) -> Option<Sym> {
        self.sym_ids.get(key).copied().map(Sym)
    }

    /// The key text of a symbol ("" for a symbol that is not of this document).
    pub fn sym_name(&self, sym: Sym) -> &str {
        let at = sym.0 as usize;
        match (self.sym_starts.get(at), self.sym_starts.get(at + 1)) {
            (Some(&start), Some(&end)) => self
                .sym_text
                .get(start as usize..end as usize)
                .unwrap_or_default(),
            _ => "",
        }
    }

    /// The node's parent (none for the root).
    pub fn parent(&self, id: NodeId) -> Option<NodeId> {
        self.parents
            .get(id.index())
            .copied()
            .filter(|&p| p != NONE)
            .map(NodeId)
    }

    /// How the node is reached from its parent.
    pub fn step(&self, id: NodeId) -> Step {
        let Some(parent) = self.parent(id) else {
            return Step::Root;
        };
        let step = self.steps.get(id.index()).copied().unwrap_or(NONE);
        if self.kind(parent) == Kind::Object {
            Step::Key(Sym(step))
        } else {
            Step::Index(step as usize)
        }
    }

    /// The node's JSON Pointer (RFC 6901, keys escaped as `crate::locate::escape` does).
    pub fn pointer(&self, id: NodeId) -> String {
        let mut path = Vec::new();
        let mut at = id;
        // Parents have larger ids than their children: the walk ends at the root.
        while let Some(parent) = self.parent(at) {
            if parent <= at {
                break;
            }
            path.push(at);
            at = parent;
        }
        let mut out = String::new();
        for &node in path.iter().rev() {
            out.push('/');
            match self.step(node) {
                Step::Key(sym) => out.push_str(&escape(self.sym_name(sym))),
                Step::Index(i) => {
                    let _ = write!(out, "{i}");
                }
                Step::Root => {}
            }
        }
        out
    }

    /// The node at a JSON Pointer (RFC 6901), as `Value::pointer` finds it: `""` is the root,
    /// any other pointer starts with `/`, `~1` and `~0` in a token stand for `/` and `~`, and an
    /// array index is a decimal number without sign or leading zero.
    pub fn pointer_get(&self, pointer: &str) -> Option<NodeId> {
        if pointer.is_empty() {
            return Some(self.root());
        }
        let rest = pointer.strip_prefix('/')?;
        let mut at = self.root();
        for token in rest.split('/') {
            let key;
            let token = if token.contains('~') {
                key = token.replace("~1", "/").replace("~0", "~");
                key.as_str()
            } else {
                token
            };
            at = match self.kind(at) {
                Kind::Object => self.get(at, token)?,
                Kind::Array => {
                    if token.starts_with('+') || (token.starts_with('0') && token.len() != 1) {
                        return None;
                    }
                    self.item(at, token.parse().ok()?)?
                }
                _ => return None,
            };
        }
        Some(at)
    }

    /// The string at a JSON Pointer ([`Doc::pointer_get`]), if the node there is a string.
    pub fn str_at(&self, pointer: &str) -> Option<&str> {
        self.as_str(self.pointer_get(pointer)?)
    }

    /// Writes the document as compact JSON, byte for byte what `serde_json::to_vec` writes for
    /// the normalized value (keys sorted, no spaces). Unbuffered: wrap a file or hash in a
    /// `BufWriter`. Iterative, so any depth is written.
    pub fn write_canonical<W: io::Write>(&self, mut w: W) -> io::Result<()> {
        /// A container being written: its next child, its end, whether it is an object.
        struct Frame {
            start: u32,
            next: u32,
            end: u32,
            object: bool,
        }
        let mut stack: Vec<Frame> = Vec::new();
        let mut node = Some(self.root());
        loop {
            if let Some(id) = node.take() {
                let kind = self.kind(id);
                if kind.is_container() {
                    let [first, len] = self.span(id);
                    let object = kind == Kind::Object;
                    w.write_all(if object { b"{" } else { b"[" })?;
                    stack.push(Frame {
                        start: first,
                        next: first,
                        end: first + len,
                        object,
                    });
                } else {
                    self.write_scalar(&mut w, id)?;
                }
            }
            let Some(top) = stack.last_mut() else {
                return Ok(());
            };
            if top.next == top.end {
                let object = top.object;
                stack.pop();
                w.write_all(if object { b"}" } else { b"]" })?;
                continue;
            }
            let id = NodeId(top.next);
            if top.next != top.start {
                w.write_all(b",")?;
            }
            top.next += 1;
            if top.object {
                let key = self.steps.get(id.index()).copied().unwrap_or(NONE);
                serde_json::to_writer(&mut w, self.sym_name(Sym(key)))?;
                w.write_all(b":")?;
            }
            node = Some(id);
        }
    }

    fn write_scalar<W: io::Write>(&self, w: &mut W, id: NodeId) -> io::Result<()> {
        match self.kind(id) {
            Kind::Bool if self.as_bool(id) == Some(true) => w.write_all(b"true"),
            Kind::Bool => w.write_all(b"false"),
            Kind::Number => match self.as_number(id) {
                Some(n) => Ok(serde_json::to_writer(w, n)?),
                None => w.write_all(b"null"),
            },
            Kind::String => Ok(serde_json::to_writer(
                w,
                self.as_str(id).unwrap_or_default(),
            )?),
            Kind::Null | Kind::Array | Kind::Object => w.write_all(b"null"),
        }
    }
}

/// A node parsed but not yet placed: placed when its parent closes (its children are placed
/// already, so `span` is final), or by `finish` for the root.
#[derive(Clone, Copy, Debug)]
struct Rec {
    kind: Kind,
    span: [u32; 2],
    /// The key symbol (in parse order) of an object member.
    key: u32,
    /// Depth counted from the node: 0 for a scalar.
    height: u32,
}

impl Rec {
    fn scalar(kind: Kind, payload: u32) -> Rec {
        Rec {
            kind,
            span: [payload, 0],
            key: NONE,
            height: 0,
        }
    }
}

/// Why [`Doc::parse_limited`] failed.
#[derive(Debug)]
pub(crate) enum ParseError {
    /// The text is not JSON, or the document exceeds its 32-bit offsets.
    Json(serde_json::Error),
    /// An array has more items than the limit.
    LongArray {
        /// JSON Pointer of the array (RFC 6901).
        pointer: String,
        /// The limit it exceeds.
        limit: usize,
    },
}

/// How an array that is too long is reached from the root, innermost step first.
#[derive(Debug)]
enum PathStep {
    /// A member, under this key symbol (in parse order).
    Key(u32),
    /// An item, at this index.
    Index(usize),
}

/// Builds a [`Doc`] from the events of a `Deserializer`.
struct Builder {
    doc: Doc,
    /// The parsed children of every container being parsed, innermost last.
    scratch: Vec<Rec>,
    /// Symbols in parse order, and their ids.
    names: Vec<Box<str>>,
    ids: HashMap<Box<str>, u32>,
    /// A repeated key dropped a container whose nodes were placed: they must be removed.
    dropped: bool,
    /// Most items an array may have.
    max_array_len: usize,
    /// Set when an array had more items than `max_array_len`: the path to it, innermost step
    /// first, filled in as the error goes up through the containers being parsed.
    long: Option<Vec<PathStep>>,
}

impl Builder {
    fn new(max_array_len: usize) -> Builder {
        Builder {
            doc: Doc::default(),
            scratch: Vec::new(),
            names: Vec::new(),
            ids: HashMap::new(),
            dropped: false,
            max_array_len,
            long: None,
        }
    }

    /// Records that an array has too many items, and gives the error that stops the parse.
    fn too_long<E: de::Error>(&mut self) -> E {
        self.long = Some(Vec::new());
        E::custom(format_args!(
            "an array has more than {} items",
            self.max_array_len
        ))
    }

    /// Adds a step to the path of the array that is too long, if that is why the parse stops.
    fn unwind(&mut self, step: PathStep) {
        if let Some(path) = &mut self.long {
            path.push(step);
        }
    }

    /// The error for an array that had too many items, if one had.
    fn long_array(&self) -> Option<ParseError> {
        let path = self.long.as_ref()?;
        let mut pointer = String::new();
        for step in path.iter().rev() {
            pointer.push('/');
            match step {
                PathStep::Key(sym) => {
                    let key = self.names.get(*sym as usize).map_or("", |k| &**k);
                    pointer.push_str(&escape(key));
                }
                PathStep::Index(i) => {
                    let _ = write!(pointer, "{i}");
                }
            }
        }
        Some(ParseError::LongArray {
            pointer,
            limit: self.max_array_len,
        })
    }

    fn intern(&mut self, key: &str) -> Result<u32, Full> {
        if let Some(&sym) = self.ids.get(key) {
            return Ok(sym);
        }
        let sym = u32::try_from(self.names.len())
            .ok()
            .filter(|&s| s <= MAX)
            .ok_or(Full)?;
        self.names.push(key.into());
        self.ids.insert(key.into(), sym);
        Ok(sym)
    }

    fn string(&mut self, s: &str) -> Result<Rec, Full> {
        let start = u32::try_from(self.doc.strings.len()).map_err(|_| Full)?;
        let len = u32::try_from(s.len()).map_err(|_| Full)?;
        if start.checked_add(len).is_none_or(|end| end > MAX) {
            return Err(Full);
        }
        self.doc.strings.push_str(s);
        Ok(Rec {
            span: [start, len],
            ..Rec::scalar(Kind::String, 0)
        })
    }

    fn number(&mut self, n: Number) -> Result<Rec, Full> {
        let at = u32::try_from(self.doc.numbers.len())
            .ok()
            .filter(|&i| i <= MAX)
            .ok_or(Full)?;
        self.doc.numbers.push(n);
        Ok(Rec::scalar(Kind::Number, at))
    }

    /// Places the children parsed since `start` (sorted by key, repeated keys keeping the
    /// last value, null members dropped, for an object) and gives their container.
    fn close(&mut self, kind: Kind, start: usize) -> Result<Rec, Full> {
        let object = kind == Kind::Object;
        if object && let Some(members) = self.scratch.get_mut(start..) {
            let names = &self.names;
            let name = |r: &Rec| names.get(r.key as usize);
            // Most objects are written sorted (as serde_json writes them): checked, not sorted.
            // The sort is stable, so a repeated key's last value comes last.
            if !members.is_sorted_by(|x, y| x.key == y.key || name(x) <= name(y)) {
                members.sort_by(|x, y| name(x).cmp(&name(y)));
            }
        }
        let first = u32::try_from(self.doc.kinds.len()).map_err(|_| Full)?;
        let mut count = 0u32;
        let mut height = 0;
        let mut children = self.scratch.drain(start..).peekable();
        while let Some(rec) = children.next() {
            if object {
                if children.peek().is_some_and(|next| next.key == rec.key) {
                    self.dropped |= rec.kind.is_container();
                    continue;
                }
                if rec.kind == Kind::Null {
                    continue;
                }
            }
            place(&mut self.doc, rec, if object { rec.key } else { count })?;
            height = height.max(rec.height);
            count += 1;
        }
        Ok(Rec {
            kind,
            span: [first, count],
            key: NONE,
            height: height + 1,
        })
    }

    /// Places the root, numbers the symbols in key byte order and removes what repeated keys
    /// dropped.
    fn finish(self, root: Rec) -> Result<Doc, Full> {
        let mut doc = self.doc;
        doc.root = place(&mut doc, root, NONE)?;
        doc.depth = root.height as usize;

        let names = &self.names;
        let mut order: Vec<u32> = (0..u32::try_from(names.len()).map_err(|_| Full)?).collect();
        order.sort_unstable_by(|&a, &b| names.get(a as usize).cmp(&names.get(b as usize)));
        let mut rank = vec![NONE; names.len()];
        doc.sym_starts.reserve(names.len() + 1);
        doc.sym_ids.reserve(names.len());
        for (new, &old) in order.iter().enumerate() {
            if let (Some(r), Some(name)) = (rank.get_mut(old as usize), names.get(old as usize)) {
                *r = u32::try_from(new).map_err(|_| Full)?;
                doc.sym_ids.insert(name.clone(), *r);
                doc.sym_starts
                    .push(u32::try_from(doc.sym_text.len()).map_err(|_| Full)?);
                doc.sym_text.push_str(name);
            }
        }
        doc.sym_starts
            .push(u32::try_from(doc.sym_text.len()).map_err(|_| Full)?);
        for (step, &parent) in doc.steps.iter_mut().zip(&doc.parents) {
            if doc.kinds.get(parent as usize) == Some(&Kind::Object) {
                *step = rank.get(*step as usize).copied().unwrap_or(NONE);
            }
        }
        if self.dropped {
            doc = compact(doc);
        }
        doc.kinds.shrink_to_fit();
        doc.spans.shrink_to_fit();
        doc.parents.shrink_to_fit();
        doc.steps.shrink_to_fit();
        doc.strings.shrink_to_fit();
        doc.numbers.shrink_to_fit();
        Ok(doc)
    }
}

/// Appends a node (its children are placed already) and makes it their parent.
fn place(doc: &mut Doc, rec: Rec, step: u32) -> Result<u32, Full> {
    let id = u32::try_from(doc.kinds.len())
        .ok()
        .filter(|&i| i <= MAX)
        .ok_or(Full)?;
    doc.kinds.push(rec.kind);
    doc.spans.push(rec.span);
    doc.parents.push(NONE);
    doc.steps.push(step);
    if rec.kind.is_container() {
        let [first, len] = rec.span;
        let first = first as usize;
        if let Some(children) = doc.parents.get_mut(first..first + len as usize) {
            children.fill(id);
        }
    }
    Ok(id)
}

/// The document without the nodes no longer reachable from the root (the subtrees of values
/// that a repeated key replaced). Rare: only for input with repeated keys.
fn compact(doc: Doc) -> Doc {
    let n = doc.kinds.len();
    let mut keep = vec![false; n];
    if let Some(k) = keep.get_mut(doc.root as usize) {
        *k = true;
    }
    // Children have smaller ids than their parent: one walk down the ids marks every subtree.
    for id in (0..n).rev() {
        if keep.get(id) != Some(&true) {
            continue;
        }
        if let (Some(kind), Some(&[first, len])) = (doc.kinds.get(id), doc.spans.get(id))
            && kind.is_container()
            && let Some(children) = keep.get_mut(first as usize..first as usize + len as usize)
        {
            children.fill(true);
        }
    }
    let mut next = 0u32;
    let new_id: Vec<u32> = keep
        .iter()
        .map(|&k| {
            if k {
                next += 1;
                next - 1
            } else {
                NONE
            }
        })
        .collect();
    let renumber = |id: u32| new_id.get(id as usize).copied().unwrap_or(NONE);
    let kept = next as usize;
    let mut out = Doc {
        kinds: Vec::with_capacity(kept),
        spans: Vec::with_capacity(kept),
        parents: Vec::with_capacity(kept),
        steps: Vec::with_capacity(kept),
        root: renumber(doc.root),
        ..doc
    };
    for (id, &k) in keep.iter().enumerate() {
        let (Some(&kind), Some(&[a, b]), Some(&parent), Some(&step)) = (
            doc.kinds.get(id),
            doc.spans.get(id),
            doc.parents.get(id),
            doc.steps.get(id),
        ) else {
            continue;
        };
        if !k {
            continue;
        }
        out.kinds.push(kind);
        // An empty container's first child may be a removed node: any value gives no children.
        let a = if kind.is_container() && b > 0 {
            renumber(a)
        } else if kind.is_container() {
            0
        } else {
            a
        };
        out.spans.push([a, b]);
        out.parents.push(if parent == NONE {
            NONE
        } else {
            renumber(parent)
        });
        out.steps.push(step);
    }
    out
}

/// Parses one value into the builder and gives it unplaced.
struct Seed<'b>(&'b mut Builder);

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Rec;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Rec, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = Rec;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any valid JSON value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Rec, E> {
        Ok(Rec::scalar(Kind::Bool, u32::from(b)))
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Rec, E> {
        self.0.number(n.into()).map_err(E::custom)
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Rec, E> {
        self.0.number(n.into()).map_err(E::custom)
    }

    fn visit_f64<E: de::Error>(self, f: f64) -> Result<Rec, E> {
        // As serde_json's value visitor: a float JSON cannot hold is null. As `crate::model`: a
        // whole float is an integer.
        let Some(n) = Number::from_f64(f) else {
            return Ok(Rec::scalar(Kind::Null, 0));
        };
        let n = if f.fract() == 0.0 && f.abs() < 9.0e15 {
            #[allow(clippy::cast_possible_truncation)]
            let whole = f as i64;
            Number::from(whole)
        } else {
            n
        };
        self.0.number(n).map_err(E::custom)
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Rec, E> {
        self.0.string(s).map_err(E::custom)
    }

    fn visit_none<E>(self) -> Result<Rec, E> {
        Ok(Rec::scalar(Kind::Null, 0))
    }

    fn visit_unit<E>(self) -> Result<Rec, E> {
        Ok(Rec::scalar(Kind::Null, 0))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Rec, A::Error> {
        let start = self.0.scratch.len();
        // Counted here: after an error, `scratch` may still hold the items of an inner array.
        let mut count = 0usize;
        loop {
            let item = match seq.next_element_seed(Seed(&mut *self.0)) {
                Ok(Some(item)) => item,
                Ok(None) => break,
                Err(e) => {
                    self.0.unwind(PathStep::Index(count));
                    return Err(e);
                }
            };
            // Checked before the item is kept: the parse stops at the first item too many.
            if count >= self.0.max_array_len {
                return Err(self.0.too_long());
            }
            self.0.scratch.push(item);
            count += 1;
        }
        self.0.close(Kind::Array, start).map_err(de::Error::custom)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Rec, A::Error> {
        let start = self.0.scratch.len();
        while let Some(key) = map.next_key_seed(Key(&mut *self.0))? {
            let member = match map.next_value_seed(Seed(&mut *self.0)) {
                Ok(member) => member,
                Err(e) => {
                    self.0.unwind(PathStep::Key(key));
                    return Err(e);
                }
            };
            self.0.scratch.push(Rec { key, ..member });
        }
        self.0.close(Kind::Object, start).map_err(de::Error::custom)
    }
}

/// Parses an object key and gives its symbol (in parse order).
struct Key<'b>(&'b mut Builder);

impl<'de> DeserializeSeed<'de> for Key<'_> {
    type Value = u32;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<u32, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key<'_> {
    type Value = u32;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<u32, E> {
        self.0.intern(s).map_err(E::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::path::{Path, PathBuf};

    /// Checks a document against the normalized value and depth that `crate::model` gives.
    fn check_doc(doc: &Doc, value: &Value, depth: usize, what: &str) {
        assert_eq!(doc.to_value(), *value, "{what}: to_value");
        assert_eq!(doc.depth(), depth, "{what}: depth");
        let mut out = Vec::new();
        doc.write_canonical(&mut out).unwrap();
        assert!(
            out == serde_json::to_vec(value).unwrap(),
            "{what}: write_canonical"
        );
        assert_eq!(doc.parent(doc.root()), None);
        assert_eq!(doc.step(doc.root()), Step::Root);
        assert_eq!(doc.pointer(doc.root()), "");

        // Every node, from the root: the document holds no other.
        let mut seen = 0;
        let mut todo = vec![doc.root()];
        while let Some(id) = todo.pop() {
            seen += 1;
            let pointer = doc.pointer(id);
            let v = value.pointer(&pointer);
            assert_eq!(v, Some(&doc.node_value(id)), "{what}: {pointer}");
            assert_eq!(doc.pointer_get(&pointer), Some(id), "{what}: {pointer}");
            let v = v.unwrap();
            assert_eq!(doc.is_null(id), v.is_null());
            assert_eq!(doc.as_bool(id), v.as_bool());
            assert_eq!(doc.as_str(id), v.as_str());
            assert_eq!(doc.as_i64(id), v.as_i64());
            assert_eq!(doc.as_u64(id), v.as_u64());
            assert_eq!(doc.as_f64(id), v.as_f64());
            match v {
                Value::Object(o) => {
                    assert_eq!(doc.kind(id), Kind::Object);
                    assert_eq!(doc.count(id), o.len());
                    assert_eq!(doc.items(id).count(), 0);
                    let keys: Vec<&str> = doc.members(id).map(|(k, _)| k).collect();
                    assert_eq!(keys, o.keys().map(String::as_str).collect::<Vec<_>>());
                    for (k, c) in doc.members(id) {
                        assert_eq!(doc.get(id, k), Some(c), "{what}: {pointer} {k}");
                        let sym = doc.sym(k).unwrap();
                        assert_eq!(doc.sym_name(sym), k);
                        assert_eq!(doc.get_sym(id, sym), Some(c));
                        assert_eq!(doc.step(c), Step::Key(sym));
                        assert_eq!(doc.parent(c), Some(id));
                        assert_eq!(Some(&doc.node_value(c)), v.get(k));
                        todo.push(c);
                    }
                    let mut probes: Vec<String> =
                        ["", "id", "owner_role_id", "zzzz", "\u{0}", "~", "/"]
                            .iter()
                            .map(|s| (*s).to_owned())
                            .collect();
                    for k in o.keys() {
                        probes.push(format!("{k}x"));
                        probes.push(k.chars().skip(1).collect());
                    }
                    for p in &probes {
                        let got = doc.get(id, p);
                        assert_eq!(got.is_some(), v.get(p).is_some(), "{what}: {pointer} {p}");
                        let by_sym = doc.sym(p).and_then(|s| doc.get_sym(id, s));
                        assert_eq!(by_sym, got);
                    }
                }
                Value::Array(a) => {
                    assert_eq!(doc.kind(id), Kind::Array);
                    assert_eq!(doc.count(id), a.len());
                    assert_eq!(doc.members(id).count(), 0);
                    assert_eq!(doc.get(id, "0"), None);
                    for (i, c) in doc.items(id).enumerate() {
                        assert_eq!(doc.item(id, i), Some(c));
                        assert_eq!(doc.step(c), Step::Index(i));
                        assert_eq!(doc.parent(c), Some(id));
                        todo.push(c);
                    }
                    assert_eq!(doc.item(id, a.len()), None);
                }
                _ => {
                    assert!(!doc.kind(id).is_container());
                    assert_eq!(doc.count(id), 0);
                    assert_eq!(doc.get(id, "a"), None);
                    assert_eq!(doc.items(id).count(), 0);
                }
            }
        }
        assert_eq!(seen, doc.node_count(), "{what}: unreachable nodes");
    }

    /// `Doc::parse` gives what `crate::model::reference_parse` gives (serde_json's parse,
    /// depth and normalization), or the same error; and
    /// `Doc::from_value` of the raw and of the normalized value give the same document.
    fn check(text: &str, what: &str) -> Option<Doc> {
        let want = crate::model::reference_parse(text);
        match (Doc::parse(text), want) {
            (Ok(doc), Ok((value, depth))) => {
                check_doc(&doc, &value, depth, what);
                let raw: Value = serde_json::from_str(text).unwrap();
                for v in [&raw, &value] {
                    let again = Doc::from_value(v).unwrap();
                    check_doc(&again, &value, depth, what);
                }
                Some(doc)
            }
            (Err(got), Err(want)) => {
                assert_eq!(
                    (got.to_string(), got.line(), got.column(), got.classify()),
                    (
                        want.to_string(),
                        want.line(),
                        want.column(),
                        want.classify()
                    ),
                    "{what}"
                );
                None
            }
            (got, want) => panic!("{what}: {got:?} but model::reference_parse gives {want:?}"),
        }
    }

    fn root_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
    }

    #[test]
    fn case_and_example_models() {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(root_dir().join("tests/cases")).unwrap() {
            let path = entry.unwrap().path().join("model.json");
            if path.exists() {
                files.push(path);
            }
        }
        assert!(files.len() > 100, "{} case models", files.len());
        for entry in std::fs::read_dir(root_dir().join("examples")).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "json") {
                files.push(path);
            }
        }
        let mut errors = Vec::new();
        for path in &files {
            let text = std::fs::read_to_string(path).unwrap();
            if check(&text, &path.display().to_string()).is_none() {
                errors.push(path.parent().unwrap().file_name().unwrap().to_owned());
            }
        }
        errors.sort();
        // The cases whose model is not JSON: the same error as serde_json's parse.
        assert_eq!(errors, ["error-empty-file", "error-not-json"]);
    }

    /// Generated models (`aimscheck-gen 2000 1 > g2000.json`), given as paths separated by
    /// `:` in `AIMSCHECK_DOC_MODELS`: too large to keep in the repository.
    #[test]
    fn generated_models() {
        let paths = crate::model::doc_tests::generated_files();
        if paths.is_empty() {
            eprintln!("AIMSCHECK_DOC_MODELS is not set: no generated model checked");
        }
        for path in &paths {
            let text = std::fs::read_to_string(path).unwrap();
            let path = path.display().to_string();
            let doc = check(&text, &path).unwrap();
            let processes = doc.get(doc.root(), "processes").unwrap();
            assert!(doc.count(processes) > 0, "{path}");
            let owner = doc.sym("owner_role_id").unwrap();
            for p in doc.items(processes) {
                assert_eq!(doc.get(p, "owner_role_id"), doc.get_sym(p, owner));
            }
        }
    }

    #[test]
    fn edge_cases() {
        let deep = |n: usize, inner: &str| format!("{}{inner}{}", "[".repeat(n), "]".repeat(n));
        let deep_obj = |n: usize| format!("{}1{}", "{\"a/~\":".repeat(n), "}".repeat(n));
        let mut texts: Vec<String> = [
            // Nulls, whole floats, repeated keys, errors.
            "null",
            "1.0",
            "-0.0",
            "1e400",
            "2.5",
            "[]",
            "{}",
            "[null, 1.0, {\"a\": null}]",
            "{\"a\": null}",
            "{\"a\": 1, \"a\": null}",
            "{\"a\": null, \"a\": 1}",
            "{\"a\": [[[]]], \"a\": 1}",
            "{\"a\": [[[]]], \"a\": null}",
            "{\"a\": [[[]]], \"a\": null, \"a\": [1]}",
            "{\"a\": 1, \"a\": [[[]]]}",
            "{\"a\": null, \"a\": [[[]]]}",
            "{\"a\": {\"b\": [[{}]], \"b\": 2.0}, \"c\": [{\"d\": null}]}",
            "{\"a\": [1.0, 9e15, 8999999999999999.0, -8e15, 1e20, 18446744073709551616, -9223372036854775809]}",
            "{\"s\": \"a\\u00e9\\n\\ud83d\\ude00 \\/\"}",
            "{\"a\": 1,}",
            "{\"a\": 1} x",
            "{\"a\": ",
            "{1: 2}",
            "[1, 2",
            "\"\\ud800\"",
            // Scalars, empty containers.
            "true",
            "false",
            "\"\"",
            "\"x\"",
            "0",
            "[[]]",
            "[{}]",
            "{\"a\": {}, \"b\": [], \"c\": [{}, []], \"d\": {\"e\": {}}}",
            "  {\"a\" : [ 1 , 2 ] }  ",
            // Unsorted keys, nested; keys that sort differently as bytes and as text.
            "{\"b\": 1, \"a\": 2, \"c\": {\"z\": [], \"y\": {}, \"x\": null}}",
            "{\"é\": 1, \"z\": 2, \"Z\": 3, \"a\": 4, \"日本\": 5, \"😀\": 6, \"\u{ffff}\": 7, \"aa\": 8, \"a\u{0}\": 9}",
            // Escapes in keys and strings; pointer escaping.
            "{\"a/b\": 1, \"m~n\": {\"~1\": [\"/\"]}, \"\": {\"\": 3}, \"\\n\": 4, \"\\u0000\": 5, \"\\\"\": 6, \"\\\\\": 7, \"~0/~1\": 8}",
            "[\"\\u00e9\", \"\\ud83d\\ude00\", \"tab\\t\", \"ctl\\u0001\\u001f\\u007f\", \"\\\"q\\\"\", \"\\b\\f\\r\", \"\u{2028}\"]",
            // Numbers.
            "[0, -0, -1, 9223372036854775807, 9223372036854775808, 18446744073709551615, -9223372036854775808]",
            "[1.5, -2.5e-10, 1e308, 4.0, -4.0, 8999999999999999.0, 9e15, -9e15, 1.7976931348623157e308, 5e-324, 0.1, 1E2, 1e-2, 123456789.0, 0.30000000000000004]",
            "{\"n\": -0.0, \"m\": 2.0e0, \"k\": 1e15, \"l\": 1.0e16}",
            // Repeated keys: dropped containers, dropped strings, nulls, at every depth.
            "{\"a\": {\"x\": [1, 2, {\"y\": 3}]}, \"b\": 1, \"a\": {\"z\": 1}}",
            "{\"a\": {\"x\": [1]}, \"a\": null}",
            "{\"a\": 1, \"b\": null, \"a\": {\"c\": null, \"d\": [null]}}",
            "{\"k\": \"first\", \"k\": \"second\", \"j\": [{\"k\": {\"deep\": [[1]]}, \"k\": []}]}",
            "[{\"a\": [{\"b\": 1}], \"a\": [{\"b\": 2}], \"a\": [{\"b\": 3}]}, {\"a\": 0}]",
            "{\"x\": {\"p\": {\"q\": 1}}, \"y\": 2, \"x\": {\"p\": {\"q\": 2}, \"p\": 3}}",
            "{\"b\": {\"c\": 1}, \"a\": 2, \"b\": 3, \"a\": {\"c\": 4}}",
            // Errors.
            "",
            "   ",
            "[1, 2]]",
            "{\"a\" 1}",
            "tru",
            "\"abc",
            "{\"a\": 01}",
            "[1e]",
            "{\"a\": \"\\x\"}",
            "\u{feff}{}",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        for n in [1, 2, 63, 64, 65, 127, 128, 129] {
            texts.push(deep(n, ""));
            texts.push(deep(n, "1.0"));
            texts.push(format!("{{\"a\": {}, \"a\": 1}}", deep(n, "")));
            texts.push(format!("{}, }}", deep(n, "")));
            texts.push(deep_obj(n));
        }
        // A wide object written in no order, with repeated keys.
        let mut wide = String::from("{");
        for i in 0..600u32 {
            let k = (i * 7919) % 400;
            let v = if i % 50 == 0 {
                "null".to_owned()
            } else {
                format!("{{\"i\": {i}}}")
            };
            wide.push_str(&format!("\"k{k}\": {v},"));
        }
        wide.push_str("\"end\": []}");
        texts.push(wide);
        for text in &texts {
            check(text, text);
        }
    }

    #[test]
    fn from_value_normalizes() {
        let raw = json!({"a": null, "b": 2.0, "c": [null, {"d": null, "e": -3.0}], "f": 2.5,
            "g": {"h": null}, "i": u64::MAX, "j": i64::MIN});
        let doc = Doc::from_value(&raw).unwrap();
        let (want, depth) = crate::model::reference_parse(&raw.to_string()).unwrap();
        check_doc(&doc, &want, depth, "from_value");
        assert_eq!(
            doc.to_value(),
            json!({"b": 2, "c": [null, {"e": -3}], "f": 2.5, "g": {}, "i": u64::MAX, "j": i64::MIN})
        );
        // Deeper than the parser allows: written and read back without recursion in writing.
        let mut deep = json!(1);
        for _ in 0..200 {
            deep = json!([deep]);
        }
        let doc = Doc::from_value(&deep).unwrap();
        assert_eq!(doc.depth(), 200);
        let mut out = Vec::new();
        doc.write_canonical(&mut out).unwrap();
        assert_eq!(out, serde_json::to_vec(&deep).unwrap());
        assert_eq!(doc.pointer(doc.items(doc.root()).next().unwrap()), "/0");
    }

    /// `pointer_get` finds what `Value::pointer` finds, also for pointers that find nothing.
    #[test]
    fn pointer_get_is_value_pointer() {
        let text = r#"{"a": [10, [11, {"b": 12}], {"": 13}], "m~n": {"x/y": 14, "~1": 15},
            "": {"": 16, "0": 17}, "01": 18, "é": [19], "s": "t", "n": null}"#;
        let doc = Doc::parse(text).unwrap();
        let (value, _) = crate::model::reference_parse(text).unwrap();
        for p in [
            "",
            "/",
            "//",
            "///",
            "a",
            "/a",
            "/a/",
            "/a/0",
            "/a/00",
            "/a/01",
            "/a/+1",
            "/a/-1",
            "/a/-",
            "/a/1/1/b",
            "/a/1/1/b/",
            "/a/2/",
            "/a/3",
            "/a/1e0",
            "/a/ 1",
            "/a/18446744073709551616",
            "/m~0n/x~1y",
            "/m~0n/~01",
            "/m~0n/~1",
            "/m~n/x~1y",
            "/m~0n/x/y",
            "/m~2n",
            "/~",
            "//0",
            "///",
            "/01",
            "/%C3%A9/0",
            "/é/0",
            "/s",
            "/s/0",
            "/s/",
            "/n",
            "/n/x",
            "#",
            "#/a",
        ] {
            let got = doc.pointer_get(p).map(|id| doc.node_value(id));
            assert_eq!(got.as_ref(), value.pointer(p), "{p}");
        }
    }

    #[test]
    fn access() {
        let doc = Doc::parse(
            r#"{"s": "x", "n": 3, "f": 1.5, "t": true, "z": null, "a": [1, "y"], "o": {"k/~": false}}"#,
        )
        .unwrap();
        let root = doc.root();
        let get = |k| doc.get(root, k).unwrap();
        assert_eq!(doc.get(root, "z"), None);
        assert_eq!(
            doc.sym("z"),
            Some(Sym(7)),
            "an interned key whose member is gone"
        );
        assert_eq!(doc.get_sym(root, doc.sym("z").unwrap()), None);
        assert_eq!(doc.sym("nope"), None);
        assert_eq!(doc.as_str(get("s")), Some("x"));
        assert_eq!(doc.as_str(get("n")), None);
        assert_eq!(doc.as_i64(get("n")), Some(3));
        assert_eq!(doc.as_f64(get("n")), Some(3.0));
        assert_eq!(doc.as_i64(get("f")), None);
        assert_eq!(doc.as_f64(get("f")), Some(1.5));
        assert_eq!(doc.as_bool(get("t")), Some(true));
        assert_eq!(doc.as_bool(get("s")), None);
        let a = get("a");
        assert_eq!(doc.kind(a), Kind::Array);
        assert_eq!(doc.as_str(doc.item(a, 1).unwrap()), Some("y"));
        assert_eq!(doc.item(a, 2), None);
        let o = get("o");
        let k = doc.get(o, "k/~").unwrap();
        assert_eq!(doc.pointer(k), "/o/k~1~0");
        assert_eq!(
            doc.pointer(k),
            format!("/o/{}", crate::locate::escape("k/~"))
        );
        assert_eq!(doc.pointer(doc.item(a, 1).unwrap()), "/a/1");
        assert_eq!(doc.str_at("/s"), Some("x"));
        assert_eq!(doc.str_at("/a/1"), Some("y"));
        assert_eq!(doc.str_at("/a/0"), None);
        assert_eq!(doc.str_at("/o/k~1~0"), None, "a bool");
        // Ids of another document are answered, never a panic.
        let stranger = NodeId(u32::MAX - 5);
        assert_eq!(doc.kind(stranger), Kind::Null);
        assert_eq!(doc.get(stranger, "s"), None);
        assert_eq!(doc.items(stranger).count(), 0);
        assert_eq!(doc.pointer(stranger), "");
        assert_eq!(doc.sym_name(Sym(999)), "");
        // Node layout: 17 bytes a node.
        assert_eq!(std::mem::size_of::<Kind>(), 1);
    }
}

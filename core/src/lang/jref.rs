//! A borrowed JSON value that is either a node of the model's [`Doc`] or a
//! `serde_json::Value` (a constant of the pack or a computed value), so that evaluation reads
//! both the same way without copying either.

use crate::doc::{Doc, Kind, NodeId, NodeRange};
use serde_json::{Number, Value};
use std::fmt;

/// A JSON value read in place.
#[derive(Clone, Copy, Debug)]
pub(crate) enum JRef<'v> {
    /// A node of a document.
    Doc(&'v Doc, NodeId),
    /// A value.
    Value(&'v Value),
}

impl<'v> JRef<'v> {
    /// What the value is.
    pub fn kind(self) -> Kind {
        match self {
            JRef::Doc(d, id) => d.kind(id),
            JRef::Value(v) => match v {
                Value::Null => Kind::Null,
                Value::Bool(_) => Kind::Bool,
                Value::Number(_) => Kind::Number,
                Value::String(_) => Kind::String,
                Value::Array(_) => Kind::Array,
                Value::Object(_) => Kind::Object,
            },
        }
    }

    pub fn is_null(self) -> bool {
        match self {
            JRef::Doc(d, id) => d.is_null(id),
            JRef::Value(v) => v.is_null(),
        }
    }

    pub fn as_str(self) -> Option<&'v str> {
        match self {
            JRef::Doc(d, id) => d.as_str(id),
            JRef::Value(v) => v.as_str(),
        }
    }

    pub fn as_bool(self) -> Option<bool> {
        match self {
            JRef::Doc(d, id) => d.as_bool(id),
            JRef::Value(v) => v.as_bool(),
        }
    }

    pub fn as_number(self) -> Option<&'v Number> {
        match self {
            JRef::Doc(d, id) => d.as_number(id),
            JRef::Value(Value::Number(n)) => Some(n),
            JRef::Value(_) => None,
        }
    }

    /// As `Value::as_f64`.
    pub fn as_f64(self) -> Option<f64> {
        match self {
            JRef::Doc(d, id) => d.as_f64(id),
            JRef::Value(v) => v.as_f64(),
        }
    }

    /// Number of items or members (0 for a scalar).
    pub fn len(self) -> usize {
        match self {
            JRef::Doc(d, id) => d.count(id),
            JRef::Value(Value::Array(a)) => a.len(),
            JRef::Value(Value::Object(o)) => o.len(),
            JRef::Value(_) => 0,
        }
    }

    /// An object's member under `key`.
    pub fn get(self, key: &str) -> Option<JRef<'v>> {
        match self {
            JRef::Doc(d, id) => d.get(id, key).map(|c| JRef::Doc(d, c)),
            JRef::Value(v) => v.as_object()?.get(key).map(JRef::Value),
        }
    }

    /// An array's item at `index`.
    pub fn item(self, index: usize) -> Option<JRef<'v>> {
        match self {
            JRef::Doc(d, id) => d.item(id, index).map(|c| JRef::Doc(d, c)),
            JRef::Value(v) => v.as_array()?.get(index).map(JRef::Value),
        }
    }

    /// A member of an object by key, or an item of an array by a decimal index, as path
    /// steps read them.
    pub fn child(self, key: &str) -> Option<JRef<'v>> {
        match self.kind() {
            Kind::Object => self.get(key),
            Kind::Array => self.item(key.parse().ok()?),
            _ => None,
        }
    }

    /// An array's items (none for anything else).
    pub fn items(self) -> Items<'v> {
        match self {
            JRef::Doc(d, id) => Items::Doc(d, d.item_ids(id)),
            JRef::Value(Value::Array(a)) => Items::Value(a.iter()),
            JRef::Value(_) => Items::Value([].iter()),
        }
    }

    /// An object's member values, in key order (none for anything else).
    pub fn values(self) -> Items<'v> {
        match self {
            JRef::Doc(d, id) => Items::Doc(d, d.member_ids(id)),
            JRef::Value(Value::Object(o)) => Items::Map(o.values()),
            JRef::Value(_) => Items::Value([].iter()),
        }
    }

    /// The value as an owned `Value`.
    pub fn to_value(self) -> Value {
        match self {
            JRef::Doc(d, id) => d.node_value(id),
            JRef::Value(v) => v.clone(),
        }
    }

    /// Equality as `Value`'s `==` (numbers by representation, containers deeply).
    pub fn strict_eq(self, other: JRef<'_>) -> bool {
        if let (JRef::Value(a), JRef::Value(b)) = (self, other) {
            return a == b;
        }
        let kind = self.kind();
        if kind != other.kind() {
            return false;
        }
        match kind {
            Kind::Null => true,
            Kind::Bool => self.as_bool() == other.as_bool(),
            Kind::Number => self.as_number() == other.as_number(),
            Kind::String => self.as_str() == other.as_str(),
            Kind::Array => {
                self.len() == other.len()
                    && self.items().zip(other.items()).all(|(a, b)| a.strict_eq(b))
            }
            Kind::Object => {
                self.len() == other.len()
                    && self
                        .members()
                        .zip(other.members())
                        .all(|((ka, a), (kb, b))| ka == kb && a.strict_eq(b))
            }
        }
    }

    /// An object's members with their keys, in key byte order (none for anything else).
    pub fn members(self) -> Box<dyn Iterator<Item = (&'v str, JRef<'v>)> + 'v> {
        match self {
            JRef::Doc(d, id) => Box::new(d.members(id).map(move |(k, c)| (k, JRef::Doc(d, c)))),
            JRef::Value(Value::Object(o)) => {
                Box::new(o.iter().map(|(k, v)| (k.as_str(), JRef::Value(v))))
            }
            JRef::Value(_) => Box::new(std::iter::empty()),
        }
    }
}

/// Compact JSON, as `Value`'s `Display` writes it.
impl fmt::Display for JRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JRef::Value(v) => v.fmt(f),
            JRef::Doc(..) => match self.as_str() {
                Some(s) => Value::String(s.to_owned()).fmt(f),
                None => self.to_value().fmt(f),
            },
        }
    }
}

/// The items of an array, or the values of an object, read in place.
pub(crate) enum Items<'v> {
    Doc(&'v Doc, NodeRange),
    Value(std::slice::Iter<'v, Value>),
    Map(serde_json::map::Values<'v>),
}

impl<'v> Iterator for Items<'v> {
    type Item = JRef<'v>;

    fn next(&mut self) -> Option<JRef<'v>> {
        match self {
            Items::Doc(d, it) => it.next().map(|c| JRef::Doc(d, c)),
            Items::Value(it) => it.next().map(JRef::Value),
            Items::Map(it) => it.next().map(JRef::Value),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self {
            Items::Doc(_, it) => it.size_hint(),
            Items::Value(it) => it.size_hint(),
            Items::Map(it) => it.size_hint(),
        }
    }
}

//! The clause and Annex A catalogue of ISO/IEC 42001:2023 (ids are facts; titles are paraphrases).

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));

/// Whether `id` is a clause of the catalogue (`"4.4"`, `"9.3.2"`).
pub fn is_clause(id: &str) -> bool {
    CLAUSES.iter().any(|(c, _)| *c == id)
}

/// Whether `id` is an Annex A control of the catalogue (`"A.6.2.5"`).
pub fn is_control(id: &str) -> bool {
    CONTROLS.iter().any(|(c, _)| *c == id)
}

/// Whether `id` is a clause or an Annex A control of the catalogue.
pub fn is_ref(id: &str) -> bool {
    is_clause(id) || is_control(id)
}

/// Whether `id` is an Annex A control group (`"A.5"`), which rules may reference.
pub fn is_group(id: &str) -> bool {
    GROUPS.iter().any(|(c, _)| *c == id)
}

/// Title of a clause, control or Annex A group, if it is in the catalogue.
pub fn title(id: &str) -> Option<&'static str> {
    CLAUSES
        .iter()
        .chain(CONTROLS.iter())
        .chain(GROUPS.iter())
        .find(|(c, _)| *c == id)
        .map(|(_, t)| *t)
}

/// Whether `reference` is `target` or one of its sub-clauses (`"9.2.1"` is under `"9.2"`).
pub fn is_under(reference: &str, target: &str) -> bool {
    reference == target
        || (reference.len() > target.len()
            && reference.starts_with(target)
            && reference.as_bytes().get(target.len()) == Some(&b'.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_sizes_and_order() {
        assert_eq!(CLAUSES.len(), 36);
        assert_eq!(CONTROLS.len(), 38);
        assert_eq!(GROUPS.len(), 9);
        assert!(is_group("A.5") && !is_control("A.5") && !is_ref("A.5"));
        assert_eq!(CLAUSES.last().map(|c| c.0), Some("10.2"));
        assert_eq!(CONTROLS.last().map(|c| c.0), Some("A.10.4"));
        assert!(is_clause("6.1.4") && !is_clause("6.1.5") && is_control("A.6.2.5"));
    }

    #[test]
    fn under() {
        assert!(is_under("9.2.1", "9.2"));
        assert!(is_under("9.2", "9.2"));
        assert!(!is_under("9.21", "9.2"));
        assert!(!is_under("9", "9.2"));
    }
}

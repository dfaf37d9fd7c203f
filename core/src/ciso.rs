//! CISO Assistant's names for ISO/IEC 42001:2023: the requirement-node URNs of its framework
//! library and the folding of 6.1.1 … 6.1.4 into 6.1 (its library has no nodes for those).
//! The report's roll-up and the CISO Assistant CSV export both name nodes through this module.

use crate::catalogue;

/// The URN prefix of the framework's requirement nodes.
pub const URN_PREFIX: &str = "urn:intuitem:risk:req_node:iso42001-2023:";

/// CISO Assistant's reference for a clause or control: lower case, 6.1.x folded into 6.1.
///
/// ```
/// assert_eq!(aimscheck::ciso::reference("6.1.2"), "6.1");
/// assert_eq!(aimscheck::ciso::reference("A.6.2.5"), "a.6.2.5");
/// ```
pub fn reference(clause: &str) -> String {
    let lower = clause.to_lowercase();
    if catalogue::is_under(&lower, "6.1") {
        "6.1".to_owned()
    } else {
        lower
    }
}

/// The URN of the requirement node a clause or control is reported under.
///
/// ```
/// assert_eq!(
///     aimscheck::ciso::urn("9.3.2"),
///     "urn:intuitem:risk:req_node:iso42001-2023:9.3.2"
/// );
/// ```
pub fn urn(clause: &str) -> String {
    format!("{URN_PREFIX}{}", reference(clause))
}

//! The roles of the platform. A user has one role; an API key carries the role of the
//! machine client it was issued to.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A user of a registered company, identified by its business ID.
    Trader,
    /// A customs broker: acts for the traders that authorised its company.
    Broker,
    /// A customs officer (private deployment).
    Officer,
    /// A partner agency's machine client (API key with scopes).
    Agency,
    /// Manages accounts, keys and mandates.
    Admin,
    /// An analyst of the data platform: registers data sets, trains and proposes models
    /// (private deployment).
    DataScientist,
    /// Approves what data scientists propose, such as a model's promotion: the second pair
    /// of eyes (private deployment).
    Reviewer,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Trader,
        Role::Broker,
        Role::Officer,
        Role::Agency,
        Role::Admin,
        Role::DataScientist,
        Role::Reviewer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Trader => "trader",
            Role::Broker => "broker",
            Role::Officer => "officer",
            Role::Agency => "agency",
            Role::Admin => "admin",
            Role::DataScientist => "data_scientist",
            Role::Reviewer => "reviewer",
        }
    }

    /// Every role's name, comma-separated, for messages that list them.
    pub fn names() -> String {
        Role::ALL.map(Role::as_str).join(", ")
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }

    /// Roles whose users belong to a company (and only see that company's data).
    pub fn needs_company(self) -> bool {
        matches!(self, Role::Trader | Role::Broker | Role::Agency)
    }

    /// Customs staff: they see every company's cases.
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Officer | Role::Admin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("public"), None);
        assert_eq!(Role::parse("data_scientist"), Some(Role::DataScientist));
        assert!(!Role::Reviewer.needs_company() && !Role::DataScientist.is_staff());
        assert!(Role::Trader.needs_company() && !Role::Officer.needs_company());
    }
}

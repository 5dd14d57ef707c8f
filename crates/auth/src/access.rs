//! Who is asking ([`Actor`]) and what an endpoint allows ([`Access`]).

use crate::Role;

/// The caller of a request, already authenticated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    Anonymous,
    User {
        id: String,
        role: Role,
        company: Option<String>,
        email: String,
    },
    ApiKey {
        id: String,
        role: Role,
        company: Option<String>,
        scopes: Vec<String>,
    },
}

impl Actor {
    pub fn role(&self) -> Option<Role> {
        match self {
            Actor::Anonymous => None,
            Actor::User { role, .. } | Actor::ApiKey { role, .. } => Some(*role),
        }
    }

    pub fn company(&self) -> Option<&str> {
        match self {
            Actor::Anonymous => None,
            Actor::User { company, .. } | Actor::ApiKey { company, .. } => company.as_deref(),
        }
    }

    /// How the audit log names this actor: `user:ID`, `key:ID` or `anonymous`.
    pub fn audit_name(&self) -> String {
        match self {
            Actor::Anonymous => "anonymous".into(),
            Actor::User { id, .. } => format!("user:{id}"),
            Actor::ApiKey { id, .. } => format!("key:{id}"),
        }
    }

    /// A key may only use the scopes it was issued with; a signed-in user has every scope
    /// of their role.
    pub fn has_scope(&self, scope: &str) -> bool {
        match self {
            Actor::Anonymous => false,
            Actor::User { .. } => true,
            Actor::ApiKey { scopes, .. } => scopes.iter().any(|s| s == scope),
        }
    }
}

/// The access rule an endpoint declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in caller.
    Authenticated,
    /// Callers with one of these roles (and, for API keys, this scope when given).
    Roles(&'static [Role], Option<&'static str>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    #[error("sign in or present an API key")]
    Unauthenticated,
    #[error("your role may not do this")]
    Forbidden,
    #[error("this API key lacks the scope {0}")]
    MissingScope(&'static str),
}

impl Access {
    pub fn check(self, actor: &Actor) -> Result<(), Denied> {
        match self {
            Access::Public => Ok(()),
            Access::Authenticated if actor.role().is_some() => Ok(()),
            Access::Authenticated => Err(Denied::Unauthenticated),
            Access::Roles(roles, scope) => {
                let role = actor.role().ok_or(Denied::Unauthenticated)?;
                if !roles.contains(&role) {
                    return Err(Denied::Forbidden);
                }
                match scope {
                    Some(scope) if !actor.has_scope(scope) => Err(Denied::MissingScope(scope)),
                    _ => Ok(()),
                }
            }
        }
    }

    /// Whether a caller of `role` passes (ignoring scopes); what the role matrix tests walk.
    pub fn admits(self, role: Option<Role>) -> bool {
        match self {
            Access::Public => true,
            Access::Authenticated => role.is_some(),
            Access::Roles(roles, _) => role.is_some_and(|r| roles.contains(&r)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(scopes: &[&str]) -> Actor {
        Actor::ApiKey {
            id: "k1".into(),
            role: Role::Agency,
            company: Some("04595257".into()),
            scopes: scopes.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn roles_and_scopes_are_both_checked() {
        let rule = Access::Roles(&[Role::Agency], Some("aeo:verify"));
        assert_eq!(rule.check(&Actor::Anonymous), Err(Denied::Unauthenticated));
        assert_eq!(
            rule.check(&key(&[])),
            Err(Denied::MissingScope("aeo:verify"))
        );
        assert_eq!(rule.check(&key(&["aeo:verify"])), Ok(()));
        let officer = Actor::User {
            id: "u".into(),
            role: Role::Officer,
            company: None,
            email: "o@customs.example".into(),
        };
        assert_eq!(rule.check(&officer), Err(Denied::Forbidden));
        assert_eq!(Access::Authenticated.check(&officer), Ok(()));
        assert_eq!(Access::Public.check(&Actor::Anonymous), Ok(()));
    }
}

//! Why a write was refused, as data: what already exists ([`Taken`]) and which change does
//! not fit a record's state ([`Clash`]). `Display` is the English text the API and the CLI
//! show; the server's pages word the same data in the reader's language.

/// What a unique key found already stored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Taken {
    #[error("company {id}")]
    Company { id: String },
    #[error("user {email}")]
    User { email: String },
    #[error("api key")]
    ApiKey,
    #[error("aeo application {reference}")]
    AeoApplication { reference: String },
    #[error("aeo certificate number")]
    AeoCertificateNumber,
    #[error("data set {name}")]
    Dataset { name: String },
    /// A data set's or an open data set's version.
    #[error("version {version} of {name}")]
    Version { name: String, version: i64 },
    #[error("model version {version}")]
    ModelVersion { version: String },
    #[error("a clearance of VIN {vin} or certificate {certificate}")]
    Clearance { vin: String, certificate: String },
    #[error("a clearance with this certificate number")]
    Certificate,
}

/// A change that does not fit the record's state.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Clash {
    #[error("run {id} is {status}; only a queued or running run can be cancelled")]
    RunNotCancellable { id: i64, status: String },
    #[error("{version} is {status}; it can be proposed once registered")]
    NotRegistered { version: String, status: String },
    #[error("{version} already serves")]
    AlreadyServes { version: String },
    #[error("{version} is {status}; only a proposed version can be approved")]
    NotProposed { version: String, status: String },
    /// Four eyes: who proposed a version cannot approve it.
    #[error("four eyes: the person who proposed a version cannot approve it")]
    SameReviewer,
    #[error("{version} is {status}; only a proposal can be rejected")]
    NotAProposal { version: String, status: String },
    #[error("nothing to roll back: the installation's own model serves")]
    NothingToRollBack,
}

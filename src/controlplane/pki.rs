//! The control plane's keys and certificates, made fresh for every start: a cluster CA, the
//! API server's serving certificate, one client certificate per component and for the admin
//! user, and the service-account signing key. The identities are kubeadm's (so RBAC's
//! bootstrap roles apply to them as on kind).

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use std::fmt;
use std::path::{Path, PathBuf};

/// A client identity: its common name (the user) and organisation (the group; rcgen keeps
/// one value per attribute, and no identity here needs two).
pub struct Identity {
    pub file: &'static str,
    pub user: &'static str,
    pub group: Option<&'static str>,
}

/// The admin user kind's kubeconfig holds: `kubernetes-admin` in `kubeadm:cluster-admins`,
/// bound to cluster-admin by a ClusterRoleBinding the control plane creates at start.
pub const ADMIN: Identity = Identity {
    file: "admin",
    user: "kubernetes-admin",
    group: Some("kubeadm:cluster-admins"),
};
/// kubeadm's super-admin (system:masters): only used to create that binding, and by kwok.
pub const SUPER_ADMIN: Identity = Identity {
    file: "super-admin",
    user: "kubernetes-super-admin",
    group: Some("system:masters"),
};
pub const CONTROLLER_MANAGER: Identity = Identity {
    file: "controller-manager",
    user: "system:kube-controller-manager",
    group: None,
};
pub const SCHEDULER: Identity = Identity {
    file: "scheduler",
    user: "system:kube-scheduler",
    group: None,
};

/// Paths of everything written.
pub struct Pki {
    pub ca_cert: PathBuf,
    pub ca_key: PathBuf,
    pub serving_cert: PathBuf,
    pub serving_key: PathBuf,
    pub sa_key: PathBuf,
    pub sa_pub: PathBuf,
    pub dir: PathBuf,
}

impl Pki {
    pub fn client_cert(&self, id: &Identity) -> PathBuf {
        self.dir.join(format!("{}.crt", id.file))
    }
    pub fn client_key(&self, id: &Identity) -> PathBuf {
        self.dir.join(format!("{}.key", id.file))
    }
}

/// Why the PKI could not be made.
#[derive(Debug)]
pub enum PkiError {
    /// A key or certificate could not be generated or signed; `what` names it.
    Generate {
        what: &'static str,
        source: rcgen::Error,
    },
    /// A file could not be written.
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl fmt::Display for PkiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PkiError::Generate { what, source } => write!(f, "cannot make the {what}: {source}"),
            PkiError::Write { path, source } => {
                write!(f, "cannot write {}: {source}", path.display())
            }
        }
    }
}

impl std::error::Error for PkiError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PkiError::Generate { source, .. } => Some(source),
            PkiError::Write { source, .. } => Some(source),
        }
    }
}

fn err(what: &'static str) -> impl Fn(rcgen::Error) -> PkiError {
    move |source| PkiError::Generate { what, source }
}

fn write_public(path: &Path, text: &str) -> Result<(), PkiError> {
    std::fs::write(path, text).map_err(|source| PkiError::Write {
        path: path.to_path_buf(),
        source,
    })
}

/// A key file: readable by its owner only.
fn write_private(path: &Path, text: &str) -> Result<(), PkiError> {
    write_public(path, text)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
    }
    Ok(())
}

/// Write the PKI into `dir` (which exists and is private to this control plane).
pub fn create(dir: &Path, identities: &[&Identity]) -> Result<Pki, PkiError> {
    let pki = Pki {
        ca_cert: dir.join("ca.crt"),
        ca_key: dir.join("ca.key"),
        serving_cert: dir.join("apiserver.crt"),
        serving_key: dir.join("apiserver.key"),
        sa_key: dir.join("sa.key"),
        sa_pub: dir.join("sa.pub"),
        dir: dir.to_path_buf(),
    };
    let issuer = create_ca(&pki)?;
    create_serving(&pki, &issuer)?;
    for id in identities {
        create_client(&pki, &issuer, id)?;
    }
    // ECDSA P-256 (ES256): the API server signs service-account tokens with the private
    // key and verifies them with the public one (it reads no public key out of PKCS#8).
    let sa = KeyPair::generate().map_err(err("service-account key"))?;
    write_private(&pki.sa_key, &sa.serialize_pem())?;
    write_public(&pki.sa_pub, &sa.public_key_pem())?;
    Ok(pki)
}

/// The cluster CA (`kubernetes`, as kubeadm names it), written; returns it as an issuer.
fn create_ca(pki: &Pki) -> Result<Issuer<'static, KeyPair>, PkiError> {
    let ca_key = KeyPair::generate().map_err(err("CA key"))?;
    let mut ca = CertificateParams::new(Vec::<String>::new()).map_err(err("CA"))?;
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name.push(DnType::CommonName, "kubernetes");
    ca.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
    ];
    let ca_cert = ca.self_signed(&ca_key).map_err(err("CA"))?;
    write_public(&pki.ca_cert, &ca_cert.pem())?;
    write_private(&pki.ca_key, &ca_key.serialize_pem())?;
    Ok(Issuer::new(ca, ca_key))
}

/// The API server's serving certificate, with the names kubeadm puts on it for a single
/// loopback node.
fn create_serving(pki: &Pki, issuer: &Issuer<'static, KeyPair>) -> Result<(), PkiError> {
    let names: Vec<String> = [
        "127.0.0.1",
        "10.96.0.1",
        "localhost",
        "kubernetes",
        "kubernetes.default",
        "kubernetes.default.svc",
        "kubernetes.default.svc.cluster.local",
        "kubebook-control-plane",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut serving = CertificateParams::new(names).map_err(err("serving certificate"))?;
    serving
        .distinguished_name
        .push(DnType::CommonName, "kube-apiserver");
    serving.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    serving.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    serving.use_authority_key_identifier_extension = true;
    let serving_key = KeyPair::generate().map_err(err("serving key"))?;
    let serving_cert = serving
        .signed_by(&serving_key, issuer)
        .map_err(err("serving certificate"))?;
    write_public(&pki.serving_cert, &serving_cert.pem())?;
    write_private(&pki.serving_key, &serving_key.serialize_pem())
}

/// One identity's client certificate and key.
fn create_client(
    pki: &Pki,
    issuer: &Issuer<'static, KeyPair>,
    id: &Identity,
) -> Result<(), PkiError> {
    let mut p = CertificateParams::new(Vec::<String>::new()).map_err(err("client certificate"))?;
    p.distinguished_name.push(DnType::CommonName, id.user);
    if let Some(g) = id.group {
        p.distinguished_name.push(DnType::OrganizationName, g);
    }
    p.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    p.use_authority_key_identifier_extension = true;
    let key = KeyPair::generate().map_err(err("client key"))?;
    let cert = p
        .signed_by(&key, issuer)
        .map_err(err("client certificate"))?;
    write_public(&pki.client_cert(id), &cert.pem())?;
    write_private(&pki.client_key(id), &key.serialize_pem())
}

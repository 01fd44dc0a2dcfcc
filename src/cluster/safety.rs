//! What the runner refuses to do: talk to anything but a local kind cluster unless told to,
//! and run lab commands that switch contexts or delete cluster-wide.

use std::fmt;

/// How long the first request to an API server may take before the runner gives up (L02).
pub(crate) const PROBE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// Why the runner refused a context before sending it any request.
#[derive(Debug)]
pub(crate) enum Refusal {
    /// The context's name does not start with `kind-`.
    NotKind { context: String },
    /// The context's server URL cannot be trusted to name a host.
    BadServer {
        context: String,
        server: String,
        why: ServerUrlError,
    },
    /// The server is not on the loopback interface.
    NotLocal { context: String, server: String },
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::NotKind { context } => write!(
                f,
                "context `{context}` is not a kind cluster; labs create and delete objects, so kubebook only runs them on kind-* contexts (pass --context {context} --allow-non-kind to override)"
            ),
            Refusal::BadServer {
                context,
                server,
                why,
            } => write!(
                f,
                "context `{context}` has server `{server}`, which {why} (pass --allow-non-kind to override)"
            ),
            Refusal::NotLocal { context, server } => write!(
                f,
                "context `{context}` points at {server}, which is not on this machine; kind clusters listen on 127.0.0.1 (pass --allow-non-kind to override)"
            ),
        }
    }
}

impl std::error::Error for Refusal {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Refusal::BadServer { why, .. } => Some(why),
            _ => None,
        }
    }
}

/// What is wrong with a server URL; reads after "which" ("which is not a URL (…)").
#[derive(Debug)]
pub(crate) enum ServerUrlError {
    NotAUrl(http::uri::InvalidUri),
    NotHttp,
    NoHost,
    /// `https://user@host`: kind never writes one, and it hides the real host (L03).
    UserInfo,
}

impl fmt::Display for ServerUrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServerUrlError::NotAUrl(e) => write!(f, "is not a URL ({e})"),
            ServerUrlError::NotHttp => f.write_str("is not an http(s) URL"),
            ServerUrlError::NoHost => f.write_str("has no host"),
            ServerUrlError::UserInfo => {
                f.write_str("has a user name in its URL (`…@host`), which kind never writes")
            }
        }
    }
}

impl std::error::Error for ServerUrlError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ServerUrlError::NotAUrl(e) => Some(e),
            _ => None,
        }
    }
}

/// A kubeconfig context the runner may use: a `kind-*` context whose API server is on the
/// loopback interface, unless the user explicitly allows another one.
pub(crate) fn check_context(name: &str, server: &str, allow_non_kind: bool) -> Result<(), Refusal> {
    if allow_non_kind {
        return Ok(());
    }
    if !name.starts_with("kind-") {
        return Err(Refusal::NotKind {
            context: name.to_string(),
        });
    }
    let host = server_host(server).map_err(|why| Refusal::BadServer {
        context: name.to_string(),
        server: server.to_string(),
        why,
    })?;
    if !is_loopback(&host) {
        return Err(Refusal::NotLocal {
            context: name.to_string(),
            server: server.to_string(),
        });
    }
    Ok(())
}

/// The host a client really connects to, read by a URI parser as the client reads it (L03):
/// `https://127.0.0.1:x@10.0.0.1` is host `10.0.0.1`, so text splitting cannot be trusted.
/// Userinfo is refused outright; kind never writes it.
fn server_host(server: &str) -> Result<String, ServerUrlError> {
    let uri: http::Uri = server.trim().parse().map_err(ServerUrlError::NotAUrl)?;
    if !matches!(uri.scheme_str(), Some("https" | "http")) {
        return Err(ServerUrlError::NotHttp);
    }
    let authority = uri.authority().ok_or(ServerUrlError::NoHost)?;
    if authority.as_str().contains('@') {
        return Err(ServerUrlError::UserInfo);
    }
    Ok(authority.host().to_ascii_lowercase())
}

fn is_loopback(host: &str) -> bool {
    if host == "localhost" {
        return true;
    }
    if let Some(v6) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return v6
            .parse::<std::net::Ipv6Addr>()
            .is_ok_and(|ip| ip.is_loopback());
    }
    host.parse::<std::net::Ipv4Addr>()
        .is_ok_and(|ip| ip.is_loopback())
}

pub(crate) use crate::lab::safety::refuse;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contexts() {
        assert!(check_context("kind-kubebook", "https://127.0.0.1:41234", false).is_ok());
        assert!(check_context("kind-x", "https://localhost:6443", false).is_ok());
        assert!(check_context("kind-x", "https://[::1]:6443", false).is_ok());
        let refused = |name, server| check_context(name, server, false).unwrap_err();
        let e = refused("prod", "https://127.0.0.1:6443");
        assert!(matches!(e, Refusal::NotKind { .. }), "{e:?}");
        assert!(e.to_string().contains("not a kind cluster"), "{e}");
        let e = refused("kind-x", "https://10.0.0.5:6443");
        assert!(matches!(e, Refusal::NotLocal { .. }), "{e:?}");
        assert!(e.to_string().contains("not on this machine"), "{e}");
        let e = refused("kind-x", "https://u@127.0.0.1:6443");
        assert!(
            matches!(
                e,
                Refusal::BadServer {
                    why: ServerUrlError::UserInfo,
                    ..
                }
            ),
            "{e:?}"
        );
        assert!(check_context("kind-x", "https://evil.example:6443", false).is_err());
        assert!(check_context("prod", "https://10.0.0.5:6443", true).is_ok());
    }

    #[test]
    fn l03_userinfo_and_lookalike_hosts_are_refused() {
        for bad in [
            "https://127.0.0.1:x@10.255.255.1",
            "https://127.0.0.1@10.255.255.1:6443",
            "https://user:pw@127.0.0.1:6443",
            "https://127.0.0.1.evil.example:6443",
            "https://localhost.evil.example",
            "https://[::ffff:10.0.0.1]:6443",
            "https://127.1:6443",
            "ftp://127.0.0.1:6443",
            "127.0.0.1:6443",
            "https://",
            "not a url",
        ] {
            assert!(check_context("kind-x", bad, false).is_err(), "{bad}");
        }
        for ok in [
            "https://127.0.0.1:41234",
            "https://127.0.0.1",
            "https://LOCALHOST:6443",
            "https://[::1]:6443/",
            "http://127.0.0.2:8080",
        ] {
            assert!(check_context("kind-x", ok, false).is_ok(), "{ok}");
        }
    }
}

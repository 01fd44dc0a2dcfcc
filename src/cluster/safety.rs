//! What the runner refuses to do: talk to anything but a local kind cluster unless told to,
//! and run lab commands that switch contexts or delete cluster-wide.

/// A kubeconfig context the runner may use: a `kind-*` context whose API server is on the
/// loopback interface, unless the user explicitly allows another one.
pub fn check_context(name: &str, server: &str, allow_non_kind: bool) -> Result<(), String> {
    if allow_non_kind {
        return Ok(());
    }
    if !name.starts_with("kind-") {
        return Err(format!(
            "context `{name}` is not a kind cluster; labs create and delete objects, so kubebook only runs them on kind-* contexts (pass --context {name} --allow-non-kind to override)"
        ));
    }
    let host = server
        .split("://")
        .nth(1)
        .unwrap_or(server)
        .split('/')
        .next()
        .unwrap_or("");
    let host = host.rsplit_once(':').map(|(h, _)| h).unwrap_or(host);
    let loopback = host == "localhost"
        || host == "[::1]"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback());
    if !loopback {
        return Err(format!(
            "context `{name}` points at {server}, which is not on this machine; kind clusters listen on 127.0.0.1 (pass --allow-non-kind to override)"
        ));
    }
    Ok(())
}

pub use crate::lab::safety::refuse;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contexts() {
        assert!(check_context("kind-kubebook", "https://127.0.0.1:41234", false).is_ok());
        assert!(check_context("kind-x", "https://localhost:6443", false).is_ok());
        assert!(check_context("kind-x", "https://[::1]:6443", false).is_ok());
        assert!(
            check_context("prod", "https://127.0.0.1:6443", false)
                .unwrap_err()
                .contains("not a kind cluster")
        );
        assert!(
            check_context("kind-x", "https://10.0.0.5:6443", false)
                .unwrap_err()
                .contains("not on this machine")
        );
        assert!(check_context("kind-x", "https://evil.example:6443", false).is_err());
        assert!(check_context("prod", "https://10.0.0.5:6443", true).is_ok());
    }
}

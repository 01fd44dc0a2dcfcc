//! What the runner refuses to do: talk to anything but a local kind cluster unless told to,
//! and run lab commands that switch contexts or delete cluster-wide.

/// How long the first request to an API server may take before the runner gives up (L02).
pub const PROBE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

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
    let host = server_host(server).map_err(|why| {
        format!("context `{name}` has server `{server}`, which {why} (pass --allow-non-kind to override)")
    })?;
    if !is_loopback(&host) {
        return Err(format!(
            "context `{name}` points at {server}, which is not on this machine; kind clusters listen on 127.0.0.1 (pass --allow-non-kind to override)"
        ));
    }
    Ok(())
}

/// The host a client really connects to, read by a URI parser as the client reads it (L03):
/// `https://127.0.0.1:x@10.0.0.1` is host `10.0.0.1`, so text splitting cannot be trusted.
/// Userinfo is refused outright; kind never writes it.
fn server_host(server: &str) -> Result<String, String> {
    let uri: http::Uri = server
        .trim()
        .parse()
        .map_err(|e| format!("is not a URL ({e})"))?;
    if !matches!(uri.scheme_str(), Some("https" | "http")) {
        return Err("is not an http(s) URL".into());
    }
    let authority = uri.authority().ok_or("has no host")?;
    if authority.as_str().contains('@') {
        return Err("has a user name in its URL (`…@host`), which kind never writes".into());
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

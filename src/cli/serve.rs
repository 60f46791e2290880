//! `sigc serve`: the offline playground. A page (assets/playground/, compiled in) and a JSON
//! API over [`crate::service`], on 127.0.0.1 unless `--bind` names another address.
//!
//! Every request is bounded: its body ([`http::MAX_BODY_BYTES`]), the requests served at once
//! ([`WORKERS`]), the computations running at once ([`api::MAX_RUNNING`]) and the time one may
//! take before the answer is an error ([`api::TIME_LIMIT`]). No request reads or writes a file.

mod api;
mod http;

use super::{EXIT_USAGE, out, report};
use clap::Args;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

/// Requests served at once, each on its own thread.
pub const WORKERS: usize = 4;

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// The port to listen on (0: any free port, printed at start).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// The address to listen on. Only the loopback address is used unless another is named
    /// here: the playground has no authentication.
    #[arg(long, value_name = "ADDR", default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    pub bind: IpAddr,
}

pub fn run(args: ServeArgs) -> i32 {
    let server = match tiny_http::Server::http(SocketAddr::new(args.bind, args.port)) {
        Ok(s) => Arc::new(s),
        Err(e) => {
            report::error(&format!(
                "cannot listen on {}:{}: {e}",
                args.bind, args.port
            ));
            return EXIT_USAGE;
        }
    };
    let Some(addr) = server.server_addr().to_ip() else {
        report::error("the server listens on no IP address");
        return EXIT_USAGE;
    };
    let loopback = addr.ip().is_loopback();
    out::stdout(&format!("sigc playground: http://{addr}/\n"));
    let workers: Vec<_> = (0..WORKERS)
        .map(|_| {
            let server = Arc::clone(&server);
            std::thread::spawn(move || {
                for request in server.incoming_requests() {
                    http::answer(request, loopback);
                }
            })
        })
        .collect();
    for w in workers {
        // A worker ends only with the server; a panic is its own message on standard error.
        let _ = w.join();
    }
    EXIT_USAGE
}

//! `sigc serve`: the offline playground. A page (assets/playground/, compiled in) and a JSON
//! API over [`crate::service`], on 127.0.0.1 unless `--bind` names another address.
//!
//! Every request is bounded: its head and body ([`http::MAX_HEAD_BYTES`],
//! [`http::MAX_BODY_BYTES`]), the time its client may take to send it ([`http::IO_TIMEOUT`]),
//! the connections served at once ([`WORKERS`]), the computations running at once
//! ([`api::MAX_RUNNING`]) and the time one may take before the answer is an error
//! ([`api::TIME_LIMIT`]). No request reads or writes a file.

mod api;
mod http;
mod routes;

use super::{EXIT_USAGE, out, report};
use clap::Args;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::sync::Arc;

/// Connections served at once, each on its own thread; one request per connection.
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
    let listener = match TcpListener::bind(SocketAddr::new(args.bind, args.port)) {
        Ok(l) => Arc::new(l),
        Err(e) => {
            report::error(&format!(
                "cannot listen on {}:{}: {e}",
                args.bind, args.port
            ));
            return EXIT_USAGE;
        }
    };
    let addr = match listener.local_addr() {
        Ok(a) => a,
        Err(e) => {
            report::error(&format!("cannot read the address listened on: {e}"));
            return EXIT_USAGE;
        }
    };
    let loopback = addr.ip().is_loopback();
    out::stdout(&format!("sigc playground: http://{addr}/\n"));
    let workers: Vec<_> = (0..WORKERS)
        .map(|_| {
            let listener = Arc::clone(&listener);
            std::thread::spawn(move || {
                // A failed accept (a connection reset before it was taken) ends only that one.
                for stream in listener.incoming().flatten() {
                    http::serve(stream, |request| routes::route(request, loopback));
                }
            })
        })
        .collect();
    for w in workers {
        // A worker ends only if it panicked; the panic was printed.
        let _ = w.join();
    }
    report::error("the playground's workers have stopped");
    EXIT_USAGE
}

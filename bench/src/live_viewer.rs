//! One live viewer of the benchmark: a plain HTTP/1.1 client of `GET /forums/{id}/events` that reads
//! the chunked event stream, records each comment's delay from its marker, and reconnects with
//! `Last-Event-ID` when dropped, as a browser would.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::live::{Stats, lock, now_micros};

/// Reads HTTP/1.1 chunked framing, handing on the payload.
#[derive(Default)]
struct Chunked {
    size_line: Vec<u8>,
    left: usize,
    /// Bytes of the CRLF after a chunk still to skip.
    crlf: usize,
}

impl Chunked {
    fn feed(&mut self, mut input: &[u8], out: &mut Vec<u8>) {
        while !input.is_empty() {
            if self.crlf > 0 {
                let n = self.crlf.min(input.len());
                self.crlf -= n;
                input = &input[n..];
            } else if self.left > 0 {
                let n = self.left.min(input.len());
                out.extend_from_slice(&input[..n]);
                self.left -= n;
                input = &input[n..];
                if self.left == 0 {
                    self.crlf = 2;
                }
            } else if let Some(i) = input.iter().position(|b| *b == b'\n') {
                self.size_line.extend_from_slice(&input[..i]);
                let line = String::from_utf8_lossy(&self.size_line);
                let hex = line.trim().split(';').next().unwrap_or("0");
                self.left = usize::from_str_radix(hex, 16).unwrap_or(0);
                self.size_line.clear();
                input = &input[i + 1..];
            } else {
                self.size_line.extend_from_slice(input);
                input = &[];
            }
        }
    }
}

/// One viewer: follows the stream, reconnecting with `Last-Event-ID` when dropped, until `stop`.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn viewer(
    index: usize,
    server: SocketAddr,
    path: Arc<String>,
    total: usize,
    stats: Arc<Stats>,
    stop: Arc<std::sync::atomic::AtomicBool>,
) {
    // Loopback has all of 127/8: spreading the source addresses spreads the ephemeral ports.
    let source = IpAddr::V4(Ipv4Addr::new(127, 0, 1 + (index % 200) as u8, 1));
    let mut seen = vec![0u64; total.div_ceil(64)];
    let mut last_id: Option<i64> = None;
    let mut first = true;
    let Ok(latency) = stats.register() else {
        return;
    };
    let blank_line = memchr::memmem::Finder::new(b"\n\n");
    let id_line = memchr::memmem::Finder::new(b"id: ");
    let marker = memchr::memmem::Finder::new(b"bench#");
    while !stop.load(Ordering::Relaxed) {
        let Ok(socket) = tokio::net::TcpSocket::new_v4() else {
            return;
        };
        if socket.bind(SocketAddr::new(source, 0)).is_err() {
            stats.connect_failures.fetch_add(1, Ordering::Relaxed);
            return;
        }
        let Ok(mut conn) = socket.connect(server).await else {
            stats.connect_failures.fetch_add(1, Ordering::Relaxed);
            tokio::time::sleep(Duration::from_millis(500)).await;
            continue;
        };
        let resume = last_id.map_or(String::new(), |l| format!("Last-Event-ID: {l}\r\n"));
        let request = format!(
            "GET {path} HTTP/1.1\r\nHost: {server}\r\nAccept: text/event-stream\r\n{resume}\r\n"
        );
        if conn.write_all(request.as_bytes()).await.is_err() {
            continue;
        }
        let mut buf = vec![0u8; 16 * 1024];
        let mut head = Vec::new();
        let mut body = Vec::new();
        let mut chunked = Chunked::default();
        let mut in_body = false;
        loop {
            let n = match conn.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            let mut data = &buf[..n];
            if !in_body {
                head.extend_from_slice(data);
                let Some(end) = memchr::memmem::find(&head, b"\r\n\r\n") else {
                    continue;
                };
                if !head.starts_with(b"HTTP/1.1 200") {
                    stats.connect_failures.fetch_add(1, Ordering::Relaxed);
                    tokio::time::sleep(Duration::from_millis(500)).await;
                    break;
                }
                in_body = true;
                let rest = head.split_off(end + 4);
                chunked.feed(&rest, &mut body);
                data = &[];
            }
            chunked.feed(data, &mut body);
            // Each complete event ends with a blank line.
            let mut done = 0;
            while let Some(end) = blank_line.find(&body[done..]) {
                let event = &body[done..done + end + 2];
                done += end + 2;
                if first {
                    first = false;
                    stats.ready.fetch_add(1, Ordering::Relaxed);
                }
                if let Some(i) = id_line.find(event) {
                    let rest = &event[i + 4..];
                    let end = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
                    last_id = std::str::from_utf8(&rest[..end])
                        .ok()
                        .and_then(|s| s.parse().ok());
                }
                let Some(at) = marker.find(event) else {
                    continue;
                };
                let mut parts = event[at + 6..].split(|b| *b == b'#');
                let (Some(k), Some(sent)) = (parts.next(), parts.next()) else {
                    continue;
                };
                let parse = |b: &[u8]| std::str::from_utf8(b).ok()?.parse::<u64>().ok();
                let (Some(k), Some(sent)) = (parse(k), parse(sent)) else {
                    continue;
                };
                let k = k as usize;
                if k >= total {
                    continue;
                }
                let (word, bit) = (k / 64, 1u64 << (k % 64));
                if seen[word] & bit != 0 {
                    stats.duplicates.fetch_add(1, Ordering::Relaxed);
                    continue;
                }
                seen[word] |= bit;
                stats.received.fetch_add(1, Ordering::Relaxed);
                let delay = now_micros().saturating_sub(sent).max(1);
                let _ = lock(&latency).record(delay);
            }
            body.drain(..done);
        }
        if !stop.load(Ordering::Relaxed) {
            stats.reconnects.fetch_add(1, Ordering::Relaxed);
        }
    }
}

//! Email and SMS leave over real protocols: SMTP to a small SMTP server run by the test,
//! and HTTP to a gateway run by the test; with nothing configured, both go to the outbox.

use std::sync::{Arc, Mutex};

use idp::{Config, notify::Notifier};
use tokio::{
    io::{AsyncBufReadExt, AsyncWriteExt, BufReader},
    net::TcpListener,
};

/// Accepts one SMTP session and returns the first message's DATA.
async fn smtp_sink(listener: TcpListener) -> String {
    let (sock, _) = listener.accept().await.unwrap();
    let (r, mut w) = sock.into_split();
    let mut lines = BufReader::new(r).lines();
    w.write_all(b"220 sink ESMTP\r\n").await.unwrap();
    let mut data = String::new();
    let mut in_data = false;
    while let Some(line) = lines.next_line().await.unwrap() {
        if in_data {
            if line == "." {
                // The pooled client keeps the connection open, so stop at the first message.
                w.write_all(b"250 queued\r\n").await.unwrap();
                return data;
            } else {
                data.push_str(&line);
                data.push('\n');
            }
            continue;
        }
        let verb = line.split_whitespace().next().unwrap_or("").to_uppercase();
        let reply: &[u8] = match verb.as_str() {
            "EHLO" | "HELO" => b"250 sink\r\n",
            "DATA" => {
                in_data = true;
                b"354 go ahead\r\n"
            }
            "QUIT" => {
                w.write_all(b"221 bye\r\n").await.unwrap();
                break;
            }
            _ => b"250 ok\r\n",
        };
        w.write_all(reply).await.unwrap();
    }
    data
}

#[tokio::test]
async fn email_goes_over_smtp() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let sink = tokio::spawn(smtp_sink(listener));
    let mut config = Config::default();
    config.smtp.host = "127.0.0.1".into();
    config.smtp.port = port;
    config.smtp.tls = "none".into();
    config.smtp.from = "Postern <no-reply@post.test>".into();
    let n = Notifier::from_config(&config).unwrap();
    n.email("anna@post.test", "Your code", "Code: 123456")
        .await
        .unwrap();
    let data = sink.await.unwrap();
    assert!(data.contains("Subject: Your code"), "{data}");
    assert!(data.contains("To: anna@post.test"), "{data}");
    assert!(data.contains("Code: 123456"), "{data}");
}

#[tokio::test]
async fn an_unreachable_smtp_server_is_reported() {
    let mut config = Config::default();
    config.smtp.host = "127.0.0.1".into();
    config.smtp.port = 1;
    config.smtp.tls = "none".into();
    let n = Notifier::from_config(&config).unwrap();
    assert!(n.email("anna@post.test", "s", "b").await.is_err());
}

#[tokio::test]
async fn sms_goes_to_the_http_gateway() {
    /// (Authorization header, JSON body) of each request the gateway received.
    type Seen = Arc<Mutex<Vec<(Option<String>, serde_json::Value)>>>;
    let seen: Seen = Arc::default();
    let app = {
        let seen = seen.clone();
        axum::Router::new().route(
            "/send",
            axum::routing::post(move |headers: axum::http::HeaderMap, body: String| {
                let seen = seen.clone();
                async move {
                    let auth = headers
                        .get("authorization")
                        .map(|v| v.to_str().unwrap().to_owned());
                    seen.lock()
                        .unwrap()
                        .push((auth, serde_json::from_str(&body).unwrap()));
                    "queued"
                }
            }),
        )
    };
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    let mut config = Config::default();
    config.sms.url = format!("http://{addr}/send");
    config.sms.auth_header = "Bearer gw-token".into();
    config.sms.body_template = r#"{"recipient":"{to}","message":"{body}"}"#.into();
    let n = Notifier::from_config(&config).unwrap();
    n.sms("+41791234567", "Your \"code\": 123456")
        .await
        .unwrap();
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].0.as_deref(), Some("Bearer gw-token"));
    assert_eq!(seen[0].1["recipient"], "+41791234567");
    assert_eq!(seen[0].1["message"], "Your \"code\": 123456");
}

#[tokio::test]
async fn without_configuration_both_go_to_the_outbox() {
    let dir = tempfile::tempdir().unwrap();
    let config = Config {
        outbox_dir: dir.path().to_owned(),
        ..Config::default()
    };
    let n = Notifier::from_config(&config).unwrap();
    n.email("anna@post.test", "Welcome", "Hello").await.unwrap();
    n.sms("+41791234567", "Code 654321").await.unwrap();
    let msgs = idp::notify::jsonl::read_all(dir.path());
    assert_eq!(msgs.len(), 2);
    assert_eq!(
        (msgs[0].channel.as_str(), msgs[0].to.as_str()),
        ("email", "anna@post.test")
    );
    assert_eq!(msgs[0].subject.as_deref(), Some("Welcome"));
    assert_eq!(
        (msgs[1].channel.as_str(), msgs[1].body.as_str()),
        ("sms", "Code 654321")
    );
    assert!(!msgs[1].created_at.is_empty());
}

//! A local fake SMTP relay on 127.0.0.1 that records what it is sent and can
//! refuse the first deliveries (451, "try again later").

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt as _, AsyncWriteExt as _, BufReader};
use tokio::net::TcpListener;

/// One accepted message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    /// `RCPT TO` address.
    pub to: String,
    /// The DATA section, CRLF lines.
    pub data: String,
}

/// A running fake.
#[derive(Clone)]
pub struct FakeSmtp {
    /// `127.0.0.1:PORT`
    pub addr: String,
    mails: Arc<Mutex<Vec<Mail>>>,
}

impl FakeSmtp {
    /// Starts the fake; it answers 451 to the first `refuse` recipients.
    pub async fn start(refuse: u32) -> anyhow::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?.to_string();
        let mails = Arc::new(Mutex::new(Vec::new()));
        let refusals = Arc::new(AtomicU32::new(refuse));
        let store = Arc::clone(&mails);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (store, refusals) = (Arc::clone(&store), Arc::clone(&refusals));
                tokio::spawn(async move {
                    let (read, mut write) = stream.into_split();
                    let mut read = BufReader::new(read);
                    let _ = write.write_all(b"220 fake ESMTP\r\n").await;
                    let (mut to, mut line) = (String::new(), String::new());
                    loop {
                        line.clear();
                        if read.read_line(&mut line).await.unwrap_or(0) == 0 {
                            return;
                        }
                        let reply: &[u8] =
                            match line.get(..4).unwrap_or("").to_ascii_uppercase().as_str() {
                                "EHLO" => b"250-fake\r\n250 OK\r\n",
                                "MAIL" => b"250 OK\r\n",
                                "RCPT" => {
                                    if refusals.load(Ordering::SeqCst) > 0 {
                                        refusals.fetch_sub(1, Ordering::SeqCst);
                                        b"451 4.3.0 try again later\r\n"
                                    } else {
                                        to = line
                                            .trim_end()
                                            .trim_start_matches("RCPT TO:<")
                                            .trim_end_matches('>')
                                            .to_owned();
                                        b"250 OK\r\n"
                                    }
                                }
                                "DATA" => {
                                    let _ = write.write_all(b"354 go ahead\r\n").await;
                                    let mut data = String::new();
                                    loop {
                                        line.clear();
                                        if read.read_line(&mut line).await.unwrap_or(0) == 0 {
                                            return;
                                        }
                                        if line == ".\r\n" {
                                            break;
                                        }
                                        data.push_str(&line);
                                    }
                                    if let Ok(mut mails) = store.lock() {
                                        mails.push(Mail {
                                            to: to.clone(),
                                            data,
                                        });
                                    }
                                    b"250 queued\r\n"
                                }
                                "QUIT" => {
                                    let _ = write.write_all(b"221 bye\r\n").await;
                                    return;
                                }
                                _ => b"500 what\r\n",
                            };
                        let _ = write.write_all(reply).await;
                    }
                });
            }
        });
        Ok(Self { addr, mails })
    }

    /// Every message accepted so far.
    pub fn mails(&self) -> Vec<Mail> {
        self.mails.lock().map(|m| m.clone()).unwrap_or_default()
    }
}

//! Refresh-token consumptions on SQLite, committed together.
//!
//! Every renewal is a write, and on SQLite every write goes through the one writer
//! connection, in a thread of its own: each statement alone costs a hand-off to that
//! thread and back, a commit (the write-ahead log's locks and frames), and sqlx's ping as
//! the connection is given back. Under load renewals queue for the writer anyway; here
//! those that queued while a batch ran go in the next one, as one request: one hand-off,
//! one transaction and one commit for all of them. A lone renewal goes alone, at once: no
//! timer holds anyone back.
//!
//! Each consumption is the statement it would have been alone (`UPDATE … RETURNING`,
//! maybe followed by its successor's `INSERT … WHERE changes() = 1`), run in the order the
//! renewals arrived, so the outcome is the one of running them one after the other. A
//! consumed token's row carries its hash, which says whose it is: a batch never holds one
//! hash twice (a second renewal of a token waits for the next), so no renewal can be told
//! it consumed a token that another renewal's statement consumed. When the batch fails as
//! a whole, nothing of it was committed, and its renewals run one by one as before.

use std::collections::HashSet;

use sea_orm::{
    ConnectionTrait, DatabaseConnection, DbBackend, DbErr, QueryResult, SqliteTransactionMode,
    Statement, TransactionOptions, TransactionTrait, Values,
};
use tokio::sync::{mpsc, oneshot};

/// Consumptions in one transaction at most: each is a few statements with about twenty
/// values, far below SQLite's limits, and a batch that fails is retried one by one.
const MAX_BATCH: usize = 32;
/// Renewals waiting for the writer at most; more wait to be let in.
const QUEUE: usize = 1024;

/// Hands consumptions to the task that runs them on the writer.
#[derive(Clone)]
pub(super) struct Batcher(mpsc::Sender<Job>);

struct Job {
    statement: Statement,
    token_hash: String,
    reply: oneshot::Sender<Result<Vec<QueryResult>, DbErr>>,
}

impl Batcher {
    /// Starts the task, which ends when the last `Batcher` is dropped.
    pub(super) fn start(writer: DatabaseConnection) -> Batcher {
        let (tx, rx) = mpsc::channel(QUEUE);
        tokio::spawn(run(writer, rx));
        Batcher(tx)
    }

    /// Runs `statement`, the consumption of the token hashed `token_hash`: the rows it
    /// returned (the consumed token's, or none). The statement runs even if the caller
    /// stops waiting, as it would have had the caller's request reached the database.
    pub(super) async fn consume(
        &self,
        statement: Statement,
        token_hash: &str,
    ) -> Result<Vec<QueryResult>, DbErr> {
        let stopped = || DbErr::Custom("the database writer has stopped".into());
        let (reply, answer) = oneshot::channel();
        let job = Job {
            statement,
            token_hash: token_hash.to_owned(),
            reply,
        };
        self.0.send(job).await.map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

async fn run(writer: DatabaseConnection, mut queue: mpsc::Receiver<Job>) {
    let mut waiting: Vec<Job> = Vec::with_capacity(MAX_BATCH);
    loop {
        if waiting.is_empty() {
            if queue.recv_many(&mut waiting, MAX_BATCH).await == 0 {
                return;
            }
        } else {
            // Renewals held back from the last batch go first; top up behind them.
            while waiting.len() < MAX_BATCH {
                match queue.try_recv() {
                    Ok(job) => waiting.push(job),
                    Err(_) => break,
                }
            }
        }
        // Each hash once, in order; a second renewal of a token waits for the next batch.
        let mut seen = HashSet::new();
        let (batch, later): (Vec<Job>, Vec<Job>) = waiting
            .drain(..)
            .partition(|job| seen.insert(job.token_hash.clone()));
        waiting = later;
        if batch.len() == 1 {
            for job in batch {
                alone(&writer, job).await;
            }
            continue;
        }
        if let Err(batch) = together(&writer, batch).await {
            for job in batch {
                alone(&writer, job).await;
            }
        }
    }
}

async fn alone(writer: &DatabaseConnection, job: Job) {
    let _ = job.reply.send(writer.query_all_raw(job.statement).await);
}

/// Runs `batch` in one transaction and answers each job with its own row. Gives the jobs
/// back unanswered when the transaction failed: then nothing of it was committed. The
/// transaction is sea-orm's, on the writer it holds throughout: should a statement fail,
/// the rollback happens on that connection before anyone else gets it.
async fn together(writer: &DatabaseConnection, batch: Vec<Job>) -> Result<(), Vec<Job>> {
    let mut sql = String::new();
    let mut values = Vec::new();
    for job in &batch {
        if !sql.is_empty() {
            sql.push_str("; ");
        }
        sql.push_str(&job.statement.sql);
        if let Some(Values(v)) = &job.statement.values {
            values.extend(v.iter().cloned());
        }
    }
    let statement = Statement::from_sql_and_values(DbBackend::Sqlite, sql, values);
    // IMMEDIATE: the write lock is taken at the start, so a write of another process (the
    // `idp` command) is waited for there instead of failing the batch half-way.
    let options = TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    };
    let committed = async {
        let txn = writer.begin_with_options(options).await?;
        match txn.query_all_raw(statement).await {
            Ok(rows) => txn.commit().await.map(|()| rows),
            Err(e) => {
                txn.rollback().await?;
                Err(e)
            }
        }
    };
    let rows = match committed.await {
        Ok(rows) => rows,
        Err(e) => {
            tracing::warn!(error = %e, jobs = batch.len(), "a batch of refresh-token consumptions failed; running them one by one");
            return Err(batch);
        }
    };
    let mut rows: Vec<(Option<String>, QueryResult)> = rows
        .into_iter()
        .map(|row| (row.try_get::<String>("", "token_hash").ok(), row))
        .collect();
    for job in batch {
        let mine = rows
            .iter()
            .position(|(hash, _)| hash.as_deref() == Some(job.token_hash.as_str()))
            .map(|i| rows.swap_remove(i).1);
        let _ = job.reply.send(Ok(mine.into_iter().collect()));
    }
    Ok(())
}

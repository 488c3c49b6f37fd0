//! Production shape: several nodes on PostgreSQL and Redis behave as one server, and an
//! outage of a store gives 503s, never a crash, and heals by itself.

mod backchannel;
mod flow;
mod nodes;
mod notify;
mod ops;
mod outage;
mod private_key_jwt;
mod redis_cluster;
mod replica;
